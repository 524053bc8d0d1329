import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { Caller } from '../../../../src/caller.ts';
import { errorReply } from '../../../../src/reply.ts';
import { escapeMrkdwn } from '../../blocks.ts';
import { guard, type SlackContext } from '../../context.ts';
import { errorText, slackErrorCode } from '../../errors.ts';
import { baseReaction, messageSaveText, type SlackMessageLike } from '../../messages.ts';
import { postEphemeralOrDm } from '../../output.ts';

const UNREADABLE =
  "I can't read that message (I may not be in this conversation). Invite me, or use the **Save links** message shortcut instead.";

/** A message by channel and ts, whether it is in the channel history or a reply inside a thread. */
async function fetchMessage(
  ctx: SlackContext,
  channel: string,
  ts: string,
): Promise<SlackMessageLike | undefined> {
  const history = await ctx.client.conversations.history({
    channel,
    latest: ts,
    oldest: ts,
    inclusive: true,
    limit: 1,
  });
  const top = history.messages?.find((m) => m.ts === ts);
  if (top) return top as SlackMessageLike;
  const replies = await ctx.client.conversations.replies({
    channel,
    ts,
    latest: ts,
    inclusive: true,
    limit: 1,
  });
  return replies.messages?.find((m) => m.ts === ts) as SlackMessageLike | undefined;
}

/** Reacting with the save emoji saves the message's links; the answer is ephemeral (or a DM). */
export function reactionAdded(ctx: SlackContext) {
  return async ({ event, body }: SlackEventMiddlewareArgs<'reaction_added'> & AllMiddlewareArgs) => {
    if (baseReaction(event.reaction) !== baseReaction(ctx.slack.saveReaction)) return;
    if (event.item.type !== 'message') return;
    const item = event.item;
    const teamId = (body as { team_id?: string }).team_id;
    let caller: Caller | undefined;
    await guard(
      ctx,
      { event: 'reaction_added', team: teamId },
      async () => {
        caller = await ctx.callers.caller(teamId, event.user, item.channel, false);
        let message: SlackMessageLike | undefined;
        try {
          message = await fetchMessage(ctx, item.channel, item.ts);
        } catch (e) {
          ctx.log.info(
            { err: slackErrorCode(e) ?? errorText(e) },
            'slack: could not read the reacted message',
          );
        }
        const r = message
          ? await ctx.core.saveMessage(caller, messageSaveText(message))
          : errorReply(UNREADABLE);
        await postEphemeralOrDm(ctx, caller, r);
      },
      async (text) => {
        if (caller) await ctx.client.chat.postMessage({ channel: caller.userId, text: escapeMrkdwn(text) });
      },
    );
  };
}
