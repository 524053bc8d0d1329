import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalog } from '../src/catalog/load.ts';
import { SavesService } from '../src/saves/service.ts';
import { openStore } from '../src/store/open.ts';
import { StoreUnavailableError } from '../src/store/types.ts';
import { caller, testCore } from './helpers/core.ts';
import { startRedis } from './helpers/redis.ts';
import { needRedis } from './store-helpers.ts';

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
