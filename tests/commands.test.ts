import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { caller, testCore } from './helpers/core.ts';
import { PING, hostileText, visibleText } from './helpers/hostile.ts';

const core = await testCore();
const me = caller();

test('/read cap-theorem returns CAP readings as a private, paginated reply', async () => {
  const r = await core.run(me, '/read cap-theorem');
  assert.equal(r.status, 'ok');
  assert.equal(r.placement, 'private');
  assert.equal(r.readings.length, 5);
  assert.ok(r.readings.every((v) => v.tags.includes('cap-theorem')));
  assert.match(r.text, /#cap-theorem/);
  assert.ok(r.page && r.page.pages >= 2);
  assert.ok(r.buttons.some((b) => b.label.includes('Next') && !b.disabled));
  assert.ok(r.buttons.some((b) => b.label.includes('Prev') && b.disabled));
  for (const v of r.readings) assert.ok(v.actions?.some((a) => a.id === `qr:save:reading:${v.id}`));
});

test('Next shows the following page; Share posts the same page publicly without paging', async () => {
  const first = await core.run(me, 'read cap-theorem');
  const next = first.buttons.find((b) => b.label.includes('Next'))!;
  const second = await core.press(me, next.id);
  assert.equal(second.page?.page, 2);
  const ids1 = new Set(first.readings.map((v) => v.id));
  assert.ok(
    second.readings.every((v) => !ids1.has(v.id)),
    'page 2 repeats page 1',
  );
  const share = second.buttons.find((b) => b.label === 'Share')!;
  const shared = await core.press(me, share.id);
  assert.equal(shared.placement, 'channel');
  assert.deepEqual(
    shared.readings.map((v) => v.id),
    second.readings.map((v) => v.id),
  );
  assert.equal(shared.buttons.length, 0);
});

test('a reading without a verified link says so and links a labeled web search', async () => {
  const r = await core.run(me, '/read ddia');
  const searchLinked = r.readings.filter((v) => v.linkKind === 'search');
  for (const v of searchLinked) assert.match(v.url, /^https:\/\/duckduckgo\.com\/\?q=/);
  const all = (await core.run(me, '/read jepsen')).readings;
  assert.ok(all.length > 0);
  for (const v of all) assert.match(v.url, /^https?:\/\//);
});

test('an expired or forged paging button gets a clear message, not an error', async () => {
  const r = await core.press(me, 'qr:read:page:doesnotexist:2');
  assert.equal(r.status, 'error');
  assert.match(r.text, /expired/);
  const unknown = await core.press(me, 'something-else');
  assert.equal(unknown.status, 'error');
});

test('bad /read arguments get a clear, private message', async () => {
  const empty = await core.run(me, '/read');
  assert.equal(empty.status, 'error');
  assert.match(empty.text, /Give a topic/);
  const long = await core.run(me, `/read ${'raft '.repeat(60)}`);
  assert.match(long.text, /keep it under 200/);
  const control = await core.runCommand(me, 'read', 'raft\u0007');
  assert.match(control.text, /control characters/);
});

test('nothing found answers with "did you mean" topics', async () => {
  const r = await core.run(me, '/read qwertyuiop');
  assert.equal(r.readings.length, 0);
  assert.match(r.text, /Nothing found.*Did you mean/s);
});

test('/tags lists topics with counts and hides noise tags; /help lists every command', async () => {
  const tags = await core.run(me, '/tags');
  assert.match(tags.text, /`cap-theorem` \(\d+\)/);
  assert.doesNotMatch(tags.text, /`distcomp`|`toread`/);
  const filtered = await core.run(me, '/tags consist');
  assert.match(filtered.text, /consistency-models/);
  assert.doesNotMatch(filtered.text, /`raft`/);
  const help = await core.run(me, '/help');
  for (const c of core.commands) assert.ok(help.text.includes(c.usage), c.name);
});

test('an unknown command points to /help', async () => {
  const r = await core.run(me, '/frobnicate now');
  assert.equal(r.status, 'error');
  assert.match(r.text, /\/help/);
});

test('nothing a command replies can ping, even when the input tries', async () => {
  for (const q of [
    '@everyone raft',
    '<@&123> raft',
    '<!channel> raft',
    '@here',
    '<@!42> paxos',
    '<!subteam^S1> cap',
  ]) {
    for (const r of [await core.run(me, `/read ${q}`), await core.run(me, `/tags ${q}`)])
      for (const s of visibleText(r)) assert.doesNotMatch(s, PING, `${q} -> ${s}`);
  }
});

test('property: any /read argument gets an answer (result or message), never a crash or a ping', async () => {
  await fc.assert(
    fc.asyncProperty(hostileText(), async (arg) => {
      const r = await core.runCommand(me, 'read', arg);
      assert.ok(r.text.length > 0);
      assert.doesNotMatch(r.text, /at .*\.ts:\d+|Error:/);
      for (const s of visibleText(r)) assert.doesNotMatch(s, PING);
    }),
    { numRuns: 200 },
  );
});

test('autocomplete for /read topic answers from the index', () => {
  const choices = core.suggest('read', 'topic', 'lead');
  assert.ok(choices.some((c) => c.value === 'leader-election'));
  assert.deepEqual(core.suggest('nope', 'x', 'y'), []);
});
