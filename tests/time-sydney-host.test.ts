// croner 9.1.0 bug #284 (fixed in 10.0.0): on a host whose own zone observes DST (here Australia/Sydney),
// schedules in UTC skipped or shifted firings around the host's DST change (02:30 UTC on 2025-10-05 came
// a day late). This file runs with the process zone set to Sydney (Node applies a runtime change of TZ)
// and checks nextFiring against an oracle that walks minute by minute with Intl.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextFiring } from '../src/time/daily.ts';

process.env.TZ = 'Australia/Sydney';

/** The first whole minute after `after` whose wall clock in `zone` reads `time`. */
function oracle(time: string, zone: string, after: number): number {
  const fmt = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  let t = Math.floor(after / 60_000) * 60_000 + 60_000;
  while (fmt.format(new Date(t)) !== time) t += 60_000;
  return t;
}

test('on a host in Australia/Sydney, schedules in other zones fire on time around Sydney DST (croner #284)', () => {
  assert.equal(new Date(Date.UTC(2025, 3, 5, 16)).getHours(), 2, 'the process runs in Sydney time');
  // Sydney: fall-back 2025-04-06 03:00 AEDT → 02:00 AEST; spring-forward 2025-10-05 02:00 → 03:00.
  const wrong: string[] = [];
  for (const [time, zone] of [
    ['02:30', 'UTC'],
    ['16:00', 'UTC'],
    ['15:30', 'UTC'],
    ['09:00', 'Europe/Berlin'],
    ['09:00', 'America/New_York'],
  ] as const) {
    for (const start of ['2025-04-04T00:00:00Z', '2025-10-03T00:00:00Z']) {
      const from = Date.parse(start);
      // Instants that are not on the minute, every 7 min 13 s for 4 days.
      for (let t = from; t < from + 4 * 86_400_000; t += 7 * 60_000 + 13_000) {
        const got = nextFiring(time, zone, t);
        const want = oracle(time, zone, t);
        if (got !== want)
          wrong.push(`${time} ${zone} after ${new Date(t).toISOString()}: ${new Date(got).toISOString()}`);
      }
    }
  }
  assert.deepEqual(wrong.slice(0, 5), []);
});
