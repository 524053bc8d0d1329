/**
 * The Discord adapter: a discord.js 14 Client that turns slash commands, buttons, the "Save links"
 * message menu, save reactions and @mentions into core calls, and renders the core's Replies. This file
 * only wires: listeners live in `listeners/interactions` and `listeners/events`.
 */
import { Client, Events, GatewayIntentBits, Partials, type ClientOptions } from 'discord.js';
import type { Core } from '../../src/core.ts';
import type { Platform } from '../../src/caller.ts';
import type { Config } from '../../src/config.ts';
import type { Logger } from '../../src/logger.ts';
import type { Reply } from '../../src/reply.ts';
import { ButtonExpiry } from './button-expiry.ts';
import { clientCacheOptions } from './client-options.ts';
import type { DiscordContext } from './context.ts';
import { registerEvents } from './listeners/events/index.ts';
import { registerInteractions } from './listeners/interactions/index.ts';
import { postToChannel } from './rest-post.ts';
import { discordNotify, discordPostFailure } from './channel-access.ts';

export { linkText } from './context.ts';

export interface DiscordAdapterOptions {
  core: Core;
  config: Config;
  logger: Logger;
  /** Merged over the defaults (tests pass `rest: { api, retries }`). */
  clientOptions?: Partial<ClientOptions>;
  /** Defer an interaction when the core has not answered after this long (0 = always defer first). */
  deferAfterMs?: number;
  /** Disable a message's buttons after this long (interaction tokens live 15 minutes). */
  buttonTimeoutMs?: number;
  /** Start the core's tag-of-the-day scheduler with this adapter's poster (default true). */
  tagOfTheDay?: boolean;
}

/** A tag-of-the-day post target and the scheduler's Poster contract (src/tagoftheday/service.ts). */
export interface DiscordPoster {
  post(subscription: { channelId: string }, reply: Reply): Promise<void>;
  notify(subscription: { channelId: string }, userId: string, text: string): Promise<void>;
  platforms: readonly Platform[];
}

export interface DiscordAdapter {
  readonly client: Client;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Post a Reply to a channel as a normal message (tag of the day). */
  post(channelId: string, reply: Reply): Promise<void>;
  /** The Poster handed to the tag-of-the-day scheduler. */
  readonly poster: DiscordPoster;
}

const DEFAULT_DEFER_AFTER_MS = 1500;
const DEFAULT_BUTTON_TIMEOUT_MS = 14 * 60 * 1000;

export function createDiscordAdapter(opts: DiscordAdapterOptions): DiscordAdapter {
  const { core, config } = opts;
  const log = opts.logger.child({ adapter: 'discord' });
  const mentions = config.discord.messageContent;
  // No Guilds intent: the shard never receives GUILD_CREATE, so it caches no guilds, channels, roles
  // or permission overwrites (in 2,500 guilds they held 208 MB; discord.js does not support limiting
  // those caches). Nothing reads them: interactions carry their channel, the member's permissions and
  // `app_permissions`; guild reactions and mentions arrive through the raw event and are answered over
  // REST (listeners/events); posts go by channel id. README "Performance".
  const client = new Client({
    intents: [
      GatewayIntentBits.GuildMessageReactions,
      GatewayIntentBits.DirectMessages,
      GatewayIntentBits.DirectMessageReactions,
      ...(mentions ? [GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent] : []),
    ],
    partials: [Partials.Message, Partials.Channel, Partials.Reaction, Partials.User],
    allowedMentions: { parse: [], repliedUser: false },
    // READY lists the shard's guilds as unavailable; without the Guilds intent no GUILD_CREATE follows,
    // so waiting for them (15 s by default) would only delay the start.
    waitGuildTimeout: 0,
    ...clientCacheOptions(),
    ...opts.clientOptions,
  });
  const ctx: DiscordContext = {
    core,
    config,
    log,
    client,
    expiry: new ButtonExpiry(opts.buttonTimeoutMs ?? DEFAULT_BUTTON_TIMEOUT_MS, log),
    deferAfterMs: opts.deferAfterMs ?? DEFAULT_DEFER_AFTER_MS,
  };
  registerInteractions(ctx);
  registerEvents(ctx, { mentions });

  const post = (channelId: string, r: Reply): Promise<void> => postToChannel(ctx, channelId, r);
  const poster: DiscordPoster = {
    platforms: ['discord'],
    post: (subscription, r) =>
      post(subscription.channelId, r).catch((e) => Promise.reject(discordPostFailure(e))),
    notify: (_subscription, userId, text) => discordNotify(client, userId, text),
  };
  // The scheduler lives in the core (claims in the store make each post happen once across shards).
  const scheduler = core.services.tagOfTheDay;

  return {
    client,
    post,
    poster,
    async start() {
      const token = config.discord.token;
      if (!token) throw new Error('DISCORD_TOKEN is not set (the bot token from the Developer Portal)');
      if (!mentions)
        log.info(
          'mention questions are off: set DISCORD_MESSAGE_CONTENT=true and enable the Message Content intent to answer @mentions',
        );
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(token);
      await ready;
      log.info({ user: client.user?.tag, shards: client.shard?.ids ?? [0] }, 'discord ready');
      if (opts.tagOfTheDay !== false) scheduler.start(poster);
    },
    async stop() {
      ctx.expiry.stop();
      if (opts.tagOfTheDay !== false) await scheduler.stop();
      await client.destroy();
    },
  };
}
