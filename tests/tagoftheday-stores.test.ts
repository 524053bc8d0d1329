import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { caller, testCore } from './helpers/core.ts';
import { hasRedisServer, removeDir, REDIS_MISSING, startRedis, type RedisServer } from './helpers/redis.ts';
import { openStore } from '../src/store/open.ts';
import type { Store } from '../src/store/types.ts';
import type { Core } from '../src/core.ts';
import type { Poster, Subscription } from '../src/tagoftheday/service.ts';

class TestClock {
  t = Date.parse('2025-06-01T12:00:00Z');
  now = (): number => this.t;
}

function recorder(clock: TestClock) {
  const sent: Array<{ key: string; day: string }> = [];
  const poster: Poster = {
    async post(sub: Subscription) {
      sent.push({ key: sub.channelId, day: new Date(clock.t).toISOString().slice(0, 10) });
    },
  };
  return { sent, poster };
}

/** Two bot processes' cores (two store clients on the same backend), one clock. */
async function twoBots(url: string, clock: TestClock): Promise<{ a: Core; b: Core; stores: Store[] }> {
  const stores = [await openStore(url), await openStore(url)];
  const a = await testCore({ store: stores[0]!, clock });
  const b = await testCore({ store: stores[1]!, clock });
  return { a, b, stores };
}

async function exactlyOnceAcrossClients(url: string): Promise<void> {
  const clock = new TestClock();
  const { a, b } = await twoBots(url, clock);
  for (const ch of ['c1', 'c2', 'c3'])
    assert.equal((await a.run(caller({ channelId: ch }), '/tagoftheday subscribe 09:00 UTC')).status, 'ok');
  // B sees A's subscriptions through the store.
  assert.equal((await b.services.tagOfTheDay.list()).filter((s) => s.active).length, 3);
  const { sent, poster } = recorder(clock);
  const tags: string[] = [];
  for (const day of ['2025-06-02', '2025-06-03', '2025-06-04']) {
    clock.t = Date.parse(`${day}T09:00:00Z`);
    const [ra, rb] = await Promise.all([
      a.services.tagOfTheDay.tick(poster),
      b.services.tagOfTheDay.tick(poster),
    ]);
    assert.equal(ra.posted.length + rb.posted.length, 3, `${day}: one post per channel`);
    clock.t += 60_000;
    await Promise.all([a.services.tagOfTheDay.tick(poster), b.services.tagOfTheDay.tick(poster)]);
    tags.push((await a.services.tagOfTheDay.get(caller()))!.lastTag!);
  }
  assert.equal(sent.length, 9);
  assert.equal(new Set(sent.map((s) => `${s.key}@${s.day}`)).size, 9);
  assert.equal(new Set(tags).size, 3, 'the rotation advanced once per day');
  const next = a.services.tagOfTheDay.nextTag(caller(), await a.services.tagOfTheDay.get(caller()));
  await a.close();
  await b.close();

  // Restart: a new process on the same backend continues the same order.
  const c = await testCore({ store: await openStore(url), clock });
  clock.t = Date.parse('2025-06-05T09:00:00Z');
  const after = recorder(clock);
  await c.services.tagOfTheDay.tick(after.poster);
  assert.equal(after.sent.length, 3);
  assert.equal((await c.services.tagOfTheDay.get(caller()))!.lastTag, next);
  await c.close();
}

function runChild(
  url: string,
  iso: string,
  owner: string,
  startAt: number,
): Promise<{ posted: string[]; sent: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join('tests', 'fixtures', 'tod-tick.ts'), url, iso, owner, String(startAt)],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, QR_LOG_LEVEL: 'silent' } },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`child ${owner} exited ${code}: ${err}`));
      const line = out.trim().split('\n').pop() ?? '';
      resolve(JSON.parse(line) as { posted: string[]; sent: string[] });
    });
  });
}

async function exactlyOnceAcrossProcesses(url: string): Promise<void> {
  const clock = new TestClock();
  const setupStore = await openStore(url);
  const core = await testCore({ store: setupStore, clock });
  for (const ch of ['p1', 'p2'])
    await core.run(caller({ channelId: ch }), '/tagoftheday subscribe 09:00 UTC');
  await core.close();
  // Both children start, load the catalog, then tick at the same agreed moment.
  const startAt = Date.now() + 4000;
  const results = await Promise.all(
    ['proc-a', 'proc-b', 'proc-c'].map((o) => runChild(url, '2025-06-02T09:00:30Z', o, startAt)),
  );
  const sent = results.flatMap((r) => r.sent);
  assert.equal(sent.length, 2, JSON.stringify(results));
  assert.deepEqual(sent.map((s) => s.split('@')[0]).sort(), ['p1', 'p2']);
}

async function withSqlite(fn: (url: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'qr-tod-'));
  try {
    await fn(`sqlite://${join(dir, 'tod.sqlite')}`);
  } finally {
    removeDir(dir);
  }
}

async function withRedis(t: TestContext, fn: (url: string) => Promise<void>): Promise<void> {
  if (!hasRedisServer()) {
    if (process.env.CI) assert.fail(REDIS_MISSING);
    t.skip(REDIS_MISSING);
    return;
  }
  const server: RedisServer = await startRedis();
  try {
    await fn(server.url);
  } finally {
    await server.stop();
  }
}

test('SQLite: two store clients on one file tick at the same instant → exactly one post per channel per day', () =>
  withSqlite(exactlyOnceAcrossClients));

test('Redis: two store clients on one redis-server tick at the same instant → exactly one post per channel per day', (t) =>
  withRedis(t, exactlyOnceAcrossClients));

test('SQLite: three OS processes tick at once → each channel posted once', () =>
  withSqlite(exactlyOnceAcrossProcesses));

test('Redis: three OS processes tick at once → each channel posted once', (t) =>
  withRedis(t, exactlyOnceAcrossProcesses));
