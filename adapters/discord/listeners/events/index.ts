import { Events } from 'discord.js';
import type { DiscordContext } from '../../context.ts';
import { registerClientLogging } from './client-logging.ts';
import { messageCreate } from './message-create.ts';
import { messageReactionAdd } from './message-reaction-add.ts';
import { rawGuildMention } from './raw-guild-mention.ts';
import { rawReaction, reactionKey } from './raw-reaction.ts';

/** Gateway events, one file per event name as in the discord.js guide. */
export function registerEvents(ctx: DiscordContext, opts: { mentions: boolean }): void {
  // Reactions the raw handler took (their channel was not cached); see raw-reaction.ts.
  const claimed = new Set<string>();
  ctx.client.on(Events.Raw, rawReaction(ctx, claimed));
  ctx.client.on(Events.MessageReactionAdd, (reaction, user) => {
    if (claimed.has(reactionKey(reaction.message.id, user.id))) return;
    void messageReactionAdd(ctx, reaction, user);
  });
  if (opts.mentions) {
    // Guild mentions come raw (their guild is never cached); DMs through discord.js.
    ctx.client.on(Events.Raw, rawGuildMention(ctx));
    ctx.client.on(Events.MessageCreate, (m) => {
      if (!m.guildId) void messageCreate(ctx, m);
    });
  }
  registerClientLogging(ctx);
}
