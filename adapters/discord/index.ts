/**
 * The Discord adapter: a discord.js 14 Client that turns slash commands, buttons, the "Save links"
 * message menu, save reactions and @mentions into core calls, and renders the core's Replies.
 */
import {
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  HTTPError,
  MessageFlags,
  Partials,
  PermissionFlagsBits,
  Routes,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type ClientOptions,
  type Interaction,
  type Message,
  type MessageContextMenuCommandInteraction,
  type MessageReaction,
  type PartialMessage,
  type PartialMessageReaction,
  type PartialUser,
  type User,
} from 'discord.js';
import type { Core } from '../../src/core.ts';
import type { Caller, Platform } from '../../src/caller.ts';
import type { Config } from '../../src/config.ts';
import { scrubSecrets, type Logger } from '../../src/logger.ts';
import { errorReply, type Reply } from '../../src/reply.ts';
import { argsFromInteraction, SAVE_LINKS_MENU } from './commands.ts';
import { disableAll, NO_MENTIONS, renderReply, type ButtonRow } from './render.ts';

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
  platforms: readonly Platform[];
}
interface Scheduler {
  start(poster: DiscordPoster): void;
  stop(): Promise<void>;
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

export const APOLOGY = 'Sorry, something went wrong on our side. Try again in a moment.';

const DEFAULT_DEFER_AFTER_MS = 1500;
const DEFAULT_BUTTON_TIMEOUT_MS = 14 * 60 * 1000;

/** Links in a message: its text plus the URLs of its embeds (link previews). */
export function linkText(message: Pick<Message, 'content' | 'embeds'>): string {
  const urls = message.embeds.map((e) => e.url).filter((u): u is string => Boolean(u));
  return [message.content ?? '', ...urls].join('\n').trim();
}

/** A REST URL without host, query and interaction/webhook tokens. */
function routeOf(url: string): string {
  let path = url;
  try {
    path = new URL(url).pathname;
  } catch {
    // already a path
  }
  return path.replace(/\/(interactions\/\d+|webhooks\/\d+)\/[^/]+/, '/$1/:token');
}

function errorInfo(e: unknown): Record<string, unknown> {
  if (e instanceof DiscordAPIError || e instanceof HTTPError)
    return {
      status: e.status,
      ...(e instanceof DiscordAPIError ? { code: e.code } : {}),
      method: e.method,
      route: routeOf(e.url),
      err: scrubSecrets(e.message),
    };
  if (e instanceof Error) return { err: scrubSecrets(e.stack ?? e.message) };
  return { err: scrubSecrets(String(e)) };
}

export function createDiscordAdapter(opts: DiscordAdapterOptions): DiscordAdapter {
  const { core, config } = opts;
  const log = opts.logger.child({ adapter: 'discord' });
  const deferAfterMs = opts.deferAfterMs ?? DEFAULT_DEFER_AFTER_MS;
  const buttonTimeoutMs = opts.buttonTimeoutMs ?? DEFAULT_BUTTON_TIMEOUT_MS;
  const mentions = config.discord.messageContent;

  const intents = [
    GatewayIntentBits.Guilds,
    GatewayIntentBits.GuildMessageReactions,
    GatewayIntentBits.DirectMessages,
    GatewayIntentBits.DirectMessageReactions,
    ...(mentions ? [GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent] : []),
  ];
  const client = new Client({
    intents,
    partials: [Partials.Message, Partials.Channel, Partials.Reaction, Partials.User],
    allowedMentions: { parse: [], repliedUser: false },
    ...opts.clientOptions,
  });

  const expiry = new Map<string, NodeJS.Timeout>();
  let stopped = false;

  // ---- helpers ------------------------------------------------------------------------------

  function callerOf(i: Interaction): Caller {
    return {
      platform: 'discord',
      workspaceId: i.guildId ?? 'dm',
      userId: i.user.id,
      channelId: i.channelId ?? 'dm',
      canManageChannel: i.guildId
        ? Boolean(i.memberPermissions?.has(PermissionFlagsBits.ManageChannels))
        : true,
      locale: i.locale,
    };
  }

  /** Disable the buttons of a message after the timeout, unless something rescheduled it. */
  function scheduleExpiry(
    key: string,
    components: ButtonRow[],
    disable: (rows: ButtonRow[]) => Promise<unknown>,
  ): void {
    if (!components.length || stopped) return;
    clearTimeout(expiry.get(key));
    const timer = setTimeout(() => {
      expiry.delete(key);
      disable(disableAll(components)).then(
        () => log.debug({ key }, 'buttons expired'),
        (e: unknown) => log.info({ key, ...errorInfo(e) }, 'could not disable expired buttons'),
      );
    }, buttonTimeoutMs);
    timer.unref();
    expiry.set(key, timer);
  }

  function cancelExpiry(...keys: (string | undefined)[]): void {
    for (const k of keys) {
      if (!k) continue;
      clearTimeout(expiry.get(k));
      expiry.delete(k);
    }
  }

  /**
   * Run the core; if it is slow (or the command says it will be), defer first so the interaction
   * never times out. Resolves with the core's reply.
   */
  async function withDeferral(
    work: Promise<Reply>,
    slow: boolean | undefined,
    defer: () => Promise<unknown>,
  ): Promise<Reply> {
    // If deferring itself fails, the caller's catch handles that; the core's outcome must not become
    // an unhandled rejection meanwhile.
    work.catch(() => undefined);
    if (slow || deferAfterMs <= 0) {
      await defer();
      return work;
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), deferAfterMs);
    });
    const first = await Promise.race([work, late]);
    clearTimeout(timer);
    if (first !== 'late') return first;
    await defer();
    return work;
  }

  const ephemeral = { flags: MessageFlags.Ephemeral } as const;

  // ---- interactions -------------------------------------------------------------------------

  async function onSlash(i: ChatInputCommandInteraction): Promise<void> {
    const command = core.commands.find((c) => c.name === i.commandName);
    const args = argsFromInteraction(i, command);
    const r = await withDeferral(core.runCommand(callerOf(i), i.commandName, args), command?.slow, () =>
      i.deferReply(ephemeral),
    );
    await answer(i, r);
  }

  /** Send a command's reply: reply, or edit the deferred reply (moving it public if it must be). */
  async function answer(
    i: ChatInputCommandInteraction | MessageContextMenuCommandInteraction,
    r: Reply,
    forcePrivate = false,
  ): Promise<void> {
    const rendered = renderReply(r);
    const hidden = forcePrivate || r.private;
    if (!i.deferred && !i.replied) {
      await i.reply({ ...rendered, ...(hidden ? ephemeral : {}) });
    } else if (hidden || !i.ephemeral) {
      await i.editReply(rendered);
    } else {
      // Deferred ephemerally but the reply is public: post it, then remove the "thinking…" note.
      await i.followUp(rendered);
      await i.deleteReply().catch((e: unknown) => log.debug(errorInfo(e), 'could not delete deferred reply'));
      return;
    }
    scheduleExpiry(`interaction:${i.id}`, rendered.components, (components) => i.editReply({ components }));
  }

  async function onAutocomplete(i: AutocompleteInteraction): Promise<void> {
    const focused = i.options.getFocused(true);
    const choices = core
      .suggest(i.commandName, focused.name, String(focused.value))
      .filter((c) => c.value.length >= 1 && c.value.length <= 100)
      .slice(0, 25)
      .map((c) => ({
        name: c.name.length > 100 ? `${c.name.slice(0, 99)}…` : c.name || c.value,
        value: c.value,
      }));
    await i.respond(choices);
  }

  async function onButton(i: ButtonInteraction): Promise<void> {
    const r = await withDeferral(core.press(callerOf(i), i.customId), false, () => i.deferUpdate());
    const rendered = renderReply(r);
    const messageKey = `message:${i.message.id}`;
    if (r.status === 'error' || (r.private && !r.page)) {
      // Expired cursor, Save confirmation and the like: only the presser sees it.
      await (i.deferred ? i.followUp({ ...rendered, ...ephemeral }) : i.reply({ ...rendered, ...ephemeral }));
    } else if (!r.private) {
      // Share: a public message in the channel.
      await (i.deferred ? i.followUp(rendered) : i.reply(rendered));
    } else {
      // Paging: replace the message in place.
      await (i.deferred ? i.editReply(rendered) : i.update(rendered));
      cancelExpiry(
        messageKey,
        i.message.interactionMetadata ? `interaction:${i.message.interactionMetadata.id}` : undefined,
      );
      scheduleExpiry(messageKey, rendered.components, (components) => i.editReply({ components }));
    }
  }

  async function onSaveLinks(i: MessageContextMenuCommandInteraction): Promise<void> {
    const text = linkText(i.targetMessage);
    const r = text
      ? await withDeferral(core.saveMessage(callerOf(i), text), false, () => i.deferReply(ephemeral))
      : errorReply('That message has no text I can read links from.');
    await answer(i, r, true);
  }

  async function apologize(i: Interaction, e: unknown): Promise<void> {
    const kind =
      i.isChatInputCommand() || i.isAutocomplete()
        ? i.commandName
        : i.isButton()
          ? 'button'
          : i.isMessageContextMenuCommand()
            ? 'context-menu'
            : 'other';
    log.error(
      { event: 'interaction_failed', interaction: i.id, kind, ...errorInfo(e) },
      'discord interaction failed',
    );
    if (!i.isRepliable()) {
      if (i.isAutocomplete() && !i.responded) await i.respond([]).catch(() => undefined);
      return;
    }
    const body = { content: APOLOGY, allowedMentions: NO_MENTIONS };
    try {
      if (i.deferred && !i.replied && !i.isButton()) await i.editReply(body);
      else if (i.deferred || i.replied) await i.followUp({ ...body, ...ephemeral });
      else await i.reply({ ...body, ...ephemeral });
    } catch (again) {
      log.error(
        { event: 'apology_failed', interaction: i.id, ...errorInfo(again) },
        'could not tell the user about a failure',
      );
    }
  }

  async function onInteraction(i: Interaction): Promise<void> {
    try {
      if (i.isAutocomplete()) await onAutocomplete(i);
      else if (i.isChatInputCommand()) await onSlash(i);
      else if (i.isMessageContextMenuCommand() && i.commandName === SAVE_LINKS_MENU) await onSaveLinks(i);
      else if (i.isButton()) await onButton(i);
      else if (i.isRepliable())
        await i.reply({
          content: 'That is not something I know how to do.',
          ...ephemeral,
          allowedMentions: NO_MENTIONS,
        });
    } catch (e) {
      await apologize(i, e);
    }
  }

  // ---- reactions and mentions ---------------------------------------------------------------

  function isSaveEmoji(reaction: MessageReaction | PartialMessageReaction): boolean {
    const want = config.discord.saveEmoji.trim();
    const { name, id } = reaction.emoji;
    return (
      name === want ||
      (id !== null && (want === id || want.endsWith(`:${id}>`))) ||
      reaction.emoji.toString() === want
    );
  }

  async function onReaction(
    reaction: MessageReaction | PartialMessageReaction,
    user: User | PartialUser,
  ): Promise<void> {
    try {
      if (!isSaveEmoji(reaction)) return;
      const who = user.partial ? await user.fetch() : user;
      if (who.bot) return;
      const message: Message | PartialMessage = reaction.message.partial
        ? await reaction.message.fetch()
        : reaction.message;
      const caller: Caller = {
        platform: 'discord',
        workspaceId: message.guildId ?? 'dm',
        userId: who.id,
        channelId: message.channelId,
        canManageChannel: !message.guildId,
      };
      const text = linkText(message as Message);
      const r = text
        ? await core.saveMessage(caller, text)
        : errorReply(
            'That message has no text I can read links from (the bot may lack the Message Content intent).',
          );
      try {
        await who.send(renderReply(r));
      } catch (e) {
        log.info(
          { event: 'dm_failed', user: who.id, ...errorInfo(e) },
          'could not DM a save confirmation (DMs closed?)',
        );
      }
    } catch (e) {
      log.error({ event: 'reaction_failed', ...errorInfo(e) }, 'discord reaction save failed');
    }
  }

  async function onMessage(message: Message): Promise<void> {
    const me = client.user;
    if (!me || message.author.bot) return;
    const mention = new RegExp(`<@!?${me.id}>`, 'g');
    if (!mention.test(message.content)) return;
    const question = message.content.replace(mention, ' ').replace(/\s+/g, ' ').trim();
    const caller: Caller = {
      platform: 'discord',
      workspaceId: message.guildId ?? 'dm',
      userId: message.author.id,
      channelId: message.channelId,
      canManageChannel: message.guildId
        ? Boolean(message.member?.permissions.has(PermissionFlagsBits.ManageChannels))
        : true,
    };
    try {
      const r = question
        ? await core.runCommand(caller, 'read', question)
        : await core.runCommand(caller, 'help', '');
      const rendered = renderReply(r);
      const sent = await message.reply(rendered);
      scheduleExpiry(`message:${sent.id}`, rendered.components, (components) => sent.edit({ components }));
    } catch (e) {
      log.error(
        { event: 'mention_failed', message: message.id, ...errorInfo(e) },
        'discord mention question failed',
      );
      await message.reply({ content: APOLOGY, allowedMentions: NO_MENTIONS }).catch(() => undefined);
    }
  }

  // ---- wiring -------------------------------------------------------------------------------

  client.on(Events.InteractionCreate, (i) => void onInteraction(i));
  client.on(Events.MessageReactionAdd, (reaction, user) => void onReaction(reaction, user));
  if (mentions) client.on(Events.MessageCreate, (m) => void onMessage(m));
  client.on(Events.Error, (e) =>
    log.error({ event: 'client_error', ...errorInfo(e) }, 'discord client error'),
  );
  client.on(Events.Warn, (message) => log.warn({ event: 'client_warn', message }, 'discord client warning'));
  client.on(Events.ShardReconnecting, (shard) => log.info({ shard }, 'discord gateway reconnecting'));
  client.on(Events.ShardResume, (shard, replayed) =>
    log.info({ shard, replayed }, 'discord gateway resumed'),
  );
  client.on(Events.ShardError, (e, shard) => log.warn({ shard, ...errorInfo(e) }, 'discord gateway error'));
  client.rest.on('rateLimited', (info) =>
    log.info(
      {
        event: 'rate_limit_wait',
        route: info.route,
        retryAfter: info.retryAfter,
        global: info.global,
        scope: info.scope,
      },
      'discord rate limit: waiting',
    ),
  );
  client.rest.on('response', (req, res) => {
    // Routes are bucket routes (ids and tokens replaced), safe to log.
    if (res.status === 429)
      log.warn(
        {
          event: 'rate_limited',
          method: req.method,
          route: req.route,
          retryAfter: res.headers.get('retry-after'),
          scope: res.headers.get('x-ratelimit-scope'),
          global: res.headers.has('x-ratelimit-global'),
        },
        'discord answered 429; discord.js waits and retries',
      );
    else if (res.status >= 500)
      log.warn(
        {
          event: 'discord_5xx',
          method: req.method,
          route: req.route,
          status: res.status,
          retry: req.retries,
        },
        'discord answered 5xx',
      );
  });

  /**
   * Post straight through REST: works for any channel the bot can see, even one whose guild lives on
   * another shard (no cache needed).
   */
  async function post(channelId: string, r: Reply): Promise<void> {
    const rendered = renderReply(r);
    const body = {
      content: rendered.content,
      embeds: rendered.embeds,
      components: rendered.components,
      allowed_mentions: { parse: [] },
      attachments: rendered.files.map((f, id) => ({ id, filename: f.name ?? `file-${id}.txt` })),
    };
    const files = rendered.files.map((f, id) => ({
      name: f.name ?? `file-${id}.txt`,
      data: f.attachment as Buffer,
    }));
    const sent = (await client.rest.post(Routes.channelMessages(channelId), { body, files })) as {
      id: string;
    };
    scheduleExpiry(`message:${sent.id}`, rendered.components, (components) =>
      client.rest.patch(Routes.channelMessage(channelId, sent.id), { body: { components } }),
    );
  }

  const poster: DiscordPoster = {
    platforms: ['discord'],
    post: (subscription, r) => post(subscription.channelId, r),
  };
  // The scheduler lives in the core (claims in the store make each post happen once across shards).
  const scheduler = (core.services as unknown as { tagOfTheDay?: Scheduler }).tagOfTheDay;

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
      if (opts.tagOfTheDay !== false) {
        if (scheduler) scheduler.start(poster);
        else log.warn('tag of the day is not available in this core; not scheduling posts');
      }
    },
    async stop() {
      stopped = true;
      if (opts.tagOfTheDay !== false) await scheduler?.stop();
      for (const t of expiry.values()) clearTimeout(t);
      expiry.clear();
      await client.destroy();
    },
  };
}
