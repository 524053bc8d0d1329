import { test } from 'node:test';
import assert from 'node:assert/strict';
import { caller, testCore } from './helpers/core.ts';
import { siblingScheduler } from './helpers/tagoftheday.ts';
import { defuseReply, reply, type Reply } from '../src/reply.ts';
import { createMemoryStore } from '../src/store/memory.ts';
import type { Store } from '../src/store/types.ts';
import { TagOfTheDay, type Poster, type Subscription, type Timers } from '../src/tagoftheday/service.ts';
import {
  advance,
  currentTag,
  cycleOrder,
  eligibleTags,
  seedFor,
  type RotationState,
} from '../src/tagoftheday/rotation.ts';
import { MANAGERS_ONLY } from '../src/commands/tagoftheday.ts';
import { localDate, localTime } from '../src/time/daily.ts';

const DAY = 86_400_000;

class TestClock {
  t: number;
  constructor(iso: string) {
    this.t = Date.parse(iso);
  }
  now = (): number => this.t;
  set(iso: string): number {
    this.t = Date.parse(iso);
    return this.t;
  }
}

interface Sent {
  channel: string;
  tag: string;
  at: number;
  reply: Reply;
}

function recorder(clock: TestClock, sent: Sent[] = []): Poster & { sent: Sent[] } {
  return {
    sent,
    async post(sub: Subscription, r: Reply) {
      const tag = /\(`([^`]+)`\)/.exec(r.text)?.[1] ?? '?';
      sent.push({ channel: sub.channelId, tag, at: clock.now(), reply: r });
    },
  };
}

async function setup(iso = '2025-06-02T06:00:00Z', store?: Store, env: Record<string, string> = {}) {
  const clock = new TestClock(iso);
  const core = await testCore({ clock, ...(store ? { store } : {}), env });
  return { clock, core, tod: core.services.tagOfTheDay, poster: recorder(clock) };
}

const manager = (over = {}) => caller({ canManageChannel: true, ...over });
const member = (over = {}) => caller({ canManageChannel: false, userId: 'u2', ...over });

test('subscribe → posts once at 09:00 local, not before, not twice; the next day brings a new tag', async () => {
  const { clock, core, tod, poster } = await setup('2025-06-02T05:00:00Z');
  const r = await core.run(manager(), '/tagoftheday subscribe 09:00 Europe/Berlin');
  assert.equal(r.status, 'ok', r.text);
  assert.match(r.text, /every day at \*\*09:00 Europe\/Berlin\*\*/);
  assert.match(r.text, /Next post: Mon 2025-06-02 09:00 Europe\/Berlin \(in 2 h\)/);

  clock.set('2025-06-02T06:59:59Z'); // 08:59:59 Berlin
  assert.deepEqual((await tod.tick(poster)).posted, []);
  clock.set('2025-06-02T07:00:00Z'); // 09:00 Berlin
  assert.deepEqual((await tod.tick(poster)).posted, ['console:local:c1']);
  assert.deepEqual((await tod.tick(poster)).posted, []);
  clock.set('2025-06-02T21:00:00Z');
  await tod.tick(poster);
  assert.equal(poster.sent.length, 1);

  const first = poster.sent[0]!;
  assert.equal(first.reply.placement, 'channel');
  assert.equal(first.reply.status, 'ok');
  assert.equal(first.reply.readings.length, 3);
  assert.match(first.reply.text, new RegExp(`More: \`/read ${first.tag}\``));
  const tag = core.services.catalog.tagById.get(first.tag)!;
  assert.ok(first.reply.text.includes(tag.label) && first.reply.text.includes(tag.description));
  // The three readings are the top three of `/read <tag>`.
  const top = core.services.search
    .search(first.tag)
    .hits.slice(0, 3)
    .map((h) => h.reading.id);
  assert.deepEqual(
    first.reply.readings.map((v) => v.id),
    top,
  );
  for (const v of first.reply.readings) {
    assert.match(v.url, /^https?:\/\//);
    assert.ok(v.linkKind === 'link' || v.url.startsWith('https://duckduckgo.com/'));
  }

  clock.set('2025-06-03T07:00:00Z');
  await tod.tick(poster);
  assert.equal(poster.sent.length, 2);
  assert.notEqual(poster.sent[1]!.tag, first.tag);
  assert.equal(localTime(poster.sent[1]!.at, 'Europe/Berlin'), '09:00');
  await core.close();
});

test('status, preview and skip describe and change the next post', async () => {
  const { clock, core, tod, poster } = await setup('2025-06-02T05:00:00Z');
  const notYet = await core.run(member(), '/tagoftheday status');
  assert.match(notYet.text, /not subscribed/);
  // Preview works before subscribing, and shows the tag the first post will have.
  const pre = await core.run(member(), '/tagoftheday preview');
  assert.equal(pre.placement, 'private');
  assert.match(pre.text, /not subscribed/);
  assert.equal(pre.readings.length, 3);
  const preTag = /\(`([^`]+)`\)/.exec(pre.text)![1]!;

  await core.run(manager(), '/tagoftheday subscribe 08:30 UTC');
  const status = await core.run(member(), '/tagoftheday status');
  assert.equal(status.status, 'ok');
  assert.match(status.text, /every day at \*\*08:30 UTC\*\*/);
  assert.match(status.text, /Next post: Mon 2025-06-02 08:30 UTC \(in 3 h 30 min\)/);
  assert.ok(status.text.includes(`\`${preTag}\``));

  const preview = await core.run(member(), '/tagoftheday preview');
  assert.match(preview.text, /Preview of the next tag of the day \(Mon 2025-06-02 08:30 UTC\)/);
  assert.ok(preview.text.includes(`\`${preTag}\``));

  const skipped = await core.run(manager(), '/tagoftheday skip');
  assert.equal(skipped.status, 'ok');
  assert.ok(skipped.text.startsWith('Skipped '), skipped.text);
  assert.ok(skipped.text.includes(`\`${preTag}\``));
  const nextTag = /next post will be about \*\*[^*]+\*\* \(`([^`]+)`\)/.exec(skipped.text)![1]!;
  assert.notEqual(nextTag, preTag);

  clock.set('2025-06-02T08:30:00Z');
  await tod.tick(poster);
  assert.deepEqual(
    poster.sent.map((s) => s.tag),
    [nextTag],
  );
  const after = await core.run(member(), '/tagoftheday status');
  assert.match(after.text, /Next post: Tue 2025-06-03 08:30 UTC \(in 24 h\)/);
  assert.match(after.text, new RegExp(`Last post: 2025-06-02 \\(\`${nextTag}\`\\)`));
  await core.close();
});

test('only channel managers may subscribe, unsubscribe or skip; everyone may see status and preview', async () => {
  const { core } = await setup();
  for (const line of [
    '/tagoftheday subscribe',
    '/tagoftheday subscribe 10:00 UTC',
    '/tagoftheday unsubscribe',
    '/tagoftheday skip',
  ]) {
    const r = await core.run(member(), line);
    assert.equal(r.status, 'error', line);
    assert.equal(r.placement, 'private', line);
    assert.equal(r.text, MANAGERS_ONLY, line);
  }
  assert.equal(await core.services.tagOfTheDay.get(caller()), undefined);
  await core.run(manager(), '/tagoftheday subscribe');
  assert.equal((await core.run(member(), '/tagoftheday status')).status, 'ok');
  assert.equal((await core.run(member(), '/tagoftheday preview')).status, 'ok');
  assert.equal((await core.run(member(), '/tagoftheday unsubscribe')).text, MANAGERS_ONLY);
  assert.equal((await core.services.tagOfTheDay.get(caller()))?.active, true);
  await core.close();
});

test('bad times and zones get clear messages and change nothing', async () => {
  const { core } = await setup();
  const cases: Array<[string, RegExp]> = [
    ['/tagoftheday subscribe 25:00', /"25:00" is not a time of day.*HH:MM/],
    ['/tagoftheday subscribe 9', /"9" is ambiguous: add minutes or am\/pm/],
    [
      '/tagoftheday subscribe 09:00 Mars/Base',
      /^Unknown time zone "Mars\/Base"\. Use an IANA name like Europe\/Berlin or America\/New_York\.$/,
    ],
    ['/tagoftheday subscribe Mars/Base', /Unknown time zone "Mars\/Base"/],
    ['/tagoftheday subscribe 09:00 10:00', /one time, not two/],
    ['/tagoftheday subscribe 09:00 UTC Europe/Berlin', /at most a time and a time zone/],
    ['/tagoftheday subscribe 9:61pm', /not a time of day/],
    ['/tagoftheday frobnicate', /Unknown action "frobnicate"\. Usage:/],
    ['/tagoftheday subscribe 09:00\u0007', /control characters/],
  ];
  for (const [line, want] of cases) {
    const r = await core.run(manager(), line);
    assert.equal(r.status, 'error', line);
    assert.equal(r.placement, 'private', line);
    assert.match(r.text, want, line);
  }
  assert.equal(await core.services.tagOfTheDay.get(caller()), undefined);
  await core.close();
});

test('subscribe defaults: QR_TAG_OF_THE_DAY_TIME and QR_TIMEZONE, or the caller’s platform zone; am/pm and either order work', async () => {
  const { core, tod } = await setup('2025-06-02T05:00:00Z', undefined, {
    QR_TIMEZONE: 'Asia/Tokyo',
    QR_TAG_OF_THE_DAY_TIME: '07:45',
  });
  await core.run(manager(), '/tagoftheday subscribe');
  assert.deepEqual(
    { time: (await tod.get(caller()))!.time, zone: (await tod.get(caller()))!.zone },
    { time: '07:45', zone: 'Asia/Tokyo' },
  );
  await core.run(manager({ channelId: 'c2', timezone: 'America/Chicago' }), '/tagoftheday subscribe 9:30 pm');
  const c2 = (await tod.get(caller({ channelId: 'c2' })))!;
  assert.deepEqual([c2.time, c2.zone], ['21:30', 'America/Chicago']);
  await core.run(
    manager({ channelId: 'c3', timezone: 'Not/AZone' }),
    '/tagoftheday subscribe europe/berlin 6am',
  );
  const c3 = (await tod.get(caller({ channelId: 'c3' })))!;
  assert.deepEqual([c3.time, c3.zone], ['06:00', 'Europe/Berlin']);
  await core.run(manager({ channelId: 'c4', timezone: 'Not/AZone' }), '/tagoftheday subscribe');
  assert.equal((await tod.get(caller({ channelId: 'c4' })))!.zone, 'Asia/Tokyo');
  await core.close();
});

test('subscribing after today’s time starts tomorrow (no instant post)', async () => {
  const { clock, core, tod, poster } = await setup('2025-06-02T15:00:00Z');
  await core.run(manager(), '/tagoftheday subscribe 09:00 UTC');
  await tod.tick(poster);
  clock.set('2025-06-02T23:59:00Z');
  await tod.tick(poster);
  assert.equal(poster.sent.length, 0);
  clock.set('2025-06-03T09:00:00Z');
  await tod.tick(poster);
  assert.equal(poster.sent.length, 1);
  await core.close();
});

test('downtime: the same local day catches up when the bot returns; a day missed entirely is not posted', async () => {
  const { clock, core, tod, poster } = await setup('2025-06-02T06:00:00Z');
  await core.run(manager(), '/tagoftheday subscribe 09:00 America/New_York');
  // Down from before 09:00 until 16:00 New York time, same day: catch up.
  clock.set('2025-06-02T20:00:00Z');
  await tod.tick(poster);
  assert.equal(poster.sent.length, 1);
  assert.equal(localDate(poster.sent[0]!.at, 'America/New_York'), '2025-06-02');
  // Down all of 06-03; back on 06-04 at 08:00 local: nothing for the 3rd, the 4th at 09:00.
  clock.set('2025-06-04T12:00:00Z');
  await tod.tick(poster);
  assert.equal(poster.sent.length, 1);
  clock.set('2025-06-04T13:00:00Z');
  await tod.tick(poster);
  assert.equal(poster.sent.length, 2);
  // Back after local midnight (00:30 on the 6th): the 5th is gone for good.
  clock.set('2025-06-06T04:30:00Z');
  await tod.tick(poster);
  assert.equal(poster.sent.length, 2);
  await core.close();
});

test('DST through the scheduler: posts stay at 09:00 local in New York and Berlin, spring and autumn', async () => {
  for (const [zone, from, days] of [
    ['America/New_York', '2025-03-07', 4],
    ['America/New_York', '2025-10-31', 4],
    ['Europe/Berlin', '2025-03-28', 4],
    ['Europe/Berlin', '2025-10-24', 4],
  ] as const) {
    const { clock, core, tod, poster } = await setup(`${from}T00:00:00Z`);
    await core.run(manager(), `/tagoftheday subscribe 09:00 ${zone}`);
    // Tick every 15 minutes over the days around the change.
    const end = clock.t + days * DAY;
    for (let t = clock.t; t < end; t += 15 * 60_000) {
      clock.t = t;
      await tod.tick(poster);
    }
    assert.equal(poster.sent.length, days, zone);
    for (const s of poster.sent)
      assert.equal(localTime(s.at, zone), '09:00', `${zone} ${new Date(s.at).toISOString()}`);
    assert.equal(new Set(poster.sent.map((s) => localDate(s.at, zone))).size, days);
    await core.close();
  }
});

for (const [zone, from, to, want] of [
  [
    'America/New_York',
    '2025-03-08T12:00:00Z',
    '2025-03-11T12:00:00Z',
    ['2025-03-09 03:00', '2025-03-10 02:30', '2025-03-11 02:30'],
  ],
  [
    'Antarctica/Troll',
    '2025-03-28T12:00:00Z',
    '2025-03-31T12:00:00Z',
    ['2025-03-29 02:30', '2025-03-30 03:00', '2025-03-31 02:30'],
  ],
] as const)
  test(`a time skipped by spring-forward (02:30 ${zone}) posts once that day, at the first valid instant after the gap`, async () => {
    const { clock, core, tod, poster } = await setup(from);
    await core.run(manager(), `/tagoftheday subscribe 02:30 ${zone}`);
    for (let t = clock.t; t < Date.parse(to); t += 5 * 60_000) {
      clock.t = t;
      await tod.tick(poster);
    }
    assert.deepEqual(
      poster.sent.map((s) => `${localDate(s.at, zone)} ${localTime(s.at, zone)}`),
      want,
    );
    await core.close();
  });

test('a transiently failed post is retried with backoff (1, 2, 4 … min), by any process, exactly once overall', async () => {
  const { clock, core, tod, poster } = await setup('2025-06-02T09:00:00Z');
  clock.set('2025-06-01T12:00:00Z');
  await core.run(manager(), '/tagoftheday subscribe 09:00 UTC');
  clock.set('2025-06-02T09:00:00Z');
  let failures = 2;
  const flaky: Poster = {
    async post(sub, r) {
      if (failures-- > 0) throw new Error('discord 503');
      await poster.post(sub, r);
    },
  };
  assert.deepEqual((await tod.tick(flaky)).failed, ['console:local:c1']);
  assert.equal((await tod.get(caller()))!.inflight, undefined, 'marker cleared after a failure');
  // Not again within the first minute; another process retries once it is over.
  clock.t += 30_000;
  assert.deepEqual(await tod.tick(flaky), { posted: [], failed: [], skipped: [] });
  clock.t += 30_000;
  const other = siblingScheduler(core, clock, 'other');
  assert.deepEqual((await other.tick(flaky)).failed, ['console:local:c1']);
  // The second failure waits 2 minutes.
  clock.t += 60_000;
  assert.deepEqual((await tod.tick(flaky)).posted, []);
  clock.t += 60_000;
  assert.deepEqual((await tod.tick(flaky)).posted, ['console:local:c1']);
  clock.t += 60_000;
  await tod.tick(flaky);
  await other.tick(flaky);
  assert.equal(poster.sent.length, 1);
  await core.close();
});

test('a process that dies mid-post: nobody posts again that day; the next day moves past that tag', async () => {
  const store = createMemoryStore();
  const { clock, core, tod } = await setup('2025-06-01T12:00:00Z', store);
  await core.run(manager(), '/tagoftheday subscribe 09:00 UTC');
  const upcoming = tod.nextTag(caller(), await tod.get(caller()));
  clock.set('2025-06-02T09:00:00Z');
  // Process A claims, writes its marker, calls the platform… and never comes back.
  const stuck: Poster = { post: () => new Promise<void>(() => undefined) };
  const a = siblingScheduler(core, clock, 'process-a');
  void a.tick(stuck);
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  const marked = (await tod.get(caller()))!;
  assert.equal(marked.inflight?.owner, 'process-a');
  assert.equal(marked.inflight?.tag, upcoming);

  // Process B (the restarted bot) ticks all day: the post may have gone out, so it never re-posts.
  const b = siblingScheduler(core, clock, 'process-b');
  const poster = recorder(clock);
  for (let h = 0; h < 14; h++) {
    clock.t += 3600_000;
    await b.tick(poster);
  }
  assert.equal(poster.sent.length, 0);
  const status = await core.run(member(), '/tagoftheday status');
  assert.match(status.text, /Next post: Tue 2025-06-03 09:00 UTC/);

  // Next day: a fresh key; the interrupted post is settled (rotation moved past its tag).
  clock.set('2025-06-03T09:00:00Z');
  await b.tick(poster);
  assert.equal(poster.sent.length, 1);
  assert.notEqual(poster.sent[0]!.tag, upcoming);
  const sub = (await tod.get(caller()))!;
  assert.equal(sub.inflight, undefined);
  assert.equal(sub.lastPostedDate, '2025-06-03');
  await core.close();
});

test('two scheduler instances on one store ticking at the same instant post exactly once', async () => {
  const { clock, core } = await setup('2025-06-01T12:00:00Z');
  for (const ch of ['c1', 'c2', 'c3'])
    await core.run(manager({ channelId: ch }), '/tagoftheday subscribe 09:00 UTC');
  const instances = ['p1', 'p2', 'p3', 'p4'].map((o) => siblingScheduler(core, clock, o));
  const poster = recorder(clock);
  for (const iso of ['2025-06-02T09:00:00Z', '2025-06-03T09:00:00Z']) {
    clock.set(iso);
    await Promise.all(instances.map((i) => i.tick(poster)));
    await Promise.all(instances.map((i) => i.tick(poster)));
  }
  const perDay = new Map<string, number>();
  for (const s of poster.sent) {
    const k = `${s.channel}@${localDate(s.at, 'UTC')}`;
    perDay.set(k, (perDay.get(k) ?? 0) + 1);
  }
  assert.equal(poster.sent.length, 6);
  assert.ok([...perDay.values()].every((n) => n === 1));
  await core.close();
});

test('unsubscribe stops posts; re-subscribing resumes the rotation where it was', async () => {
  const { clock, core, tod, poster } = await setup('2025-06-01T12:00:00Z');
  await core.run(manager(), '/tagoftheday subscribe 09:00 UTC');
  clock.set('2025-06-02T09:00:00Z');
  await tod.tick(poster);
  const un = await core.run(manager(), '/tagoftheday unsubscribe');
  assert.match(un.text, /no longer get a tag of the day/);
  assert.match((await core.run(manager(), '/tagoftheday unsubscribe')).text, /not subscribed/);
  assert.equal((await core.run(manager(), '/tagoftheday skip')).status, 'error');
  for (const iso of ['2025-06-03T09:00:00Z', '2025-06-04T09:00:00Z']) {
    clock.set(iso);
    await tod.tick(poster);
  }
  assert.equal(poster.sent.length, 1);
  const next = tod.nextTag(caller(), await tod.get(caller()));
  clock.set('2025-06-04T10:00:00Z');
  await core.run(manager(), '/tagoftheday subscribe 11:00 UTC');
  clock.set('2025-06-04T11:00:00Z');
  await tod.tick(poster);
  assert.equal(poster.sent.length, 2);
  assert.equal(poster.sent[1]!.tag, next);
  assert.notEqual(poster.sent[1]!.tag, poster.sent[0]!.tag);
  await core.close();
});

test('rotation through the scheduler: every eligible tag once per cycle, no repeat across the boundary', async () => {
  const { clock, core, tod, poster } = await setup('2025-01-01T12:00:00Z');
  const eligible = eligibleTags(core.services.catalog);
  assert.ok(eligible.length >= 5, `${eligible.length} eligible tags`);
  await core.run(manager(), '/tagoftheday subscribe 09:00 UTC');
  const days = eligible.length * 2 + 1;
  for (let d = 1; d <= days; d++) {
    clock.t = Date.parse('2025-01-01T09:00:00Z') + d * DAY;
    await tod.tick(poster);
  }
  const tags = poster.sent.map((s) => s.tag);
  assert.equal(tags.length, days);
  const n = eligible.length;
  assert.deepEqual([...tags.slice(0, n)].sort(), eligible);
  assert.deepEqual([...tags.slice(n, 2 * n)].sort(), eligible);
  for (let i = 1; i < tags.length; i++) assert.notEqual(tags[i], tags[i - 1], `repeat at day ${i}`);
  assert.notDeepEqual(tags.slice(0, n), tags.slice(n, 2 * n), 'each cycle is shuffled anew');
  // Every post's tag is visible and shows 3 readings: 3 lines, or fewer when a paper rides on its
  // notes' line.
  const hidden = new Set(core.services.catalog.hiddenTags);
  for (const s of poster.sent) {
    assert.ok(!hidden.has(s.tag));
    const shown = s.reply.readings.flatMap((v) => [v.id, ...(v.companions ?? []).map((c) => c.id)]);
    assert.ok(shown.length >= 3 && s.reply.readings.length <= 3, `${s.tag}: ${shown.join(' ')}`);
  }
  await core.close();
});

test('the rotation is topics only: no languages, course collections or meta tags, however many readings', async () => {
  const { core } = await setup('2025-01-01T12:00:00Z');
  const catalog = core.services.catalog;
  const eligible = eligibleTags(catalog);
  for (const id of eligible) assert.equal(catalog.tagById.get(id)?.kind, 'topic', id);
  // Each of these tags at least 3 readings (mit-6.824 about 19): still never a tag of the day.
  for (const id of ['mit-6.824', 'ddia', 'go', 'learning-resources']) assert.ok(!eligible.includes(id), id);
  assert.ok(eligible.includes('raft') && eligible.includes('consensus'));
  await core.close();
});

test('rotation functions: deterministic from the seed; the cycle-boundary rule holds for many seeds', () => {
  const tags = Array.from({ length: 7 }, (_, i) => `t${i}`);
  const st: RotationState = { seed: seedFor('x'), cycle: 0, position: 0 };
  assert.deepEqual(cycleOrder(tags, st), cycleOrder(tags, { ...st }));
  let swaps = 0;
  for (let k = 0; k < 300; k++) {
    let s: RotationState = { seed: seedFor(`chan-${k}`), cycle: 0, position: 0 };
    const seen: string[] = [];
    for (let i = 0; i < tags.length * 3; i++) {
      seen.push(currentTag(tags, s)!);
      s = advance(tags, s);
    }
    for (let c = 0; c < 3; c++) assert.deepEqual(seen.slice(c * 7, c * 7 + 7).sort(), tags);
    for (let i = 1; i < seen.length; i++) assert.notEqual(seen[i], seen[i - 1]);
    if (cycleOrder(tags, { seed: s.seed, cycle: 1 })[0] === cycleOrder(tags, { seed: s.seed, cycle: 0 })[6])
      swaps++;
  }
  assert.ok(swaps > 0, 'the swap path was exercised');
  // Two tags still alternate; one tag repeats (nothing else to post).
  let two: RotationState = { seed: 'ab', cycle: 0, position: 0 };
  const alt: string[] = [];
  for (let i = 0; i < 6; i++) {
    alt.push(currentTag(['a', 'b'], two)!);
    two = advance(['a', 'b'], two);
  }
  for (let i = 1; i < alt.length; i++) assert.notEqual(alt[i], alt[i - 1]);
  assert.equal(currentTag([], st), undefined);
  // A catalog that shrank below the position rolls into a new cycle instead of failing.
  assert.ok(tags.includes(currentTag(tags, { seed: 'z', cycle: 0, position: 40 })!));
});

test('the order survives a restart: a new scheduler on the same store continues the same sequence', async () => {
  const store = createMemoryStore();
  const clockA = new TestClock('2025-06-01T12:00:00Z');
  const coreA = await testCore({ clock: clockA, store });
  await coreA.run(manager(), '/tagoftheday subscribe 09:00 UTC');
  const posterA = recorder(clockA);
  for (let d = 2; d <= 4; d++) {
    clockA.set(`2025-06-0${d}T09:00:00Z`);
    await coreA.services.tagOfTheDay.tick(posterA);
  }
  // Reference: what an uninterrupted run posts on days 5-7.
  const ref = new TagOfTheDay({ ...coreA.services, defaults: { time: '09:00', zone: 'UTC' }, owner: 'ref' });
  const expected: string[] = [];
  let rot = (await ref.get(caller()))!.rotation;
  const eligible = eligibleTags(coreA.services.catalog);
  for (let i = 0; i < 3; i++) {
    expected.push(currentTag(eligible, rot)!);
    rot = advance(eligible, rot);
  }
  // "Restart": a brand-new core (new search index, new instance) on the same store.
  const clockB = new TestClock('2025-06-05T09:00:00Z');
  const coreB = await testCore({ clock: clockB, store });
  const posterB = recorder(clockB);
  for (let d = 5; d <= 7; d++) {
    clockB.set(`2025-06-0${d}T09:00:00Z`);
    await coreB.services.tagOfTheDay.tick(posterB);
  }
  assert.deepEqual(
    posterB.sent.map((s) => s.tag),
    expected,
  );
  assert.equal(new Set([...posterA.sent, ...posterB.sent].map((s) => s.tag)).size, 6);
  await coreB.close();
});

test('a poster only gets the platforms it serves', async () => {
  const { clock, core, tod } = await setup('2025-06-01T12:00:00Z');
  await core.run(manager({ platform: 'console' }), '/tagoftheday subscribe 09:00 UTC');
  await core.run(manager({ platform: 'discord', workspaceId: 'g1' }), '/tagoftheday subscribe 09:00 UTC');
  clock.set('2025-06-02T09:00:00Z');
  const consoleOnly = { ...recorder(clock), platforms: ['console'] as const };
  assert.deepEqual((await tod.tick(consoleOnly)).posted, ['console:local:c1']);
  const discord = { ...recorder(clock), platforms: ['discord'] as const };
  assert.deepEqual((await tod.tick(discord)).posted, ['discord:g1:c1']);
  await core.close();
});

test('posts never ping: mentions in post text are defused', () => {
  const r = defuseReply(reply('hi @everyone <@123> <!channel>', { placement: 'channel' }));
  assert.ok(!r.text.includes('@everyone'));
  assert.ok(!r.text.includes('<@1'));
  assert.ok(!r.text.includes('<!c'));
});

test('the real-time loop: ticks at start, sleeps until the next firing (at most 60 s), stops cleanly', async () => {
  const clock = new TestClock('2025-06-01T08:59:30Z');
  const timers: Array<{ fn: () => void; ms: number; cleared: boolean }> = [];
  const fake: Timers = {
    setTimeout(fn, ms) {
      const t = { fn, ms, cleared: false };
      timers.push(t);
      return t;
    },
    clearTimeout(h) {
      (h as { cleared: boolean }).cleared = true;
    },
  };
  const core = await testCore({ clock });
  const tod = new TagOfTheDay({ ...core.services, defaults: { time: '09:00', zone: 'UTC' }, timers: fake });
  clock.set('2025-05-31T12:00:00Z');
  await tod.subscribe(caller(), '09:00', 'UTC', 'u1');
  clock.set('2025-06-01T08:59:30Z');
  const poster = recorder(clock);
  const run = async () => {
    const t = timers.at(-1)!;
    assert.equal(t.cleared, false);
    t.fn();
    // Let the tick and the next-wake computation finish.
    for (let i = 0; i < 50 && timers.at(-1) === t; i++) await new Promise((r) => setImmediate(r));
  };
  tod.start(poster);
  assert.equal(tod.started, true);
  assert.equal(timers.length, 1);
  assert.equal(timers[0]!.ms, 0);
  await run();
  assert.equal(poster.sent.length, 0);
  // 30 s until 09:00 (+5 ms margin).
  assert.equal(timers.at(-1)!.ms, 30_005);
  clock.t += 30_005;
  await run();
  assert.equal(poster.sent.length, 1);
  // Nothing due for a day: the loop still wakes within 60 s to see new subscriptions.
  assert.ok(timers.at(-1)!.ms <= 60_005);
  await core.close(); // core.close() stops its own instance; stop this one too
  await tod.stop();
  assert.equal(tod.started, false);
  assert.equal(timers.at(-1)!.cleared, true);
});

test('core.close() stops the scheduler the adapter started', async () => {
  const { core, tod, poster } = await setup();
  tod.start(poster);
  assert.equal(tod.started, true);
  await core.close();
  assert.equal(tod.started, false);
});

test('console: a subscribed console channel gets its post printed; closing the session stops the scheduler', async () => {
  const { PassThrough } = await import('node:stream');
  const { startConsole } = await import('../adapters/console/index.ts');
  const clock = new TestClock('2025-06-02T08:00:00Z');
  const core = await testCore({ clock });
  const consoleCaller = caller({ channelId: 'console', userId: 'console' });
  assert.equal((await core.run(consoleCaller, '/tagoftheday subscribe 09:00 UTC')).status, 'ok');
  clock.set('2025-06-02T09:00:01Z'); // due: the loop's first tick (at start) posts
  const input = new PassThrough();
  const output = new PassThrough();
  let seen = '';
  output.on('data', (d: Buffer) => (seen += d.toString()));
  const session = startConsole(core, { input, output });
  assert.equal(core.services.tagOfTheDay.started, true);
  for (let i = 0; i < 200 && !seen.includes('[tag of the day for #console]'); i++)
    await new Promise((r) => setTimeout(r, 5));
  assert.match(seen, /\[tag of the day for #console\]\n.*Tag of the day: /);
  assert.match(seen, /More: .*\/read /);
  input.write('/tagoftheday status\n');
  input.end();
  await session.done;
  assert.match(seen, /Last post: 2025-06-02/);
  assert.equal(core.services.tagOfTheDay.started, false);
  await core.close();
});

test('/tagoftheday alone explains itself; the timezone option autocompletes IANA names', async () => {
  const { core } = await setup();
  const help = await core.run(member(), '/tagoftheday');
  assert.equal(help.status, 'ok');
  assert.match(help.text, /subscribe \[HH:MM\] \[timezone\]/);
  const berlin = core.suggest('tagoftheday', 'timezone', 'berl');
  assert.deepEqual(berlin, [{ name: 'Europe/Berlin', value: 'Europe/Berlin' }]);
  assert.ok(core.suggest('tagoftheday', 'timezone', 'new y').some((c) => c.value === 'America/New_York'));
  assert.ok(core.suggest('tagoftheday', 'timezone', '').length <= 25);
  assert.deepEqual(core.suggest('tagoftheday', 'time', '9'), []);
  const cmd = core.commands.find((c) => c.name === 'tagoftheday')!;
  assert.deepEqual(
    cmd.subcommands!.map((s) => s.name),
    ['subscribe', 'unsubscribe', 'status', 'preview', 'skip'],
  );
  assert.deepEqual(
    cmd.subcommands![0]!.options.map((o) => o.name),
    ['time', 'timezone'],
  );
  await core.close();
});
