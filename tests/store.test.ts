import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalog } from '../src/catalog/load.ts';
import { SavesService } from '../src/saves/service.ts';
import { openStore } from '../src/store/open.ts';
import { StoreUnavailableError, type Store } from '../src/store/types.ts';
import { createMemoryStore } from '../src/store/memory.ts';
import { startPruning } from '../src/store/prune.ts';
import { silentLogger } from '../src/logger.ts';
import { caller, testCore } from './helpers/core.ts';
import { startRedis } from './helpers/redis.ts';
import { needRedis } from './store-helpers.ts';
import { migrateSaves } from '../src/saves/migrate.ts';

const catalog = loadCatalog('data');
const shared = {
  platform: 'console' as const,
  workspaceId: 'w',
  userId: 'shared',
  channelId: 'c',
  canManageChannel: false,
};
const tempDir = () => mkdtempSync(join(tmpdir(), 'qr-store-'));

function runSaver(url: string, prefix: string, count: number): Promise<{ acked: number[]; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'tests/fixtures/saver.ts', url, prefix, String(count), '10'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', () =>
      resolve({ acked: [...out.matchAll(/^ok (\d+)$/gm)].map((m) => Number(m[1])), out }),
    );
  });
}

test('a bad store URL says what is expected', async () => {
  for (const url of ['postgres://x', 'sqlite://relative.sqlite', 'redis://', 'nonsense']) {
    await assert.rejects(
      openStore(url),
      /QR_STORE_URL: .*expected sqlite:\/\/\/path\/to\/file.sqlite or redis:\/\/host:6379/,
      url,
    );
  }
});

test('SQLite: the data directory is created on first start', async () => {
  const path = join(tempDir(), 'nested', 'dir', 'quorum.sqlite');
  const store = await openStore(`sqlite://${path}`);
  await store.namespace('probe').set('k', 1);
  assert.equal(await store.namespace('probe').get('k'), 1);
  await store.close();
});

test('SQLite: a corrupt file gives a clear error', async () => {
  const path = join(tempDir(), 'quorum.sqlite');
  writeFileSync(path, 'this is not a database '.repeat(200));
  await assert.rejects(openStore(`sqlite://${path}`), /corrupt or not a SQLite database .*Move it aside/);
});

test('SQLite: a read-only file gives a clear error', async (t) => {
  const dir = tempDir();
  const path = join(dir, 'quorum.sqlite');
  (await openStore(`sqlite://${path}`)).close();
  await new Promise((r) => setTimeout(r, 50));
  chmodSync(path, 0o444);
  chmodSync(dir, 0o555);
  // Root ignores file modes: the child drops to an unprivileged user (nobody, 65534) itself, after
  // loading its modules as root, so where the checkout lives (even under a 0700 directory) does not
  // matter. The store's directory is made here, under the system temp directory.
  const root = process.getuid?.() === 0;
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'tests/fixtures/open-store.ts', `sqlite://${path}`, ...(root ? ['65534'] : [])],
    { encoding: 'utf8', env: { ...process.env, HOME: dir } },
  );
  chmodSync(dir, 0o755);
  if (r.stdout.startsWith('cannot drop privileges')) {
    t.skip(`running as root and ${r.stdout.trim()}: file modes cannot be made to bind here`);
    return;
  }
  assert.match(r.stdout, /is read-only .*write access/, r.stderr);
});

test('SQLite: namespaces are isolated and iterable even with look-alike names', async () => {
  const store = await openStore(`sqlite://${join(tempDir(), 'q.sqlite')}`);
  const a = store.namespace('a:b');
  const b = store.namespace('a_b');
  const c = store.namespace('a');
  await a.set('x', 1);
  await b.set('y', 2);
  await c.set('z', 3);
  const keys = async (kv: typeof a) => {
    const out: string[] = [];
    for await (const [k] of kv.iterator!(undefined)) out.push(String(k));
    return out;
  };
  assert.deepEqual(await keys(a), ['x']);
  assert.deepEqual(await keys(b), ['y']);
  assert.deepEqual(await keys(c), ['z']);
  await c.clear();
  assert.equal(await a.get('x'), 1);
  await store.close();
});

test('SQLite: claims are exactly-once and expire', async () => {
  const url = `sqlite://${join(tempDir(), 'q.sqlite')}`;
  const [s1, s2] = [await openStore(url), await openStore(url)];
  const wins = await Promise.all(
    [...Array(10)].map((_, i) => (i % 2 ? s1 : s2).claim('post:2025-01-01', `o${i}`, 60_000)),
  );
  assert.equal(wins.filter(Boolean).length, 1);
  assert.equal(await s1.claim('short', 'a', 1), true);
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(await s2.claim('short', 'b', 60_000), true);
  await s1.release('short', 'a'); // not the holder: no effect
  assert.equal(await s1.claim('short', 'c', 60_000), false);
  await s2.release('short', 'b');
  assert.equal(await s1.claim('short', 'c', 60_000), true);
  await s1.close();
  await s2.close();
});

test('SQLite: two processes saving to one file at once keep every save', async () => {
  const url = `sqlite://${join(tempDir(), 'q.sqlite')}`;
  const [a, b] = await Promise.all([runSaver(url, 'a', 150), runSaver(url, 'b', 150)]);
  assert.equal(a.acked.length, 150, a.out.slice(-200));
  assert.equal(b.acked.length, 150, b.out.slice(-200));
  const store = await openStore(url);
  assert.equal(await new SavesService(store, catalog).count(shared), 300);
  await store.close();
});

test('SQLite: every save acknowledged before a SIGKILL is there after restart', async () => {
  const url = `sqlite://${join(tempDir(), 'q.sqlite')}`;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'tests/fixtures/saver.ts', url, 'k', '100000', '20'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  await new Promise<void>((resolve) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if ((out.match(/^ok /gm) ?? []).length >= 300 && !child.killed) {
        child.kill('SIGKILL');
        resolve();
      }
    });
  });
  await new Promise((r) => child.once('exit', r));
  const acked = [...out.matchAll(/^ok (\d+)$/gm)].map((m) => Number(m[1]));
  const store = await openStore(url);
  const saves = new SavesService(store, catalog);
  const urls = new Set((await saves.list(shared)).map((e) => e.url));
  for (const n of acked) assert.ok(urls.has(`https://example.com/k/${n}`), `acknowledged save ${n} lost`);
  await store.close();
});

test('Redis: two processes saving at once keep every save', async (t) => {
  if (!needRedis(t)) return;
  const redis = await startRedis();
  const [a, b] = await Promise.all([runSaver(redis.url, 'a', 150), runSaver(redis.url, 'b', 150)]);
  assert.equal(a.acked.length + b.acked.length, 300);
  const store = await openStore(redis.url);
  assert.equal(await new SavesService(store, catalog).count(shared), 300);
  const wins = await Promise.all([...Array(10)].map((_, i) => store.claim('daily', `o${i}`, 60_000)));
  assert.equal(wins.filter(Boolean).length, 1);
  await store.close();
  await redis.stop();
});

test('Redis: unreachable at start gives a clear error', async (t) => {
  if (!needRedis(t)) return;
  const redis = await startRedis();
  await redis.stop();
  await assert.rejects(
    openStore(redis.url),
    /QR_STORE_URL: cannot reach Redis at 127.0.0.1:\d+ .*Start Redis/,
  );
});

test('Redis: stopped mid-run answers "storage unavailable" quickly, then works again; nothing confirmed is lost', async (t) => {
  if (!needRedis(t)) return;
  const redis = await startRedis();
  const store = await openStore(redis.url);
  const core = await testCore({ store });
  const me = caller();
  assert.equal((await core.run(me, '/save https://before.example/')).status, 'ok');
  await redis.stop();
  // While down: every call fails with StoreUnavailableError (bounded by the store's 2 s cap, no hang).
  await assert.rejects(store.collection('x').count(), StoreUnavailableError);
  await assert.rejects(store.namespace('cursors').get('k'), StoreUnavailableError);
  const down = await core.run(me, '/save https://during.example/');
  assert.equal(down.text, 'Storage is unavailable right now; try again in a minute.');
  await redis.restart();
  // The client reconnects on its own (backoff ≤ 2 s); wait for it by retrying the command.
  let up = down;
  for (let i = 0; i < 50 && up.status !== 'ok'; i++) {
    await new Promise((r) => setTimeout(r, 200));
    up = await core.run(me, '/saved');
  }
  assert.equal(up.status, 'ok');
  await core.close();
  await redis.stop();
});

// ---- State with a lifetime, and compare-and-set (issue 14) ----

class StepClock {
  t = Date.parse('2025-06-01T12:00:00Z');
  now = (): number => this.t;
}

/** The same checks on every backend: `open` gives a fresh store on the given clock. */
async function expiresAndIsPruned(open: (clock: StepClock) => Promise<Store>): Promise<void> {
  const clock = new StepClock();
  const store = await open(clock);
  const cursors = store.namespace('cursors');
  for (let i = 0; i < 200; i++) await cursors.set(`old${i}`, { q: `query ${i}` }, 60_000);
  await cursors.set('live', { q: 'kept' }, 3_600_000);
  await store.namespace('saves-meta').set('forever', { n: 1 }); // no lifetime: never pruned
  for (let i = 0; i < 101; i++) assert.equal(await store.claim(`slack:event:E${i}`, 'p1', 60_000), true);
  await store.takeToken('commands/u1', 20, 60_000, clock.t);
  clock.t += 10 * 60_000; // every lifetime above but the live cursor's is over
  assert.equal(await cursors.get('old7'), undefined, 'an expired paging row reads as missing');
  assert.deepEqual(await cursors.get('live'), { q: 'kept' });
  assert.equal(
    await store.claim('slack:event:E3', 'p2', 60_000),
    true,
    'an expired claim can be taken again',
  );
  const removed = await store.prune();
  // A read may already have dropped the expired row it met (memory does), so one fewer is fine.
  assert.ok(removed >= 199 + 100 + 1, `pruned ${removed}`);
  const sizes = Object.fromEntries((await store.stateSizes()).map((s) => [s.table, s]));
  assert.deepEqual(sizes.keyv, { table: 'keyv', rows: 2, live: 2 });
  assert.deepEqual(sizes.claims, { table: 'claims', rows: 1, live: 1 });
  assert.deepEqual(sizes.buckets, { table: 'buckets', rows: 0, live: 0 });
  assert.deepEqual(await store.namespace('saves-meta').get('forever'), { n: 1 });
  await store.close();
}

test('memory: paging rows, claims and buckets expire on the store clock and are pruned', () =>
  expiresAndIsPruned(async (clock) => createMemoryStore({ clock })));

test('SQLite: paging rows, claims and buckets expire on the store clock and are pruned', () =>
  expiresAndIsPruned((clock) => openStore(`sqlite://${join(tempDir(), 'q.sqlite')}`, undefined, { clock })));

test('Redis: paging rows, claims and buckets carry a server-side expiry (PX), so none stays', async (t) => {
  if (!needRedis(t)) return;
  const server = await startRedis();
  try {
    const store = await openStore(server.url);
    await store.namespace('cursors').set('tok', { q: 'x' }, 60_000);
    await store.claim('slack:event:E1', 'p1', 60_000);
    await store.takeToken('commands/u1', 20, 60_000, Date.now());
    const { createClient } = await import('@keyv/redis');
    const raw = createClient({ url: server.url });
    await raw.connect();
    try {
      const keys = await raw.keys('*');
      assert.equal(keys.length, 3, keys.join(' '));
      for (const k of keys) {
        const ttl = await raw.pTTL(k);
        assert.ok(ttl > 0 && ttl <= 120_000, `${k} expires (PTTL ${ttl})`);
      }
    } finally {
      await raw.close();
    }
    assert.equal(await store.prune(), 0);
    await store.close();
  } finally {
    await server.stop();
  }
});

async function compareAndSet(store: Store): Promise<void> {
  const m = store.versioned<{ n: number }>('tod-subs-test');
  assert.equal(await m.create('a', { n: 1 }), true);
  assert.equal(await m.create('a', { n: 99 }), false, 'create never overwrites');
  const read = await m.get('a');
  assert.deepEqual(read, { value: { n: 1 }, version: 1 });
  // Two writers computed from version 1: exactly one lands, the other is told so.
  const [x, y] = await Promise.all([m.replace('a', { n: 2 }, 1), m.replace('a', { n: 3 }, 1)]);
  assert.equal(Number(x) + Number(y), 1);
  const after = await m.get('a');
  assert.equal(after?.version, 2);
  assert.equal(await m.replace('a', { n: 4 }, 1), false, 'a stale version never writes');
  assert.equal(await m.replace('missing', { n: 1 }, 1), false);
  assert.deepEqual(
    (await m.list()).map((r) => [r.id, r.version]),
    [['a', 2]],
  );
  await store.close();
}

test('memory: versioned records are compare-and-set', () => compareAndSet(createMemoryStore()));
test('SQLite: versioned records are compare-and-set (two connections on one file)', async () => {
  const url = `sqlite://${join(tempDir(), 'q.sqlite')}`;
  const a = await openStore(url);
  const b = await openStore(url);
  const m = a.versioned<{ n: number }>('x');
  await m.create('k', { n: 0 });
  const wins = await Promise.all(
    [...Array(8)].map((_, i) => (i % 2 ? a : b).versioned<{ n: number }>('x').replace('k', { n: i }, 1)),
  );
  assert.equal(wins.filter(Boolean).length, 1);
  await b.close();
  await compareAndSet(a);
});
test('Redis: versioned records are compare-and-set', async (t) => {
  if (!needRedis(t)) return;
  const server = await startRedis();
  try {
    await compareAndSet(await openStore(server.url));
  } finally {
    await server.stop();
  }
});

test('SQLite: a store written by the previous code opens, keeps every save, and its dead rows expire', async () => {
  const dir = tempDir();
  const path = join(dir, 'old.sqlite');
  copyFileSync('tests/fixtures/store-v1.sqlite', path);
  const clock = new StepClock();
  clock.t = Date.now(); // the fixture's short-lived rows were written long before now
  const store = await openStore(`sqlite://${path}`, undefined, { clock });
  // Start-up moves per-server lists to one list per person (issue 13); then every save is there.
  await migrateSaves(store, catalog);
  const saves = new SavesService(store, catalog, { clock });
  const list = await saves.list(caller({ userId: 'saver' }));
  assert.equal(list.length, 5, 'every save the old code acknowledged is there');
  const before = Object.fromEntries((await store.stateSizes()).map((s) => [s.table, s]));
  assert.equal(before.keyv!.live, 3, 'two subscriptions and the one live paging row');
  assert.equal(before.keyv!.rows, 23);
  assert.ok((await store.prune()) >= 20 + 10);
  const after = Object.fromEntries((await store.stateSizes()).map((s) => [s.table, s]));
  assert.deepEqual(after.keyv, { table: 'keyv', rows: 3, live: 3 });
  assert.deepEqual(after.claims, { table: 'claims', rows: 0, live: 0 });
  await store.close();
});

test('expired rows are pruned in the background: the timer fires, prunes on the store clock, re-arms, stops', async () => {
  const clock = new StepClock();
  const store = await openStore(`sqlite://${join(tempDir(), 'q.sqlite')}`, undefined, { clock });
  const armed: Array<{ fn: () => void; ms: number; cleared: boolean }> = [];
  const timers = {
    setTimeout(fn: () => void, ms: number) {
      const h = { fn, ms, cleared: false };
      armed.push(h);
      return h;
    },
    clearTimeout(h: unknown) {
      (h as { cleared: boolean }).cleared = true;
    },
  };
  const pruning = startPruning(store, silentLogger, { everyMs: 60_000, timers });
  for (let i = 0; i < 50; i++) await store.namespace('cursors').set(`t${i}`, { q: 'x' }, 30_000);
  assert.equal(armed.length, 1);
  assert.equal(armed[0]!.ms, 60_000);
  clock.t += 60_000;
  armed[0]!.fn();
  while (armed.length < 2) await new Promise((r) => setImmediate(r)); // re-armed once the prune is done
  const keyv = (await store.stateSizes()).find((s) => s.table === 'keyv');
  assert.deepEqual(keyv, { table: 'keyv', rows: 0, live: 0 });
  await pruning.stop();
  assert.equal(armed[1]!.cleared, true);
  await store.close();
});
