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

test('Done on a reading already saved marks that save read; the list keeps one entry', async () => {
  const who = caller({ userId: 'done-saved' });
  const first = await core.run(who, '/read raft');
  const paper = first.readings.find((v) => v.id === 'raft-paper')!;
  assert.deepEqual(
    paper.actions!.map((a) => a.id),
    ['qr:save:reading:raft-paper', 'qr:done:reading:raft-paper'],
  );
  await core.press(who, paper.actions![0]!.id);
  const before = await core.services.saves.list(who);
  assert.equal(before.length, 1);
  assert.equal(before[0]!.read, false);
  const done = await core.press(who, paper.actions![1]!.id);
  assert.match(done.text, /Marked \*\*In Search of an Understandable Consensus Algorithm\*\* as read/);
  const after = await core.services.saves.list(who);
  assert.equal(after.length, 1);
  assert.equal(after[0]!.read, true);
  assert.equal(after[0]!.key, before[0]!.key);
  // Done again changes nothing; Done on a reading not saved saves it, already read.
  await core.press(who, paper.actions![1]!.id);
  await core.press(who, 'qr:done:reading:ddia-chapter-01');
  const final = await core.services.saves.list(who);
  assert.equal(final.length, 2);
  assert.ok(final.every((e) => e.read));
});

test('/next: progress through a series by each person, with the next reading and Done under it', async () => {
  const who = caller({ userId: 'next-progress' });
  const none = await core.run(who, '/next ddia');
  assert.match(none.text, /0 of 11 read\. Next: \*\*Learning Diary/);
  for (const n of ['01', '02', '03', '04']) await core.press(who, `qr:done:reading:ddia-chapter-${n}`);
  const r = await core.run(who, '/next ddia');
  assert.match(r.text, /4 of 11 read\. Next: \*\*Chapter 5 - Replication\*\*/);
  assert.equal(r.readings[0]!.id, 'ddia-chapter-05');
  assert.ok(r.readings[0]!.actions!.some((a) => a.id === 'qr:done:reading:ddia-chapter-05'));
  // With no argument, /next picks up the series this person has progressed in.
  assert.match((await core.run(who, '/next')).text, /4 of 11 read/);
  // At the end with gaps: the first gap after where this person started, not the skipped overview.
  for (const id of ['ddia-chapter-09-part-1', 'ddia-chapter-09-part-2'])
    await core.press(who, `qr:done:reading:${id}`);
  assert.match(
    (await core.run(who, '/next ddia')).text,
    /6 of 11 read\. Next: \*\*Chapter 5 - Replication\*\*/,
  );
  const unknown = await core.run(who, '/next qwertyuiop');
  assert.equal(unknown.status, 'error');
  assert.match(unknown.text, /not a series or a topic/);
});

test('/read: a kind or level that is not a choice gets a clear message; a missing concept an honest one', async () => {
  const me = caller({ userId: 'read-options' });
  const bad = await core.run(me, '/read raft kind:podcast');
  assert.equal(bad.status, 'error');
  assert.match(bad.text, /`kind:podcast` is not a kind; use one of paper/);
  const papers = await core.run(me, '/read consensus kind:paper');
  assert.ok(papers.readings.length > 0 && papers.readings.every((v) => v.kind === 'paper'));
  assert.match(papers.text, /only a paper/);
  // The paper leads, the heading counts the papers, and the lecture notes on it ride on its line.
  const gfs = await core.run(me, '/read the gfs paper');
  assert.equal(gfs.readings[0]!.id, 'gfs-paper');
  const others = gfs.readings.filter((v) => v.kind !== 'paper').length;
  assert.ok(others > 0);
  assert.match(
    gfs.text,
    new RegExp(`only a paper: ${gfs.readings.length - others} found, then ${others} others? on it\\.`),
  );
  assert.deepEqual(
    gfs.readings[0]!.companions?.map((c) => c.id),
    ['mit-6.824-lecture-03'],
  );
  // A thin topic (one or two readings) is followed by its related topics' start-here readings,
  // counted apart from its own.
  const thin = await core.run(caller({ userId: 'read-thin' }), '/read byzantine generals');
  const own = thin.readings.filter((v) => v.tags.includes('byzantine-fault-tolerance')).length;
  assert.ok(own >= 1 && thin.readings.length > own);
  const counts = /(\d+) found, then (\d+) on related topics\./.exec(thin.text);
  assert.ok(counts, thin.text);
  assert.equal(Number(counts[1]) + Number(counts[2]), thin.readings.length);
  const none = await core.run(me, '/read zanzibarish');
  assert.match(
    none.text,
    /Nothing found for "zanzibarish": no reading on \*\*zanzibarish\*\* yet\. Did you mean/,
  );
  // A word no reading uses, beside words some do: the readings match the other words, and the reply says so.
  const partly = await core.run(me, '/read quantum error correction');
  assert.match(
    partly.text,
    /^No reading mentions "quantum"; these match the other words\.\n\*\*Readings for/,
  );
  assert.ok(partly.readings.length > 0);
  // Every word used somewhere ("payment" is in a summary, "replicating" is the stem of "replication"): no such note.
  for (const q of [
    '/read is it safe to retry a payment request',
    '/read replicating data',
    // The commonest English words say how a question is put: "sometimes" is not named.
    '/read why do my reads sometimes return old data',
  ])
    assert.doesNotMatch((await core.run(me, q)).text, /No reading mentions/, q);
});

test('/read headings: a comparison side read as a tag shows as #tag, words as typed; apostrophes in words stay', async () => {
  const me = caller({ userId: 'read-heading' });
  const tags = await core.run(me, '/read kafka or rabbitmq');
  assert.match(tags.text, /^\*\*Readings for #kafka vs #message-queues \(readings on both first\)\*\*/);
  // "diff" is "difference": no part of a side.
  const diff = await core.run(me, '/read kafka or rabbitmq whats the diff');
  assert.match(diff.text, /^\*\*Readings for #kafka vs #message-queues \(readings on both first\)\*\*/);
  const words = await core.run(me, '/read optimistic vs pessimistic concurrency control');
  assert.match(words.text, /"optimistic concurrency control" vs "pessimistic concurrency control"/);
  // A setting after the sides is said once, after both.
  const setting = await core.run(me, '/read storm versus spark streaming for realtime jobs');
  assert.match(
    setting.text,
    /^\*\*Readings for #storm vs #spark for "realtime jobs" \(readings on both first\)\*\*/,
  );
  // A level no reading of the topic has, answered on related topics: none counted as found on it.
  const harder = await core.run(me, '/read harder reading about kafka');
  assert.match(
    harder.text,
    /None of the readings on #kafka is an advanced reading; these on related topics are\./,
  );
  assert.match(harder.text, /: 0 found, then \d+ on related topics\./);
  // A corrected query: the heading echoes what was typed, then what was searched.
  const typo = await core.run(me, '/read cassandara internals');
  assert.match(typo.text, /"cassandara internals"\*\* \(showing results for "cassandra internals"\)/);
  const apostrophe = await core.run(me, "/read why doesn't my cluster agree on time");
  assert.match(apostrophe.text, /"why doesn't my cluster agree on time"\*\*:/);
  // "doesn't" is one word: nothing of it is corrected.
  assert.doesNotMatch(apostrophe.text, /showing results for/);
});

test('/read echoes the query as words (no markup, no mentions), refuses a bare link or filter, and says "only notes"', async () => {
  const marked = await core.run(caller({ userId: 'read-echo' }), '/read **x** ||raft|| ~~paxos~~');
  assert.match(marked.text, /"x raft paxos"/);
  assert.doesNotMatch(marked.text, /\|\||~~|\*\*x/);
  const link = await core.run(caller({ userId: 'read-echo' }), '/read https://raft.github.io/');
  assert.equal(link.status, 'error');
  assert.match(link.text, /\/save/);
  assert.equal((await core.run(caller({ userId: 'read-echo' }), '/read kind:paper')).status, 'error');
  assert.equal((await core.run(caller({ userId: 'read-echo' }), '/read ?!?!')).status, 'error');
  assert.match(
    (await core.run(caller({ userId: 'read-echo' }), '/read help')).text,
    /^`\/help` lists the commands/,
  );
  assert.match(
    (await core.run(caller({ userId: 'read-echo' }), '/read what to read before lecture 8')).text,
    /^Before \*\*MIT 6\.824: Lecture 8 - ZooKeeper\*\*, read \*\*MIT 6\.824: Lectures 6 & 7 - Fault Tolerance\(Raft\)\*\* first\.\n\*\*Readings for what to read before "MIT 6\.824: Lecture 8 - ZooKeeper"\*\*: 1 found\.$/,
  );
  assert.match((await core.run(caller({ userId: 'read-echo' }), '/read HELP me')).text, /^`\/help` lists/);
  // A what-next or what-before cue without a reading asks which reading.
  for (const q of ['what comes next', 'I finished', 'what to read before'])
    assert.match((await core.run(caller({ userId: 'read-echo' }), `/read ${q}`)).text, /^Which reading\?/, q);
  assert.match(
    (await core.run(caller({ userId: 'read-echo' }), '/read <!channel> what is cap?')).text,
    /#cap-theorem/,
  );
  // A filter nothing passes says so, with no empty "Did you mean".
  const none = await core.run(caller({ userId: 'read-echo' }), '/read short talks');
  assert.match(
    none.text,
    /Nothing found for "short talks" that is a talk under 15 minutes\. Did you mean: `[a-z-]+`.*\? Try `\/tags`/,
  );
  assert.match(
    (await core.run(caller({ userId: 'read-echo' }), '/read notes on spanner')).text,
    /only notes:/,
  );
});

test('/done with loose words marks nothing and lists what they match; words naming one reading mark it', async () => {
  const who = caller({ userId: 'done-loose' });
  const loose = await core.run(who, '/done consensus');
  assert.equal(loose.status, 'error');
  assert.match(loose.text, /readings match "consensus"\. Give its id: `/);
  const nine = await core.run(who, '/done chapter 9');
  assert.match(nine.text, /`ddia-chapter-09-part-1`/);
  assert.match(nine.text, /`ddia-chapter-09-part-2`/);
  const five = await core.run(who, '/done chapter 5');
  assert.notEqual(five.status, 'error');
  assert.match(five.text, /Marked \*\*Chapter 5 - Replication\*\* as read/);
  // Twice: said so, and counted once.
  const again = await core.run(who, '/done chapter 5');
  assert.match(again.text, /\*\*Chapter 5 - Replication\*\* was already marked read/);
  assert.match(again.text, /1 of 11 read/);
});
