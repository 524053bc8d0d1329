import { Events } from 'discord.js';
import type { DiscordContext } from '../../context.ts';
import { registerClientLogging } from './client-logging.ts';
import { messageCreate } from './message-create.ts';
import { messageReactionAdd } from './message-reaction-add.ts';
import { rawDmReaction, reactionKey } from './raw-dm-reaction.ts';

/** Gateway events, one file per event name as in the discord.js guide. */
export function registerEvents(ctx: DiscordContext, opts: { mentions: boolean }): void {
  // DM reactions the raw handler took (their channel was not cached); see raw-dm-reaction.ts.
  const claimed = new Set<string>();
  ctx.client.on(Events.Raw, rawDmReaction(ctx, claimed));
  ctx.client.on(Events.MessageReactionAdd, (reaction, user) => {
    if (claimed.has(reactionKey(reaction.message.id, user.id))) return;
    void messageReactionAdd(ctx, reaction, user);
  });
  if (opts.mentions) ctx.client.on(Events.MessageCreate, (m) => void messageCreate(ctx, m));
  registerClientLogging(ctx);
}
