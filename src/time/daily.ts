import { Cron } from 'croner';

/**
 * "HH:MM every day in zone" as instants, computed by croner (≥ 10, whose DST handling follows
 * croner-rust and Vixie cron) so DST follows the zone's tzdata rules:
 * - a 09:00 schedule stays 09:00 local on both sides of a DST change (the UTC instant moves);
 * - a time skipped by a spring-forward gap fires once that day, at the first valid instant after the
 *   gap: 02:30 in America/New_York on 2025-03-09 fires at 03:00 EDT; 02:30 in Antarctica/Troll on
 *   2025-03-30 (01:00 → 03:00) fires at 03:00;
 * - a time repeated by a fall-back overlap fires once, at its first occurrence (01:30 EDT, not EST);
 * - `nextFiring` is always strictly after its argument, so a loop re-armed from it cannot spin.
 */

/** Local calendar date "YYYY-MM-DD" of `instant` in `zone`. */
export function localDate(instant: number, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** Local wall-clock "HH:MM" of `instant` in `zone`. */
export function localTime(instant: number, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(instant));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('hour')}:${get('minute')}`;
}

/** "Tue 2025-03-11 09:00" in `zone`. */
export function formatLocal(instant: number, zone: string): string {
  const weekday = new Intl.DateTimeFormat('en-US', { timeZone: zone, weekday: 'short' }).format(
    new Date(instant),
  );
  return `${weekday} ${localDate(instant, zone)} ${localTime(instant, zone)}`;
}

/** The calendar date after `date` ("YYYY-MM-DD"). */
export function nextDate(date: string): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

const crons = new Map<string, Cron>();
function cronFor(time: string, zone: string): Cron {
  const key = `${time}|${zone}`;
  let c = crons.get(key);
  if (!c) {
    const [h, m] = time.split(':').map(Number);
    // paused + never started: used only for next-run computation, owns no timer.
    c = new Cron(`${m} ${h} * * *`, { timezone: zone, paused: true });
    if (crons.size > 1000) crons.clear();
    crons.set(key, c);
  }
  return c;
}

/**
 * The first instant strictly after `after` at which the daily schedule fires. Throws a RangeError
 * when `zone` is not a zone this runtime knows (see `zoneProblem`).
 */
export function nextFiring(time: string, zone: string, after: number): number {
  const cron = cronFor(time, zone);
  let from = after;
  // croner 9 could answer an instant at or before `from` inside a fall-back overlap (issue 14);
  // never hand that on: step past it instead.
  for (let i = 0; i < 4; i++) {
    const next = cron.nextRun(new Date(from))?.getTime();
    if (next === undefined) break;
    if (next > after) return next;
    from = Math.max(from, next) + 60_000;
  }
  throw new Error(`no next run for ${time} ${zone} after ${new Date(after).toISOString()}`);
}

/**
 * Why `zone` cannot be scheduled in, or undefined when it can. A zone stored earlier can stop being
 * valid when the runtime's tzdata (ICU) drops or renames it.
 */
export function zoneProblem(zone: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return undefined;
  } catch {
    return `the time zone "${zone}" is not known to this server's time zone database (tzdata) any more`;
  }
}

/** When the daily schedule fires on local date `date` ("YYYY-MM-DD") in `zone`. */
export function firingOn(date: string, time: string, zone: string): number {
  // Local midnight of `date` lies within [date 00:00Z - 14h, date 00:00Z + 12h] in every zone.
  let t = Date.parse(`${date}T00:00:00Z`) - 15 * 3600_000;
  for (let i = 0; i < 4; i++) {
    t = nextFiring(time, zone, t);
    const d = localDate(t, zone);
    if (d === date) return t;
    if (d > date) break;
  }
  throw new Error(`schedule ${time} ${zone} does not fire on ${date}`);
}
