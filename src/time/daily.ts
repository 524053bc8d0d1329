import { Cron } from 'croner';

/**
 * "HH:MM every day in zone" as instants, computed by croner so DST follows the zone's rules:
 * - a 09:00 schedule stays 09:00 local on both sides of a DST change (the UTC instant moves);
 * - a time that does not exist on a spring-forward day (02:30 in America/New_York on the second
 *   Sunday of March) fires once that day at the same elapsed instant, which the clock shows as 03:30
 *   (croner shifts it forward by the gap; the post is not dropped and not moved to the next day);
 * - a time that exists twice on an autumn day fires once (croner picks one occurrence); the per-day
 *   claim makes a second firing impossible anyway.
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

/** The first instant strictly after `after` at which the daily schedule fires. */
export function nextFiring(time: string, zone: string, after: number): number {
  const next = cronFor(time, zone).nextRun(new Date(after));
  if (!next) throw new Error(`no next run for ${time} ${zone}`);
  return next.getTime();
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
