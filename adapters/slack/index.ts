/**
 * The Slack adapter: a Bolt app in Socket Mode (default) or HTTP mode (behind a load balancer).
 * Every slash command maps to the core command of the same name; replies become Block Kit.
 * Interactions are acknowledged first and answered afterwards (response_url / Web API), so Slack's
 * 3-second limit never depends on how long a command takes. This file only wires: the listeners
 * live in `listeners/{commands,actions,events,shortcuts}`, the App Home view in `views/`.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type AppOptions, type webApi } from '@slack/bolt';
import type { Config } from '../../src/config.ts';
import type { Core } from '../../src/core.ts';
import { scrubSecrets, type Logger } from '../../src/logger.ts';
import type { Reply } from '../../src/reply.ts';
import type { Poster } from '../../src/tagoftheday/service.ts';
import { AckGate } from './ack-gate.ts';
import { slackNotify, slackPostFailure } from './channel-access.ts';
import { SlackCallers } from './callers.ts';
import type { SlackContext } from './context.ts';
import { boltLogger, errorText, slackErrorCode } from './errors.ts';
import { registerListeners } from './listeners/index.ts';
import { postMessage } from './output.ts';
import { createReceiver } from './receiver.ts';

export { SAVE_SHORTCUT } from './listeners/shortcuts/save-links.ts';

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
  /** Largest file uploaded in one piece, bytes. Default Slack's limit (1 GB per file); tests lower it. */
  maxUploadBytes?: number;
}

/** Slack's stated per-file upload limit: 1 GB (Slack help, "Upload files to Slack"). */
export const SLACK_MAX_UPLOAD_BYTES = 1024 ** 3;

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

/** auth.test's failure as an operator can act on it. */
function tokenError(e: unknown): Error {
  const code = slackErrorCode(e);
  return new Error(
    code
      ? `Slack rejected the bot token (auth.test: ${code}). Check SLACK_BOT_TOKEN (xoxb-…, from OAuth & Permissions after installing the app).`
      : `Could not reach Slack to check the bot token (auth.test): ${scrubSecrets((e as Error).message)}`,
    { cause: e },
  );
}

function socketError(e: unknown): Error {
  const code = slackErrorCode(e);
  return new Error(
    `Socket Mode could not connect${code ? ` (${code})` : ''}. Check SLACK_APP_TOKEN (xapp-…, with connections:write) and that Socket Mode is enabled for the app.`,
    { cause: e },
  );
}

export function createSlackAdapter(opts: SlackAdapterOptions): SlackAdapter {
  const { core, config, logger } = opts;
  const slack = config.slack;
  const log = logger.child({ adapter: 'slack' });
  const bolt = boltLogger(logger);
  const { clientOptions: givenClientOptions, ...appOverrides } = opts.appOptions ?? {};
  const clientOptions: webApi.WebClientOptions = { retryConfig: PRODUCTION_RETRY, ...givenClientOptions };

  if (!slack.botToken) throw new Error('SLACK_BOT_TOKEN is required for the Slack adapter');
  const receivers = createReceiver({
    core,
    slack,
    logger: bolt,
    clientOptions,
    givenRetryConfig: givenClientOptions?.retryConfig,
    ...(opts.socket ? { socket: opts.socket } : {}),
  });
  const app = new App({
    token: slack.botToken,
    receiver: (receivers.socket ?? receivers.http)!,
    ...(receivers.socket ? { socketMode: true } : {}),
    logger: bolt,
    deferInitialization: true,
    // Bolt's conversation store (a per-conversation context cache) runs for every request; no handler
    // here reads it.
    convoStore: false,
    ...appOverrides,
    clientOptions,
  });
  app.error(async (error) => {
    log.error({ err: errorText(error), code: (error as { code?: string }).code }, 'slack: unhandled error');
  });

  const ctx: SlackContext = {
    core,
    slack,
    log,
    client: app.client,
    ackGate: new AckGate(),
    callers: new SlackCallers(app.client, slack, log, opts.userCacheMs ?? 5 * 60 * 1000),
    maxUploadBytes: opts.maxUploadBytes ?? SLACK_MAX_UPLOAD_BYTES,
  };
  registerListeners(app, ctx);

  let server: Server | undefined;
  let started = false;
  const post = (channelId: string, r: Reply): Promise<void> => postMessage(ctx, channelId, r);
  const poster: Poster = {
    platforms: ['slack'],
    // A PostFailure tells the scheduler the post did not go out, and whether to pause or retry.
    post: (subscription, r) =>
      post(subscription.channelId, r).catch((e) => Promise.reject(slackPostFailure(e))),
    notify: (subscription, userId, text) => slackNotify(app.client, subscription.channelId, userId, text),
  };

  return {
    app,
    poster,
    post,
    get port() {
      const address = server?.address();
      return address && typeof address === 'object' ? (address as AddressInfo).port : undefined;
    },
    async start() {
      await app.init().catch((e: unknown) => Promise.reject(tokenError(e)));
      if (receivers.socket) {
        await app.start().catch((e: unknown) => Promise.reject(socketError(e)));
        log.info({ mode: 'socket' }, 'slack adapter connected');
      } else {
        const listen = opts.host ? { port: slack.port, host: opts.host } : { port: slack.port };
        server = (await app.start(listen)) as Server;
        ctx.ackGate.watch(server);
        log.info({ mode: 'http', port: this.port }, 'slack adapter listening on /slack/events');
      }
      started = true;
      core.services.tagOfTheDay.start(poster);
    },
    async stop() {
      if (!started) return;
      started = false;
      await core.services.tagOfTheDay.stop();
      if (receivers.socket) {
        // Wait for the socket to close rather than only sending the close frame.
        await receivers.socket.client.disconnect();
      } else {
        await app.stop();
        server = undefined;
      }
    },
  };
}
