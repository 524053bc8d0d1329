import { createHash } from 'node:crypto';

/** Links longer than this are refused (browsers and chat clients cut them anyway). */
export const MAX_URL_LENGTH = 2048;
/** More distinct links than this in one message are refused. */
export const MAX_LINKS_PER_MESSAGE = 20;

/** Query parameters that only track the click; dropped so the same page saves once. */
const TRACKING = new Set([
  'fbclid',
  'gclid',
  'dclid',
  'gbraid',
  'wbraid',
  'mc_cid',
  'mc_eid',
  'igshid',
  'ref_src',
  'ref_url',
  'yclid',
  'msclkid',
  '_hsenc',
  '_hsmi',
  '__hssc',
  '__hstc',
  '__hsfp',
  'hsctatracking',
  'mkt_tok',
  'oly_anon_id',
  'oly_enc_id',
  'vero_id',
  'vero_conv',
  'wickedid',
  'twclid',
  'ttclid',
  'si',
  's_cid',
]);
const isTracking = (name: string) => {
  const n = name.toLowerCase();
  return n.startsWith('utm_') || TRACKING.has(n);
};

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const INVISIBLE = /[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

export type Normalized =
  { ok: true; url: string; /** sha-256 of url, hex */ hash: string } | { ok: false; reason: string };

function short(raw: string): string {
  // eslint-disable-next-line no-control-regex
  const s = raw.replace(/[\s\u0000-\u001f]+/g, ' ');
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

/**
 * The canonical form of a link: lower-case scheme and host (IDN as punycode), no default port, no
 * fragment, no tracking parameters, no trailing slash on a path; everything else kept as given.
 * Idempotent, never throws, and only ever returns http(s) URLs.
 */
function normalizeOnce(raw: string): Normalized {
  try {
    if (typeof raw !== 'string') return { ok: false, reason: 'That is not a link.' };
    const input = raw.replace(INVISIBLE, '').trim();
    if (input.length > MAX_URL_LENGTH)
      return {
        ok: false,
        reason: `That link is ${input.length} characters long; links up to ${MAX_URL_LENGTH} can be saved.`,
      };
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(input)?.[1]?.toLowerCase();
    if (scheme && scheme !== 'http' && scheme !== 'https')
      return { ok: false, reason: `Only http(s) links can be saved, not \`${scheme}:\` links.` };
    if (!scheme || !/^https?:\/\//i.test(input))
      return { ok: false, reason: `"${short(input)}" is not a link; paste one starting with https://.` };
    if (CONTROL.test(input) || /\s/.test(input))
      return { ok: false, reason: 'That link contains spaces or control characters; paste it as one piece.' };
    let u: URL;
    try {
      u = new URL(input);
    } catch {
      return { ok: false, reason: `"${short(input)}" is not a valid link.` };
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:')
      return { ok: false, reason: 'Only http(s) links can be saved.' };
    if (u.username || u.password)
      return {
        ok: false,
        reason: 'That link contains a user name or password; remove the `user:pass@` part and try again.',
      };
    if (!u.hostname) return { ok: false, reason: 'That link has no host name.' };
    u.hash = '';
    if (u.search) {
      const kept = u.search
        .slice(1)
        .split('&')
        .filter((pair) => {
          if (pair === '') return false;
          const name = pair.split('=')[0] ?? '';
          let decoded = name;
          try {
            decoded = decodeURIComponent(name.replace(/\+/g, ' '));
          } catch {
            /* keep the raw name */
          }
          return !isTracking(decoded);
        });
      u.search = kept.length ? `?${kept.join('&')}` : '';
    }
    const path = u.pathname.replace(/\/+$/, '');
    u.pathname = path === '' ? '/' : path;
    let url = u.href;
    // `new URL` keeps a bare "?" and re-encodes; strip the empty query so the form is a fixed point.
    if (url.endsWith('?')) url = url.slice(0, -1);
    if (url.endsWith('/') && u.pathname !== '/') url = url.replace(/\/+$/, '');
    if (url.length > MAX_URL_LENGTH)
      return {
        ok: false,
        reason: `That link is over ${MAX_URL_LENGTH} characters once cleaned up; it cannot be saved.`,
      };
    if (!/^https?:\/\//.test(url)) return { ok: false, reason: 'Only http(s) links can be saved.' };
    return { ok: true, url, hash: '' };
  } catch {
    return { ok: false, reason: 'That link could not be read; paste it again as plain text.' };
  }
}

export function normalizeUrl(raw: string): Normalized {
  let n = normalizeOnce(raw);
  // The URL serializer can expose a new trailing "?" or "/" after one pass; iterate to a fixed point.
  for (let i = 0; i < 4 && n.ok; i++) {
    const again = normalizeOnce(n.url);
    if (!again.ok || again.url === n.url) break;
    n = again;
  }
  return n.ok ? { ok: true, url: n.url, hash: createHash('sha256').update(n.url).digest('hex') } : n;
}

/** Strip what commonly trails a link in prose: `.,;:!?'"` and closing brackets that were never opened. */
function trimTrailing(link: string): string {
  let s = link;
  for (;;) {
    const last = s.at(-1);
    if (last === undefined) return s;
    if ('.,;:!?\'"*_~'.includes(last)) {
      s = s.slice(0, -1);
      continue;
    }
    if (last === ')' || last === ']') {
      const open = last === ')' ? '(' : '[';
      const opens = s.split(open).length - 1;
      const closes = s.split(last).length - 1;
      if (closes > opens) {
        s = s.slice(0, -1);
        continue;
      }
    }
    return s;
  }
}

const ANGLE = /<(https?:\/\/[^\s<>|]+)(?:\|[^<>]*)?>/gi; // Slack <url|label>, Slack/Discord <url>
const BARE = /https?:\/\/(?:\[[0-9a-f:.]+\])?[^\s<>"`{}|\\^[\]]*/gi;

/**
 * Every http(s) link in a chat message, in order, without duplicates: bare URLs, Slack `<url|label>`
 * and `<url>`, Discord `<url>`, markdown `[label](url)`. Labels are never read as links.
 */
export function extractLinks(text: string): string[] {
  if (typeof text !== 'string' || text.length === 0) return [];
  const found: string[] = [];
  const clean = text.replace(INVISIBLE, '');
  // Angle-bracket forms first; blank them out so labels (which may look like links) are not scanned.
  const rest = clean.replace(ANGLE, (_m, url: string) => {
    found.push(url);
    return ' ';
  });
  for (const m of rest.matchAll(BARE)) {
    const link = trimTrailing(m[0]);
    if (/^https?:\/\/./i.test(link)) found.push(link);
  }
  // Keep message order for the angle/bare mix as well as we can: sort by first position.
  const pos = (l: string) => {
    const i = clean.indexOf(l);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return [...new Set(found)].sort((a, b) => pos(a) - pos(b));
}
