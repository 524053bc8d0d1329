/** Start the real Discord adapter (real discord.js Client) against a FakeDiscord on 127.0.0.1. */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Core } from '../../src/core.ts';
import { testConfig, testCore } from '../helpers/core.ts';
import {
  createDiscordAdapter,
  type DiscordAdapter,
  type DiscordAdapterOptions,
} from '../../adapters/discord/index.ts';
import { FakeDiscord } from './fake-discord.ts';

export interface Bot {
  fake: FakeDiscord;
  core: Core;
  adapter: DiscordAdapter;
  /** Every log line the adapter wrote, parsed. */
  logs: Record<string, unknown>[];
  /** Resolve with the first log line (past or future) matching `match`. */
  waitForLog(match: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function startBot(
  opts: { env?: Record<string, string>; retries?: number; wrapCore?: (core: Core) => Core } & Partial<
    Omit<DiscordAdapterOptions, 'core' | 'config' | 'logger'>
  > = {},
): Promise<Bot> {
  const { env, retries, wrapCore, ...adapterOptions } = opts;
  const fake = await FakeDiscord.start();
  const config = testConfig({
    DISCORD_TOKEN: 'fake-token',
    DISCORD_APPLICATION_ID: '100000000000000001',
    ...env,
  });
  const realCore = await testCore({ env });
  const core = wrapCore ? wrapCore(realCore) : realCore;
  const logs: Record<string, unknown>[] = [];
  const waiters: {
    match: (l: Record<string, unknown>) => boolean;
    resolve: (l: Record<string, unknown>) => void;
  }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        logs.push(parsed);
        for (const w of [...waiters]) {
          if (!w.match(parsed)) continue;
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(parsed);
        }
      }
      done();
    },
  });
  const logger = pino({ level: 'debug' }, sink);
  const adapter = createDiscordAdapter({
    core,
    config,
    logger,
    clientOptions: { rest: { api: fake.api, retries: retries ?? 0, offset: 0 } },
    ...adapterOptions,
  });
  await adapter.start();
  return {
    fake,
    core,
    adapter,
    logs,
    waitForLog(match) {
      const found = logs.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve) => waiters.push({ match, resolve }));
    },
    async close() {
      await adapter.stop();
      await fake.close();
      await realCore.close();
    },
  };
}
