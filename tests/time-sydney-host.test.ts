// croner 9.1.0 bug #284 (fixed in 10.0.0): on a host whose own zone is Australia/Sydney, schedules in
// other zones drifted around Sydney's DST changes, delaying posts by up to 60 s. This file runs with
// the process zone set to Sydney (Node applies a runtime change of TZ) and checks exact instants.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firingOn, nextFiring } from '../src/time/daily.ts';

process.env.TZ = 'Australia/Sydney';

test('on a host in Australia/Sydney, UTC and Berlin schedules fire on the exact minute around Sydney DST', () => {
  assert.equal(new Date(Date.UTC(2025, 3, 5, 16)).getHours(), 2, 'the process runs in Sydney time');
  // Sydney: fall-back 2025-04-06 03:00 AEDT → 02:00 AEST; spring-forward 2025-10-05 02:00 → 03:00.
  for (const [from, days] of [
    ['2025-04-03', 6],
    ['2025-10-02', 6],
  ] as const) {
    for (const [time, zone] of [
      ['16:00', 'UTC'],
      ['15:30', 'UTC'],
      ['09:00', 'Europe/Berlin'],
      ['02:30', 'Australia/Sydney'],
    ] as const) {
      let t = firingOn(from, time, zone);
      for (let i = 0; i < days; i++) {
        const next = nextFiring(time, zone, t);
        assert.equal(next % 60_000, 0, `${time} ${zone} lands on a whole minute`);
        if (zone === 'UTC') assert.equal(next - t, 86_400_000, `${time} UTC is 24 h after the last`);
        assert.ok(next > t);
        t = next;
      }
    }
  }
  assert.equal(new Date(firingOn('2025-04-06', '16:00', 'UTC')).toISOString(), '2025-04-06T16:00:00.000Z');
});
