/**
 * The real Slack adapter (real Bolt, real core) wired to a FakeSlack on 127.0.0.1, plus helpers that
 * send slash commands, button presses, shortcuts and events the way Slack does.
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { AppOptions } from '@slack/bolt';
import { createSlackAdapter, type SlackAdapter } from '../../adapters/slack/index.ts';
import type { Config } from '../../src/config.ts';
import type { Core } from '../../src/core.ts';
import { redactPaths, type Logger } from '../../src/logger.ts';
import { testConfig, testCore } from '../helpers/core.ts';
import { FakeSlack, type Recorded } from './fake-slack.ts';

export const TEAM = 'T1';
export const USER = 'U1';
export const CHANNEL = 'C1';

/** A pino logger whose JSON lines are kept for assertions. */
export function memoryLogger(): {
  logger: Logger;
  lines: Record<string, unknown>[];
  waitFor(match: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
} {
  const lines: Record<string, unknown>[] = [];
  let waiters: {
    match: (l: Record<string, unknown>) => boolean;
    resolve: (l: Record<string, unknown>) => void;
  }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of String(chunk).split('\n')) {
        if (!l.trim()) continue;
        const line = JSON.parse(l) as Record<string, unknown>;
        lines.push(line);
        waiters = waiters.filter((w) => (w.match(line) ? (w.resolve(line), false) : true));
      }
      cb();
    },
  });
  return {
    logger: pino({ level: 'debug', redact: { paths: redactPaths, censor: '[redacted]' } }, stream),
    lines,
    waitFor(match) {
      const seen = lines.find(match);
      return seen ? Promise.resolve(seen) : new Promise((resolve) => waiters.push({ match, resolve }));
    },
  };
}

export interface Harness {
  fake: FakeSlack;
  core: Core;
  adapter: SlackAdapter;
  config: Config;
  logs: Record<string, unknown>[];
  /** Resolves with the first log line (past or future) matching. */
  waitLog(match: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  /** Send `/name text`; resolves with the ack and the body posted to its response_url. */
  slash(
    command: string,
    text: string,
    who?: Partial<Who>,
  ): Promise<{ ack: Record<string, unknown>; body: Record<string, unknown> }>;
  /** Press a button (block_actions); resolves with the body posted to its response_url. */
  press(actionId: string, who?: Partial<Who> & { value?: string }): Promise<Record<string, unknown>>;
  /** Deliver an Events API event; resolves once the app acked it. */
  event(event: Record<string, unknown>, extra?: Record<string, unknown>): Promise<void>;
  shortcut(message: Record<string, unknown>, who?: Partial<Who>): Promise<void>;
  /** Requests recorded from now on. */
  mark(): number;
  stop(): Promise<void>;
}

export interface Who {
  team: string;
  user: string;
  channel: string;
  /** Enterprise Grid organization id; a slash command from a Grid workspace carries it as enterprise_id. */
  enterprise?: string;
}

export interface HarnessOptions {
  core?: Core;
  env?: Record<string, string>;
  mode?: 'socket' | 'http';
  clientOptions?: AppOptions['clientOptions'];
  /** Skip start() (tests that expect start to fail). */
  noStart?: boolean;
  fake?: FakeSlack;
  /** The adapter's upload limit in bytes (default Slack's 1 GB). */
  maxUploadBytes?: number;
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const fake = opts.fake ?? (await FakeSlack.start());
  const env = {
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_APP_TOKEN: 'xapp-test-token',
    SLACK_SIGNING_SECRET: 'test-signing-secret',
    SLACK_MODE: opts.mode ?? 'socket',
    QR_RATE_COMMANDS: '10000',
    QR_RATE_SAVES: '10000',
    ...opts.env,
  };
  const core = opts.core ?? (await testCore({ env }));
  const base = testConfig(env);
  const config: Config = {
    ...base,
    slack: { ...base.slack, port: opts.mode === 'http' ? 0 : base.slack.port },
  };
  const { logger, lines, waitFor: waitLog } = memoryLogger();
  const adapter = createSlackAdapter({
    core,
    config,
    logger,
    host: '127.0.0.1',
    appOptions: {
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, ...opts.clientOptions },
    },
    // The reconnect delay is clientPingTimeout × failures: keep it short on loopback.
    socket: { clientPingTimeout: 1000 },
    ...(opts.maxUploadBytes ? { maxUploadBytes: opts.maxUploadBytes } : {}),
  });
  if (!opts.noStart) await adapter.start();

  const whoOf = (w: Partial<Who> = {}): Who => ({ team: TEAM, user: USER, channel: CHANNEL, ...w });

  const h: Harness = {
    fake,
    core,
    adapter,
    config,
    logs: lines,
    waitLog,
    mark: () => fake.requests.length,
    async slash(command, text, w) {
      const who = whoOf(w);
      const id = randomUUID();
      const from = fake.requests.length;
      const ack = await fake.send('slash_commands', {
        token: 'legacy',
        team_id: who.team,
        ...(who.enterprise ? { enterprise_id: who.enterprise, enterprise_name: 'Org' } : {}),
        team_domain: 'fake',
        channel_id: who.channel,
        channel_name: 'general',
        user_id: who.user,
        user_name: 'someone',
        command,
        text,
        api_app_id: 'A1',
        response_url: fake.respondUrl(id),
        trigger_id: `trigger-${id}`,
      });
      const body = (await fake.waitForRespond(id, from)).body;
      return { ack, body };
    },
    async press(actionId, w) {
      const who = whoOf(w);
      const id = randomUUID();
      const from = fake.requests.length;
      await fake.send('interactive', {
        type: 'block_actions',
        api_app_id: 'A1',
        token: 'legacy',
        team: { id: who.team, domain: 'fake' },
        user: { id: who.user, team_id: who.team, username: 'someone' },
        channel: { id: who.channel, name: 'general' },
        container: { type: 'message', message_ts: '1.1', channel_id: who.channel, is_ephemeral: true },
        trigger_id: `trigger-${id}`,
        response_url: fake.respondUrl(id),
        actions: [
          {
            type: 'button',
            action_id: actionId,
            block_id: 'qr-buttons',
            value: w?.value ?? actionId,
            text: { type: 'plain_text', text: 'x' },
            action_ts: '1.2',
          },
        ],
      });
      return (await fake.waitForRespond(id, from)).body;
    },
    async event(event, extra = {}) {
      await fake.send('events_api', {
        token: 'legacy',
        team_id: TEAM,
        api_app_id: 'A1',
        type: 'event_callback',
        event_id: `Ev${randomUUID().replace(/-/g, '').slice(0, 10)}`,
        event_time: 1_700_000_000,
        authorizations: [{ team_id: TEAM, user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
        event,
        ...extra,
      });
    },
    async shortcut(message, w) {
      const who = whoOf(w);
      const id = randomUUID();
      await fake.send('interactive', {
        type: 'message_action',
        callback_id: 'save_links',
        token: 'legacy',
        trigger_id: `trigger-${id}`,
        team: { id: who.team, domain: 'fake' },
        user: { id: who.user, team_id: who.team, name: 'someone' },
        channel: { id: who.channel, name: 'general' },
        message_ts: String(message.ts ?? '1.1'),
        message: { type: 'message', ...message },
        response_url: fake.respondUrl(id),
      });
    },
    async stop() {
      await adapter.stop();
      await core.close();
      await fake.close();
    },
  };
  return h;
}

/** Every string leaf of a JSON value, with its path (to check what we sent, everywhere). */
export function strings(
  v: unknown,
  path = '$',
  out: { path: string; value: string }[] = [],
): { path: string; value: string }[] {
  if (typeof v === 'string') out.push({ path, value: v });
  else if (Array.isArray(v)) v.forEach((x, i) => strings(x, `${path}[${i}]`, out));
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) strings(x, `${path}.${k}`, out);
  return out;
}

/** The mrkdwn texts of the section blocks in a message body. */
export function sectionTexts(body: Record<string, unknown>): string[] {
  const blocks = (body.blocks ?? []) as { type: string; text?: { text: string } }[];
  return blocks.filter((b) => b.type === 'section' && b.text).map((b) => b.text!.text);
}

export type { Recorded };
