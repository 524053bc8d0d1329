import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { replyMessage } from '../../blocks.ts';
import { guard, type SlackContext } from '../../context.ts';
import { errorText, slackErrorCode } from '../../errors.ts';
import { messageSaveText, replyThread, type SlackMessageLike } from '../../messages.ts';
import { ephemeralText } from '../../output.ts';

export const SAVE_SHORTCUT = 'save_links';

/** The "Save links" message shortcut: saves the links in the message it was used on. */
export function saveLinksShortcut(ctx: SlackContext) {
  return async ({
    ack,
    shortcut,
    respond,
  }: SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    await ctx.ackGate.idle();
    await guard(
      ctx,
      { event: 'shortcut', team: shortcut.team?.id },
      async () => {
        const caller = await ctx.callers.caller(
          shortcut.team?.id ?? shortcut.user.team_id,
          shortcut.user.id,
          shortcut.channel.id,
          false,
          shortcut.enterprise?.id,
        );
        const message = shortcut.message as SlackMessageLike;
        const r = await ctx.core.saveMessage(caller, messageSaveText(message));
        const msg = replyMessage(r, { withoutButtons: true });
        const thread = replyThread(message);
        try {
          // A message in a thread gets its answer in that thread, not at the channel root.
          await ctx.client.chat.postEphemeral({
            channel: caller.channelId,
            user: caller.userId,
            ...(thread ? { thread_ts: thread } : {}),
            ...msg,
          });
        } catch (e) {
          // e.g. not_in_channel: the response_url works in any conversation.
          ctx.log.info(
            { err: slackErrorCode(e) ?? errorText(e) },
            'slack: postEphemeral failed; using response_url',
          );
          await respond({ response_type: 'ephemeral', ...msg });
        }
      },
      ephemeralText(respond),
    );
  };
}
