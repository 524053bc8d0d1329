import type { GatewayDispatchPayload, GatewayMessageCreateDispatchData } from 'discord.js';
import type { Caller } from '../../../../src/caller.ts';
import { APOLOGY, errorReply } from '../../../../src/reply.ts';
import type { DiscordContext } from '../../context.ts';
import { errorInfo } from '../../errors.ts';
import { renderReply } from '../../render.ts';
import { postToChannel } from '../../rest-post.ts';

/**
 * "@bot …" in a guild (needs the Message Content intent), read from the raw MESSAGE_CREATE: discord.js
 * drops a guild message whose guild it has not cached, and the shard caches none (no Guilds intent).
 * The core parses the question; an answer placed in the channel is a REST reply to the message, a
 * private one (an error, a rate limit) goes to the author's DMs.
 *
 * The event's member carries role ids but no permissions, and the shard holds no roles to compute
 * them from, so a mention never counts as Manage Channels: managing the tag of the day by mention
 * is refused with the managers-only text, and `/tagoftheday` (whose interaction carries the member's
 * permissions) is the way to do it.
 */
export function rawGuildMention(ctx: DiscordContext) {
  return (packet: GatewayDispatchPayload): void => {
    if (packet.t !== 'MESSAGE_CREATE') return;
    const d: GatewayMessageCreateDispatchData = packet.d;
    const me = ctx.client.user;
    if (!d.guild_id || !me || d.author.bot) return;
    if (!new RegExp(`<@!?${me.id}>`).test(d.content)) return;
    void answerMention(ctx, d, d.guild_id);
  };
}

async function answerMention(
  ctx: DiscordContext,
  d: GatewayMessageCreateDispatchData,
  guildId: string,
): Promise<void> {
  const caller: Caller = {
    platform: 'discord',
    workspaceId: guildId,
    userId: d.author.id,
    channelId: d.channel_id,
    canManageChannel: false,
  };
  try {
    const r = await ctx.core.mention(caller, d.content);
    if (r.placement === 'channel') await postToChannel(ctx, d.channel_id, r, d.id);
    else await ctx.client.users.send(d.author.id, renderReply(r));
  } catch (e) {
    ctx.log.error(
      { event: 'mention_failed', message: d.id, ...errorInfo(e) },
      'discord mention question failed',
    );
    await postToChannel(ctx, d.channel_id, errorReply(APOLOGY), d.id).catch(() => undefined);
  }
}
