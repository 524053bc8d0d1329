import type { GatewayDispatchPayload, GatewayMessageReactionAddDispatchData } from 'discord.js';
import type { DiscordContext } from '../../context.ts';
import { errorInfo } from '../../errors.ts';
import { isSaveEmoji, saveReacted } from './message-reaction-add.ts';

/**
 * A reaction in a channel the client has not cached is dropped inside discord.js: a guild channel
 * needs its guild cached, which the shard never does (it runs without the Guilds intent, see
 * adapters/discord/index.ts), and a DM's partial channel is not text-based because the gateway
 * event carries no channel type (discord.js issue 11486). The raw event is emitted before discord.js
 * handles the packet, so this handler sees the channel still uncached, fetches the channel, message
 * and user over REST, and saves under the event's own guild id. `claimed` stops the normal listener
 * from handling the same reaction again should a discord.js version deliver it after all.
 */
export function rawReaction(ctx: DiscordContext, claimed: Set<string>) {
  return (packet: GatewayDispatchPayload): void => {
    if (packet.t !== 'MESSAGE_REACTION_ADD') return;
    const d: GatewayMessageReactionAddDispatchData = packet.d;
    if (ctx.client.channels.cache.has(d.channel_id)) return;
    if (!isSaveEmoji(ctx, d.emoji) || d.user_id === ctx.client.user?.id) return;
    const key = reactionKey(d.message_id, d.user_id);
    claimed.add(key);
    void (async () => {
      try {
        const who = await ctx.client.users.fetch(d.user_id);
        if (who.bot) return;
        const where = { guildId: d.guild_id ?? null, channelId: d.channel_id };
        await saveReacted(
          ctx,
          who,
          async () => {
            // allowUnknownGuild: build the channel without its guild (public FetchChannelOptions).
            const channel = await ctx.client.channels.fetch(d.channel_id, { allowUnknownGuild: true });
            if (!channel?.isTextBased()) throw new Error(`channel ${d.channel_id} is not text-based`);
            return channel.messages.fetch(d.message_id);
          },
          where,
        );
      } catch (e) {
        ctx.log.error(
          { event: 'reaction_failed', dm: !d.guild_id, ...errorInfo(e) },
          'discord reaction save failed (uncached channel)',
        );
      } finally {
        // Long enough for discord.js to have handled the same packet synchronously after this one.
        setImmediate(() => claimed.delete(key));
      }
    })();
  };
}

export const reactionKey = (messageId: string, userId: string): string => `${messageId}:${userId}`;
