import type {
  Message,
  MessageReaction,
  PartialMessage,
  PartialMessageReaction,
  PartialUser,
  User,
} from 'discord.js';
import type { Caller } from '../../../../src/caller.ts';
import { errorReply } from '../../../../src/reply.ts';
import { linkText, type DiscordContext } from '../../context.ts';
import { errorInfo } from '../../errors.ts';
import { renderReply } from '../../render.ts';

function isSaveEmoji(ctx: DiscordContext, reaction: MessageReaction | PartialMessageReaction): boolean {
  const want = ctx.config.discord.saveEmoji.trim();
  const { name, id } = reaction.emoji;
  return (
    name === want ||
    (id !== null && (want === id || want.endsWith(`:${id}>`))) ||
    reaction.emoji.toString() === want
  );
}

/** Reacting with the save emoji saves the message's links; the confirmation goes by DM. */
export async function messageReactionAdd(
  ctx: DiscordContext,
  reaction: MessageReaction | PartialMessageReaction,
  user: User | PartialUser,
): Promise<void> {
  try {
    if (!isSaveEmoji(ctx, reaction)) return;
    const who = user.partial ? await user.fetch() : user;
    if (who.bot) return;
    const message: Message | PartialMessage = reaction.message.partial
      ? await reaction.message.fetch()
      : reaction.message;
    const caller: Caller = {
      platform: 'discord',
      workspaceId: message.guildId ?? 'dm',
      userId: who.id,
      channelId: message.channelId,
      canManageChannel: !message.guildId,
    };
    const text = linkText(message as Message);
    const r = text
      ? await ctx.core.saveMessage(caller, text)
      : errorReply(
          'That message has no text I can read links from (the bot may lack the Message Content intent).',
        );
    try {
      await who.send(renderReply(r));
    } catch (e) {
      ctx.log.info(
        { event: 'dm_failed', user: who.id, ...errorInfo(e) },
        'could not DM a save confirmation (DMs closed?)',
      );
    }
  } catch (e) {
    ctx.log.error({ event: 'reaction_failed', ...errorInfo(e) }, 'discord reaction save failed');
  }
}
