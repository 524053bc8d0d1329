import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@redis/client';
import { loadCatalog } from '../src/catalog/load.ts';
import type { Core } from '../src/core.ts';
import { migrateSaves } from '../src/saves/migrate.ts';
import { readingUrl, type SavedItem } from '../src/saves/service.ts';
import { openStore } from '../src/store/open.ts';
import type { Store } from '../src/store/types.ts';
import { caller, testCore } from './helpers/core.ts';
import { startRedis } from './helpers/redis.ts';
import { needRedis } from './store-helpers.ts';

/**
 * Issue 13, kinds 7 and 10: the save keys changed (one list per person; v2 URL rules; catalog
 * readings keyed by reading). The fixtures were written by the previous code (see
 * tests/fixtures/legacy-saves/make.ts): 17 saves in 8 per-server lists.
 */
const fixtures = new URL('./fixtures/legacy-saves/', import.meta.url).pathname;
const catalog = loadCatalog('data');
const discord = (workspaceId: string, userId = 'D1') => caller({ platform: 'discord', workspaceId, userId });
const slack = (workspaceId: string) => caller({ platform: 'slack', workspaceId, userId: 'U9' });

async function countAll(store: Store, prefix: string): Promise<number> {
  let n = 0;
  for (const name of await store.collectionNames(prefix)) n += await store.collection(name).count();
  return n;
}

type View = { url: string; title: string; read: boolean; note: string; tags: string[] };
async function listOf(core: Core, who: ReturnType<typeof caller>): Promise<View[]> {
  const views: View[] = [];
  for (let page = 1; ; page++) {
    const r = await core.run(who, `/saved page:${page}`);
    for (const v of r.readings)
      views.push({
        url: v.linkKind === 'search' ? '' : v.url,
        title: v.title,
        read: v.saved!.read,
        note: v.saved!.note ?? '',
        tags: v.tags,
      });
    if (!r.page || r.page.page >= r.page.pages) return views;
  }
}

async function checkMigrated(store: Store, core: Core): Promise<void> {
  assert.deepEqual(await store.collectionNames('saves/'), [], 'no v1 list is left');
  assert.equal(await countAll(store, 'saves2/'), 13, '17 saves, 4 of them copies of another');

  // Discord D1: saves from servers G1, G2 and DMs are one list, seen the same from anywhere.
  const d1 = await listOf(core, discord('G9'));
  assert.deepEqual(await listOf(core, discord('dm')), d1);
  const byUrl = new Map(d1.map((v) => [v.url, v]));
  // The catalog may have found a link for this reading since; it is saved under whatever it has now.
  const si = readingUrl(catalog.byId.get('simple-and-correct-snapshot-isolation')!);
  assert.deepEqual(
    [...byUrl.keys()].sort(),
    [
      si,
      'https://a.example/p?x=',
      'https://a.example/p?x=~',
      'https://antithesis.com/blog/2026/hegel',
      'https://b.example/only-g2',
      'https://c.example/%C3%A9t%C3%A9',
      'https://example.org/page',
    ].sort(),
  );
  assert.deepEqual(byUrl.get('https://a.example/p?x=~'), {
    url: 'https://a.example/p?x=~',
    title: 'https://a.example/p?x=%7E',
    read: false,
    note: 'from g1',
    tags: ['raft'],
  });
  // `example.org.` (G1, read) and `example.org` (G2) merged, read kept.
  assert.equal(byUrl.get('https://example.org/page')!.read, true);
  // The catalog reading saved by https:// (G1, with a note) and http:// (G2, read) is one save.
  const hegel = byUrl.get('https://antithesis.com/blog/2026/hegel')!;
  assert.equal(hegel.title, 'Hypothesis, Antithesis, synthesis');
  assert.equal(hegel.read, true);
  assert.equal(hegel.note, 'https one');
  // The reading without a link, saved in G2 and in DMs (read there): one save, read.
  assert.match(byUrl.get(si)!.title, /^Simple and Correct Snapshot Isolation/);
  assert.equal(byUrl.get(si)!.read, true);
  assert.deepEqual(byUrl.get('https://b.example/only-g2')!.tags, ['g2']);

  // Other people keep their own lists.
  assert.deepEqual(
    (await listOf(core, discord('G1', 'D2'))).map((v) => v.url),
    ['https://a.example/p?x='],
  );
  assert.deepEqual((await listOf(core, slack('T1'))).map((v) => v.url).sort(), [
    'https://spa.example/',
    'https://www.youtube.com/watch?v=abc123',
  ]);
  assert.deepEqual(
    (await listOf(core, slack('T2'))).map((v) => v.url),
    ['https://spa.example/other'],
  );
  // Console and CLI defaults were two lists; now one local list, the shared link once.
  const local = await listOf(core, caller({ platform: 'cli', userId: 'local' }));
  assert.deepEqual(local.map((v) => v.url).sort(), ['https://d.example/one', 'https://d.example/two']);

  // Reachable: ids work, and saving a migrated link again says it is there.
  const again = await core.run(discord('G3'), '/save https://EXAMPLE.org/page/#top');
  assert.match(again.text, /already saved/);
  const [first] = (await core.run(discord('G3'), '/saved')).readings;
  assert.match((await core.run(discord('dm'), `/mark ${first!.id} unread`)).text, /as unread/);

  // A second run finds nothing to do.
  assert.deepEqual(await migrateSaves(store, catalog), { lists: 0, moved: 0, merged: 0 });

  // Enterprise Grid: v1 data has no organization id, so Slack lists migrate per workspace; the first
  // time that user comes with their org id, the workspace list joins the org list.
  const gridUser = caller({ platform: 'slack', workspaceId: 'T1', userId: 'U9', enterpriseId: 'E1' });
  assert.deepEqual((await listOf(core, gridUser)).map((v) => v.url).sort(), [
    'https://spa.example/',
    'https://www.youtube.com/watch?v=abc123',
  ]);
  const otherWorkspace = caller({ platform: 'slack', workspaceId: 'T5', userId: 'U9', enterpriseId: 'E1' });
  assert.equal((await listOf(core, otherWorkspace)).length, 2);
}

test('a SQLite store written by the previous code migrates to one list per person, nothing lost', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'qr-migrate-'));
  const file = join(dir, 'quorum.sqlite');
  copyFileSync(join(fixtures, 'v1.sqlite'), file);
  const before = await openStore(`sqlite://${file}`);
  assert.equal(await countAll(before, 'saves/'), 17);
  await before.close();
  // createCore migrates at start-up.
  const core = await testCore({ env: { QR_STORE_URL: `sqlite://${file}` } });
  try {
    await checkMigrated(core.services.store, core);
  } finally {
    await core.close();
  }
});

test('a Redis store written by the previous code migrates the same way', async (t) => {
  if (!needRedis(t)) return;
  const redis = await startRedis();
  try {
    const dump = JSON.parse(readFileSync(join(fixtures, 'v1.redis.json'), 'utf8')) as Record<
      string,
      Record<string, string>
    >;
    const client = createClient({ url: redis.url });
    await client.connect();
    for (const [key, hash] of Object.entries(dump)) await client.hSet(key, hash);
    await client.quit();
    // Closed even when a check fails: an open client would keep reconnecting to the stopped server.
    const core = await testCore({ env: { QR_STORE_URL: redis.url } });
    try {
      await checkMigrated(core.services.store, core);
    } finally {
      await core.close();
    }
  } finally {
    await redis.stop();
  }
});

test('a crash between copying and removing loses nothing: the next run merges the copy again', async () => {
  const store = await openStore('memory://');
  const item: SavedItem = {
    url: 'https://a.example/p',
    title: 'P',
    tags: ['x'],
    note: 'n',
    savedAt: '2026-01-01T00:00:00.000Z',
    read: true,
  };
  await store.collection<SavedItem>('saves/discord/G1/D1').add('k1', item, 10);
  // As if a previous run had copied it (with another server's note merged in) and then died.
  const { linkKey } = await import('../src/saves/service.ts');
  await store
    .collection<SavedItem>('saves2/discord/D1')
    .add(linkKey('https://a.example/p'), { ...item, note: 'n · m' }, 10);
  assert.deepEqual(await migrateSaves(store, catalog), { lists: 1, moved: 0, merged: 1 });
  const [only] = await store.collection<SavedItem>('saves2/discord/D1').list();
  assert.equal(only!.value.note, 'n · m');
  assert.deepEqual(only!.value.tags, ['x']);
  await store.close();
});
