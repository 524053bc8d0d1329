import { createHash } from 'node:crypto';
import MarkdownIt, { type Token } from 'markdown-it';
import { trackerTest } from './trackers.ts';

/** Links longer than this are refused (browsers and chat clients cut them anyway). */
export const MAX_URL_LENGTH = 2048;
/** More distinct links than this in one message are refused. */
export const MAX_LINKS_PER_MESSAGE = 20;

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
 * RFC 3986 §6.2.2.1–2: percent-escapes compare case-insensitively (upper-case them) and escapes of
 * unreserved characters (`A–Z a–z 0–9 - . _ ~`) equal the characters themselves (decode them).
 */
function canonicalPercents(href: string): string {
  return href.replace(/%([0-9a-fA-F]{2})/g, (_m, hex: string) => {
    const c = String.fromCharCode(Number.parseInt(hex, 16));
    return /[A-Za-z0-9\-._~]/.test(c) ? c : `%${hex.toUpperCase()}`;
  });
}

/**
 * The canonical form of a link, following RFC 3986 §6.2.2 and normalize-url's rules: lower-case
 * scheme and host (IDN as punycode), no trailing dot on the host, no default port, percent-escapes
 * upper-case and unreserved characters (`%7E` → `~`) decoded, no fragment unless it is a single-page
 * app route (`#/…`, `#!…`), no tracking parameters (see trackers.ts), no trailing slash on a path;
 * everything else kept as given. Idempotent, never throws, and only ever returns http(s) URLs.
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
    // `example.org.` is the same host as `example.org` (the root label), and lands on the same page.
    if (u.hostname.endsWith('.') && !u.hostname.startsWith('[')) u.hostname = u.hostname.replace(/\.+$/, '');
    if (!u.hostname) return { ok: false, reason: 'That link has no host name.' };
    // Single-page-app routes (`#/reading/raft`, `#!/x`) name different pages; other fragments do not.
    if (!/^#!?\//.test(u.hash)) u.hash = '';
    const isTracking = trackerTest(u);
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
    let url = canonicalPercents(u.href);
    // `new URL` keeps a bare "?" and re-encodes; strip the empty query so the form is a fixed point.
    if (url.endsWith('?')) url = url.slice(0, -1);
    if (url.endsWith('#')) url = url.slice(0, -1);
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

const ANGLE = /<(https?:\/\/[^\s<>|]+)(?:\|[^<>]*)?>/gi; // Slack <url|label>, Slack/Discord <url>
const WITH_CREDENTIALS = /https?:\/\/[^\s/?#@<>]+@[^\s<>]*/gi;
/**
 * A bare link wrapped in emphasis, strikethrough or a spoiler (`_…_`, `*…*`, `__…__`, `**…**`,
 * `~…~` on Slack, `~~…~~` and `||…||` on Discord): linkify-it takes the link before the closing
 * delimiter is read as markup, so `||https://x/y||` would end in `||`. The wrapper opens after a
 * space, `(` or the start, and closes before a space, prose punctuation or the end.
 */
const WRAPPED = /(^|[\s(])(\|\||~~|~|__|_|\*\*|\*)(https?:\/\/\S+?)\2(?=[\s.,;:!?)]|$)/g;

/**
 * Chat text is markdown: markdown-it (CommonMark) finds `[label](target)` links and `<url>`
 * autolinks, and its linkify-it draws bare links' boundaries the way chat clients do (balanced
 * brackets kept, trailing prose punctuation such as `.`, `…`, `。`, `）` left out). Code spans and
 * fenced blocks are code, not links. Indented code is off: chat messages indent freely.
 */
const md = new MarkdownIt('default', { html: false, linkify: true });
md.disable(['code', 'image', 'table', 'heading', 'lheading', 'hr', 'html_block', 'html_inline', 'reference']);
md.linkify.set({ fuzzyLink: false, fuzzyEmail: false, fuzzyIP: false });
// Keep targets as written (normalization is ours) and let only http(s) through.
md.normalizeLink = (url) => url;
md.normalizeLinkText = (text) => text;
md.validateLink = (url) => /^https?:\/\//i.test(url.trim());

function collectHrefs(tokens: Token[], out: string[]): void {
  for (const t of tokens) {
    if (t.type === 'link_open') {
      const href = String(t.attrGet('href') ?? '');
      if (href && /^https?:\/\/./i.test(href)) out.push(href);
    }
    if (t.children) collectHrefs(t.children, out);
  }
}

/**
 * Every http(s) link in a chat message, in order, without duplicates: bare URLs, Slack `<url|label>`
 * and `<url>`, Discord `<url>`, markdown `[label](url)` (the target only). Labels are never read as
 * links, and links inside inline code or code blocks are not links. Expects decoded text (Slack's
 * `&amp;` already turned into `&`).
 */
export function extractLinks(text: string): string[] {
  if (typeof text !== 'string' || text.length === 0) return [];
  // Slack's `<url|label>` becomes the autolink `<url>`: the label is display text only.
  const found: string[] = [];
  // linkify-it does not read `user:pass@` (it would cut the link at the colon); take such a link
  // whole, so saving refuses it with its reason instead of saving a stump.
  const clean = text
    .replace(INVISIBLE, '')
    .replace(ANGLE, (_m, url: string) => ` <${url}> `)
    .replace(WRAPPED, (_m, before: string, mark: string, url: string) => `${before}${mark} ${url} ${mark}`)
    .replace(WITH_CREDENTIALS, (url: string) => {
      found.push(url);
      return ' ';
    });
  try {
    collectHrefs(md.parse(clean, {}), found);
  } catch {
    return [];
  }
  return [...new Set(found)];
}

/**
 * What a message says besides its links, for tags and a note: links, Slack `<url|label>`, Discord
 * `<url>` and markdown `[label](target)` removed whole (longest first, so one link that is a prefix
 * of another leaves no tail behind).
 */
export function textAroundLinks(text: string): string {
  let rest = text
    .replace(INVISIBLE, '')
    .replace(ANGLE, ' ')
    .replace(/\[[^\]\n]*\]\([^)\n]*\)/g, ' ');
  for (const link of extractLinks(text).sort((a, b) => b.length - a.length))
    rest = rest.split(link).join(' ');
  return rest;
}
