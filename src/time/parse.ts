/**
 * Parsing of user-typed times of day and time zones. Never throws: every input, however odd, gets
 * either a value or a short message saying what to type instead.
 */

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** Anything longer is not a time or a zone; we do not echo it back in full either. */
const MAX_INPUT = 64;

const TIME_HELP =
  'Write the time as HH:MM in 24-hour time, like 09:00 or 17:30 (9am, 5:30pm, noon and midnight work too).';

const NAMED_TIMES = new Map([
  ['noon', '12:00'],
  ['midday', '12:00'],
  ['midnight', '00:00'],
]);

// Controls, bidi overrides/isolates and zero-width characters: never echoed back.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/** What we show of user input in a message: short, single-line, no controls. */
export function shown(input: string): string {
  const flat = input.replace(INVISIBLE, '');
  const cut = flat.length > 30 ? `${flat.slice(0, 30)}…` : flat;
  return cut.replace(/[`"]/g, "'");
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A time of day → canonical "HH:MM" (24 h). Accepts `9:00`, `09:00`, `21:30`, `9am`, `9:30 pm`,
 * `12am` (00:00), `12pm` (12:00). Rejects bare numbers ("9": am or pm?), `24:00`, `9:60`, `13pm`.
 */
export function parseTimeOfDay(input: string): Parsed<string> {
  const raw = input.trim();
  if (raw.length === 0) return { ok: false, message: `Give a time. ${TIME_HELP}` };
  if (raw.length > MAX_INPUT) return { ok: false, message: `That is not a time. ${TIME_HELP}` };
  const named = NAMED_TIMES.get(raw.toLowerCase());
  if (named) return { ok: true, value: named };
  const h24 = /^(\d{1,2}):(\d{2})$/.exec(raw);
  if (h24) {
    const h = Number(h24[1]);
    const m = Number(h24[2]);
    if (h > 23 || m > 59)
      return {
        ok: false,
        message: `"${shown(raw)}" is not a time of day (hours 0-23, minutes 00-59). ${TIME_HELP}`,
      };
    return { ok: true, value: `${pad(h)}:${pad(m)}` };
  }
  const ampm = /^(\d{1,2})(?::(\d{2}))?\s*([ap])\.?m\.?$/i.exec(raw);
  if (ampm) {
    const h = Number(ampm[1]);
    const m = ampm[2] === undefined ? 0 : Number(ampm[2]);
    if (h < 1 || h > 12 || m > 59)
      return { ok: false, message: `"${shown(raw)}" is not a time of day (1-12 with am/pm). ${TIME_HELP}` };
    const pm = ampm[3]!.toLowerCase() === 'p';
    const hour = (h % 12) + (pm ? 12 : 0);
    return { ok: true, value: `${pad(hour)}:${pad(m)}` };
  }
  if (/^\d{1,2}$/.test(raw))
    return { ok: false, message: `"${shown(raw)}" is ambiguous: add minutes or am/pm. ${TIME_HELP}` };
  return { ok: false, message: `"${shown(raw)}" is not a time. ${TIME_HELP}` };
}

/** True when the token looks like an attempt at a time (so the time error, not the zone error, applies). */
export function looksLikeTime(token: string): boolean {
  const t = token.trim();
  return /^\d/.test(t) || NAMED_TIMES.has(t.toLowerCase());
}

/**
 * Abbreviations people type for a zone. Each names several places or both halves of a DST pair
 * ("EST" is fixed UTC−5 in tzdata, so "9am EST" would post at 10:00 New York time all summer; "IST"
 * is India, Ireland or Israel), so they are refused with the IANA names to use instead.
 */
const ABBREVIATIONS = new Map(
  Object.entries({
    EST: 'America/New_York (US Eastern) or America/Toronto',
    EDT: 'America/New_York (US Eastern) or America/Toronto',
    CST: 'America/Chicago (US Central), America/Mexico_City or Asia/Shanghai (China)',
    CDT: 'America/Chicago (US Central)',
    MST: 'America/Denver (US Mountain) or America/Phoenix (Arizona, no DST)',
    MDT: 'America/Denver (US Mountain)',
    PST: 'America/Los_Angeles (US Pacific) or Asia/Manila (Philippines)',
    PDT: 'America/Los_Angeles (US Pacific)',
    AKST: 'America/Anchorage',
    HST: 'Pacific/Honolulu',
    BST: 'Europe/London',
    IST: 'Asia/Kolkata (India), Europe/Dublin (Ireland) or Asia/Jerusalem (Israel)',
    WET: 'Europe/Lisbon',
    WEST: 'Europe/Lisbon',
    CET: 'Europe/Berlin, Europe/Paris or another Central European city',
    CEST: 'Europe/Berlin, Europe/Paris or another Central European city',
    MET: 'Europe/Berlin, Europe/Paris or another Central European city',
    EET: 'Europe/Athens, Europe/Helsinki or Africa/Cairo',
    EEST: 'Europe/Athens or Europe/Helsinki',
    MSK: 'Europe/Moscow',
    JST: 'Asia/Tokyo',
    KST: 'Asia/Seoul',
    HKT: 'Asia/Hong_Kong',
    SGT: 'Asia/Singapore',
    AEST: 'Australia/Sydney, Australia/Melbourne or Australia/Brisbane (no DST)',
    AEDT: 'Australia/Sydney or Australia/Melbourne',
    ACST: 'Australia/Adelaide or Australia/Darwin (no DST)',
    AWST: 'Australia/Perth',
    NZST: 'Pacific/Auckland',
    NZDT: 'Pacific/Auckland',
    EST5EDT: 'America/New_York',
    CST6CDT: 'America/Chicago',
    MST7MDT: 'America/Denver',
    PST8PDT: 'America/Los_Angeles',
  }),
);

function intlAccepts(zone: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

export function unknownZoneMessage(input: string): string {
  return `Unknown time zone "${shown(input)}". Use an IANA name like Europe/Berlin or America/New_York.`;
}

/**
 * An IANA zone name → the canonical name Intl resolves it to ("us/eastern" → "America/New_York",
 * "europe/berlin" → "Europe/Berlin", "utc" → "UTC"), so one place is stored one way. Offsets
 * ("+01:00") and ambiguous abbreviations ("EST", "CEST", "IST") are refused with the names to use.
 */
export function parseZone(input: string): Parsed<string> {
  const raw = input.trim();
  if (raw.length === 0)
    return { ok: false, message: 'Give a time zone, like Europe/Berlin or America/New_York.' };
  if (raw.length > MAX_INPUT || !/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(raw))
    return { ok: false, message: unknownZoneMessage(raw) };
  const instead = ABBREVIATIONS.get(raw.toUpperCase());
  if (instead)
    return {
      ok: false,
      message: `"${shown(raw)}" is an abbreviation that stands for more than one zone or ignores daylight saving time. Use the IANA name of a city in your zone instead: ${instead}.`,
    };
  const resolved = intlAccepts(raw);
  if (!resolved) return { ok: false, message: unknownZoneMessage(raw) };
  return { ok: true, value: resolved };
}

/** Whether `zone` is a name we accept (what the platform reports for a user is checked with this). */
export function isZone(zone: string | undefined): zone is string {
  return zone !== undefined && parseZone(zone).ok;
}
