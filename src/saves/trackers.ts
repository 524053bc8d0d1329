import { TidyCleaner } from 'tidy-url';

/**
 * Which query parameters only track a click, per host. The maintained list is tidy-url's rules
 * (pinned; a global list plus per-site lists, like ClearURLs'); a few widely seen trackers it lacks
 * are added here, each with its source. Dropping them makes one page save once.
 */

/** Global trackers tidy-url 1.18.3 does not list. */
const EXTRA_GLOBAL = [
  'srsltid', // Google Merchant Center auto-tagging, appended to any shop's links
  '_gl', // Google Analytics cross-domain linker
  'igsh', // Instagram share id, carried onto the links people share from it
  'igshid',
  // Kept from the first-generation hand list, so no link keyed by it changes meaning.
  'dclid',
  'gbraid',
  'wbraid',
  'ref_src',
  'ref_url',
  'yclid',
  'msclkid',
  'wickedid',
  'twclid',
  'ttclid',
  's_cid',
];
/** Name prefixes that are trackers on any site (UTM, Matomo, Piwik, Google Ads). */
const GLOBAL_PREFIXES = ['utm_', 'mtm_', 'pk_', 'piwik_'];

/** Sites that put a share tracker in `si` (YouTube's and Spotify's share sheets); elsewhere `si` is data. */
const SITE_EXTRA: Array<{ host: RegExp; names: string[] }> = [
  { host: /(^|\.)youtube\.com$/, names: ['si', 'pp'] },
  { host: /^youtu\.be$/, names: ['si', 'feature'] },
  { host: /(^|\.)spotify\.com$/, names: ['si'] },
];

interface SiteRule {
  match: RegExp;
  onHref: boolean;
  names: Set<string>;
}

let rules: { global: Set<string>; sites: SiteRule[] } | undefined;

function load(): { global: Set<string>; sites: SiteRule[] } {
  if (rules) return rules;
  const global = new Set(EXTRA_GLOBAL);
  const sites: SiteRule[] = [];
  for (const r of new TidyCleaner().expandedRules) {
    const names = (r.rules ?? []).map((n) => n.toLowerCase());
    if (r.name === 'Global') for (const n of names) global.add(n);
    else if (names.length)
      sites.push({
        // Without the `g` flag: a global regex's `test` keeps state between calls.
        match: new RegExp(r.match.source, r.match.flags.replace(/[gy]/g, '')),
        onHref: Boolean(r.match_href),
        names: new Set(names),
      });
  }
  rules = { global, sites };
  return rules;
}

/**
 * A predicate telling whether a (decoded) query parameter name is a tracker on the page `url`.
 * Names compare case-insensitively.
 */
export function trackerTest(url: URL): (name: string) => boolean {
  const { global, sites } = load();
  const host = url.hostname.toLowerCase();
  const local = new Set<string>();
  for (const s of sites) if (s.match.test(s.onHref ? url.href : host)) for (const n of s.names) local.add(n);
  for (const s of SITE_EXTRA) if (s.host.test(host)) for (const n of s.names) local.add(n);
  return (name) => {
    const n = name.toLowerCase();
    return global.has(n) || local.has(n) || GLOBAL_PREFIXES.some((p) => n.startsWith(p));
  };
}
