import {
  DiscordAPIError,
  RESTJSONErrorCodes,
  type Message,
  type MessageReaction,
  type PartialMessage,
  type PartialMessageReaction,
  type PartialUser,
  type User,
} from 'discord.js';
import type { Caller } from '../../../../src/caller.ts';
import { errorReply, type Reply } from '../../../../src/reply.ts';
import { linkText, type DiscordContext } from '../../context.ts';
import { errorInfo } from '../../errors.ts';
import { renderReply } from '../../render.ts';

/** The emoji of a reaction, as the gateway sends it. */
export interface EmojiRef {
  id: string | null;
  name: string | null;
  animated?: boolean | null;
}

export function isSaveEmoji(ctx: DiscordContext, emoji: EmojiRef): boolean {
  const want = ctx.config.discord.saveEmoji.trim();
  const { name, id } = emoji;
  if (name === want) return true;
  if (id === null) return false;
  return want === id || want.endsWith(`:${id}>`) || want === `<${emoji.animated ? 'a' : ''}:${name}:${id}>`;
}

/** What to tell someone whose 🔖 landed on a message the bot cannot read (Discord 50001 Missing Access). */
export const MISSING_ACCESS =
  "I can't read messages in that channel (Missing Access). Ask a server admin to give me **View Channel** and **Read Message History** there, or use **Apps → Save links** on the message instead.";

/** A message the bot could not fetch because of permissions: Missing Access (50001) or Missing Permissions (50013). */
function isMissingAccess(e: unknown): boolean {
  return (
    e instanceof DiscordAPIError &&
    (e.code === RESTJSONErrorCodes.MissingAccess || e.code === RESTJSONErrorCodes.MissingPermissions)
  );
}

async function sendDm(ctx: DiscordContext, who: User, r: Reply): Promise<void> {
  try {
    await who.send(renderReply(r));
  } catch (e) {
    ctx.log.info(
      { event: 'dm_failed', user: who.id, ...errorInfo(e) },
      'could not DM a save confirmation (DMs closed?)',
    );
  }
}

/** Where a reaction happened, from the gateway event (a fetched message carries no guild id). */
export interface ReactionPlace {
  guildId: string | null;
  channelId: string;
}

/**
 * Save the links of `load()`'s message for `who` and confirm by DM. A message the bot may not read
 * (403, code 50001) gets an explanation by DM instead of only a log line. `where` defaults to the
 * message's own guild and channel.
 */
export async function saveReacted(
  ctx: DiscordContext,
  who: User,
  load: () => Promise<Message | PartialMessage>,
  where?: ReactionPlace,
): Promise<void> {
  let message: Message | PartialMessage;
  try {
    message = await load();
  } catch (e) {
    if (!isMissingAccess(e)) throw e;
    ctx.log.info({ event: 'reaction_unreadable', ...errorInfo(e) }, 'cannot read a message reacted to');
    await sendDm(ctx, who, errorReply(MISSING_ACCESS));
    return;
  }
  const guildId = where ? where.guildId : message.guildId;
  const caller: Caller = {
    platform: 'discord',
    workspaceId: guildId ?? 'dm',
    userId: who.id,
    channelId: where?.channelId ?? message.channelId,
    canManageChannel: !guildId,
  };
  const text = linkText(message as Message);
  const r = text
    ? await ctx.core.saveMessage(caller, text)
    : errorReply(
        'That message has no text I can read links from (the bot may lack the Message Content intent).',
      );
  await sendDm(ctx, who, r);
}

/** Reacting with the save emoji saves the message's links; the confirmation goes by DM. */
export async function messageReactionAdd(
  ctx: DiscordContext,
  reaction: MessageReaction | PartialMessageReaction,
  user: User | PartialUser,
): Promise<void> {
  try {
    if (!isSaveEmoji(ctx, reaction.emoji)) return;
    const who = user.partial ? await user.fetch() : user;
    if (who.bot) return;
    await saveReacted(ctx, who, async () =>
      reaction.message.partial ? reaction.message.fetch() : reaction.message,
    );
  } catch (e) {
    ctx.log.error({ event: 'reaction_failed', ...errorInfo(e) }, 'discord reaction save failed');
  }
}
