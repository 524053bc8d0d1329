/**
 * The Slack adapter: a Bolt app in Socket Mode (default) or HTTP mode (behind a load balancer).
 * Every slash command maps to the core command of the same name; replies become Block Kit.
 * Interactions are acknowledged first and answered afterwards (response_url / Web API), so Slack's
 * 3-second limit never depends on how long a command takes.
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  App,
  HTTPReceiver,
  LogLevel,
  SocketModeReceiver,
  type AppOptions,
  type BlockAction,
  type Logger as BoltLogger,
  type RespondArguments,
  type RespondFn,
  type types,
  type webApi,
} from '@slack/bolt';
import type { Caller } from '../../src/caller.ts';
import type { Config } from '../../src/config.ts';
import type { Core } from '../../src/core.ts';
import { scrubSecrets, type Logger } from '../../src/logger.ts';
import type { FileAttachment, Reply } from '../../src/reply.ts';
import type { Poster } from '../../src/tagoftheday/service.ts';
import { LIMITS, escapeMrkdwn, replyBlocks, replyMessage, toMrkdwn } from './blocks.ts';
import { AckGate } from './ack-gate.ts';
import { baseReaction, messageSaveText, parseMention, type SlackMessageLike } from './messages.ts';

export const SAVE_SHORTCUT = 'save_links';
export const APOLOGY = 'Sorry, something went wrong on our side. Please try again in a moment.';

/** Interactive answers should not wait half an hour: a few quick retries; 429s honour Retry-After. */
export const PRODUCTION_RETRY = {
  retries: 3,
  factor: 2,
  minTimeout: 500,
  maxTimeout: 10_000,
  randomize: true,
};

export interface SlackAdapterOptions {
  core: Core;
  config: Config;
  logger: Logger;
  /** Merged into the Bolt App options (tests pass clientOptions with a local slackApiUrl). */
  appOptions?: Partial<AppOptions>;
  /** Socket Mode tuning; clientPingTimeout is also the base reconnect delay (default 5000 ms). */
  socket?: { clientPingTimeout?: number; serverPingTimeout?: number };
  /** HTTP mode: address to bind (default: all interfaces). */
  host?: string;
  /** How long a user's admin flag and time zone (users.info) are cached. Default 5 minutes. */
  userCacheMs?: number;
}

export interface SlackAdapter {
  readonly app: App;
  /** HTTP mode: the port actually listened on (after start()). */
  readonly port: number | undefined;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Post a reply into a channel: blocks, no unfurls. */
  post(channelId: string, reply: Reply): Promise<void>;
  /** What the tag-of-the-day scheduler posts through (started by start(), stopped by stop()). */
  readonly poster: Poster;
}

type KnownBlock = types.KnownBlock;

/** Bolt's logger interface on top of pino; Bolt's debug output (which can echo payloads) goes to trace. */
function boltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ component: 'slack' });
  const fmt = (parts: unknown[]): string =>
    scrubSecrets(
      parts
        .map((p) => (p instanceof Error ? p.message : typeof p === 'string' ? p : safeJson(p)))
        .join(' ')
        .slice(0, 2000),
    );
  return {
    debug: (...m: unknown[]) => child.trace(fmt(m)),
    info: (...m: unknown[]) => child.info(fmt(m)),
    warn: (...m: unknown[]) => child.warn(fmt(m)),
    error: (...m: unknown[]) => child.error(fmt(m)),
    setLevel: () => undefined,
    getLevel: () => (child.isLevelEnabled('trace') ? LogLevel.DEBUG : LogLevel.INFO),
    setName: () => undefined,
  };
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}

function errorText(e: unknown): string {
  const err = e as { code?: string; data?: { error?: string }; stack?: string; message?: string };
  const detail = err?.data?.error ? ` (${err.data.error})` : '';
  return scrubSecrets(`${err?.stack ?? err?.message ?? String(e)}${detail}`);
}

/** Slack's error code for a failed Web API call ("not_in_channel"), if it is one. */
function slackErrorCode(e: unknown): string | undefined {
  return (e as { data?: { error?: string } })?.data?.error;
}

export function createSlackAdapter(opts: SlackAdapterOptions): SlackAdapter {
  const { core, config, logger } = opts;
  const slack = config.slack;
  const log = logger.child({ adapter: 'slack' });
  const bolt = boltLogger(logger);
  const userCacheMs = opts.userCacheMs ?? 5 * 60 * 1000;
  const instanceId = randomUUID();
  const { clientOptions: givenClientOptions, ...appOverrides } = opts.appOptions ?? {};
  const clientOptions: webApi.WebClientOptions = { retryConfig: PRODUCTION_RETRY, ...givenClientOptions };

  if (!slack.botToken) throw new Error('SLACK_BOT_TOKEN is required for the Slack adapter');
  let httpReceiver: HTTPReceiver | undefined;
  let socketReceiver: SocketModeReceiver | undefined;
  if (slack.mode === 'socket') {
    if (!slack.appToken) throw new Error('SLACK_APP_TOKEN is required in Socket Mode');
    socketReceiver = new SocketModeReceiver({
      appToken: slack.appToken,
      logger: bolt,
      // Its own copy: the socket client would otherwise write its retry policy into ours.
      installerOptions: {
        clientOptions: {
          ...clientOptions,
          retryConfig: givenClientOptions?.retryConfig ?? { retries: 100, factor: 1.3 },
        },
      },
      ...(opts.socket?.clientPingTimeout ? { clientPingTimeout: opts.socket.clientPingTimeout } : {}),
      ...(opts.socket?.serverPingTimeout ? { serverPingTimeout: opts.socket.serverPingTimeout } : {}),
    });
  } else {
    if (!slack.signingSecret) throw new Error('SLACK_SIGNING_SECRET is required in HTTP mode');
    httpReceiver = new HTTPReceiver({
      signingSecret: slack.signingSecret,
      // Bolt verifies X-Slack-Signature (HMAC-SHA256 of v0:timestamp:body) and rejects stale timestamps.
      signatureVerification: true,
      endpoints: ['/slack/events'],
      port: slack.port,
      logger: bolt,
      processBeforeResponse: false,
      customRoutes: [
        {
          path: '/healthz',
          method: ['GET'],
          handler: (_req, res) => {
            core.services.store.ping().then(
              () => {
                res.writeHead(200, { 'content-type': 'text/plain' });
                res.end('ok');
              },
              () => {
                res.writeHead(503, { 'content-type': 'text/plain' });
                res.end('store unavailable');
              },
            );
          },
        },
      ],
    });
  }

  const app = new App({
    token: slack.botToken,
    receiver: (socketReceiver ?? httpReceiver)!,
    ...(socketReceiver ? { socketMode: true } : {}),
    logger: bolt,
    deferInitialization: true,
    // Bolt's conversation store (a per-conversation context cache) runs for every request; no handler
    // here reads it.
    convoStore: false,
    ...appOverrides,
    clientOptions,
  });
  const client = app.client;
  /** Work after an ack waits until the requests already received are acknowledged (see AckGate). */
  const ackGate = new AckGate();

  app.error(async (error) => {
    log.error({ err: errorText(error), code: (error as { code?: string }).code }, 'slack: unhandled error');
  });

  // ---------- callers ----------

  const users = new Map<string, { at: number; admin: boolean; tz?: string; locale?: string }>();

  async function userInfo(
    teamId: string,
    userId: string,
  ): Promise<{ admin: boolean; tz?: string; locale?: string }> {
    const key = `${teamId}:${userId}`;
    const cached = users.get(key);
    const now = Date.now();
    if (cached && now - cached.at < userCacheMs) return cached;
    let entry: { at: number; admin: boolean; tz?: string; locale?: string };
    try {
      const res = await client.users.info({ user: userId, include_locale: true });
      const u = res.user;
      entry = { at: now, admin: Boolean(u?.is_admin || u?.is_owner || u?.is_primary_owner) };
      if (u?.tz) entry.tz = u.tz;
      if (u?.locale) entry.locale = u.locale;
    } catch (e) {
      log.warn(
        { err: errorText(e), team: teamId },
        'slack: users.info failed; treating the user as a non-admin',
      );
      // Cache the failure briefly too, so a missing scope does not cost a call per command.
      entry = { at: now - userCacheMs + 30_000, admin: false };
    }
    if (users.size > 5000) users.delete(users.keys().next().value!);
    users.set(key, entry);
    return entry;
  }

  /**
   * Does the command named `name` read the caller's admin status or time zone? Only then is users.info
   * worth a call (Tier 4, per workspace): a burst of new users running /read or /save costs none.
   */
  const needsProfile = (name: string): boolean =>
    core.commands.find((c) => c.name === name)?.usesCallerProfile === true;

  async function callerFor(
    teamId: string | undefined,
    userId: string,
    channelId: string | undefined,
    profile: boolean,
  ): Promise<Caller> {
    const team = teamId ?? 'unknown';
    const info: { admin: boolean; tz?: string; locale?: string } = profile
      ? await userInfo(team, userId)
      : { admin: false };
    const caller: Caller = {
      platform: 'slack',
      workspaceId: team,
      userId,
      channelId: channelId ?? '',
      canManageChannel: slack.adminUserIds.includes(userId) || info.admin,
    };
    if (info.tz) caller.timezone = info.tz;
    if (info.locale) caller.locale = info.locale;
    return caller;
  }

  // ---------- shared pieces ----------

  async function guard(
    what: Record<string, unknown>,
    work: () => Promise<void>,
    apologize?: (text: string) => Promise<unknown>,
  ): Promise<void> {
    try {
      await work();
    } catch (e) {
      log.error({ ...what, err: errorText(e) }, 'slack: handler failed');
      if (!apologize) return;
      try {
        await apologize(APOLOGY);
      } catch (e2) {
        log.warn({ ...what, err: errorText(e2) }, 'slack: could not send the apology');
      }
    }
  }

  const ephemeralText = (respond: RespondFn) => (text: string) =>
    respond({ response_type: 'ephemeral', replace_original: false, text: escapeMrkdwn(text) });

  /** Upload a reply's files to the user's DM; returns a line to add to the reply. */
  async function sendFiles(caller: Caller, files: FileAttachment[]): Promise<string> {
    const sent: string[] = [];
    try {
      const dm = await client.conversations.open({ users: caller.userId });
      const channel = dm.channel?.id;
      if (!channel) throw new Error('conversations.open returned no channel');
      // One upload call for all files: they arrive together as one message in the DM.
      await client.files.uploadV2({
        channel_id: channel,
        file_uploads: files.map((f) => ({
          file: Buffer.from(f.content, 'utf8'),
          filename: f.name,
          title: f.name,
        })),
      });
      sent.push(...files.map((f) => f.name));
      return `Sent ${sent.map((n) => `\`${n}\``).join(', ')} to your direct messages with the bot.`;
    } catch (e) {
      log.warn({ err: errorText(e), files: files.length, sent: sent.length }, 'slack: file upload failed');
      const code = slackErrorCode(e);
      return `I couldn't upload the file${files.length > 1 ? 's' : ''} to your DMs${code ? ` (${code})` : ''}. Check that the app has the files:write and im:write scopes, then try again.`;
    }
  }

  /** Files go to the user's DM; the reply text says where they went. */
  async function withFiles(caller: Caller, r: Reply): Promise<Reply> {
    if (!r.files.length) return r;
    const note = await sendFiles(caller, r.files);
    return { ...r, text: `${r.text}\n${note}`, files: [] };
  }

  function respondBody(r: Reply, extra: Partial<RespondArguments> = {}): RespondArguments {
    return {
      response_type: r.private ? 'ephemeral' : 'in_channel',
      ...replyMessage(r),
      unfurl_links: false,
      unfurl_media: false,
      ...extra,
    } as RespondArguments;
  }

  async function postEphemeralOrDm(caller: Caller, r: Reply): Promise<void> {
    const msg = replyMessage(r, { withoutButtons: true });
    try {
      await client.chat.postEphemeral({ channel: caller.channelId, user: caller.userId, ...msg });
    } catch (e) {
      // Not a member of that channel (or it is a DM with someone else): tell the user in the bot DM.
      log.info({ err: slackErrorCode(e) ?? errorText(e) }, 'slack: postEphemeral failed; answering in DM');
      await client.chat.postMessage({
        channel: caller.userId,
        ...msg,
        unfurl_links: false,
        unfurl_media: false,
      });
    }
  }

  // ---------- events dedupe (Slack retries; several replicas) ----------

  app.use(async ({ body, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId === 'string') {
      try {
        const first = await core.services.store.claim(`slack:event:${eventId}`, instanceId, 60 * 60 * 1000);
        if (!first) {
          log.debug({ eventId }, 'slack: duplicate event ignored');
          return;
        }
      } catch (e) {
        log.warn({ err: errorText(e) }, 'slack: event dedupe unavailable');
      }
    }
    await next();
  });

  // ---------- slash commands ----------

  /** "/read" → "read"; "/qr-read" or "/quorum-read" also work for workspaces where a name is taken. */
  const commandName = (slash: string): string => slash.replace(/^\/(?:qr-|quorum-)?/i, '').toLowerCase();

  app.command(/^\/[a-z0-9_-]+$/i, async ({ command, ack, respond }) => {
    await ack();
    await ackGate.idle();
    const name = commandName(command.command);
    await guard(
      { event: 'command', command: name, team: command.team_id },
      async () => {
        // "/quorum tagoftheday status" (or "/tagoftheday" typed inside) runs the command it names.
        const first = (command.text ?? '').trim().split(/\s+/)[0] ?? '';
        const asked = name === 'quorum' ? first.replace(/^\//, '').toLowerCase() : name;
        const caller = await callerFor(
          command.team_id,
          command.user_id,
          command.channel_id,
          needsProfile(asked),
        );
        const r =
          name === 'quorum'
            ? await core.run(caller, command.text.trim() || 'help')
            : await core.runCommand(caller, name, command.text ?? '');
        await respond(respondBody(await withFiles(caller, r)));
      },
      ephemeralText(respond),
    );
  });

  // ---------- buttons ----------

  app.action<BlockAction>(/^qr:/, async ({ ack, body, action, respond }) => {
    await ack();
    await ackGate.idle();
    const id = action.type === 'button' ? (action.value ?? action.action_id) : action.action_id;
    const [, command = '', kind = ''] = id.split(':');
    const fromHome = body.view?.type === 'home';
    await guard(
      { event: 'button', command, action: kind, team: body.team?.id },
      async () => {
        const caller = await callerFor(
          body.team?.id ?? body.user.team_id,
          body.user.id,
          body.channel?.id,
          needsProfile(command),
        );
        const r = await withFiles(caller, await core.press(caller, id));
        if (fromHome || !respond) {
          const paged = r.status === 'ok' && (r.page !== undefined || r.readings.length > 0);
          await publishHome(caller, paged ? { saves: r } : { notice: r });
          return;
        }
        if (kind === 'page' && r.status === 'ok') {
          await respond(respondBody(r, { replace_original: true }));
        } else if (!r.private) {
          await respond(respondBody(r, { response_type: 'in_channel', replace_original: false }));
        } else {
          await respond(respondBody(r, { response_type: 'ephemeral', replace_original: false }));
        }
      },
      respond ? ephemeralText(respond) : undefined,
    );
  });

  // ---------- saving from chat ----------

  async function saveFrom(caller: Caller, message: SlackMessageLike): Promise<Reply> {
    return core.saveMessage(caller, messageSaveText(message));
  }

  app.shortcut({ callback_id: SAVE_SHORTCUT, type: 'message_action' }, async ({ ack, shortcut, respond }) => {
    await ack();
    await ackGate.idle();
    await guard(
      { event: 'shortcut', team: shortcut.team?.id },
      async () => {
        const caller = await callerFor(
          shortcut.team?.id ?? shortcut.user.team_id,
          shortcut.user.id,
          shortcut.channel.id,
          false,
        );
        const r = await saveFrom(caller, shortcut.message as SlackMessageLike);
        const msg = replyMessage(r, { withoutButtons: true });
        try {
          await client.chat.postEphemeral({ channel: caller.channelId, user: caller.userId, ...msg });
        } catch (e) {
          // e.g. not_in_channel: the response_url works in any conversation.
          log.info(
            { err: slackErrorCode(e) ?? errorText(e) },
            'slack: postEphemeral failed; using response_url',
          );
          await respond({ response_type: 'ephemeral', ...msg });
        }
      },
      ephemeralText(respond),
    );
  });

  async function fetchMessage(channel: string, ts: string): Promise<SlackMessageLike | undefined> {
    const history = await client.conversations.history({
      channel,
      latest: ts,
      oldest: ts,
      inclusive: true,
      limit: 1,
    });
    const top = history.messages?.find((m) => m.ts === ts);
    if (top) return top as SlackMessageLike;
    // A reply inside a thread is not in the channel history.
    const replies = await client.conversations.replies({
      channel,
      ts,
      latest: ts,
      inclusive: true,
      limit: 1,
    });
    return replies.messages?.find((m) => m.ts === ts) as SlackMessageLike | undefined;
  }

  app.event('reaction_added', async ({ event, body }) => {
    if (baseReaction(event.reaction) !== baseReaction(slack.saveReaction)) return;
    if (event.item.type !== 'message') return;
    const item = event.item;
    const teamId = (body as { team_id?: string }).team_id;
    let caller: Caller | undefined;
    await guard(
      { event: 'reaction_added', team: teamId },
      async () => {
        caller = await callerFor(teamId, event.user, item.channel, false);
        let message: SlackMessageLike | undefined;
        try {
          message = await fetchMessage(item.channel, item.ts);
        } catch (e) {
          log.info({ err: slackErrorCode(e) ?? errorText(e) }, 'slack: could not read the reacted message');
        }
        const r: Reply = message
          ? await saveFrom(caller, message)
          : {
              text: "I can't read that message (I may not be in this conversation). Invite me, or use the **Save links** message shortcut instead.",
              readings: [],
              buttons: [],
              private: true,
              files: [],
              status: 'error',
            };
        await postEphemeralOrDm(caller, r);
      },
      async (text) => {
        if (caller) await client.chat.postMessage({ channel: caller.userId, text: escapeMrkdwn(text) });
      },
    );
  });

  // ---------- App Home ----------

  async function publishHome(caller: Caller, extra: { saves?: Reply; notice?: Reply } = {}): Promise<void> {
    const blocks: KnownBlock[] = [
      { type: 'header', text: { type: 'plain_text', text: 'Quorum Reads', emoji: true } },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text:
            'Reading recommendations on distributed systems. Use the slash commands in any channel (answers only you can see until you press *Share*), react with ' +
            `:${escapeMrkdwn(baseReaction(slack.saveReaction))}: to a message or use the *Save links* message shortcut to save its links.`,
        },
      },
    ];
    const usage = core.commands
      .map(
        (c) =>
          `\`${escapeMrkdwn(c.usage)}\` ${escapeMrkdwn(c.description)}${c.examples[0] ? `, e.g. \`${escapeMrkdwn(c.examples[0])}\`` : ''}`,
      )
      .join('\n');
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: usage.slice(0, LIMITS.sectionText) } });
    if (extra.notice) {
      blocks.push({ type: 'divider' });
      blocks.push(
        ...replyBlocks(extra.notice, { withoutButtons: true, withoutReadingActions: true, maxBlocks: 5 }),
      );
    }
    blocks.push({ type: 'divider' });
    const hasSaved = core.commands.some((c) => c.name === 'saved');
    if (hasSaved) {
      blocks.push({ type: 'header', text: { type: 'plain_text', text: 'Your latest saves', emoji: true } });
      const saves = extra.saves ?? (await core.runCommand(caller, 'saved', ''));
      blocks.push(...replyBlocks(saves, { maxBlocks: LIMITS.homeBlocks - blocks.length }));
    } else {
      const help = await core.runCommand(caller, 'help', '');
      blocks.push({
        type: 'section',
        text: { type: 'mrkdwn', text: toMrkdwn(help.text).slice(0, LIMITS.sectionText) },
      });
    }
    await client.views.publish({
      user_id: caller.userId,
      view: { type: 'home', blocks: blocks.slice(0, LIMITS.homeBlocks) },
    });
  }

  app.event('app_home_opened', async ({ event, body }) => {
    if (event.tab !== 'home') return;
    const teamId = (body as { team_id?: string }).team_id;
    await guard({ event: 'app_home_opened', team: teamId }, async () => {
      await publishHome(await callerFor(teamId, event.user, event.channel, false));
    });
  });

  // ---------- @-mentions ----------

  app.event('app_mention', async ({ event, body }) => {
    const teamId = (body as { team_id?: string }).team_id ?? event.team;
    if (!event.user) return;
    const thread = event.thread_ts ?? event.ts;
    const user = event.user;
    await guard(
      { event: 'app_mention', team: teamId },
      async () => {
        const { name, args } = parseMention(
          event.text,
          core.commands.map((c) => c.name),
        );
        const caller = await callerFor(teamId, user, event.channel, needsProfile(name));
        const r = await core.runCommand(caller, name, args);
        await client.chat.postMessage({
          channel: event.channel,
          thread_ts: thread,
          ...replyMessage(r, { withoutButtons: true }),
          unfurl_links: false,
          unfurl_media: false,
        });
      },
      (text) =>
        client.chat.postMessage({ channel: event.channel, thread_ts: thread, text: escapeMrkdwn(text) }),
    );
  });

  // ---------- lifecycle ----------

  let server: Server | undefined;
  let started = false;

  async function post(channelId: string, r: Reply): Promise<void> {
    await client.chat.postMessage({
      channel: channelId,
      ...replyMessage(r, { withoutButtons: true }),
      unfurl_links: false,
      unfurl_media: false,
    });
  }

  const poster: Poster = {
    platforms: ['slack'],
    // Throwing tells the scheduler the post did not go out, so it retries.
    post: (subscription, r) => post(subscription.channelId, r),
  };

  return {
    app,
    poster,
    get port() {
      const address = server?.address();
      return address && typeof address === 'object' ? (address as AddressInfo).port : undefined;
    },
    async start() {
      try {
        await app.init();
      } catch (e) {
        const code = slackErrorCode(e);
        throw new Error(
          code
            ? `Slack rejected the bot token (auth.test: ${code}). Check SLACK_BOT_TOKEN (xoxb-…, from OAuth & Permissions after installing the app).`
            : `Could not reach Slack to check the bot token (auth.test): ${scrubSecrets((e as Error).message)}`,
          { cause: e },
        );
      }
      if (socketReceiver) {
        try {
          await app.start();
        } catch (e) {
          const code = slackErrorCode(e);
          throw new Error(
            `Socket Mode could not connect${code ? ` (${code})` : ''}. Check SLACK_APP_TOKEN (xapp-…, with connections:write) and that Socket Mode is enabled for the app.`,
            { cause: e },
          );
        }
        log.info({ mode: 'socket' }, 'slack adapter connected');
      } else {
        const listen = opts.host ? { port: slack.port, host: opts.host } : { port: slack.port };
        server = (await app.start(listen)) as Server;
        ackGate.watch(server);
        log.info({ mode: 'http', port: this.port }, 'slack adapter listening on /slack/events');
      }
      started = true;
      core.services.tagOfTheDay.start(poster);
    },
    async stop() {
      if (!started) return;
      started = false;
      await core.services.tagOfTheDay.stop();
      if (socketReceiver) {
        // Wait for the socket to close rather than only sending the close frame.
        await socketReceiver.client.disconnect();
      } else {
        await app.stop();
        server = undefined;
      }
    },
    post,
  };
}
