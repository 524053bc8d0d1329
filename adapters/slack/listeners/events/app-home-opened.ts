import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { guard, type SlackContext } from '../../context.ts';
import { publishHome } from '../../views/app-home.ts';
import { enterpriseOf } from '../../text.ts';

export function appHomeOpened(ctx: SlackContext) {
  return async ({ event, body }: SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs) => {
    if (event.tab !== 'home') return;
    const teamId = (body as { team_id?: string }).team_id;
    await guard(ctx, { event: 'app_home_opened', team: teamId }, async () => {
      await publishHome(
        ctx,
        await ctx.callers.caller(teamId, event.user, event.channel, false, enterpriseOf(body)),
      );
    });
  };
}
