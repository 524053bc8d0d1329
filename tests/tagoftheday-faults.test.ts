// Issue 14: each fault found by replaying clock faults, crashes and channel failures, as a test driven by
// an injected clock, on memory, SQLite and Redis where the store matters.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Logger } from '../src/logger.ts';
import { caller, testCore } from './helpers/core.ts';
import { siblingScheduler } from './helpers/tagoftheday.ts';
import { hasRedisServer, removeDir, REDIS_MISSING, startRedis } from './helpers/redis.ts';
import type { Reply } from '../src/reply.ts';
import { createMemoryStore } from '../src/store/memory.ts';
import { openStore } from '../src/store/open.ts';
import type { Store } from '../src/store/types.ts';
import {
  MIN_SLEEP_MS,
  SUBS_NAMESPACE,
  TagOfTheDay,
  channelKey,
  type Poster,
  type Subscription,
  type Timers,
} from '../src/tagoftheday/service.ts';
import { PostFailure } from '../src/tagoftheday/post-failure.ts';
import { advance, currentTag, type RotationState } from '../src/tagoftheday/rotation.ts';
import { firingOn, localDate } from '../src/time/daily.ts';

class TestClock {
  t: number;
  /** Added to the time on every read: a real clock moves while a tick works. */
  drift = 0;
  constructor(iso: string) {
    this.t = Date.parse(iso);
  }
  now = (): number => {
    this.t += this.drift;
    return this.t;
  };
  set(iso: string): void {
    this.t = Date.parse(iso);
  }
}

interface Sent {
  channel: string;
  tag: string;
  at: number;
}

function recorder(clock: { t: number }, sent: Sent[] = []): Poster & { sent: Sent[] } {
  return {
    sent,
    async post(sub: Subscription, r: Reply) {
      const tag = /\(`([^`]+)`\)/.exec(r.text)?.[1] ?? '?';
      sent.push({ channel: sub.channelId, tag, at: clock.t });
    },
  };
}

type Backend = 'memory' | 'SQLite' | 'Redis';

/** Run `fn` with stores of one backend (every call of `open` is one more client on the same data). */
async function onBackend(
  t: TestContext,
  backend: Backend,
  fn: (open: () => Promise<Store>) => Promise<void>,
): Promise<void> {
  if (backend === 'memory') {
    const store = createMemoryStore();
    return fn(async () => store);
  }
  if (backend === 'SQLite') {
    const dir = mkdtempSync(join(tmpdir(), 'qr-todf-'));
    try {
      return await fn(() => openStore(`sqlite://${join(dir, 'tod.sqlite')}`));
    } finally {
      removeDir(dir);
    }
  }
  if (!hasRedisServer()) {
    if (process.env.CI) assert.fail(REDIS_MISSING);
    t.skip(REDIS_MISSING);
    return;
  }
  const server = await startRedis();
  try {
    await fn(() => openStore(server.url));
  } finally {
    await server.stop();
  }
}

const BACKENDS: Backend[] = ['memory', 'SQLite', 'Redis'];

// ---- 1. Busy loop on fall-back night ----

test('fall-back night in New York: the loop never re-arms at 0 ms, even when the clock moves during a tick', async () => {
  const clock = new TestClock('2025-11-02T05:20:00Z'); // 01:20 EDT, inside the hour that repeats
  const armed: number[] = [];
  let pending: (() => void) | undefined;
  const timers: Timers = {
    setTimeout(fn, ms) {
      armed.push(ms);
      pending = fn;
      return fn;
    },
    clearTimeout() {
      pending = undefined;
    },
  };
  const core = await testCore({ clock });
  const tod = new TagOfTheDay({ ...core.services, defaults: { time: '09:00', zone: 'UTC' }, timers });
  await tod.subscribe(caller(), '01:30', 'America/New_York', 'u1');
  const poster = recorder(clock);
  tod.start(poster);
  // Every read of the clock moves it 90 s on (a slow store under load): the wake computed before the
  // last read is then already in the past.
  clock.drift = 90_000;
  for (let i = 0; i < 40; i++) {
    const fn = pending!;
    pending = undefined;
    fn();
    while (pending === undefined) await new Promise((r) => setImmediate(r));
  }
  await tod.stop();
  assert.equal(armed[0], 0, 'the first tick runs at start');
  const rearms = armed.slice(1);
  assert.ok(
    rearms.every((ms) => ms >= MIN_SLEEP_MS),
    `re-armed at ${rearms.filter((ms) => ms < MIN_SLEEP_MS).join(', ')} ms`,
  );
  assert.ok(poster.sent.length <= 2, 'one post per local day at most');
  await core.close();
});

// ---- 2. The local date going backwards ----

for (const backend of BACKENDS) {
  test(`${backend}: a backwards clock step after the 00:30 Berlin post never posts that day (or an earlier one) again`, (t) =>
    onBackend(t, backend, async (open) => {
      // Subscribed days before, so 2025-06-01's 00:30 counts as due once the clock says 06-01 again
      // (the bot was down that day: 06-02 is the first post).
      const clock = new TestClock('2025-05-30T12:00:00Z');
      const core = await testCore({ store: await open(), clock });
      await core.run(caller(), '/tagoftheday subscribe 00:30 Europe/Berlin');
      const poster = recorder(clock);
      const tod = core.services.tagOfTheDay;
      clock.set('2025-06-01T22:31:00Z'); // 00:31 Berlin on 2025-06-02
      await tod.tick(poster);
      assert.equal(poster.sent.length, 1);
      // NTP steps the clock back one hour: Berlin reads 23:31 on 2025-06-01, past its 00:30; a day
      // before one already posted never posts.
      clock.set('2025-06-01T21:31:00Z');
      for (let i = 0; i < 120; i++) {
        await tod.tick(poster);
        clock.t += 60_000;
      }
      assert.equal(poster.sent.length, 1, 'no second post after the step back');
      // The next real day still posts.
      clock.set('2025-06-02T22:30:30Z');
      await tod.tick(poster);
      assert.equal(poster.sent.length, 2);
      await core.close();
    }));

  test(`${backend}: two processes whose clocks differ by 30 s around a 00:00 UTC post: one post a day`, (t) =>
    onBackend(t, backend, async (open) => {
      const ahead = new TestClock('2025-05-30T12:00:00Z');
      const behind = { now: () => ahead.t - 30_000 };
      const core = await testCore({ store: await open(), clock: ahead });
      const other = await testCore({ store: await open(), clock: behind });
      await core.run(caller(), '/tagoftheday subscribe 00:00 UTC');
      const poster = recorder(ahead);
      const a = core.services.tagOfTheDay;
      const b = siblingScheduler(other, behind, 'behind');
      // Two days: the process ahead posts at midnight; then both tick every 10 s for 20 minutes, the
      // one behind still reading the day before for its first 30 s.
      for (const day of ['2025-06-02', '2025-06-03']) {
        ahead.set(`${day}T00:00:00Z`);
        await a.tick(poster, ahead.t);
        for (let i = 0; i < 6 * 20; i++) {
          await Promise.all([a.tick(poster, ahead.t), b.tick(poster, behind.now())]);
          ahead.t += 10_000;
        }
      }
      assert.deepEqual(
        poster.sent.map((s) => localDate(s.at, 'UTC')),
        ['2025-06-02', '2025-06-03'],
      );
      await other.close();
      await core.close();
    }));
}

// ---- 3. Stale writes ----

for (const backend of BACKENDS) {
  test(`${backend}: settling a crashed post on a slow tick never writes back the old subscription (no 09:11 repeat, no undone unsubscribe)`, (t) =>
    onBackend(t, backend, async (open) => {
      const clock = new TestClock('2025-06-01T12:00:00Z');
      const core = await testCore({ store: await open(), clock });
      const tod = core.services.tagOfTheDay;
      for (const ch of ['c1', 'c2', 'c3'])
        await core.run(caller({ channelId: ch }), '/tagoftheday subscribe 09:00 UTC');
      // 2025-06-02: a process dies mid-post on c2 and c3 (markers left in flight).
      clock.set('2025-06-02T09:00:00Z');
      // Each dead process hangs on the first channel it wins (ticks are sequential).
      const hang: Poster = {
        post: (sub) => (sub.channelId === 'c1' ? Promise.resolve() : new Promise(() => {})),
      };
      for (const [owner, ch] of [
        ['dead', 'c2'],
        ['dead-too', 'c3'],
      ] as const) {
        void siblingScheduler(core, clock, owner).tick(hang);
        for (let i = 0; i < 500 && !(await tod.get(caller({ channelId: ch })))?.inflight; i++)
          await new Promise((r) => setImmediate(r));
      }
      assert.equal((await tod.get(caller({ channelId: 'c3' })))?.inflight?.owner, 'dead-too');

      // 2025-06-03 09:00: process B starts a slow tick (c1's post hangs until released) holding the
      // list it read; process A ticks fully meanwhile (settles c2, posts it); c3 is unsubscribed.
      clock.set('2025-06-03T09:00:00Z');
      const sent: Sent[] = [];
      let release!: () => void;
      const slowStarted = new Promise<void>((started) => {
        const gate = new Promise<void>((r) => (release = r));
        const slow: Poster = {
          async post(sub, r) {
            if (sub.channelId === 'c1') {
              started();
              await gate;
            }
            await recorder(clock, sent).post(sub, r);
          },
        };
        void (async () => {
          const b = siblingScheduler(core, clock, 'slow-b');
          await b.tick(slow);
          bDone();
        })();
      });
      let bDone!: () => void;
      const bFinished = new Promise<void>((r) => (bDone = r));
      await slowStarted;
      await core.run(caller({ channelId: 'c3' }), '/tagoftheday unsubscribe');
      const a = siblingScheduler(core, clock, 'fast-a');
      await a.tick(recorder(clock, sent));
      release();
      await bFinished;

      const c2 = (await tod.get(caller({ channelId: 'c2' })))!;
      assert.equal(c2.lastPostedDate, '2025-06-03', 'B did not write back the subscription it read at 09:00');
      assert.equal((await tod.get(caller({ channelId: 'c3' })))!.active, false, 'the unsubscribe stands');
      // 09:11 and the rest of the day: no second c2 post, nothing in c3.
      for (const hm of ['09:11', '10:00', '15:00']) {
        clock.set(`2025-06-03T${hm}:00Z`);
        await tod.tick(recorder(clock, sent));
      }
      const c2Posts = sent.filter((s) => s.channel === 'c2');
      assert.equal(c2Posts.length, 1, JSON.stringify(sent));
      assert.equal(sent.filter((s) => s.channel === 'c3').length, 0);
      assert.equal(sent.filter((s) => s.channel === 'c1').length, 1);
      await core.close();
    }));
}

// ---- 4. Rotation under catalog change ----

test('rotation: a tag added or removed mid-cycle changes only itself; no tag twice, none skipped', () => {
  const base = Array.from({ length: 30 }, (_, i) => `topic-${String(i).padStart(2, '0')}`);
  for (let seed = 0; seed < 40; seed++) {
    let state: RotationState = { seed: `s${seed}`, cycle: 0, position: 0 };
    let tags = [...base];
    const posted: string[] = [];
    for (let day = 0; day < 30; day++) {
      if (day === 5) tags = [...tags, 'topic-new'].sort();
      if (day === 9) {
        const unposted = tags.filter((t) => !posted.includes(t) && t !== currentTag(tags, state));
        tags = tags.filter((t) => t !== unposted[0]);
      }
      const tag = currentTag(tags, state);
      if (!tag) break;
      posted.push(tag);
      state = advance(tags, state);
      if (state.cycle > 0) break;
    }
    assert.equal(new Set(posted).size, posted.length, `seed ${seed}: a tag posted twice in one cycle`);
    assert.deepEqual([...posted].sort(), [...tags].sort(), `seed ${seed}: every tag of the cycle once`);
  }
});

test('rotation: a state stored before `remaining` existed continues the same order', () => {
  const tags = Array.from({ length: 12 }, (_, i) => `t${i}`);
  const legacy: RotationState = { seed: 'abc', cycle: 2, position: 5 };
  let s = legacy;
  const out: string[] = [];
  for (let i = 0; i < 7; i++) {
    out.push(currentTag(tags, s)!);
    s = advance(tags, s);
  }
  assert.equal(new Set(out).size, 7);
  assert.equal(s.cycle, 3, 'the cycle ended after its last 7 tags');
});

/** A pino logger at info whose raw JSON lines are kept, to count what was logged. */
function lineLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _e, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  return { logger: pino({ level: 'info' }, sink), lines };
}

// ---- 5. Channels the bot cannot post in (core side; adapters in tests/discord, tests/slack) ----

test('a permanent post failure pauses the subscription, logs once, tells the subscriber; subscribing again resumes', async () => {
  const { logger, lines } = lineLogger();
  const clock = new TestClock('2025-06-01T12:00:00Z');
  const core = await testCore({ clock, logger });
  await core.run(caller({ userId: 'alice' }), '/tagoftheday subscribe 09:00 UTC');
  let calls = 0;
  const notes: Array<{ user: string; text: string }> = [];
  const denied: Poster = {
    async post() {
      calls++;
      throw new PostFailure(
        'permanent',
        '50013',
        'the bot lacks the Send Messages permission in this channel.',
      );
    },
    async notify(_sub, user, text) {
      notes.push({ user, text });
    },
  };
  const tod = core.services.tagOfTheDay;
  for (let m = 0; m < 3 * 24 * 60; m += 10) {
    clock.set('2025-06-02T08:00:00Z');
    clock.t += m * 60_000;
    await tod.tick(denied);
  }
  assert.equal(calls, 1, 'one failed call, not one a minute');
  assert.equal(notes.length, 1);
  assert.equal(notes[0]!.user, 'alice');
  assert.match(notes[0]!.text, /Send Messages/);
  assert.match(notes[0]!.text, /\/tagoftheday subscribe/);
  assert.equal(lines.filter((l) => l.includes('subscription paused')).length, 1, 'logged once');
  const status = await core.run(caller(), '/tagoftheday status');
  assert.match(status.text, /paused/);
  assert.match(status.text, /Send Messages/);
  assert.match(status.text, /50013/);
  // Fixed; subscribing again resumes.
  await core.run(caller({ userId: 'alice' }), '/tagoftheday subscribe');
  const sub = (await tod.get(caller()))!;
  assert.equal(sub.paused, undefined);
  assert.equal(sub.time, '09:00');
  const ok = recorder(clock);
  clock.set('2025-06-06T09:00:00Z');
  await tod.tick(ok);
  assert.equal(ok.sent.length, 1);
  await core.close();
});

test('transient post failures (5xx, 429) retry with backoff: a day of failures is a dozen calls, not 900', async () => {
  const clock = new TestClock('2025-06-01T12:00:00Z');
  const core = await testCore({ clock });
  await core.run(caller(), '/tagoftheday subscribe 09:00 UTC');
  let calls = 0;
  const down: Poster = {
    async post() {
      calls++;
      throw new PostFailure('transient', 'http_503', 'the platform answered 503');
    },
  };
  clock.set('2025-06-02T09:00:00Z');
  const tod = core.services.tagOfTheDay;
  while (clock.t < Date.parse('2025-06-03T00:00:00Z')) {
    await tod.tick(down);
    clock.t += 60_000;
  }
  assert.ok(calls >= 5 && calls <= 20, `${calls} calls`);
  // A 429 with Retry-After waits at least that long.
  const limited: Poster = {
    async post() {
      calls++;
      throw new PostFailure('transient', 'http_429', 'rate limited', { retryAfterMs: 30 * 60_000 });
    },
  };
  calls = 0;
  clock.set('2025-06-03T09:00:00Z');
  await tod.tick(limited);
  for (let m = 1; m < 30; m++) {
    clock.t += 60_000;
    await tod.tick(limited);
  }
  assert.equal(calls, 1);
  await core.close();
});

test('subscribe asks the adapter whether the bot can post here, and refuses with what to do', async () => {
  const core = await testCore();
  const r = await core.run(
    caller({
      channelAccess: async () => ({
        ok: false,
        message:
          'I cannot post in this private channel: invite me with `/invite @Quorum Reads`, then subscribe again.',
      }),
    }),
    '/tagoftheday subscribe 09:00 UTC',
  );
  assert.equal(r.status, 'error');
  assert.match(r.text, /invite/);
  assert.equal(await core.services.tagOfTheDay.get(caller()), undefined, 'nothing stored');
  await core.close();
});

// ---- 6. A stored zone that stops being valid ----

test('a stored zone that stopped being valid: status says how to fix it, the channel is skipped and logged once, others are on time', async () => {
  const { logger, lines } = lineLogger();
  const clock = new TestClock('2025-06-01T12:00:00Z');
  const core = await testCore({ clock, logger });
  const tod = core.services.tagOfTheDay;
  await core.run(caller({ channelId: 'good' }), '/tagoftheday subscribe 09:00 UTC');
  await core.run(caller({ channelId: 'bad' }), '/tagoftheday subscribe 08:00 Europe/Berlin');
  // tzdata dropped the zone (a stored record, as a newer runtime would read it).
  await tod.update(caller({ channelId: 'bad' }), (s) => ({ ...s!, zone: 'Mars/Olympus_Mons' }));
  const status = await core.run(caller({ channelId: 'bad' }), '/tagoftheday status');
  assert.match(status.text, /Mars\/Olympus_Mons/);
  assert.match(status.text, /\/tagoftheday subscribe 08:00 <zone>/);
  const preview = await core.run(caller({ channelId: 'bad' }), '/tagoftheday preview');
  assert.match(preview.text, /subscribe 08:00/);
  // The good channel's wake is its own firing, not the 60 s fallback of a failed computation.
  clock.set('2025-06-02T08:59:00Z');
  const poster = recorder(clock);
  assert.equal(await tod.nextWake(clock.t, poster), firingOn('2025-06-02', '09:00', 'UTC'));
  for (let i = 0; i < 5; i++) {
    clock.t += 30_000;
    const r = await tod.tick(poster);
    assert.deepEqual(r.skipped, [channelKey(caller({ channelId: 'bad' }))]);
  }
  assert.deepEqual(
    poster.sent.map((s) => s.channel),
    ['good'],
  );
  assert.equal(lines.filter((l) => l.includes('not valid any more')).length, 1, 'logged once');
  // Fixing it: subscribe again with a valid zone.
  const fixed = await core.run(caller({ channelId: 'bad' }), '/tagoftheday subscribe 08:00 Europe/Berlin');
  assert.equal(fixed.status, 'ok');
  assert.equal((await tod.get(caller({ channelId: 'bad' })))!.zone, 'Europe/Berlin');
  await core.close();
});

// ---- 7. Input ----

test('input: noon and midnight; ambiguous abbreviations refused with IANA names; canonical zones; a time alone keeps the zone', async () => {
  const core = await testCore();
  const tod = core.services.tagOfTheDay;
  const run = (text: string) => core.run(caller(), text);
  assert.equal((await run('/tagoftheday subscribe noon UTC')).status, 'ok');
  assert.equal((await tod.get(caller()))!.time, '12:00');
  assert.equal((await run('/tagoftheday subscribe midnight')).status, 'ok');
  assert.equal((await tod.get(caller()))!.time, '00:00');
  for (const [abbr, name] of [
    ['EST', 'America/New_York'],
    ['CEST', 'Europe/Berlin'],
    ['PST', 'America/Los_Angeles'],
    ['IST', 'Asia/Kolkata'],
  ] as const) {
    const r = await run(`/tagoftheday subscribe 9am ${abbr}`);
    assert.equal(r.status, 'error', abbr);
    assert.ok(r.text.includes(name), r.text);
  }
  await run('/tagoftheday subscribe 9am us/eastern');
  assert.equal((await tod.get(caller()))!.zone, 'America/New_York');
  await run('/tagoftheday subscribe 9am Europe/Berlin');
  await run('/tagoftheday subscribe 17:30');
  const sub = (await tod.get(caller()))!;
  assert.deepEqual([sub.time, sub.zone], ['17:30', 'Europe/Berlin']);
  await core.close();
});

// ---- Migration: subscriptions stored by the previous code ----

test('SQLite: subscriptions written by the previous code are read, posted and keep their rotation', async () => {
  const { copyFileSync } = await import('node:fs');
  const dir = mkdtempSync(join(tmpdir(), 'qr-todm-'));
  const path = join(dir, 'old.sqlite');
  copyFileSync('tests/fixtures/store-v1.sqlite', path);
  const clock = new TestClock('2025-06-02T12:00:00Z');
  const core = await testCore({ store: await openStore(`sqlite://${path}`, undefined, { clock }), clock });
  const tod = core.services.tagOfTheDay;
  const subs = (await tod.list()).sort((a, b) => a.channelId.localeCompare(b.channelId));
  assert.deepEqual(
    subs.map((s) => [s.channelId, s.time, s.zone, s.lastPostedDate]),
    [
      ['tod1', '09:00', 'Europe/Berlin', undefined],
      ['tod2', '10:00', 'UTC', '2025-06-01'],
    ],
  );
  const lastTag = subs[1]!.lastTag;
  const poster = recorder(clock);
  await tod.tick(poster);
  assert.deepEqual(
    poster.sent.map((s) => s.channel).sort(),
    ['tod1', 'tod2'],
    'the day after: both post (catch-up)',
  );
  assert.notEqual(poster.sent.find((s) => s.channel === 'tod2')!.tag, lastTag, 'the rotation moved on');
  // The old Keyv rows are gone: one copy of each subscription.
  assert.equal((await core.services.store.namespace(SUBS_NAMESPACE).get('console:local:tod1')) ?? null, null);
  await core.close();
  removeDir(dir);
});
