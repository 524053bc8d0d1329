import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { Caller } from '../../../../src/caller.ts';
import { errorReply } from '../../../../src/reply.ts';
import { escapeMrkdwn } from '../../blocks.ts';
import { guard, type SlackContext } from '../../context.ts';
import { errorText, slackErrorCode } from '../../errors.ts';
import { baseReaction, messageSaveText, replyThread, type SlackMessageLike } from '../../messages.ts';
import { postEphemeralOrDm } from '../../output.ts';
import { enterpriseOf } from '../../text.ts';

/** What to do when the bot cannot read the reacted message, by Slack's error code. */
export function unreadableText(code: string | undefined): string {
  if (code === 'not_in_channel' || code === 'channel_not_found')
    return "I can't read that message: I'm not in that conversation. Add me to the channel (`/invite @Quorum`) and react again, or use the **Save links** message shortcut on it instead.";
  if (code === 'missing_scope')
    return "I can't read that message: the app lacks a history scope for that kind of conversation. Ask a workspace admin to reinstall the app, or use the **Save links** message shortcut on it.";
  return "I can't read that message right now. Try again, or use the **Save links** message shortcut on it.";
}

/** How many pages of a thread to look through for a reply (200 replies each). */
const THREAD_PAGES = 5;

/**
 * A reply inside a thread. `conversations.replies` takes the ts of the parent or of any message in the
 * thread and always returns the parent first (Slack API docs, conversations.replies), so the reply is
 * found by its own ts among the messages returned, following the cursor if needed.
 */
async function fetchThreadReply(
  ctx: SlackContext,
  channel: string,
  ts: string,
): Promise<SlackMessageLike | undefined> {
  let cursor: string | undefined;
  for (let page = 0; page < THREAD_PAGES; page++) {
    const res = await ctx.client.conversations.replies({
      channel,
      ts,
      oldest: ts,
      inclusive: true,
      limit: 200,
      ...(cursor ? { cursor } : {}),
    });
    const found = res.messages?.find((m) => m.ts === ts);
    if (found) return found as SlackMessageLike;
    cursor = res.response_metadata?.next_cursor;
    if (!res.has_more || !cursor) return undefined;
  }
  return undefined;
}

/**
 * A message by channel and ts: `conversations.history` with `latest` = `oldest` = ts, `inclusive`,
 * `limit: 1` finds a top-level message (Slack API docs, "Retrieving a single message"); a reply
 * inside a thread is not in the history, so it is looked up in its thread.
 */
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
  return fetchThreadReply(ctx, channel, ts);
}

/**
 * Reacting with the save emoji saves the message's links. The answer is ephemeral in the message's
 * thread (or channel); when the bot cannot post there, it goes to the bot DM. When the bot cannot
 * read the message (not in the channel, no scope) the person is told what to do, the same way.
 */
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
        caller = await ctx.callers.caller(teamId, event.user, item.channel, false, enterpriseOf(body));
        let message: SlackMessageLike | undefined;
        let code: string | undefined;
        try {
          message = await fetchMessage(ctx, item.channel, item.ts);
        } catch (e) {
          code = slackErrorCode(e);
          ctx.log.info({ err: code ?? errorText(e) }, 'slack: could not read the reacted message');
        }
        const r = message
          ? await ctx.core.saveMessage(caller, messageSaveText(message))
          : errorReply(unreadableText(code));
        await postEphemeralOrDm(ctx, caller, r, message ? replyThread(message) : undefined);
      },
      async (text) => {
        if (caller) await ctx.client.chat.postMessage({ channel: caller.userId, text: escapeMrkdwn(text) });
      },
    );
  };
}
