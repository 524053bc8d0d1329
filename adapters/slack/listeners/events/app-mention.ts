import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { escapeMrkdwn, replyMessage } from '../../blocks.ts';
import { guard, needsProfile, type SlackContext } from '../../context.ts';
import { postMessage } from '../../output.ts';
import { decodeSlackText, enterpriseOf } from '../../text.ts';

/** "@bot …": the core parses the question; the answer goes in the mention's thread. */
export function appMention(ctx: SlackContext) {
  return async ({ event, body }: SlackEventMiddlewareArgs<'app_mention'> & AllMiddlewareArgs) => {
    const teamId = (body as { team_id?: string }).team_id ?? event.team;
    if (!event.user) return;
    const thread = event.thread_ts ?? event.ts;
    const user = event.user;
    // Slack hands over the text with &, <, > encoded as entities; mention markup (<@U…>) stays.
    const text = decodeSlackText(event.text);
    await guard(
      ctx,
      { event: 'app_mention', team: teamId },
      async () => {
        const { name } = ctx.core.parseMention(text);
        const caller = await ctx.callers.caller(
          teamId,
          user,
          event.channel,
          needsProfile(ctx, name),
          enterpriseOf(body),
        );
        const r = await ctx.core.mention(caller, text);
        if (r.placement === 'channel') {
          await postMessage(ctx, event.channel, r, thread);
        } else {
          await ctx.client.chat.postEphemeral({
            channel: event.channel,
            user,
            thread_ts: thread,
            ...replyMessage(r, { withoutButtons: true }),
          });
        }
      },
      (text) =>
        ctx.client.chat.postMessage({ channel: event.channel, thread_ts: thread, text: escapeMrkdwn(text) }),
    );
  };
}
