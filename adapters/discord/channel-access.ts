import {
  DiscordAPIError,
  PermissionFlagsBits,
  RateLimitError,
  Routes,
  type Client,
  type Interaction,
} from 'discord.js';
import { PostFailure, type ChannelAccess } from '../../src/tagoftheday/post-failure.ts';

/**
 * What the bot needs in a channel to post the tag of the day (its embeds included), by name for the
 * message. Source: Discord "Permissions" (docs), and "Threads": posting in a thread needs Send
 * Messages in Threads instead of Send Messages.
 */
const CHANNEL_NEEDS = [
  ['View Channel', PermissionFlagsBits.ViewChannel],
  ['Send Messages', PermissionFlagsBits.SendMessages],
  ['Embed Links', PermissionFlagsBits.EmbedLinks],
] as const;
const THREAD_NEEDS = [
  ['View Channel', PermissionFlagsBits.ViewChannel],
  ['Send Messages in Threads', PermissionFlagsBits.SendMessagesInThreads],
  ['Embed Links', PermissionFlagsBits.EmbedLinks],
] as const;

/**
 * Whether the interaction came from a thread. The shard caches no guilds, so discord.js builds no
 * channel for a guild interaction (`i.channel` is null); the channel is then read over REST (Discord
 * docs, "Get Channel"), which needs View Channel: without it the bot cannot post anyway, and the
 * channel's needs are reported.
 */
async function invokedInThread(i: Interaction): Promise<boolean> {
  if (i.channel) return i.channel.isThread();
  if (!i.channelId || !i.appPermissions.has(PermissionFlagsBits.ViewChannel)) return false;
  const channel = await i.client.channels.fetch(i.channelId, { allowUnknownGuild: true, cache: false });
  return channel?.isThread() ?? false;
}

/**
 * The check asked before subscribing: the interaction's `app_permissions` (the app's permissions in
 * the channel it was invoked in, overwrites applied) hold everything a post needs. A DM with the bot
 * can always be posted to.
 */
export function discordChannelAccess(i: Interaction): ChannelAccess {
  return async () => {
    if (!i.inGuild()) return { ok: true };
    const inThread = await invokedInThread(i);
    const needs = inThread ? THREAD_NEEDS : CHANNEL_NEEDS;
    const missing = needs.filter(([, bit]) => !i.appPermissions.has(bit)).map(([name]) => name);
    if (missing.length === 0) return { ok: true };
    return {
      ok: false,
      message:
        `I can't post in this ${inThread ? 'thread' : 'channel'}: I'm missing ${missing.join(', ')}. ` +
        `Ask someone with Manage Roles to give Quorum Reads ${missing.length > 1 ? 'these permissions' : 'that permission'} ` +
        `here (channel settings → Permissions), then run \`/tagoftheday subscribe\` again.`,
    };
  };
}

/** Discord JSON error codes that mean "this channel will not take our posts" (Discord docs, JSON error codes). */
const PERMANENT: Record<number, string> = {
  10003: 'the channel no longer exists.',
  50001: 'the bot has no access to this channel (View Channel is missing, or it was removed).',
  50013: 'the bot lacks a permission it needs here (View Channel, Send Messages, Embed Links).',
  50083: 'the thread is archived.',
};

/** A post's REST failure as the scheduler's PostFailure (permanent: pause; transient: back off). */
export function discordPostFailure(e: unknown): PostFailure {
  if (e instanceof DiscordAPIError) {
    const code = typeof e.code === 'number' ? e.code : Number(e.code);
    const reason = PERMANENT[code];
    if (reason) return new PostFailure('permanent', String(code), reason, { cause: e });
    return new PostFailure('transient', `http_${e.status}`, `Discord answered ${e.status}`, { cause: e });
  }
  if (e instanceof RateLimitError)
    return new PostFailure('transient', 'http_429', 'Discord rate limit', {
      retryAfterMs: e.retryAfter,
      cause: e,
    });
  return new PostFailure('transient', 'network', 'Discord could not be reached', { cause: e });
}

/** Tell a person in a DM (the subscriber of a paused channel); mentions never ping. */
export async function discordNotify(client: Client, userId: string, text: string): Promise<void> {
  const dm = (await client.rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as {
    id: string;
  };
  await client.rest.post(Routes.channelMessages(dm.id), {
    body: { content: text, allowed_mentions: { parse: [] } },
  });
}
