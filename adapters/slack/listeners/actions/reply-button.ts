import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { guard, needsProfile, type SlackContext } from '../../context.ts';
import { ephemeralText, respondBody, withFiles } from '../../output.ts';
import { publishHome } from '../../views/app-home.ts';

/** A press of a button the core rendered (`qr:…`): the core answers, placed where it says. */
export function replyButton(ctx: SlackContext) {
  return async ({
    ack,
    body,
    action,
    respond,
  }: SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    await ctx.ackGate.idle();
    const id = action.type === 'button' ? (action.value ?? action.action_id) : action.action_id;
    const [, command = '', kind = ''] = id.split(':');
    const fromHome = body.view?.type === 'home';
    await guard(
      ctx,
      { event: 'button', command, action: kind, team: body.team?.id },
      async () => {
        const caller = await ctx.callers.caller(
          body.team?.id ?? body.user.team_id,
          body.user.id,
          body.channel?.id,
          needsProfile(ctx, command),
          body.enterprise?.id,
        );
        const r = await withFiles(ctx, caller, await ctx.core.press(caller, id));
        if (fromHome || !respond) {
          // App Home has no response_url: the home view is republished with the answer in it.
          const paged = r.status === 'ok' && (r.page !== undefined || r.readings.length > 0);
          await publishHome(ctx, caller, paged ? { saves: r } : { notice: r });
          return;
        }
        await respond(respondBody(r));
      },
      respond ? ephemeralText(respond) : undefined,
    );
  };
}
