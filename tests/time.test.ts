import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseTimeOfDay, parseZone, isZone } from '../src/time/parse.ts';
import {
  firingOn,
  formatLocal,
  localDate,
  localTime,
  nextDate,
  nextFiring,
  zoneProblem,
} from '../src/time/daily.ts';

const pad = (n: number) => String(n).padStart(2, '0');

test('parseTimeOfDay accepts 24-hour and am/pm forms', () => {
  const cases: Array<[string, string]> = [
    ['09:00', '09:00'],
    ['9:00', '09:00'],
    ['0:00', '00:00'],
    ['23:59', '23:59'],
    [' 17:30 ', '17:30'],
    ['9am', '09:00'],
    ['9 AM', '09:00'],
    ['9:30pm', '21:30'],
    ['9:30 p.m.', '21:30'],
    ['12am', '00:00'],
    ['12pm', '12:00'],
    ['12:15am', '00:15'],
  ];
  for (const [input, want] of cases)
    assert.deepEqual(parseTimeOfDay(input), { ok: true, value: want }, input);
});

test('parseTimeOfDay rejects out-of-range, ambiguous and malformed times with a hint', () => {
  for (const bad of [
    '24:00',
    '9:60',
    '25:00',
    '13pm',
    '0am',
    '9',
    '21',
    '9.30',
    '09:0',
    '0900',
    'noonish',
    '',
    '9:00:00',
    '-1:00',
    '٩:٠٠',
  ]) {
    const r = parseTimeOfDay(bad);
    assert.equal(r.ok, false, bad);
    if (!r.ok) assert.match(r.message, /HH:MM/, bad);
  }
  const amb = parseTimeOfDay('9');
  assert.ok(!amb.ok && /ambiguous/.test(amb.message));
});

test('noon and midnight are times of day', () => {
  assert.deepEqual(parseTimeOfDay('noon'), { ok: true, value: '12:00' });
  assert.deepEqual(parseTimeOfDay('Midnight'), { ok: true, value: '00:00' });
});

test('ambiguous zone abbreviations are refused with the IANA names to use; zones are stored canonical', () => {
  for (const [abbr, suggests] of [
    ['EST', 'America/New_York'],
    ['est', 'America/New_York'],
    ['CEST', 'Europe/Berlin'],
    ['PST', 'America/Los_Angeles'],
    ['IST', 'Asia/Kolkata'],
    ['CET', 'Europe/Berlin'],
  ] as const) {
    const r = parseZone(abbr);
    assert.equal(r.ok, false, abbr);
    if (!r.ok) {
      assert.match(r.message, /abbreviation/, abbr);
      assert.ok(r.message.includes(suggests), `${abbr}: ${r.message}`);
    }
  }
  assert.deepEqual(parseZone('us/eastern'), { ok: true, value: 'America/New_York' });
  assert.deepEqual(parseZone('US/Pacific'), { ok: true, value: 'America/Los_Angeles' });
  assert.deepEqual(parseZone('Etc/UTC'), { ok: true, value: 'UTC' });
});

test('parseZone accepts IANA names case-insensitively and UTC; refuses unknown zones with the documented message', () => {
  assert.deepEqual(parseZone('Europe/Berlin'), { ok: true, value: 'Europe/Berlin' });
  assert.deepEqual(parseZone('europe/berlin'), { ok: true, value: 'Europe/Berlin' });
  assert.deepEqual(parseZone('America/New_York'), { ok: true, value: 'America/New_York' });
  assert.deepEqual(parseZone('UTC'), { ok: true, value: 'UTC' });
  assert.deepEqual(parseZone('utc'), { ok: true, value: 'UTC' });
  assert.deepEqual(parseZone('Mars/Base'), {
    ok: false,
    message: 'Unknown time zone "Mars/Base". Use an IANA name like Europe/Berlin or America/New_York.',
  });
  for (const bad of [
    '+01:00',
    'CEST',
    'Europe/Berlin; rm',
    '../../etc/passwd',
    'Europe/Berlin\u200b',
    'a'.repeat(100),
  ])
    assert.equal(parseZone(bad).ok, false, bad);
  assert.equal(isZone('Asia/Tokyo'), true);
  assert.equal(isZone(undefined), false);
});

test('property: the parsers never throw, whatever the input', () => {
  const weird = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 80 }),
    fc.string({ unit: 'binary', maxLength: 80 }),
    fc.string({
      unit: fc.constantFrom(
        '\u0000',
        '\u0007',
        '\u001b',
        '\u200b',
        '\u202e',
        '\ufeff',
        ':',
        '9',
        'a',
        'm',
        '/',
        ' ',
      ),
      maxLength: 40,
    }),
    fc.constant('9'.repeat(10_000)),
    fc.nat({ max: 10_000 }).map((n) => 'x'.repeat(n)),
  );
  fc.assert(
    fc.property(weird, (s) => {
      const t = parseTimeOfDay(s);
      const z = parseZone(s);
      // A value, or a short message that does not echo more than a snippet of the input.
      for (const r of [t, z]) {
        if (r.ok) assert.ok(r.value.length <= 64);
        else assert.ok(r.message.length < 300);
      }
      if (t.ok) assert.match(t.value, /^([01]\d|2[0-3]):[0-5]\d$/);
    }),
    { numRuns: 500 },
  );
});

test('property: every valid HH:MM / H:MM is accepted as itself; every out-of-range one is rejected', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 23 }),
      fc.integer({ min: 0, max: 59 }),
      fc.boolean(),
      (h, m, short) => {
        const text = `${short ? h : pad(h)}:${pad(m)}`;
        assert.deepEqual(parseTimeOfDay(text), { ok: true, value: `${pad(h)}:${pad(m)}` });
      },
    ),
  );
  fc.assert(
    fc.property(
      fc.oneof(
        fc.tuple(fc.integer({ min: 24, max: 99 }), fc.integer({ min: 0, max: 59 })),
        fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 60, max: 99 })),
      ),
      ([h, m]) => {
        assert.equal(parseTimeOfDay(`${pad(h)}:${pad(m)}`).ok, false);
      },
    ),
  );
});

test('localDate / localTime / formatLocal / nextDate', () => {
  const t = Date.parse('2025-03-10T23:30:00Z');
  assert.equal(localDate(t, 'UTC'), '2025-03-10');
  assert.equal(localDate(t, 'Europe/Berlin'), '2025-03-11');
  assert.equal(localTime(t, 'Europe/Berlin'), '00:30');
  assert.equal(formatLocal(t, 'America/New_York'), 'Mon 2025-03-10 19:30');
  assert.equal(nextDate('2024-02-28'), '2024-02-29');
  assert.equal(nextDate('2025-12-31'), '2026-01-01');
});

// DST: a 09:00 schedule stays 09:00 local; the UTC instant moves by an hour.
const dstCases: Array<{ zone: string; before: string; after: string; offBefore: number; offAfter: number }> =
  [
    // America/New_York: spring forward 2025-03-09, fall back 2025-11-02.
    { zone: 'America/New_York', before: '2025-03-08', after: '2025-03-10', offBefore: -5, offAfter: -4 },
    { zone: 'America/New_York', before: '2025-11-01', after: '2025-11-03', offBefore: -4, offAfter: -5 },
    // Europe/Berlin: spring forward 2025-03-30, fall back 2025-10-26.
    { zone: 'Europe/Berlin', before: '2025-03-29', after: '2025-03-31', offBefore: 1, offAfter: 2 },
    { zone: 'Europe/Berlin', before: '2025-10-25', after: '2025-10-27', offBefore: 2, offAfter: 1 },
  ];

for (const c of dstCases) {
  test(`09:00 stays 09:00 local across DST in ${c.zone} (${c.before} → ${c.after})`, () => {
    const at = (date: string, off: number) => Date.parse(`${date}T09:00:00Z`) - off * 3600_000;
    assert.equal(firingOn(c.before, '09:00', c.zone), at(c.before, c.offBefore));
    assert.equal(firingOn(c.after, '09:00', c.zone), at(c.after, c.offAfter));
    // The day of the change itself also fires at 09:00 local, once.
    const mid = nextDate(c.before);
    const fire = firingOn(mid, '09:00', c.zone);
    assert.equal(localTime(fire, c.zone), '09:00');
    assert.equal(localDate(fire, c.zone), mid);
    // Walking firing to firing never skips or doubles a day.
    let t = firingOn(c.before, '09:00', c.zone);
    const seen = [localDate(t, c.zone)];
    for (let i = 0; i < 3; i++) {
      t = nextFiring('09:00', c.zone, t);
      assert.equal(localTime(t, c.zone), '09:00');
      seen.push(localDate(t, c.zone));
    }
    assert.deepEqual(seen, [c.before, mid, c.after, nextDate(c.after)]);
  });
}

test('a time skipped by spring-forward fires once that day, at the first valid instant after the gap', () => {
  // New York 2025-03-09: 02:00 EST jumps to 03:00 EDT; Troll 2025-03-30: 01:00 +00 jumps to 03:00 +02;
  // Lord Howe 2025-10-05: 02:00 jumps to 02:30 (a 30-minute gap).
  for (const [zone, date, time, iso, shownAs] of [
    ['America/New_York', '2025-03-09', '02:30', '2025-03-09T07:00:00.000Z', '03:00'],
    ['America/New_York', '2025-03-09', '02:00', '2025-03-09T07:00:00.000Z', '03:00'],
    ['Antarctica/Troll', '2025-03-30', '02:30', '2025-03-30T01:00:00.000Z', '03:00'],
    ['Antarctica/Troll', '2025-03-30', '01:30', '2025-03-30T01:00:00.000Z', '03:00'],
    ['Europe/Berlin', '2025-03-30', '02:30', '2025-03-30T01:00:00.000Z', '03:00'],
    ['Australia/Lord_Howe', '2025-10-05', '02:15', '2025-10-04T15:30:00.000Z', '02:30'],
  ] as const) {
    const f = firingOn(date, time, zone);
    assert.equal(new Date(f).toISOString(), iso, `${zone} ${date} ${time}`);
    assert.equal(localTime(f, zone), shownAs);
    assert.equal(localDate(f, zone), date);
    assert.equal(localTime(firingOn(nextDate(date), time, zone), zone), time, 'the next day is normal');
  }
  // The daily walk still visits every day once.
  let t = firingOn('2025-03-08', '02:30', 'America/New_York');
  const days: string[] = [];
  for (let i = 0; i < 3; i++) {
    t = nextFiring('02:30', 'America/New_York', t);
    days.push(localDate(t, 'America/New_York'));
  }
  assert.deepEqual(days, ['2025-03-09', '2025-03-10', '2025-03-11']);
});

test('a time repeated by fall-back fires once that day, at its first occurrence, in every zone', () => {
  for (const [zone, date, time, first] of [
    ['America/New_York', '2025-11-02', '01:30', '2025-11-02T05:30:00.000Z'], // EDT, not EST
    ['Europe/Berlin', '2025-10-26', '02:30', '2025-10-26T00:30:00.000Z'], // CEST, not CET
    ['Antarctica/Troll', '2025-10-26', '01:30', '2025-10-25T23:30:00.000Z'], // +02, not +00
    ['Australia/Lord_Howe', '2025-04-06', '01:45', '2025-04-05T14:45:00.000Z'], // +11, not +10:30
    ['Australia/Sydney', '2025-04-06', '02:30', '2025-04-05T15:30:00.000Z'], // AEDT, not AEST
  ] as const) {
    const f = firingOn(date, time, zone);
    assert.equal(new Date(f).toISOString(), first, `${zone} ${date} ${time}`);
    assert.equal(localTime(f, zone), time);
    const next = nextFiring(time, zone, f);
    assert.equal(localDate(next, zone), nextDate(date), `${zone}: no second firing on ${date}`);
  }
});

test('nextFiring is strictly later than its argument at every minute of a fall-back night', () => {
  // A loop re-armed from a next firing at or before now spins (issue 14: 120–160 ticks every 0.5 s).
  for (const [zone, time, from] of [
    ['America/New_York', '01:30', '2025-11-02T04:00:00Z'],
    ['Australia/Sydney', '02:30', '2025-04-05T14:00:00Z'],
    ['Europe/Berlin', '02:30', '2025-10-25T23:00:00Z'],
  ] as const) {
    const start = Date.parse(from);
    for (let t = start; t < start + 4 * 3600_000; t += 60_000) {
      const next = nextFiring(time, zone, t);
      assert.ok(next > t, `${zone} ${time} after ${new Date(t).toISOString()}`);
      assert.ok(next - t <= 25 * 3600_000);
    }
  }
});

test('zoneProblem names a zone the runtime does not know, and accepts a known one', () => {
  assert.equal(zoneProblem('Europe/Berlin'), undefined);
  assert.match(zoneProblem('Mars/Olympus_Mons') ?? '', /not known/);
});

test('zones far from UTC: firingOn finds the right local day', () => {
  for (const zone of ['Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Asia/Kathmandu', 'UTC']) {
    for (const time of ['00:00', '09:00', '23:59']) {
      const f = firingOn('2025-06-15', time, zone);
      assert.equal(localDate(f, zone), '2025-06-15', `${zone} ${time}`);
      assert.equal(localTime(f, zone), time, `${zone} ${time}`);
    }
  }
});
