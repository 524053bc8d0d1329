import { MessageFlags, PermissionFlagsBits, type Client, type Interaction, type Message } from 'discord.js';
import type { Caller } from '../../src/caller.ts';
import { discordChannelAccess } from './channel-access.ts';
import type { Config } from '../../src/config.ts';
import type { Core } from '../../src/core.ts';
import type { Logger } from '../../src/logger.ts';
import type { Reply } from '../../src/reply.ts';
import type { ButtonExpiry } from './button-expiry.ts';

/** What every Discord listener needs. */
export interface DiscordContext {
  core: Core;
  config: Config;
  log: Logger;
  client: Client;
  expiry: ButtonExpiry;
  /** Defer an interaction when the core has not answered after this long (0 = always defer first). */
  deferAfterMs: number;
}

export const ephemeral = { flags: MessageFlags.Ephemeral } as const;

/** The caller of an interaction: in a guild, managing channels needs the Manage Channels permission. */
export function interactionCaller(i: Interaction): Caller {
  return {
    platform: 'discord',
    workspaceId: i.guildId ?? 'dm',
    userId: i.user.id,
    channelId: i.channelId ?? 'dm',
    canManageChannel: i.guildId
      ? Boolean(i.memberPermissions?.has(PermissionFlagsBits.ManageChannels))
      : true,
    locale: i.locale,
    channelAccess: discordChannelAccess(i),
  };
}

/** The author of a message as a caller. */
export function messageCaller(message: Message): Caller {
  return {
    platform: 'discord',
    workspaceId: message.guildId ?? 'dm',
    userId: message.author.id,
    channelId: message.channelId,
    canManageChannel: message.guildId
      ? Boolean(message.member?.permissions.has(PermissionFlagsBits.ManageChannels))
      : true,
  };
}

/** The parts of an embed a link can live in (Discord API docs, "Embed Object"). */
interface EmbedLike {
  url?: string | null;
  title?: string | null;
  description?: string | null;
  fields?: { name: string; value: string }[];
  author?: { url?: string | null } | null;
  footer?: { text: string } | null;
}

function embedTexts(e: EmbedLike): string[] {
  return [
    e.url,
    e.title,
    e.description,
    e.author?.url,
    ...(e.fields ?? []).flatMap((f) => [f.name, f.value]),
    e.footer?.text,
  ].filter((t): t is string => typeof t === 'string');
}

/** What linkText reads: a message, or a forwarded message's snapshot. */
export interface LinkSource {
  content?: string | null;
  embeds?: readonly EmbedLike[] | null;
  /** Forwarded messages (message_reference type FORWARD) carry the original here. */
  messageSnapshots?: { values(): Iterable<LinkSource> } | null;
}

/**
 * The text a save reads from a message: its content, then every embed text that carries a link
 * (the embed's url, title, description, author url, fields, footer), then the same for each message
 * it forwards (Discord API docs, "Message Snapshot Object"), one per line, each only if the content
 * does not already contain it. Feed bots and our own tag-of-the-day post put their links only in
 * embeds; a forwarded message has empty content of its own.
 */
export function linkText(message: LinkSource): string {
  const content = message.content ?? '';
  const extra = (message.embeds ?? []).flatMap(embedTexts);
  for (const snapshot of message.messageSnapshots?.values() ?? []) extra.push(linkText(snapshot));
  const withLinks = [...new Set(extra)].filter((t) => /https?:\/\//i.test(t) && !content.includes(t.trim()));
  return [content, ...withLinks].join('\n').trim();
}

/**
 * Run the core; if it is slow (or the command says it will be), defer first so the interaction
 * never times out. Resolves with the core's reply.
 */
export async function withDeferral(
  ctx: DiscordContext,
  work: Promise<Reply>,
  slow: boolean | undefined,
  defer: () => Promise<unknown>,
): Promise<Reply> {
  // If deferring itself fails, the caller's catch handles that; the core's outcome must not become
  // an unhandled rejection meanwhile.
  work.catch(() => undefined);
  if (slow || ctx.deferAfterMs <= 0) {
    await defer();
    return work;
  }
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ctx.deferAfterMs);
  });
  const first = await Promise.race([work, late]);
  clearTimeout(timer);
  if (first !== 'late') return first;
  await defer();
  return work;
}
