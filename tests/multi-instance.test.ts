// Many instances: two real bot processes (tests/fixtures/bot-process.ts, each a full core built from
// the environment) against one real redis-server. Saves from both are kept, the tag of the day goes
// out once, and rate limits are shared.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasRedisServer, removeDir, startRedis, type RedisServer } from './helpers/redis.ts';
import { needRedis } from './store-helpers.ts';
import { spawnBot, type BotProcess } from './fixtures/bot-process-client.ts';

let redis: RedisServer | undefined;
const bots: BotProcess[] = [];
const dirs: string[] = [];

before(async () => {
  if (hasRedisServer()) redis = await startRedis();
});

after(async () => {
  await Promise.allSettled(bots.map((b) => b.close()));
  await redis?.stop();
  for (const d of dirs) removeDir(d);
});

/** Two bot processes on the shared redis-server, each with its own data dir, started in parallel. */
async function twoBots(env: Record<string, string> = {}): Promise<[BotProcess, BotProcess]> {
  const envFor = () => {
    const dir = mkdtempSync(join(tmpdir(), 'qr-multi-'));
    dirs.push(dir);
    return {
      QR_STORE_URL: redis!.url,
      QR_DATA_DIR: dir,
      QR_FETCH_TITLES: 'false',
      QR_RATE_COMMANDS: '10000',
      QR_RATE_SAVES: '10000',
      ...env,
    };
  };
  const [a, b] = await Promise.all([spawnBot(envFor()), spawnBot(envFor())]);
  bots.push(a, b);
  assert.notEqual(a.pid, b.pid);
  return [a, b];
}

let shared: Promise<[BotProcess, BotProcess]> | undefined;
/** The pair with high rate limits, shared by the saves and tag-of-the-day tests. */
const highLimitBots = () => (shared ??= twoBots());

test('saves by one user from two processes, interleaved and concurrent, are all kept and seen from both', async (t) => {
  if (!needRedis(t)) return;
  const [a, b] = await highLimitBots();
  const user = 'saver';
  const perProcess = 100;
  // Fire everything at once: the two processes' saves interleave on the same user's collection.
  const sends = [];
  for (let i = 0; i < perProcess; i++) {
    sends.push(a.send({ op: 'save', user, text: `https://multi.example/a/${i} #multi` }));
    sends.push(b.send({ op: 'save', user, text: `https://multi.example/b/${i} #multi` }));
  }
  const answers = await Promise.all(sends);
  const failed = answers.filter((r) => r.status !== 'ok');
  assert.deepEqual(failed, [], 'every save was confirmed');

  const total = perProcess * 2;
  for (const bot of [a, b]) {
    assert.equal((await bot.send({ op: 'count', user })).count, total);
    const listed = await bot.send({ op: 'run', user, line: '/saved' });
    assert.equal(listed.status, 'ok');
    assert.match(listed.text!, new RegExp(`\\*\\*Your saves\\*\\*: ${total} \\(${total} unread\\)`));
  }
  // Saving one of them again from the other process finds it (no duplicate).
  const again = await b.send({ op: 'save', user, text: 'https://multi.example/a/7' });
  assert.equal(again.status, 'ok');
  assert.equal((await a.send({ op: 'count', user })).count, total);
});

test('a channel subscribed from process A gets one tag-of-the-day post when both tick at the same instant', async (t) => {
  if (!needRedis(t)) return;
  const [a, b] = await highLimitBots();
  const sub = await a.send({
    op: 'run',
    user: 'admin',
    channel: 'tod-channel',
    line: '/tagoftheday subscribe 09:00 UTC',
  });
  assert.equal(sub.status, 'ok', sub.text);

  // Tomorrow's 09:00 UTC firing (subscriptions only post firings after the moment they were made).
  const day = new Date(Date.now() + 24 * 3600_000).toISOString().slice(0, 10);
  const firing = Date.parse(`${day}T09:00:30Z`);
  // Both processes wait for the same wall-clock moment, then tick at the same instant.
  const startAt = Date.now() + 500;
  const [ra, rb] = await Promise.all([
    a.send({ op: 'tick', now: firing, startAt }),
    b.send({ op: 'tick', now: firing, startAt }),
  ]);
  const sent = [...ra.sent!, ...rb.sent!];
  assert.equal(sent.length, 1, JSON.stringify({ a: ra, b: rb }));
  assert.match(sent[0]!, /^tod-channel:/);
  assert.deepEqual([...ra.posted!, ...rb.posted!], ['console:multi:tod-channel']);
  assert.deepEqual([...ra.failed!, ...rb.failed!], []);

  // Later the same day, both tick again: nothing more goes out.
  const later = Date.parse(`${day}T15:00:00Z`);
  const again = await Promise.all([a.send({ op: 'tick', now: later }), b.send({ op: 'tick', now: later })]);
  assert.deepEqual(
    again.flatMap((r) => r.sent!),
    [],
  );

  // The next day's firing posts once more, from whichever process wins.
  const next = firing + 24 * 3600_000;
  const third = await Promise.all([a.send({ op: 'tick', now: next }), b.send({ op: 'tick', now: next })]);
  assert.equal(third.flatMap((r) => r.sent!).length, 1);
});

test('a low rate limit is shared: 5 commands across both processes pass, the 6th on either is told to slow down', async (t) => {
  if (!needRedis(t)) return;
  // A day-long window: no token refills while the test runs, however slow the machine.
  const [a, b] = await twoBots({ QR_RATE_COMMANDS: '5', QR_RATE_WINDOW_SECONDS: '86400' });

  // One user alternating between the processes.
  const order = [a, b, a, b, a];
  for (const [i, bot] of order.entries()) {
    const r = await bot.send({ op: 'run', user: 'alternating', line: '/read raft' });
    assert.equal(r.status, 'ok', `command ${i + 1}: ${r.text}`);
  }
  for (const bot of [b, a]) {
    const r = await bot.send({ op: 'run', user: 'alternating', line: '/read paxos' });
    assert.equal(r.status, 'error');
    assert.match(r.text!, /Slow down/);
  }
  // Saves count against the same commands bucket.
  const save = await b.send({ op: 'save', user: 'alternating', text: 'https://multi.example/limited' });
  assert.match(save.text!, /Slow down/);

  // Another user firing 10 at once, 5 through each process: exactly 5 get through.
  const burst = await Promise.all(
    Array.from({ length: 10 }, (_, i) =>
      (i % 2 ? a : b).send({ op: 'run', user: 'burst', line: '/read consensus' }),
    ),
  );
  assert.equal(burst.filter((r) => r.status === 'ok').length, 5);
  const slowed = burst.filter((r) => r.status === 'error');
  assert.equal(slowed.length, 5);
  for (const r of slowed) assert.match(r.text!, /Slow down/);

  // Other users are not affected.
  assert.equal((await a.send({ op: 'run', user: 'someone-else', line: '/read raft' })).status, 'ok');
});
