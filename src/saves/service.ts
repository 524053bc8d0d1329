import { createHash } from 'node:crypto';
import type { Catalog } from '../catalog/load.ts';
import { displayTitle, type Reading } from '../catalog/schema.ts';
import { LOCAL_USER, type Caller } from '../caller.ts';
import { fetchTitle, type SafeFetchOptions } from '../net/safe-fetch.ts';
import type { Clock } from '../clock.ts';
import type { Collection, Store } from '../store/types.ts';
import { cleanText, searchLinkFor } from '../text/safe.ts';
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

/**
 * Whether a word left over around links is worth keeping in a note: markup and list debris (`||`,
 * `-`, `…`, `()`, `1.`, `2)`) carry no words.
 */
function isNoteWord(word: string): boolean {
  return /[\p{L}\p{N}]/u.test(word) && !/^\(?\d{1,3}[.)]$/.test(word);
}

/**
 * A save's tag from a typed word (`#Raft`, `Müller`, `#分散`): NFC, lower-case, letters and digits
 * of any script joined by single `-` or `.`, at most MAX_TAG_LENGTH; undefined when the word is not
 * one (`#C++`, `#12a_b`, `#-x`). Chat hashtags are not ASCII-only, so neither are tags.
 */
export function parseTag(word: string): string | undefined {
  const tag = word.replace(/^#/, '').normalize('NFC').toLowerCase();
  const ok = /^[\p{L}\p{N}]+(?:[-.][\p{L}\p{N}]+)*$/u.test(tag) && tag.length <= MAX_TAG_LENGTH;
  return ok ? tag : undefined;
}

/** Tags and note given with a save: `#tag` words are tags, the rest of the text is the note. */
export function parseTagsAndNote(text: string): { tags: string[]; note: string } | SaveProblem {
  const tags: string[] = [];
  const words: string[] = [];
  for (const word of text.split(/\s+/)) {
    const m = /^#([^\s#]+)$/.exec(word);
    if (!m) {
      if (isNoteWord(word)) words.push(word);
      continue;
    }
    const tag = parseTag(m[1]!);
    // Only slugs are tags; anything else (#C++, an issue "#12a_b") stays part of the note.
    if (!tag) {
      words.push(word);
      continue;
    }
    if (!tags.includes(tag)) tags.push(tag);
  }
  if (tags.length > MAX_TAGS) return { ok: false, message: `Give at most ${MAX_TAGS} tags.` };
  return { tags, note: cleanText(words.join(' '), MAX_NOTE_LENGTH) };
}

interface CatalogIndex {
  /** Catalog link without its scheme (`//host/path`), so http:// and https:// find the same reading. */
  byAddress: Map<string, Reading>;
  /** Lower-cased, whitespace-collapsed title → reading, for our own web-search links. */
  byTitle: Map<string, Reading>;
}

const catalogIndexes = new WeakMap<Catalog, CatalogIndex>();
const withoutScheme = (url: string) => url.replace(/^https?:/i, '');
const titleKey = (title: string) => title.toLowerCase().replace(/\s+/g, ' ').trim();

function catalogIndex(catalog: Catalog): CatalogIndex {
  let idx = catalogIndexes.get(catalog);
  if (!idx) {
    idx = { byAddress: new Map(), byTitle: new Map() };
    for (const r of catalog.readings) {
      // `/read` searches the title; a saved reading shows (and `/export` searches) its display title.
      for (const t of [r.title, displayTitle(r)])
        if (!idx.byTitle.has(titleKey(t))) idx.byTitle.set(titleKey(t), r);
      if (r.link.status === 'none') continue;
      const n = normalizeUrl(r.link.url);
      if (n.ok && !idx.byAddress.has(withoutScheme(n.url))) idx.byAddress.set(withoutScheme(n.url), r);
    }
    catalogIndexes.set(catalog, idx);
  }
  return idx;
}

/** Host and query parameter of the web-search links we show for readings (see `searchLinkFor`). */
const SEARCH_LINK = (() => {
  const u = new URL(searchLinkFor('x'));
  return { host: u.hostname, param: [...u.searchParams.keys()][0] ?? 'q' };
})();

/**
 * The catalog reading a normalized link stands for: its own address (by http or https), or the web
 * search for its exact title that `/read` shows when a reading has no verified link.
 */
export function catalogReadingFor(catalog: Catalog, url: string): Reading | undefined {
  const idx = catalogIndex(catalog);
  const direct = idx.byAddress.get(withoutScheme(url));
  if (direct) return direct;
  const u = new URL(url);
  if (u.hostname !== SEARCH_LINK.host && u.hostname !== `www.${SEARCH_LINK.host}`) return undefined;
  const q = u.searchParams.get(SEARCH_LINK.param);
  return q ? idx.byTitle.get(titleKey(q)) : undefined;
}

/** Item key of a link: the first 32 hex characters of its normalized URL's sha-256. */
export function linkKey(normalizedUrl: string): string {
  return createHash('sha256').update(normalizedUrl).digest('hex').slice(0, 32);
}

/** Item key of a catalog reading, however it was saved (its link by http/https, search link, button). */
export function readingKey(readingId: string): string {
  return createHash('sha256').update(`catalog:${readingId}`).digest('hex').slice(0, 32);
}

/** The address a catalog reading is saved under: its normalized link, or '' when it has none. */
export function readingUrl(reading: Reading): string {
  if (reading.link.status === 'none') return '';
  const n = normalizeUrl(reading.link.url);
  return n.ok ? n.url : '';
}

/**
 * Whose list a save goes to: one list per person (saves schema v2). Discord user ids are global, so
 * one list across servers and DMs; Slack user ids are per workspace, or per organization on
 * Enterprise Grid; the console and the one-shot CLI share the local user's list. Schema v1 (before
 * `migrateSaves`) was `saves/<platform>/<workspace>/<user>`.
 */
export function ownerKey(
  caller: Pick<Caller, 'platform' | 'workspaceId' | 'userId' | 'enterpriseId'>,
): string {
  switch (caller.platform) {
    case 'discord':
      return `saves2/discord/${caller.userId}`;
    case 'slack':
      return caller.enterpriseId
        ? `saves2/slack/enterprise/${caller.enterpriseId}/${caller.userId}`
        : `saves2/slack/team/${caller.workspaceId}/${caller.userId}`;
    default:
      return `saves2/local/${caller.userId || LOCAL_USER}`;
  }
}

/**
 * Why nothing was saved from a text without links. One word typed after `/save` gets its own reason
 * (`javascript:`, a typo); a sentence or someone's message simply has no link.
 */
function noLinkMessage(text: string, from: 'message' | 'command'): string {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (from === 'command' && words.length === 1) {
    const n = normalizeUrl(words[0]!);
    if (!n.ok) return n.reason;
  }
  return from === 'message'
    ? 'There is no link in that message, so nothing was saved.'
    : 'There is no http(s) link in that. Paste a link like `https://…`.';
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

  /** Enterprise Grid lists already joined with the user's workspace-scoped list, in this process. */
  private readonly adopted = new Set<string>();

  /**
   * On Enterprise Grid a user's list is the organization's; saves kept under the workspace before
   * the organization was known (migrated v1 lists, a workspace that joined a Grid later) join it the
   * first time that user is seen here. Cheap afterwards: one set lookup.
   */
  private async adoptWorkspaceList(caller: Caller): Promise<void> {
    if (caller.platform !== 'slack' || !caller.enterpriseId) return;
    const to = ownerKey(caller);
    if (this.adopted.has(to)) return;
    const { enterpriseId: _org, ...inWorkspace } = caller;
    await moveSaves(this.store, ownerKey(inWorkspace), to);
    this.adopted.add(to);
  }

  private hiddenFree(tags: string[]): string[] {
    const hidden = new Set(this.catalog.hiddenTags);
    return tags.filter((t) => !hidden.has(t));
  }

  /**
   * Save every link in `text` (a URL, or a whole chat message), with optional tags and note.
   * `from: 'message'` says the text is someone's chat message (🔖, "Save links"), not typed `/save`.
   */
  async saveText(
    caller: Caller,
    text: string,
    extra: { tags?: string[]; note?: string; from?: 'message' | 'command' } = {},
  ): Promise<SaveOutcome | SaveProblem> {
    if (text.length > MAX_SAVE_INPUT)
      return {
        ok: false,
        message: `That message is ${text.length} characters long; paste at most ${MAX_SAVE_INPUT}.`,
      };
    const links = extractLinks(text);
    if (links.length === 0) return { ok: false, message: noLinkMessage(text, extra.from ?? 'command') };
    if (links.length > MAX_LINKS_PER_MESSAGE)
      return {
        ok: false,
        message: `That has ${links.length} links; save at most ${MAX_LINKS_PER_MESSAGE} at a time.`,
      };
    const outcome: SaveOutcome = { added: [], existing: [], rejected: [], full: false };
    const todo = new Map<string, { url: string; reading?: Reading }>();
    for (const link of links) {
      const n = normalizeUrl(link);
      if (!n.ok) {
        outcome.rejected.push({ link, reason: n.reason });
        continue;
      }
      const reading = catalogReadingFor(this.catalog, n.url);
      const key = reading ? readingKey(reading.id) : linkKey(n.url);
      if (!todo.has(key)) todo.set(key, reading ? { url: readingUrl(reading), reading } : { url: n.url });
    }
    await this.adoptWorkspaceList(caller);
    const col = this.items(caller);
    // Fetch titles (bounded) only for links that are new and not in the catalog, then save; a failed
    // fetch still saves the link with its URL as the title.
    const prepared = await Promise.all(
      [...todo].map(async ([key, { url, reading }]) => {
        const there = await col.get(key);
        if (there) return { key, there };
        let title = url;
        if (reading) title = displayTitle(reading);
        else if (this.opts.fetch) {
          const fetched = await fetchTitle(url, this.opts.fetch);
          if (fetched.ok) title = fetched.title;
        }
        return { key, item: this.newItem(url, title, reading, extra) };
      }),
    );
    for (const p of prepared) {
      if ('there' in p && p.there) {
        outcome.existing.push(entry(p.key, p.there));
        continue;
      }
      if ('item' in p && p.item) await this.addTo(col, p.key, p.item, outcome);
    }
    return outcome;
  }

  private newItem(
    url: string,
    title: string,
    reading: Reading | undefined,
    extra: { tags?: string[]; note?: string },
  ): SavedItem {
    return {
      url,
      title,
      tags: [...new Set([...(reading ? this.hiddenFree(reading.tags) : []), ...(extra.tags ?? [])])],
      savedAt: new Date(this.clock.now()).toISOString(),
      read: false,
      ...(reading ? { readingId: reading.id } : {}),
      ...(extra.note ? { note: extra.note } : {}),
    };
  }

  private async addTo(
    col: Collection<SavedItem>,
    key: string,
    item: SavedItem,
    outcome: SaveOutcome,
  ): Promise<void> {
    const r = await col.add(key, item, this.cap);
    if (r === 'added') outcome.added.push(entry(key, item));
    else if (r === 'exists') outcome.existing.push(entry(key, (await col.get(key)) ?? item));
    else {
      outcome.full = true;
      outcome.rejected.push({ link: item.url || item.title, reason: 'your saved list is full' });
    }
  }

  /** Save a catalog reading by id (the Save button under /read results). */
  async saveReading(caller: Caller, readingId: string): Promise<SaveOutcome | SaveProblem> {
    const reading = this.catalog.byId.get(readingId);
    if (!reading) return { ok: false, message: 'That reading is no longer in the catalog.' };
    const outcome: SaveOutcome = { added: [], existing: [], rejected: [], full: false };
    const item = this.newItem(readingUrl(reading), displayTitle(reading), reading, {});
    await this.adoptWorkspaceList(caller);
    await this.addTo(this.items(caller), readingKey(reading.id), item, outcome);
    return outcome;
  }

  /**
   * Mark a catalog reading read for this user (the Done button): a reading already saved has that save
   * marked read, so the list keeps one entry; otherwise it is saved, already read. Built only on this
   * class's public methods (saveReading, change), so it follows whatever keys they use.
   */
  async markReadingRead(caller: Caller, readingId: string): Promise<SavedEntry | SaveProblem> {
    const saved = await this.saveReading(caller, readingId);
    if (isProblem(saved)) return saved;
    const there = saved.added[0] ?? saved.existing[0];
    if (!there)
      return {
        ok: false,
        message: `Could not mark it: ${saved.rejected[0]?.reason ?? 'it could not be saved'}.`,
      };
    if (there.read) return there;
    return this.change(caller, there.key, (item) => ({ ...item, read: true }));
  }

  /** Every save of this user, newest first. */
  async list(caller: Caller): Promise<SavedEntry[]> {
    await this.adoptWorkspaceList(caller);
    const all = await this.items(caller).list();
    return all
      .map(({ id, value }) => entry(id, value))
      .sort((a, b) => b.savedAt.localeCompare(a.savedAt) || a.key.localeCompare(b.key));
  }

  async count(caller: Caller): Promise<number> {
    await this.adoptWorkspaceList(caller);
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

const NOTE_JOINER = ' · ';

/**
 * One save from two copies of it: the earlier date, every tag, both notes, read if read anywhere,
 * and a real title over a bare URL. Idempotent: merging a copy in twice changes nothing.
 */
export function mergeSaves(a: SavedItem, b: SavedItem): SavedItem {
  const [first, second] = a.savedAt <= b.savedAt ? [a, b] : [b, a];
  const notes = [first.note, second.note].flatMap((n) => (n ? n.split(NOTE_JOINER) : []));
  const note = [...new Set(notes)].join(NOTE_JOINER).slice(0, MAX_NOTE_LENGTH);
  const title = first.title && first.title !== first.url ? first.title : second.title || first.title;
  const readingId = first.readingId ?? second.readingId;
  return {
    url: first.url || second.url,
    title,
    tags: [...new Set([...first.tags, ...second.tags])],
    savedAt: first.savedAt,
    read: first.read || second.read,
    ...(readingId ? { readingId } : {}),
    ...(note ? { note } : {}),
  };
}

/**
 * Move every save of collection `from` into `to` (same item keys), merging copies; each save is
 * written to `to` before it is removed from `from`, so nothing is lost if this stops halfway.
 */
export async function moveSaves(store: Store, from: string, to: string): Promise<number> {
  const source = store.collection<SavedItem>(from);
  const target = store.collection<SavedItem>(to);
  let moved = 0;
  for (const { id, value } of await source.list()) {
    if ((await target.add(id, value, Number.MAX_SAFE_INTEGER)) === 'exists') {
      const there = await target.get(id);
      if (there) await target.update(id, mergeSaves(there, value));
    }
    await source.remove(id);
    moved++;
  }
  return moved;
}

export function entry(key: string, item: SavedItem): SavedEntry {
  return { ...item, key, id: key.slice(0, ID_LENGTH) };
}

export function isProblem(x: unknown): x is SaveProblem {
  return typeof x === 'object' && x !== null && (x as { ok?: unknown }).ok === false;
}
