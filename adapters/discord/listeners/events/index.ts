import { Events } from 'discord.js';
import type { DiscordContext } from '../../context.ts';
import { registerClientLogging } from './client-logging.ts';
import { messageCreate } from './message-create.ts';
import { messageReactionAdd } from './message-reaction-add.ts';

/** Gateway events, one file per event name as in the discord.js guide. */
export function registerEvents(ctx: DiscordContext, opts: { mentions: boolean }): void {
  ctx.client.on(Events.MessageReactionAdd, (reaction, user) => void messageReactionAdd(ctx, reaction, user));
  if (opts.mentions) ctx.client.on(Events.MessageCreate, (m) => void messageCreate(ctx, m));
  registerClientLogging(ctx);
}
