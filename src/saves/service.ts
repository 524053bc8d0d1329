import { createHash } from 'node:crypto';
import type { Catalog } from '../catalog/load.ts';
import { displayTitle, type Reading } from '../catalog/schema.ts';
import type { Caller } from '../caller.ts';
import { fetchTitle, type SafeFetchOptions } from '../net/safe-fetch.ts';
import type { Clock } from '../clock.ts';
import type { Collection, Store } from '../store/types.ts';
import { cleanText } from '../text/safe.ts';
import { extractLinks, MAX_LINKS_PER_MESSAGE, normalizeUrl } from './urls.ts';

export const DEFAULT_SAVE_CAP = 5000;
export const MAX_TAGS = 10;
export const MAX_TAG_LENGTH = 40;
export const MAX_NOTE_LENGTH = 300;
/** Longest message `/save` reads links from (a chat message, a pasted list). */
export const MAX_SAVE_INPUT = 50_000;
/** Characters of the URL hash shown as a saved item's id. */
export const ID_LENGTH = 8;

export interface SavedItem {
  url: string;
  title: string;
  tags: string[];
  note?: string;
  /** ISO time. */
  savedAt: string;
  read: boolean;
  /** The catalog reading this link is, when it is one. */
  readingId?: string;
}

export interface SavedEntry extends SavedItem {
  /** Short typeable id (first 8 hex characters of the URL hash). */
  id: string;
  /** Collection key: the first 32 hex characters of the URL hash. */
  key: string;
}

export interface SaveOutcome {
  added: SavedEntry[];
  existing: SavedEntry[];
  /** Links in the message that could not be saved, and why. */
  rejected: Array<{ link: string; reason: string }>;
  /** The user hit the cap before everything was saved. */
  full: boolean;
}

export type SaveProblem = { ok: false; message: string };

export interface SavesOptions {
  /** Most saves one user may keep (default 5,000). */
  cap?: number;
  clock?: Clock;
  /** Title fetching for links outside the catalog; omit to save with the URL as title. */
  fetch?: SafeFetchOptions;
}

/** Tags and note given with a save: `#tag` words are tags, the rest of the text is the note. */
export function parseTagsAndNote(text: string): { tags: string[]; note: string } | SaveProblem {
  const tags: string[] = [];
  const words: string[] = [];
  for (const word of text.split(/\s+/)) {
    const m = /^#([^\s#]+)$/.exec(word);
    if (!m) {
      if (word) words.push(word);
      continue;
    }
    const tag = m[1]!.toLowerCase();
    // Only slugs are tags; anything else (#C++, an issue "#12a_b") stays part of the note.
    if (!/^[a-z0-9]+(?:[-.][a-z0-9]+)*$/.test(tag) || tag.length > MAX_TAG_LENGTH) {
      words.push(word);
      continue;
    }
    if (!tags.includes(tag)) tags.push(tag);
  }
  if (tags.length > MAX_TAGS) return { ok: false, message: `Give at most ${MAX_TAGS} tags.` };
  return { tags, note: cleanText(words.join(' '), MAX_NOTE_LENGTH) };
}

const catalogMaps = new WeakMap<Catalog, Map<string, Reading>>();
/** Normalized catalog link → reading, built once per catalog. */
function catalogByUrl(catalog: Catalog): Map<string, Reading> {
  let m = catalogMaps.get(catalog);
  if (!m) {
    m = new Map();
    for (const r of catalog.readings) {
      if (r.link.status === 'none') continue;
      const n = normalizeUrl(r.link.url);
      if (n.ok && !m.has(n.url)) m.set(n.url, r);
    }
    catalogMaps.set(catalog, m);
  }
  return m;
}

/** A user's saves: platform + workspace + user, never shared. */
export function ownerKey(caller: Pick<Caller, 'platform' | 'workspaceId' | 'userId'>): string {
  return `saves/${caller.platform}/${caller.workspaceId}/${caller.userId}`;
}

/**
 * Saved links, one store item per link keyed by its normalized URL's hash in a per-user collection:
 * concurrent saves never overwrite each other, and the cap is checked by the store in the same
 * atomic step as the insert.
 */
export class SavesService {
  readonly cap: number;
  private readonly clock: Clock;
  constructor(
    private readonly store: Store,
    private readonly catalog: Catalog,
    private readonly opts: SavesOptions = {},
  ) {
    this.cap = opts.cap ?? DEFAULT_SAVE_CAP;
    this.clock = opts.clock ?? { now: () => Date.now() };
  }

  private items(caller: Caller): Collection<SavedItem> {
    return this.store.collection<SavedItem>(ownerKey(caller));
  }

  private hiddenFree(tags: string[]): string[] {
    const hidden = new Set(this.catalog.hiddenTags);
    return tags.filter((t) => !hidden.has(t));
  }

  /** Save every link in `text` (a URL, or a whole chat message), with optional tags and note. */
  async saveText(
    caller: Caller,
    text: string,
    extra: { tags?: string[]; note?: string } = {},
  ): Promise<SaveOutcome | SaveProblem> {
    if (text.length > MAX_SAVE_INPUT)
      return {
        ok: false,
        message: `That message is ${text.length} characters long; paste at most ${MAX_SAVE_INPUT}.`,
      };
    const links = extractLinks(text);
    if (links.length === 0) {
      // A single non-link word: say why it is not a link (javascript:, file:, typo).
      const word = text.trim().split(/\s+/)[0] ?? '';
      const n = word ? normalizeUrl(word) : undefined;
      return {
        ok: false,
        message: n && !n.ok ? n.reason : 'There is no http(s) link in that. Paste a link like `https://…`.',
      };
    }
    if (links.length > MAX_LINKS_PER_MESSAGE)
      return {
        ok: false,
        message: `That has ${links.length} links; save at most ${MAX_LINKS_PER_MESSAGE} at a time.`,
      };
    const outcome: SaveOutcome = { added: [], existing: [], rejected: [], full: false };
    const seen = new Set<string>();
    const todo: Array<{ url: string; key: string }> = [];
    for (const link of links) {
      const n = normalizeUrl(link);
      if (!n.ok) {
        outcome.rejected.push({ link, reason: n.reason });
        continue;
      }
      if (seen.has(n.hash)) continue;
      seen.add(n.hash);
      todo.push({ url: n.url, key: n.hash.slice(0, 32) });
    }
    const col = this.items(caller);
    const byUrl = catalogByUrl(this.catalog);
    // Fetch titles (bounded) only for links that are new and not in the catalog, then save; a failed
    // fetch still saves the link with its URL as the title.
    const prepared = await Promise.all(
      todo.map(async ({ url, key }) => {
        const there = await col.get(key);
        if (there) return { key, there };
        const reading = byUrl.get(url);
        let title = url;
        let tags: string[] = [];
        if (reading) {
          title = displayTitle(reading);
          tags = this.hiddenFree(reading.tags);
        } else if (this.opts.fetch) {
          const fetched = await fetchTitle(url, this.opts.fetch);
          if (fetched.ok) title = fetched.title;
        }
        const item: SavedItem = {
          url,
          title,
          tags: [...new Set([...tags, ...(extra.tags ?? [])])],
          savedAt: new Date(this.clock.now()).toISOString(),
          read: false,
          ...(reading ? { readingId: reading.id } : {}),
          ...(extra.note ? { note: extra.note } : {}),
        };
        return { key, item };
      }),
    );
    for (const p of prepared) {
      if ('there' in p && p.there) {
        outcome.existing.push(entry(p.key, p.there));
        continue;
      }
      if (!('item' in p) || !p.item) continue;
      const r = await col.add(p.key, p.item, this.cap);
      if (r === 'added') outcome.added.push(entry(p.key, p.item));
      else if (r === 'exists') outcome.existing.push(entry(p.key, (await col.get(p.key)) ?? p.item));
      else {
        outcome.full = true;
        outcome.rejected.push({ link: p.item.url, reason: 'your saved list is full' });
      }
    }
    return outcome;
  }

  /** Save a catalog reading by id (the Save button under /read results). */
  async saveReading(caller: Caller, readingId: string): Promise<SaveOutcome | SaveProblem> {
    const reading = this.catalog.byId.get(readingId);
    if (!reading) return { ok: false, message: 'That reading is no longer in the catalog.' };
    if (reading.link.status === 'none') {
      // No address to key by: key it by the reading id instead, hashed like URLs are.
      const col = this.items(caller);
      const key = createHash('sha256').update(`catalog:${reading.id}`).digest('hex').slice(0, 32);
      const item: SavedItem = {
        url: '',
        title: displayTitle(reading),
        tags: this.hiddenFree(reading.tags),
        savedAt: new Date(this.clock.now()).toISOString(),
        read: false,
        readingId: reading.id,
      };
      const r = await col.add(key, item, this.cap);
      const there = r === 'exists' ? ((await col.get(key)) ?? item) : item;
      return {
        added: r === 'added' ? [entry(key, item)] : [],
        existing: r === 'exists' ? [entry(key, there)] : [],
        rejected: r === 'full' ? [{ link: reading.title, reason: 'your saved list is full' }] : [],
        full: r === 'full',
      };
    }
    return this.saveText(caller, reading.link.url);
  }

  /** Every save of this user, newest first. */
  async list(caller: Caller): Promise<SavedEntry[]> {
    const all = await this.items(caller).list();
    return all
      .map(({ id, value }) => entry(id, value))
      .sort((a, b) => b.savedAt.localeCompare(a.savedAt) || a.key.localeCompare(b.key));
  }

  async count(caller: Caller): Promise<number> {
    return this.items(caller).count();
  }

  /** Find one save by its short id (any unambiguous prefix of 4+ characters). */
  async find(caller: Caller, id: string): Promise<SavedEntry | SaveProblem> {
    const want = id.trim().toLowerCase();
    if (!/^[a-z0-9-]{4,64}$/.test(want))
      return { ok: false, message: 'Give the id shown next to the save in `/saved`, like `3f9a1c2e`.' };
    const matches = (await this.list(caller)).filter((e) => e.key.startsWith(want));
    if (matches.length === 0)
      return { ok: false, message: `You have no save with id \`${want}\`. See \`/saved\` for ids.` };
    if (matches.length > 1)
      return {
        ok: false,
        message: `\`${want}\` matches ${matches.length} saves; type more of the id: ${matches
          .slice(0, 5)
          .map((m) => `\`${m.key.slice(0, 12)}\``)
          .join(', ')}.`,
      };
    return matches[0]!;
  }

  async remove(caller: Caller, id: string): Promise<SavedEntry | SaveProblem> {
    const found = await this.find(caller, id);
    if ('ok' in found) return found;
    await this.items(caller).remove(found.key);
    return found;
  }

  /** Change one save in place (read flag, tags); false-y when it vanished meanwhile. */
  async change(
    caller: Caller,
    id: string,
    edit: (item: SavedItem) => SavedItem,
  ): Promise<SavedEntry | SaveProblem> {
    const found = await this.find(caller, id);
    if ('ok' in found) return found;
    const { id: _id, key, ...item } = found;
    const next = edit(item);
    const ok = await this.items(caller).update(key, next);
    if (!ok) return { ok: false, message: 'That save was just removed.' };
    return entry(key, next);
  }
}

export function entry(key: string, item: SavedItem): SavedEntry {
  return { ...item, key, id: key.slice(0, ID_LENGTH) };
}

export function isProblem(x: unknown): x is SaveProblem {
  return typeof x === 'object' && x !== null && (x as { ok?: unknown }).ok === false;
}
