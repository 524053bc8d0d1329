/**
 * A fake Slack for tests, on 127.0.0.1 only: the Web API (`/api/<method>`), response_url endpoints
 * (`/respond/<id>`), file upload URLs (`/upload/<id>`) and a Socket Mode WebSocket (`/socket`).
 * Every request is recorded; tests wait on recorded requests (events, not timers).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';

export interface Recorded {
  /** "api" | "respond" | "upload" */
  kind: 'api' | 'respond' | 'upload';
  /** API method ("chat.postMessage") or the respond/upload id. */
  name: string;
  body: Record<string, unknown>;
  raw: string;
  headers: IncomingMessage['headers'];
}

export interface FakeResponse {
  status?: number;
  headers?: Record<string, string>;
  body: unknown;
}

type Handler = (body: Record<string, unknown>, req: Recorded) => FakeResponse | Record<string, unknown>;

export interface SlackMessage {
  ts: string;
  text?: string;
  user?: string;
  bot_id?: string;
  subtype?: string;
  thread_ts?: string;
  reply_count?: number;
  blocks?: unknown[];
  attachments?: { text?: string; pretext?: string; fallback?: string; [k: string]: unknown }[];
}

/**
 * Slack's own markup inside `<…>`: links (`<https://…|label>`, `<mailto:…>`), user, channel and
 * special mentions (`<@U…>`, `<#C…>`, `<!here>`, `<!subteam^…>`).
 */
const SLACK_MARKUP = /<(?:https?:\/\/|mailto:|[@#!])[^<>]*>/g;

/**
 * Text as Slack hands it to apps (Slack API docs, "Formatting text for app surfaces" → "Escaping
 * text"): `&`, `<`, `>` become `&amp;`, `&lt;`, `&gt;`, except the angle brackets of Slack's own
 * markup, inside which `&` is still `&amp;`. Tests write what the person typed, with Slack's markup.
 */
export function slackEncode(typed: string): string {
  const amp = (s: string): string => s.replace(/&/g, '&amp;');
  const plain = (s: string): string => amp(s).replace(/</g, '&lt;').replace(/>/g, '&gt;');
  let out = '';
  let last = 0;
  for (const m of typed.matchAll(SLACK_MARKUP)) {
    out += plain(typed.slice(last, m.index)) + amp(m[0]);
    last = m.index + m[0].length;
  }
  return out + plain(typed.slice(last));
}

/** A stored message as Slack returns it: text and attachment texts encoded. */
function encodedMessage(m: SlackMessage): SlackMessage {
  const out: SlackMessage = { ...m };
  if (m.text !== undefined) out.text = slackEncode(m.text);
  if (m.attachments)
    out.attachments = m.attachments.map((a) => ({
      ...a,
      ...(a.text !== undefined ? { text: slackEncode(a.text) } : {}),
      ...(a.pretext !== undefined ? { pretext: slackEncode(a.pretext) } : {}),
      ...(a.fallback !== undefined ? { fallback: slackEncode(a.fallback) } : {}),
    }));
  return out;
}

/** The text fields of an envelope's payload that Slack encodes (events, slash commands, shortcuts). */
function encodePayload(type: string, payload: Record<string, unknown>): Record<string, unknown> {
  if (type === 'slash_commands' && typeof payload.text === 'string')
    return { ...payload, text: slackEncode(payload.text) };
  if (type === 'events_api' && payload.event && typeof payload.event === 'object') {
    const event = payload.event as Record<string, unknown>;
    if (typeof event.text === 'string')
      return { ...payload, event: { ...event, text: slackEncode(event.text) } };
  }
  if (type === 'interactive' && payload.message && typeof payload.message === 'object')
    return { ...payload, message: encodedMessage(payload.message as SlackMessage) };
  return payload;
}

/** Slack's ts order ("1700000000.000100" as a number is precise enough for the fake's ts values). */
const tsOf = (ts: string): number => Number(ts);

function parseBody(raw: string, type: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (type?.includes('application/json')) {
    try {
      return JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return {};
    }
  }
  if (type?.includes('application/x-www-form-urlencoded')) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of new URLSearchParams(raw)) {
      // Bolt/WebClient JSON-encode nested arguments (blocks, view) in form bodies.
      if (/^[[{]/.test(v)) {
        try {
          out[k] = JSON.parse(v);
          continue;
        } catch {
          /* keep as string */
        }
      }
      out[k] = v;
    }
    return out;
  }
  return { raw };
}

export class FakeSlack {
  readonly requests: Recorded[] = [];
  /** Messages per channel, for conversations.history / replies. */
  readonly messages = new Map<string, SlackMessage[]>();
  /** users.info answers per user id (defaults: a non-admin in UTC). */
  readonly users = new Map<string, Record<string, unknown>>();
  /**
   * conversations.info answers per channel id (default: a public channel the bot is in); `null` = a
   * conversation the bot cannot see. chat.postMessage fails on these the way Slack documents it:
   * `is_archived`, `channel_not_found`, `not_in_channel`.
   */
  readonly channels = new Map<string, Record<string, unknown> | null>();
  /** files.uploadV2 size limit per file, in bytes (Slack: 1 GB; tests set a small one). */
  maxFileBytes = 1024 * 1024 * 1024;
  /** Socket Mode connections opened so far (apps.connections.open calls that connected). */
  connections = 0;

  private server: Server;
  private wss: WebSocketServer;
  private handlers = new Map<string, Handler[]>();
  private waiters: { match: (r: Recorded) => boolean; resolve: (r: Recorded) => void }[] = [];
  private socket: WebSocket | undefined;
  private socketWaiters: ((ws: WebSocket) => void)[] = [];
  private ackWaiters = new Map<string, (payload: Record<string, unknown>) => void>();
  private closeWaiters: (() => void)[] = [];
  private ts = 1_700_000_000;

  private constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.wss = new WebSocketServer({ server: this.server, path: '/socket' });
    this.wss.on('connection', (ws) => {
      this.connections += 1;
      this.socket = ws;
      ws.on('message', (data) => {
        let msg: { envelope_id?: string; payload?: Record<string, unknown> };
        try {
          msg = JSON.parse(String(data)) as typeof msg;
        } catch {
          return;
        }
        const waiter = msg.envelope_id ? this.ackWaiters.get(msg.envelope_id) : undefined;
        if (waiter && msg.envelope_id) {
          this.ackWaiters.delete(msg.envelope_id);
          waiter(msg.payload ?? {});
        }
      });
      ws.on('close', () => {
        if (this.socket === ws) this.socket = undefined;
        const waiters = this.closeWaiters.splice(0);
        for (const w of waiters) w();
      });
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A1' } }));
      const waiters = this.socketWaiters.splice(0);
      for (const w of waiters) w(ws);
    });
  }

  static async start(): Promise<FakeSlack> {
    const fake = new FakeSlack();
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }
  respondUrl(id = randomUUID()): string {
    return `http://127.0.0.1:${this.port}/respond/${id}`;
  }

  /** Override an API method; handlers queue up (each used once) unless `sticky`. */
  on(method: string, handler: Handler, opts: { sticky?: boolean } = {}): void {
    const list = this.handlers.get(method) ?? [];
    const h: Handler = opts.sticky
      ? handler
      : (b, r) => {
          list.splice(list.indexOf(h), 1);
          return handler(b, r);
        };
    list.push(h);
    this.handlers.set(method, list);
  }

  addMessage(channel: string, m: Omit<SlackMessage, 'ts'> & { ts?: string }): SlackMessage {
    const msg = { ts: m.ts ?? `${this.ts++}.000100`, ...m } as SlackMessage;
    const list = this.messages.get(channel) ?? [];
    list.push(msg);
    this.messages.set(channel, list);
    return msg;
  }

  /** Resolve with the first recorded request (past or future) matching. */
  waitFor(match: (r: Recorded) => boolean, from = 0): Promise<Recorded> {
    const seen = this.requests.slice(from).find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  waitForApi(method: string, from = 0): Promise<Recorded> {
    return this.waitFor((r) => r.kind === 'api' && r.name === method, from);
  }
  waitForRespond(id: string, from = 0): Promise<Recorded> {
    return this.waitFor((r) => r.kind === 'respond' && r.name === id, from);
  }
  calls(method: string): Recorded[] {
    return this.requests.filter((r) => r.kind === 'api' && r.name === method);
  }

  // ---------- Socket Mode ----------

  /** Resolves once a Socket Mode client is connected (immediately if one is). */
  connected(): Promise<WebSocket> {
    if (this.socket && this.socket.readyState === this.socket.OPEN) return Promise.resolve(this.socket);
    return new Promise((resolve) => this.socketWaiters.push(resolve));
  }

  /** Send an envelope over the socket; resolves with the app's ack payload. */
  async send(
    type: string,
    payload: Record<string, unknown>,
    extra: Record<string, unknown> = {},
  ): Promise<Record<string, unknown>> {
    const ws = await this.connected();
    const envelope_id = randomUUID();
    const acked = new Promise<Record<string, unknown>>((resolve) =>
      this.ackWaiters.set(envelope_id, resolve),
    );
    ws.send(
      JSON.stringify({
        envelope_id,
        type,
        payload: encodePayload(type, payload),
        accepts_response_payload: type !== 'events_api',
        ...extra,
      }),
    );
    return acked;
  }

  /** Drop the Socket Mode connection from the server side; resolves when it is closed. */
  async dropSocket(): Promise<void> {
    const ws = this.socket;
    if (!ws) return;
    const closed = new Promise<void>((resolve) => this.closeWaiters.push(resolve));
    ws.terminate();
    await closed;
  }

  /** Resolves when the current socket (if any) closes. */
  socketClosed(): Promise<void> {
    if (!this.socket) return Promise.resolve();
    return new Promise((resolve) => this.closeWaiters.push(resolve));
  }

  async close(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---------- HTTP ----------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const [, kind = '', name = ''] = url.pathname.split('/');
    const ct = req.headers['content-type'];
    const rec: Recorded = {
      kind: kind === 'api' ? 'api' : kind === 'upload' ? 'upload' : 'respond',
      name,
      body: kind === 'upload' ? { raw } : parseBody(raw, ct),
      raw,
      headers: req.headers,
    };
    let out: FakeResponse;
    if (kind === 'api') {
      // The token travels in the Authorization header (WebClient) or the body.
      const h = this.handlers.get(name)?.[0];
      const result = h ? h(rec.body, rec) : this.defaultApi(name, rec.body);
      out =
        'body' in result && ('status' in result || 'headers' in result)
          ? (result as FakeResponse)
          : { body: result };
    } else if (kind === 'respond' || kind === 'upload') {
      const h = this.handlers.get(`${kind}:${name}`)?.[0] ?? this.handlers.get(kind)?.[0];
      out = h ? (h(rec.body, rec) as FakeResponse) : { body: kind === 'upload' ? 'OK' : { ok: true } };
    } else {
      out = { status: 404, body: { ok: false } };
    }
    this.requests.push(rec);
    const body = typeof out.body === 'string' ? out.body : JSON.stringify(out.body);
    res.writeHead(out.status ?? 200, { 'content-type': 'application/json', ...out.headers });
    res.end(body);
    // Wake waiters after the response is written.
    this.waiters = this.waiters.filter((w) => {
      if (!w.match(rec)) return true;
      w.resolve(rec);
      return false;
    });
  }

  /**
   * Slack's error when the bot may not read `body.channel` or post an ephemeral there: a conversation
   * it cannot see (`channels` → null) is `channel_not_found`; one it is not a member of
   * (`is_member: false`) is `not_in_channel`.
   */
  private access(body: Record<string, unknown>): Record<string, unknown> | undefined {
    const ch = this.channels.get(String(body.channel ?? ''));
    if (ch === null) return { ok: false, error: 'channel_not_found' };
    if (ch?.is_member === false) return { ok: false, error: 'not_in_channel' };
    return undefined;
  }

  /** Messages with ts between oldest and latest (exclusive unless `inclusive`), as Slack filters them. */
  private inRange(list: SlackMessage[], body: Record<string, unknown>): SlackMessage[] {
    const inclusive = String(body.inclusive) === 'true';
    const latest = body.latest === undefined ? Infinity : tsOf(String(body.latest));
    const oldest = body.oldest === undefined ? -Infinity : tsOf(String(body.oldest));
    return list.filter((m) => {
      const t = tsOf(m.ts);
      return inclusive ? t >= oldest && t <= latest : t > oldest && t < latest;
    });
  }

  /** conversations.history: top-level messages only (thread replies are not in it), newest first. */
  private history(body: Record<string, unknown>): Record<string, unknown> {
    const list = (this.messages.get(String(body.channel)) ?? []).filter(
      (m) => !m.thread_ts || m.thread_ts === m.ts,
    );
    const limit = Number(body.limit ?? 100);
    const found = this.inRange(list, body).sort((a, b) => tsOf(b.ts) - tsOf(a.ts));
    return { ok: true, messages: found.slice(0, limit).map(encodedMessage), has_more: found.length > limit };
  }

  /**
   * conversations.replies: `ts` is the parent's or any reply's; the parent always comes first, then
   * the replies in the range, oldest first, `limit` counting the parent (Slack API docs).
   */
  private replies(body: Record<string, unknown>): Record<string, unknown> {
    const list = this.messages.get(String(body.channel)) ?? [];
    const target = list.find((m) => m.ts === String(body.ts ?? ''));
    if (!target) return { ok: false, error: 'thread_not_found' };
    const root = target.thread_ts ?? target.ts;
    const parent = list.find((m) => m.ts === root);
    const replies = this.inRange(
      list.filter((m) => m.thread_ts === root && m.ts !== root),
      body,
    ).sort((a, b) => tsOf(a.ts) - tsOf(b.ts));
    const all = [...(parent ? [parent] : []), ...replies];
    const limit = Number(body.limit ?? 1000);
    return { ok: true, messages: all.slice(0, limit).map(encodedMessage), has_more: all.length > limit };
  }

  private defaultApi(method: string, body: Record<string, unknown>): Record<string, unknown> {
    const ts = `${this.ts++}.000200`;
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://fake.slack.test/',
          team: 'Fake',
          user: 'quorum',
          team_id: 'T1',
          user_id: 'UBOT',
          bot_id: 'BBOT',
        };
      case 'apps.connections.open':
        return { ok: true, url: `ws://127.0.0.1:${this.port}/socket?n=${this.connections + 1}` };
      case 'users.info': {
        const id = String(body.user ?? '');
        return {
          ok: true,
          user: { id, team_id: 'T1', is_admin: false, is_owner: false, tz: 'UTC', ...this.users.get(id) },
        };
      }
      case 'chat.postMessage': {
        const ch = this.channels.get(String(body.channel));
        if (ch === null) return { ok: false, error: 'channel_not_found' };
        if (ch?.is_archived) return { ok: false, error: 'is_archived' };
        if (ch?.is_private && !ch.is_member) return { ok: false, error: 'not_in_channel' };
        return { ok: true, channel: body.channel, ts, message: { ts, text: body.text } };
      }
      case 'conversations.info': {
        const id = String(body.channel ?? '');
        const ch = this.channels.get(id);
        if (ch === null) return { ok: false, error: 'channel_not_found' };
        return {
          ok: true,
          channel: { id, is_channel: true, is_private: false, is_archived: false, is_member: true, ...ch },
        };
      }
      case 'chat.postEphemeral':
        return this.access(body) ?? { ok: true, message_ts: ts };
      case 'views.publish':
        return { ok: true, view: { id: 'V1' } };
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(body.users ?? 'X')}` } };
      case 'conversations.history':
        return this.access(body) ?? this.history(body);
      case 'conversations.replies':
        return this.access(body) ?? this.replies(body);
      case 'files.getUploadURLExternal': {
        // Slack refuses a file over the workspace's limit before any byte is sent.
        if (Number(body.length) > this.maxFileBytes)
          return { ok: false, error: 'file_upload_size_restricted' };
        const id = `F${this.ts++}`;
        return { ok: true, upload_url: `http://127.0.0.1:${this.port}/upload/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal':
        return { ok: true, files: (body.files as { id: string }[] | undefined) ?? [] };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}
