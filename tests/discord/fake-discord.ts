/**
 * A small fake of Discord for tests: the REST API (under /api/v10) and a JSON gateway (`ws`) on one
 * loopback port. A real discord.js Client connects to it; the fake records every REST request so tests
 * assert on exactly what the bot sent, and can inject faults (429, 5xx) and gateway disconnects.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventEmitter } from 'node:events';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ChannelType,
  ComponentType,
  GatewayOpcodes,
  Locale,
  InteractionType,
  type APIChatInputApplicationCommandInteraction,
  type APIMessage,
  type APIMessageComponentButtonInteraction,
  type APIApplicationCommandAutocompleteInteraction,
  type APIMessageApplicationCommandInteraction,
  type APIUser,
  type APIApplicationCommandInteractionDataStringOption,
  type APIApplicationCommandInteractionDataSubcommandOption,
  type APIInteraction,
} from 'discord-api-types/v10';
import { requestBodyProblems } from './openapi.ts';

/** A locale code as Discord sends it ("de", "en-US"), as discord-api-types' enum member. */
function localeOf(code: `${Locale}` = Locale.EnglishUS): Locale {
  return Object.values(Locale).find((l) => l === code) ?? Locale.EnglishUS;
}

export interface Recorded {
  method: string;
  /** Decoded path below /api/v10, without the query: `/interactions/1/tok/callback`. */
  path: string;
  query: URLSearchParams;
  /** JSON body, or `payload_json` of a multipart body. */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Names of the files of a multipart body. */
  files: { name: string; content: string }[];
}

export interface Fault {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export const APP_ID = '100000000000000001';
export const BOT: APIUser = {
  id: '100000000000000001',
  username: 'Quorum',
  discriminator: '0',
  global_name: 'Quorum',
  avatar: null,
  bot: true,
};
export const GUILD_ID = '200000000000000001';
/** Gateway intent bits (Discord docs, Gateway, "List of Intents"). */
const INTENT = {
  guilds: 1 << 0,
  guildVoiceStates: 1 << 7,
  guildMessages: 1 << 9,
  guildMessageReactions: 1 << 10,
  directMessages: 1 << 12,
  directMessageReactions: 1 << 13,
} as const;

/** The intent a dispatch needs, or undefined when every session gets it (READY, INTERACTION_CREATE…). */
function intentOf(t: string, d: unknown): number | undefined {
  const inGuild = typeof d === 'object' && d !== null && 'guild_id' in d && Boolean(d.guild_id);
  if (/^(GUILD_(CREATE|UPDATE|DELETE|ROLE_\w+)|CHANNEL_\w+|THREAD_\w+|STAGE_INSTANCE_\w+)$/.test(t))
    return INTENT.guilds;
  if (t === 'VOICE_STATE_UPDATE') return INTENT.guildVoiceStates;
  if (/^MESSAGE_(CREATE|UPDATE|DELETE|DELETE_BULK)$/.test(t))
    return inGuild ? INTENT.guildMessages : INTENT.directMessages;
  if (t.startsWith('MESSAGE_REACTION_'))
    return inGuild ? INTENT.guildMessageReactions : INTENT.directMessageReactions;
  return undefined;
}

/** A public thread under CHANNEL_ID, for interactions with `thread: true`. */
export const THREAD_ID = '300000000000000002';
/**
 * The app's permissions in the channel (`app_permissions`, a decimal bitfield string as Discord sends
 * it): View Channel, Send Messages, Embed Links, Attach Files, Read Message History, Send Messages in
 * Threads, as a bot invited with the usual scopes has.
 */
export const APP_PERMISSIONS = String(
  (1n << 10n) | (1n << 11n) | (1n << 14n) | (1n << 15n) | (1n << 16n) | (1n << 38n),
);

export interface InteractionOptions {
  guild?: boolean;
  /** The invoking member's permissions. */
  permissions?: string;
  locale?: `${Locale}`;
  /** The app's permissions in the channel (default APP_PERMISSIONS). */
  appPermissions?: string;
  /** Invoked in a public thread rather than a text channel. */
  thread?: boolean;
}
export const CHANNEL_ID = '300000000000000001';
export const USER: APIUser = {
  id: '400000000000000001',
  username: 'ada',
  discriminator: '0',
  global_name: 'Ada',
  avatar: null,
};

let snowflake = 500000000000000000n;
export const nextId = (): string => String(++snowflake);

/** A guild member as the gateway sends it; `extra` adds `user`, `permissions` and the like. */
export function member<T extends object>(extra: T = {} as T) {
  return {
    roles: [] as string[],
    joined_at: new Date().toISOString(),
    deaf: false,
    mute: false,
    flags: 0,
    ...extra,
  };
}

/**
 * A plain channel message as the REST API and the gateway send it (type 0 DEFAULT, sent now, no
 * mentions, attachments, embeds or components). Shape: Discord's Message object,
 * https://discord.com/developers/docs/resources/message#message-object. Shared with
 * bench/discord-guilds.ts, which adds guild fields.
 */
export function messagePayload(
  fields: Pick<APIMessage, 'id' | 'channel_id' | 'author' | 'content'>,
): APIMessage {
  return {
    ...fields,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    pinned: false,
    type: 0,
    components: [],
  };
}

export class FakeDiscord extends EventEmitter {
  readonly requests: Recorded[] = [];
  /** Bodies Discord's OpenAPI spec rejects, one line per problem; close() fails while any exist. */
  readonly invalidBodies: string[] = [];
  readonly messages = new Map<string, APIMessage>();
  /** Gateway payloads the client sent (identify, resume, heartbeats). */
  readonly gatewayReceived: { op: number; d: unknown }[] = [];
  /** The intents bitfield of the last IDENTIFY. */
  private intents = 0;
  /** DM channel creation fails with 50007 (user has DMs closed) while true. */
  dmsClosed = false;
  /** Channels the bot cannot read: fetching their messages is 403 Missing Access (code 50001). */
  readonly noAccess = new Set<string>();
  /** Upload limit in bytes for a message's files, as the interaction payload states (attachment_size_limit). */
  attachmentSizeLimit = 10_000_000;
  /** Answer the next RESUME with INVALID_SESSION (d: false), forcing a fresh IDENTIFY. */
  rejectResume = false;
  private readonly faults: { match: (r: Recorded) => boolean; fault: Fault }[] = [];
  private readonly server = createServer((req, res) => void this.handle(req, res));
  private readonly wss = new WebSocketServer({ server: this.server });
  private socket: WebSocket | undefined;
  private seq = 0;
  private sessions = 0;
  port = 0;

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  /** For `rest: { api }`. */
  get api(): string {
    return `${this.base}/api`;
  }

  static async start(): Promise<FakeDiscord> {
    const fake = new FakeDiscord();
    fake.wss.on('connection', (ws) => fake.onConnection(ws));
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  /** Stop the fake; throws if the bot sent any request body Discord's spec rejects. */
  async close(): Promise<void> {
    for (const c of this.wss.clients) c.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    if (this.invalidBodies.length)
      throw new Error(`request bodies Discord's OpenAPI spec rejects:\n${this.invalidBodies.join('\n')}`);
  }

  /** The next request matching `match` gets `fault` instead of its normal answer. */
  failNext(match: (r: Recorded) => boolean, fault: Fault): void {
    this.faults.push({ match, fault });
  }

  /** Resolve with the first recorded request (past or future) matching `match`. */
  waitForRequest(match: (r: Recorded) => boolean, after = 0): Promise<Recorded> {
    const found = this.requests.slice(after).find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => {
      const on = (r: Recorded): void => {
        if (!match(r)) return;
        this.off('request', on);
        resolve(r);
      };
      this.on('request', on);
    });
  }

  /** Resolve with the next gateway payload with opcode `op` (identify 2, resume 6). */
  waitForGateway(op: number): Promise<{ op: number; d: unknown }> {
    return new Promise((resolve) => {
      const on = (p: { op: number; d: unknown }): void => {
        if (p.op !== op) return;
        this.off('gateway', on);
        resolve(p);
      };
      this.on('gateway', on);
    });
  }

  /** Send a dispatch event to the connected client. */
  /**
   * Send a dispatch, unless the client's IDENTIFY intents do not cover it: Discord sends an event only
   * to a session that asked for its intent (Discord docs, Gateway, "List of Intents"). Without the
   * Guilds intent, for instance, GUILD_CREATE never arrives.
   */
  dispatch(t: string, d: unknown): void {
    if (!this.socket) throw new Error('no gateway connection');
    const intent = intentOf(t, d);
    if (intent !== undefined && (this.intents & intent) === 0) return;
    this.socket.send(JSON.stringify({ op: GatewayOpcodes.Dispatch, t, s: ++this.seq, d }));
  }

  /** Close the gateway socket from the server side (4000 = unknown error: resumable). */
  disconnect(code = 4000): void {
    this.socket?.close(code, 'fake says goodbye');
  }

  guildCreate(): void {
    this.dispatch('GUILD_CREATE', {
      id: GUILD_ID,
      name: 'Distributed Readers',
      icon: null,
      owner_id: USER.id,
      roles: [
        {
          id: GUILD_ID,
          name: '@everyone',
          permissions: '1024',
          position: 0,
          color: 0,
          hoist: false,
          managed: false,
          mentionable: false,
          flags: 0,
        },
      ],
      emojis: [],
      features: [],
      channels: [
        {
          id: CHANNEL_ID,
          type: ChannelType.GuildText,
          name: 'reading',
          guild_id: GUILD_ID,
          position: 0,
          permission_overwrites: [],
        },
      ],
      members: [],
      threads: [],
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
      stickers: [],
      member_count: 2,
      unavailable: false,
      large: false,
      joined_at: new Date().toISOString(),
      afk_channel_id: null,
      afk_timeout: 60,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      mfa_level: 0,
      application_id: null,
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: 0,
      preferred_locale: 'en-US',
      public_updates_channel_id: null,
      nsfw_level: 0,
      premium_progress_bar_enabled: false,
      safety_alerts_channel_id: null,
    });
  }

  /** `user` reacts with `emoji` to message `messageId` in the test guild's channel. */
  reactionAdd(messageId: string, emoji: string, user: APIUser = USER): void {
    this.dispatch('MESSAGE_REACTION_ADD', {
      user_id: user.id,
      channel_id: CHANNEL_ID,
      message_id: messageId,
      guild_id: GUILD_ID,
      member: member({ user }),
      emoji: { id: null, name: emoji },
      burst: false,
      type: 0,
    });
  }

  /** The DM channel between the bot and `user` (the id POST /users/@me/channels answers with). */
  dmChannelId(user: APIUser = USER): string {
    return `9${user.id.slice(1)}`;
  }

  /**
   * `user` reacts with `emoji` in their DM with the bot. Discord sends no guild_id and no member in a
   * DM (Gateway docs, Message Reaction Add).
   */
  dmReactionAdd(messageId: string, emoji: string, user: APIUser = USER): void {
    this.dispatch('MESSAGE_REACTION_ADD', {
      user_id: user.id,
      channel_id: this.dmChannelId(user),
      message_id: messageId,
      emoji: { id: null, name: emoji },
      burst: false,
      type: 0,
    });
  }

  /** A stored channel message (for context menus, reactions and mentions). */
  message(content: string, over: Partial<APIMessage> = {}): APIMessage {
    const m: APIMessage = {
      ...messagePayload({ id: nextId(), channel_id: CHANNEL_ID, author: USER, content }),
      ...over,
    };
    this.messages.set(m.id, m);
    return m;
  }

  // ---- interaction payloads -------------------------------------------------------------------

  private interactionBase(opts: InteractionOptions = {}) {
    const guild = opts.guild ?? true;
    const base = {
      id: nextId(),
      application_id: APP_ID,
      token: `tok-${nextId()}`,
      version: 1 as const,
      channel: opts.thread
        ? ({
            id: THREAD_ID,
            type: ChannelType.PublicThread,
            guild_id: GUILD_ID,
            parent_id: CHANNEL_ID,
          } as unknown as NonNullable<APIInteraction['channel']>)
        : guild
          ? ({ id: CHANNEL_ID, type: ChannelType.GuildText } satisfies APIInteraction['channel'])
          : ({ id: CHANNEL_ID, type: ChannelType.DM } satisfies APIInteraction['channel']),
      channel_id: opts.thread ? THREAD_ID : CHANNEL_ID,
      locale: localeOf(opts.locale),
      app_permissions: opts.appPermissions ?? APP_PERMISSIONS,
      entitlements: [],
      authorizing_integration_owners: {},
      attachment_size_limit: this.attachmentSizeLimit,
    };
    if (!guild) return { ...base, user: USER };
    return {
      ...base,
      guild_id: GUILD_ID,
      guild_locale: Locale.EnglishUS,
      member: member({ user: USER, permissions: opts.permissions ?? '1024' }),
    };
  }

  /** A slash command; options as name → value, or `sub` for a subcommand. */
  slash(
    name: string,
    options: Record<string, string> = {},
    opts: InteractionOptions & { sub?: string } = {},
  ): APIChatInputApplicationCommandInteraction {
    const values: APIApplicationCommandInteractionDataStringOption[] = Object.entries(options).map(
      ([n, v]) => ({ name: n, type: ApplicationCommandOptionType.String, value: v }),
    );
    const subcommand: APIApplicationCommandInteractionDataSubcommandOption | undefined = opts.sub
      ? { name: opts.sub, type: ApplicationCommandOptionType.Subcommand, options: values }
      : undefined;
    const data = {
      id: nextId(),
      name,
      type: ApplicationCommandType.ChatInput as const,
      options: subcommand ? [subcommand] : values,
    };
    return {
      ...this.interactionBase(opts),
      type: InteractionType.ApplicationCommand,
      data,
    } satisfies APIChatInputApplicationCommandInteraction;
  }

  autocomplete(name: string, option: string, partial: string): APIApplicationCommandAutocompleteInteraction {
    const data = {
      id: nextId(),
      name,
      type: ApplicationCommandType.ChatInput as const,
      options: [
        { name: option, type: ApplicationCommandOptionType.String as const, value: partial, focused: true },
      ],
    };
    return {
      ...this.interactionBase(),
      type: InteractionType.ApplicationCommandAutocomplete,
      data,
    } satisfies APIApplicationCommandAutocompleteInteraction;
  }

  button(
    customId: string,
    message: APIMessage,
    opts: { guild?: boolean } = {},
  ): APIMessageComponentButtonInteraction {
    return {
      ...this.interactionBase(opts),
      type: InteractionType.MessageComponent,
      message,
      data: { custom_id: customId, component_type: ComponentType.Button },
    } satisfies APIMessageComponentButtonInteraction;
  }

  contextMenu(commandName: string, target: APIMessage): APIMessageApplicationCommandInteraction {
    return {
      ...this.interactionBase(),
      type: InteractionType.ApplicationCommand,
      data: {
        id: nextId(),
        name: commandName,
        type: ApplicationCommandType.Message,
        target_id: target.id,
        resolved: { messages: { [target.id]: target } },
      },
    } satisfies APIMessageApplicationCommandInteraction;
  }

  /** Dispatch an interaction and resolve with its callback request. */
  async interact(payload: { id: string; token: string }): Promise<Recorded> {
    const seen = this.requests.length;
    const cb = this.waitForRequest(
      (r) => r.path === `/interactions/${payload.id}/${payload.token}/callback`,
      seen,
    );
    this.dispatch('INTERACTION_CREATE', payload);
    return cb;
  }

  /** Requests that belong to one interaction (its callback and its webhook edits/follow-ups). */
  requestsFor(payload: { id: string; token: string }): Recorded[] {
    return this.requests.filter((r) => r.path.includes(`/${payload.token}`));
  }

  // ---- gateway -----------------------------------------------------------------------------

  private onConnection(ws: WebSocket): void {
    this.socket = ws;
    ws.send(JSON.stringify({ op: GatewayOpcodes.Hello, d: { heartbeat_interval: 45_000 } }));
    ws.on('message', (raw) => {
      const p = JSON.parse(String(raw)) as { op: number; d: { seq?: number } };
      this.gatewayReceived.push(p);
      if (p.op === GatewayOpcodes.Heartbeat) ws.send(JSON.stringify({ op: GatewayOpcodes.HeartbeatAck }));
      if (p.op === GatewayOpcodes.Identify) {
        this.intents = (p.d as { intents?: number }).intents ?? 0;
        this.sessions++;
        this.seq = 0;
        this.dispatch('READY', {
          v: 10,
          user: BOT,
          guilds: [],
          session_id: `session-${this.sessions}`,
          resume_gateway_url: `ws://127.0.0.1:${this.port}`,
          application: { id: APP_ID, flags: 0 },
          shard: [0, 1],
        });
      }
      if (p.op === GatewayOpcodes.Resume) {
        if (this.rejectResume) {
          this.rejectResume = false;
          ws.send(JSON.stringify({ op: GatewayOpcodes.InvalidSession, d: false }));
        } else this.dispatch('RESUMED', {});
      }
      this.emit('gateway', p);
    });
  }

  // ---- REST --------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.base);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const type = req.headers['content-type'] ?? '';
    let body: unknown = undefined;
    const files: Recorded['files'] = [];
    if (type.startsWith('multipart/form-data')) {
      const form = await new Request(url, {
        method: 'POST',
        body: raw,
        headers: { 'content-type': type },
      }).formData();
      for (const [k, v] of form.entries()) {
        if (k === 'payload_json') body = JSON.parse(String(v));
        else if (typeof v !== 'string') files.push({ name: v.name, content: await v.text() });
      }
    } else if (raw.length) {
      body = JSON.parse(raw.toString('utf8'));
    }
    const path = decodeURIComponent(url.pathname.replace(/^\/api\/v\d+/, ''));
    const rec: Recorded = { method: req.method ?? 'GET', path, query: url.searchParams, body, files };
    this.requests.push(rec);
    this.emit('request', rec);

    const problems = requestBodyProblems(rec.method, path, body);
    if (problems.length) {
      // Discord answers an invalid body with 400 and code 50035 (Invalid Form Body).
      this.invalidBodies.push(...problems);
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Invalid Form Body', code: 50035, errors: problems }));
      return;
    }
    const uploaded = files.reduce((n, f) => n + Buffer.byteLength(f.content), 0);
    if (uploaded > this.attachmentSizeLimit) {
      // Discord refuses a request whose files pass the limit: 413, code 40005 (Request entity too large).
      res.writeHead(413, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Request entity too large', code: 40005 }));
      return;
    }
    const i = this.faults.findIndex((f) => f.match(rec));
    if (i >= 0) {
      const { fault } = this.faults.splice(i, 1)[0]!;
      res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
      res.end(JSON.stringify(fault.body ?? { message: 'Fake failure', code: 0 }));
      return;
    }
    const [status, answer] = this.route(rec);
    if (status === 204) {
      res.writeHead(204).end();
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer));
  }

  private sent(
    channelId: string,
    body: { content?: string; embeds?: unknown[]; components?: unknown[] } | undefined,
    id = nextId(),
  ): APIMessage {
    const m = this.message(body?.content ?? '', {
      id,
      channel_id: channelId,
      author: BOT,
      embeds: (body?.embeds ?? []) as APIMessage['embeds'],
      components: (body?.components ?? []) as APIMessage['components'],
    });
    return m;
  }

  private route(r: Recorded): [number, unknown] {
    const { method, path } = r;
    let m: RegExpExecArray | null;
    if (method === 'GET' && path === '/gateway/bot')
      return [
        200,
        {
          url: `ws://127.0.0.1:${this.port}`,
          shards: 1,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
        },
      ];
    if (method === 'GET' && path === '/users/@me') return [200, BOT];
    if ((m = /^\/users\/(\d+)$/.exec(path)) && method === 'GET')
      return [200, m[1] === BOT.id ? BOT : { ...USER, id: m[1] }];
    if (method === 'POST' && /^\/interactions\/\d+\/[^/]+\/callback$/.test(path)) return [204, undefined];
    if ((m = /^\/webhooks\/\d+\/([^/]+)\/messages\/(@original|\d+)$/.exec(path))) {
      if (method === 'DELETE') return [204, undefined];
      return [200, this.sent(CHANNEL_ID, r.body as never)];
    }
    if (method === 'POST' && /^\/webhooks\/\d+\/[^/]+$/.test(path))
      return [200, this.sent(CHANNEL_ID, r.body as never)];
    if (method === 'POST' && path === '/users/@me/channels') {
      if (this.dmsClosed) return [403, { message: 'Cannot send messages to this user', code: 50007 }];
      const recipient = (r.body as { recipient_id: string }).recipient_id;
      return [
        200,
        {
          id: `9${recipient.slice(1)}`,
          type: ChannelType.DM,
          recipients: [{ ...USER, id: recipient }],
          last_message_id: null,
        },
      ];
    }
    if ((m = /^\/channels\/(\d+)\/messages$/.exec(path)) && method === 'POST') {
      if (this.dmsClosed && m[1]!.startsWith('9'))
        return [403, { message: 'Cannot send messages to this user', code: 50007 }];
      return [200, this.sent(m[1]!, r.body as never)];
    }
    if ((m = /^\/channels\/(\d+)\/messages\/(\d+)$/.exec(path))) {
      if (this.noAccess.has(m[1]!)) return [403, { message: 'Missing Access', code: 50001 }];
      const stored = this.messages.get(m[2]!);
      if (method === 'GET')
        return stored ? [200, stored] : [404, { message: 'Unknown Message', code: 10008 }];
      if (method === 'PATCH') return [200, this.sent(m[1]!, r.body as never, m[2]!)];
    }
    if ((m = /^\/channels\/(\d+)$/.exec(path)) && method === 'GET' && m[1]!.startsWith('9'))
      return [
        200,
        {
          id: m[1],
          type: ChannelType.DM,
          recipients: [{ ...USER, id: `4${m[1]!.slice(1)}` }],
          last_message_id: null,
        },
      ];
    if (path === `/channels/${THREAD_ID}` && method === 'GET')
      return [
        200,
        {
          id: THREAD_ID,
          type: ChannelType.PublicThread,
          guild_id: GUILD_ID,
          parent_id: CHANNEL_ID,
          name: 'raft questions',
          thread_metadata: {
            archived: false,
            auto_archive_duration: 1440,
            archive_timestamp: new Date(0).toISOString(),
            locked: false,
          },
        },
      ];
    if ((m = /^\/channels\/(\d+)$/.exec(path)) && method === 'GET')
      return [
        200,
        {
          id: m[1],
          type: ChannelType.GuildText,
          guild_id: GUILD_ID,
          name: 'reading',
          position: 0,
          permission_overwrites: [],
        },
      ];
    if ((m = /^\/applications\/\d+(?:\/guilds\/\d+)?\/commands$/.exec(path)) && method === 'PUT')
      return [
        200,
        (r.body as object[]).map((c) => ({ ...c, id: nextId(), application_id: APP_ID, version: '1' })),
      ];
    return [404, { message: `fake has no route for ${method} ${path}`, code: 0 }];
  }
}
