import type { GatewayDispatchPayload, GatewayMessageReactionAddDispatchData } from 'discord.js';
import type { DiscordContext } from '../../context.ts';
import { errorInfo } from '../../errors.ts';
import { isSaveEmoji, saveReacted } from './message-reaction-add.ts';

/**
 * A reaction in a DM whose channel is not cached (after a restart) is dropped inside discord.js:
 * the gateway event carries no channel type, so the partial channel it builds is not text-based and
 * `messageReactionAdd` never fires (discord.js issue 11486). The raw event is emitted before
 * discord.js handles the packet, so this handler sees the channel still uncached, fetches the
 * channel, message and user over REST, and saves. `claimed` stops the normal listener from handling
 * the same reaction again should a discord.js version deliver it after all.
 */
export function rawDmReaction(ctx: DiscordContext, claimed: Set<string>) {
  return (packet: GatewayDispatchPayload): void => {
    if (packet.t !== 'MESSAGE_REACTION_ADD') return;
    const d: GatewayMessageReactionAddDispatchData = packet.d;
    if (d.guild_id || ctx.client.channels.cache.has(d.channel_id)) return;
    if (!isSaveEmoji(ctx, d.emoji) || d.user_id === ctx.client.user?.id) return;
    const key = reactionKey(d.message_id, d.user_id);
    claimed.add(key);
    void (async () => {
      try {
        const who = await ctx.client.users.fetch(d.user_id);
        if (who.bot) return;
        await saveReacted(ctx, who, async () => {
          const channel = await ctx.client.channels.fetch(d.channel_id);
          if (!channel?.isTextBased()) throw new Error(`channel ${d.channel_id} is not text-based`);
          return channel.messages.fetch(d.message_id);
        });
      } catch (e) {
        ctx.log.error(
          { event: 'reaction_failed', dm: true, ...errorInfo(e) },
          'discord DM reaction save failed',
        );
      } finally {
        // Long enough for discord.js to have handled the same packet synchronously after this one.
        setImmediate(() => claimed.delete(key));
      }
    })();
  };
}

export const reactionKey = (messageId: string, userId: string): string => `${messageId}:${userId}`;
