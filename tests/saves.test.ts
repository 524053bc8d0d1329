import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalog } from '../src/catalog/load.ts';
import { displayTitle } from '../src/catalog/schema.ts';
import { DEFAULT_SAVE_CAP, SavesService } from '../src/saves/service.ts';
import { openStore } from '../src/store/open.ts';
import type { Store } from '../src/store/types.ts';
import { Parser } from 'htmlparser2';
import parseBookmarks from 'node-bookmarks-parser';
import { searchLinkFor } from '../src/text/safe.ts';
import { caller, testCore } from './helpers/core.ts';
import { startRedis } from './helpers/redis.ts';
import { needRedis } from './store-helpers.ts';

const catalog = loadCatalog('data');
/** A catalog reading without a verified or cited link (shown with a web-search link). */
const NO_LINK = catalog.readings.find((r) => r.link.status === 'none')!;
const sqliteUrl = () => `sqlite://${join(mkdtempSync(join(tmpdir(), 'qr-saves-')), 'quorum.sqlite')}`;

test('saving the same link twice keeps one entry and says already saved', async () => {
  const core = await testCore();
  const me = caller();
  const first = await core.run(me, '/save https://example.com/post?utm_source=news #raft worth a read');
  assert.equal(first.status, 'ok');
  assert.match(first.text, /Saved/);
  const again = await core.run(me, '/save https://EXAMPLE.com/post/#comments');
  assert.match(again.text, /already saved/);
  const mixed = await core.run(me, '/save https://example.com/post and https://example.com/other');
  assert.match(mixed.text, /Saved \*\*https:\/\/example.com\/other\*\*/);
  assert.match(mixed.text, /Already saved: `\w{8}` https:\/\/example.com\/post/);
  const list = await core.run(me, '/saved');
  assert.equal(list.readings.length, 2);
  const post = list.readings.find((r) => r.url === 'https://example.com/post')!;
  assert.deepEqual(post.tags, ['raft']);
  assert.equal(post.saved?.note, 'worth a read');
  await core.close();
});

test('a link from the catalog takes the catalog title and tags', async () => {
  const core = await testCore();
  const reading = catalog.readings.find((r) => r.link.status !== 'none')!;
  const url = reading.link.status !== 'none' ? reading.link.url : '';
  const r = await core.run(caller(), `/save ${url}`);
  assert.match(r.text, /from the catalog/);
  assert.equal(r.readings[0]!.title, reading.title);
  for (const t of r.readings[0]!.tags) assert.ok(reading.tags.includes(t));
  // The Save button under /read results saves the reading for whoever pressed it.
  const pressed = await core.press(caller({ userId: 'u2' }), `qr:save:reading:${reading.id}`);
  assert.match(pressed.text, /from the catalog/);
  await core.close();
});

test('whole chat messages save every link in them; bad links are refused with a reason', async () => {
  const core = await testCore();
  const me = caller();
  const msg =
    'Good ones: <https://a.example/x|A> and [B](https://b.example/y), plus https://c.example/z. <!channel>';
  const r = await core.runCommand(me, 'save', msg);
  assert.match(r.text, /Saved 3 links/);
  assert.ok(!/<!channel>/.test(r.text));
  assert.match((await core.run(me, '/save javascript:alert(1)')).text, /Only http\(s\)/);
  assert.match((await core.run(me, '/save https://u:p@a.example/')).text, /user name or password/);
  const many = Array.from({ length: 21 }, (_, i) => `https://m.example/${i}`).join(' ');
  assert.match((await core.runCommand(me, 'save', many)).text, /21 links; save at most 20/);
  await core.close();
});

test("one list per person, and one user never sees another user's saves (issue 13, kind 10)", async () => {
  const core = await testCore();
  const slack = (over: Parameters<typeof caller>[0]) => caller({ platform: 'slack', ...over });
  await core.run(slack({ userId: 'alice', workspaceId: 'T1' }), '/save https://alice.example/');
  for (const other of [
    slack({ userId: 'bob', workspaceId: 'T1' }),
    // Slack user ids are per workspace: alice in another workspace is another person.
    slack({ userId: 'alice', workspaceId: 'T2' }),
    caller({ userId: 'alice', platform: 'discord', workspaceId: 'G1' }),
    caller({ userId: 'alice' }),
  ]) {
    const r = await core.run(other, '/saved');
    assert.match(r.text, /no saves yet/);
  }
  assert.equal((await core.run(slack({ userId: 'alice', workspaceId: 'T1' }), '/saved')).readings.length, 1);

  // Discord user ids are global: a save in one server shows in another server and in DMs.
  await core.run(
    caller({ platform: 'discord', workspaceId: 'G1', userId: 'D1' }),
    '/save https://d.example/x',
  );
  for (const where of ['G2', 'dm']) {
    const r = await core.run(caller({ platform: 'discord', workspaceId: where, userId: 'D1' }), '/saved');
    assert.deepEqual(
      r.readings.map((v) => v.url),
      ['https://d.example/x'],
      where,
    );
  }
  // Enterprise Grid: one list per organization user, whichever workspace of it they are in.
  const grid = (ws: string) => slack({ workspaceId: ws, enterpriseId: 'E1', userId: 'W1' });
  await core.run(grid('T1'), '/save https://grid.example/');
  assert.equal((await core.run(grid('T7'), '/saved')).readings.length, 1);
  // The console and the one-shot CLI share the local user's list.
  await core.run(caller({ platform: 'console', userId: 'local' }), '/save https://local.example/');
  assert.equal((await core.run(caller({ platform: 'cli', userId: 'local' }), '/saved')).readings.length, 1);
  await core.close();
});

test('the cap refuses saves beyond it (default 5,000)', async () => {
  const store = await openStore(sqliteUrl());
  assert.equal(new SavesService(store, catalog).cap, DEFAULT_SAVE_CAP);
  assert.equal(DEFAULT_SAVE_CAP, 5000);
  const saves = new SavesService(store, catalog, { cap: 3 });
  const me = caller();
  const r = await saves.saveText(
    me,
    'https://a.example/1 https://a.example/2 https://a.example/3 https://a.example/4',
  );
  assert.ok('added' in r);
  assert.equal(r.added.length, 3);
  assert.equal(r.full, true);
  assert.equal(await saves.count(me), 3);
  await store.close();
});

async function concurrentSaves(store: Store): Promise<void> {
  const saves = new SavesService(store, catalog);
  const me = caller({ userId: `burst-${Math.random()}` });
  const results = await Promise.all(
    Array.from({ length: 100 }, (_, i) => saves.saveText(me, `https://burst.example/${i}`)),
  );
  for (const r of results) assert.ok('added' in r && r.added.length === 1);
  assert.equal(await saves.count(me), 100);
  assert.equal((await saves.list(me)).length, 100);
}

test('100 concurrent saves by one user keep all 100 (memory)', async () => {
  const store = await openStore('memory://');
  await concurrentSaves(store);
  await store.close();
});

test('100 concurrent saves by one user keep all 100 (SQLite)', async () => {
  const store = await openStore(sqliteUrl());
  await concurrentSaves(store);
  await store.close();
});

test('100 concurrent saves by one user keep all 100 (Redis)', async (t) => {
  if (!needRedis(t)) return;
  const redis = await startRedis();
  const store = await openStore(redis.url);
  await concurrentSaves(store);
  await store.close();
  await redis.stop();
});

test('/saved pages 5 at a time, newest first, and searches by words and #tag', async () => {
  let now = Date.parse('2025-01-01T00:00:00Z');
  const core = await testCore({ clock: { now: () => (now += 1000) } });
  const me = caller();
  for (let i = 1; i <= 7; i++)
    await core.run(me, `/save https://page.example/${i} ${i === 3 ? '#paxos' : ''} note ${i}`);
  await core.run(me, '/save https://lamport.example/paxos-made-simple');
  const p1 = await core.run(me, '/saved');
  assert.equal(p1.readings.length, 5);
  assert.equal(p1.readings[0]!.url, 'https://lamport.example/paxos-made-simple');
  assert.deepEqual(p1.page, { page: 1, pages: 2, total: 8, first: 1 });
  const next = p1.buttons.find((b) => b.label.startsWith('Next'))!;
  const p2 = await core.press(me, next.id);
  assert.equal(p2.readings.length, 3);
  assert.equal(p2.readings.at(-1)!.url, 'https://page.example/1');
  const tagged = await core.run(me, '/saved #paxos');
  assert.deepEqual(
    tagged.readings.map((r) => r.url),
    ['https://page.example/3'],
  );
  const words = await core.run(me, '/saved lamport');
  assert.deepEqual(
    words.readings.map((r) => r.url),
    ['https://lamport.example/paxos-made-simple'],
  );
  await core.close();
});

test('unsave, mark read and tag act on one save by its short id', async () => {
  const core = await testCore();
  const me = caller();
  const saved = await core.run(me, '/save https://ops.example/a');
  const id = saved.readings[0]!.saved!.id;
  assert.match(id, /^[0-9a-f]{8}$/);
  assert.match((await core.run(me, `/mark ${id}`)).text, /as read/);
  assert.match((await core.run(me, `/tag ${id} #raft #Consensus`)).text, /#raft #consensus/);
  const view = (await core.run(me, '/saved')).readings[0]!;
  assert.equal(view.saved!.read, true);
  assert.deepEqual(view.tags, ['raft', 'consensus']);
  assert.match((await core.run(caller({ userId: 'other' }), `/unsave ${id}`)).text, /no save with id/);
  assert.match((await core.run(me, `/unsave ${id}`)).text, /Removed/);
  assert.match((await core.run(me, '/saved')).text, /no saves yet/);
  await core.close();
});

test('tags in any script are tags, the same in /save, /tag and /saved (#Müller, #分散)', async () => {
  const core = await testCore();
  const me = caller();
  // Before: /save kept "#Müller" in the note without a word, and /tag refused "#müller" saying
  // "use lower-case letters", which ü is. `#C++` and "#12a_b" (an issue number) stay note words.
  const saved = await core.run(me, '/save https://dvorak.example/x notes #Müller #分散 #C++ #12a_b');
  const item = saved.readings[0]!;
  assert.deepEqual(item.tags, ['müller', '分散']);
  const id = item.saved!.id;
  const listed = (await core.run(me, '/saved #müller')).readings.map((r) => r.url);
  assert.deepEqual(listed, ['https://dvorak.example/x']);
  // NFD input (u + combining diaeresis) is the same tag as NFC.
  assert.deepEqual((await core.run(me, '/saved #mu\u0308ller')).readings.length, 1);
  const retag = await core.run(me, `/tag ${id} #Straße #データ`);
  assert.equal(retag.status, 'ok', retag.text);
  assert.match(retag.text, /#straße #データ/);
  const refused = await core.run(me, `/tag ${id} #C++`);
  assert.equal(refused.status, 'error');
  assert.match(refused.text, /"#C\+\+" is not a tag: use letters, digits and dashes/);
  await core.close();
});

test('/saved says what a filter found nothing for, and refuses a page that is not a number', async () => {
  const core = await testCore();
  const me = caller();
  await core.run(me, '/save https://unread.example/a');
  // Before: `None of your 1 saves match "read"`, as if "read" were a word to search for.
  const read = await core.run(me, '/saved read');
  assert.match(read.text, /None of your 1 saves is marked read/);
  assert.match(read.text, /`\/mark <id>`/);
  const tagged = await core.run(me, '/saved #nope unread');
  assert.match(tagged.text, /None of your 1 saves is unread with #nope/);
  assert.match((await core.run(me, '/saved zebra')).text, /None of your 1 saves match "zebra"/);
  // Before: "page:abc" was searched for as a word and matched nothing.
  const page = await core.run(me, '/saved page:abc');
  assert.equal(page.status, 'error');
  assert.match(page.text, /"page:abc" is not a page number: write page:2/);
  await core.close();
});

test('a refused link in a message is explained in one sentence ending with one full stop', async () => {
  const core = await testCore();
  const r = await core.run(caller(), '/save https://user:pass@example.com/secret https://ok.example/a');
  // Before: "… remove the `user:pass@` part and try again.." (the reason's stop, then another).
  assert.match(r.text, /Not saved: https:\/\/user:pass@example\.com\/secret: That link contains a user name/);
  assert.doesNotMatch(r.text, /\.\./);
  await core.close();
});

test('export gives a bookmarks HTML file and JSON, everything escaped', async () => {
  const core = await testCore();
  const me = caller();
  await core.run(me, '/save https://x.example/?q=<script>&a="b" #raft </a><script>alert(1)</script>');
  const r = await core.run(me, '/export');
  const html = r.files.find((f) => f.name === 'quorum-reads-saves.html')!;
  const json = r.files.find((f) => f.name === 'quorum-reads-saves.json')!;
  assert.match(html.content, /^<!DOCTYPE NETSCAPE-Bookmark-file-1>/);
  assert.ok(!html.content.includes('<script>'));
  assert.match(html.content, /&lt;\/a&gt;&lt;script&gt;/);
  assert.match(html.content, /TAGS="raft"/);
  const data = JSON.parse(json.content) as { count: number; saves: Array<{ url: string; note: string }> };
  assert.equal(data.count, 1);
  assert.match(data.saves[0]!.note, /<script>/);
  await core.close();
});

test('a reading shared with our own search link is saved as that catalog reading (issue 13, kind 3)', async () => {
  const core = await testCore();
  const me = caller({ platform: 'slack', workspaceId: 'T1', userId: 'U1' });
  const reading = NO_LINK;
  const shared = `*${reading.title}* <${searchLinkFor(reading.title)}|web search>`;
  const r = await core.saveMessage(me, shared);
  assert.equal(r.status, 'ok', r.text);
  assert.match(r.text, /from the catalog/);
  const [view] = (await core.run(me, '/saved')).readings;
  assert.equal(view!.title, displayTitle(reading));
  assert.equal(view!.linkKind, 'search');
  // The same search link written with `+`, and the Save button, are the same save.
  const plus = `https://duckduckgo.com/?q=${reading.title.replace(/ /g, '+')}`;
  assert.match((await core.run(me, `/save ${plus}`)).text, /already saved/);
  assert.match((await core.press(me, `qr:save:reading:${reading.id}`)).text, /already saved/);
  assert.equal((await core.run(me, '/saved')).readings.length, 1);
  // A search link for anything else stays a link.
  await core.run(me, '/save https://duckduckgo.com/?q=unrelated+words');
  assert.equal((await core.run(me, '/saved')).readings.length, 2);
  await core.close();
});

test('a catalog reading saved by http:// and by https:// is one save (issue 13, kind 7)', async () => {
  const core = await testCore();
  const me = caller();
  assert.match((await core.run(me, '/save https://antithesis.com/blog/2026/hegel')).text, /from the catalog/);
  assert.match((await core.run(me, '/save http://antithesis.com/blog/2026/hegel/')).text, /already saved/);
  await core.close();
});

test('a message with no link says it has none (issue 13, kind 4)', async () => {
  const core = await testCore();
  const r = await core.saveMessage(caller(), 'I really liked the talk yesterday!');
  assert.equal(r.status, 'error');
  assert.equal(r.text, 'There is no link in that message, so nothing was saved.');
  // `/save <word>` still explains why the word is not a link.
  assert.match((await core.run(caller(), '/save raft')).text, /"raft" is not a link; paste one starting/);
  assert.match((await core.run(caller(), '/save I liked it')).text, /no http\(s\) link/);
  await core.close();
});

test('notes come from words only, never from link tails or markup debris (issue 13, kind 6)', async () => {
  const core = await testCore();
  const me = caller();
  const notes = async () =>
    new Map((await core.run(me, '/saved')).readings.map((v) => [v.url, v.saved?.note ?? '']));
  await core.run(me, '/save https://a.example/p https://a.example/p2');
  await core.run(me, '/save [label]( ) || || 1. https://a.example/q - … 2)');
  await core.run(me, '/save 1. [see](https://a.example/r) 2. read the fencing part #leases');
  const got = await notes();
  assert.equal(got.get('https://a.example/p'), '');
  assert.equal(got.get('https://a.example/p2'), '');
  assert.equal(got.get('https://a.example/q'), '');
  assert.equal(got.get('https://a.example/r'), 'read the fencing part');
  await core.close();
});

test('/saved: words are words, page:N pages, diacritics fold, read/unread filter (issue 13, kind 15)', async () => {
  const core = await testCore();
  const me = caller();
  await core.run(me, '/save https://a.example/1 Dvořák symphony notes');
  await core.run(me, '/save https://a.example/2 MIT 6.824 lecture');
  await core.run(me, '/save https://a.example/3 the 2017 paper');
  await core.run(me, '/save https://a.example/4 the 2016 paper');
  await core.run(me, '/save https://a.example/5 how we read code');
  const urls = async (args: string) => (await core.run(me, `/saved ${args}`)).readings.map((v) => v.url);
  assert.deepEqual(await urls('2017'), ['https://a.example/3']);
  assert.deepEqual(await urls('6.824'), ['https://a.example/2']);
  assert.deepEqual(await urls('dvorak'), ['https://a.example/1']);
  assert.deepEqual(await urls('DVOŘÁK'), ['https://a.example/1']);
  // read / unread are filters, not the word "read".
  assert.match((await core.run(me, '/saved read')).text, /None of your 5 saves is marked read/);
  const [third] = (await core.run(me, '/saved 2017')).readings;
  await core.run(me, `/mark ${third!.id}`);
  assert.deepEqual(await urls('read'), ['https://a.example/3']);
  assert.equal((await urls('unread')).length, 4);
  assert.deepEqual(await urls('paper unread'), ['https://a.example/4']);
  // Paging by an explicit page:, never by a bare number.
  for (let i = 6; i <= 7; i++) await core.run(me, `/save https://a.example/${i}`);
  const p2 = await core.run(me, '/saved page:2');
  assert.equal(p2.page?.page, 2);
  assert.equal(p2.readings.length, 2);
  await core.close();
});

test('export: no empty HREF, unread kept as TOREAD, read back by a bookmarks importer (issue 13, kind 16)', async () => {
  const core = await testCore();
  const me = caller();
  await core.press(me, `qr:save:reading:${NO_LINK.id}`);
  await core.run(me, '/save https://a.example/read-one #raft done');
  await core.run(me, '/save https://a.example/later');
  const done = (await core.run(me, '/saved done')).readings[0]!;
  await core.run(me, `/mark ${done.id}`);
  const r = await core.run(me, '/export');
  const html = r.files.find((f) => f.name.endsWith('.html'))!.content;
  assert.ok(!/HREF=""/.test(html), html);

  // node-bookmarks-parser: the Netscape parser of Chrome-style importers.
  type Mark = ReturnType<typeof parseBookmarks>[number];
  const flat = (b: Mark): Mark[] => (b.children ? b.children.flatMap(flat) : [b]);
  const marks = parseBookmarks(html).flatMap(flat);
  const byTitle = new Map(marks.map((b) => [b.title, b]));
  assert.equal(marks.length, 3);
  assert.equal(byTitle.get('https://a.example/later')!.url, 'https://a.example/later');
  const reading = byTitle.get(displayTitle(NO_LINK))!;
  assert.equal(reading.url, searchLinkFor(displayTitle(NO_LINK)));
  assert.ok(marks.every((b) => b.type === 'bookmark' && /^\d+$/.test(b.addDate ?? '')));

  // TOREAD / TAGS / <DD>, which that parser skips, read the way Pinboard and linkding read them.
  const attrs: Array<Record<string, string>> = [];
  const dds: string[] = [];
  let inDd = false;
  const p = new Parser({
    onopentag(name, a) {
      if (name === 'a') attrs.push(a);
      inDd = name === 'dd';
    },
    ontext(t) {
      if (inDd && t.trim()) dds.push(t.trim());
    },
  });
  p.end(html);
  const byHref = new Map(attrs.map((a) => [a.href!, a]));
  assert.equal(byHref.get('https://a.example/later')!.toread, '1');
  assert.equal(byHref.get('https://a.example/read-one')!.toread, undefined);
  assert.equal(byHref.get('https://a.example/read-one')!.tags, 'raft');
  assert.equal(byHref.get(reading.url)!.toread, '1');
  assert.ok(dds.some((d) => /No verified link: this bookmark is a web search/.test(d)));
  assert.ok(dds.includes('done'));
  const json = JSON.parse(r.files.find((f) => f.name.endsWith('.json'))!.content) as {
    saves: Array<{ url: string; searchUrl?: string; read: boolean }>;
  };
  assert.ok(json.saves.some((s) => s.url === '' && s.searchUrl === reading.url));
  await core.close();
});
