import MiniSearch from 'minisearch';
import type { Command } from './types.ts';
import type { Caller } from './types.ts';
import type { Services } from '../services.ts';
import { errorReply, reply, type Reply } from '../reply.ts';
import { checkArgument } from '../text/safe.ts';
import { PAGE_SIZE, pageCount, pageInfo, pagingButtons } from './render.ts';
import { savedView } from '../saves/render.ts';
import type { SavedEntry } from '../saves/service.ts';

/** Lower-case, accents folded (`Dvořák` → `dvorak`), as Unicode NFD without combining marks. */
export function foldDiacritics(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

/** What `/saved` was asked: words to search, `#tag`s, a read/unread filter, and a page (`page:2`). */
export interface SavedQuery {
  words: string;
  tags: string[];
  state?: 'read' | 'unread';
  page: number;
}

/**
 * Parse `/saved` arguments. Every word is a search word (`2017`, `6.824` too), except `#tag`,
 * `read` / `unread` (filters) and `page:N` (paging is otherwise by buttons).
 */
export function parseSavedQuery(text: string): SavedQuery {
  const q: SavedQuery = { words: '', tags: [], page: 1 };
  const words: string[] = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const page = /^page:(\d{1,5})$/i.exec(word);
    const tag = /^#([^\s#]+)$/.exec(word);
    if (page) q.page = Math.max(1, Number(page[1]));
    else if (tag) q.tags.push(tag[1]!.normalize('NFC').toLowerCase());
    else if (/^(read|unread)$/i.test(word)) q.state = word.toLowerCase() as 'read' | 'unread';
    else words.push(word);
  }
  q.words = words.join(' ');
  return q;
}

type SaveDoc = { key: string; title: string; url: string; tags: string; note: string };

/** The user's saves matching `query` (tags, read state, then full-text words), newest first. */
export function filterSaves(all: SavedEntry[], query: string | SavedQuery): SavedEntry[] {
  const q = typeof query === 'string' ? parseSavedQuery(query) : query;
  let found = all.filter(
    (e) =>
      q.tags.every((t) => e.tags.includes(t)) && (q.state === undefined || e.read === (q.state === 'read')),
  );
  if (!q.words.trim()) return found;
  // A small per-request index over this user's saves (≤ 5,000 short documents). Numbers match
  // whole (2017 is not 2016, 6.824 is "6" and "824"); words of 5+ letters forgive one typo.
  const index = new MiniSearch<SaveDoc>({
    idField: 'key',
    fields: ['title', 'url', 'tags', 'note'],
    searchOptions: {
      prefix: (term) => !/^\d+$/.test(term),
      fuzzy: (term) => (/^\p{L}{5,}$/u.test(term) ? 0.2 : false),
      boost: { title: 2, tags: 2 },
      combineWith: 'AND',
    },
    tokenize: (text) =>
      foldDiacritics(text)
        .split(/[^\p{L}\p{N}]+/u)
        .filter(Boolean),
    processTerm: (term) => foldDiacritics(term),
  });
  index.addAll(
    found.map((e) => ({
      key: e.key,
      title: e.title,
      url: e.url,
      tags: e.tags.join(' '),
      note: e.note ?? '',
    })),
  );
  const hits = new Set(index.search(q.words).map((h) => h.id as string));
  found = found.filter((e) => hits.has(e.key));
  return found;
}

/**
 * Why `/saved` shows nothing: words that matched nothing, or filters (`read`, `unread`, `#tag`) no
 * save passes; a filter is not echoed as if it were searched for.
 */
function noMatchText(total: number, q: SavedQuery, query: string): string {
  if (q.words)
    return `None of your ${total} saves match "${query}". Try \`/saved\` for all of them, or fewer words.`;
  const state = q.state === 'read' ? 'is marked read' : q.state === 'unread' ? 'is unread' : 'has';
  const tags = q.tags.map((t) => `#${t}`).join(' ');
  const what = q.state ? `${state}${tags ? ` with ${tags}` : ''}` : `${state} ${tags}`;
  const hint = q.state === 'read' ? '`/mark <id>` marks a save read; `/saved` shows' : 'Try `/saved` for';
  return `None of your ${total} saves ${what}. ${hint} all of them.`;
}

async function renderPage(
  services: Services,
  caller: Caller,
  query: string,
  page: number,
  token: string,
): Promise<Reply> {
  const all = await services.saves.list(caller);
  if (all.length === 0)
    return reply(
      'You have no saves yet. Save a link with `/save <link>`, or press **Save** under `/read` results.',
    );
  const found = filterSaves(all, query);
  if (found.length === 0) return reply(noMatchText(all.length, parseSavedQuery(query), query));
  const pages = pageCount(found.length);
  const p = Math.min(Math.max(1, page), pages);
  const slice = found.slice((p - 1) * PAGE_SIZE, p * PAGE_SIZE);
  const about = query ? ` matching "${query}"` : '';
  const unread = found.filter((e) => !e.read).length;
  return reply(
    `**Your saves${about}**: ${found.length} (${unread} unread)${pages > 1 ? `, page ${p} of ${pages}` : ''}, newest first.`,
    {
      readings: slice.map((e) => savedView(e, services.catalog)),
      buttons: pagingButtons('saved', token, p, pages),
      page: pageInfo(p, pages, found.length),
    },
  );
}

export const saved: Command = {
  name: 'saved',
  description: 'Your saved links, newest first; search them or filter by #tag',
  usage: '/saved [search words] [#tag] [read | unread] [page:N]',
  examples: [
    '/saved',
    '/saved raft',
    '/saved #consensus',
    '/saved unread',
    '/saved 6.824',
    '/saved raft page:2',
  ],
  options: [
    {
      name: 'query',
      description: 'Words to search for, #tags, "read" or "unread", and page:N',
      rest: true,
    },
  ],

  async run({ caller, args }, services) {
    const arg = checkArgument(args, 'search', { required: false });
    if (!arg.ok) return errorReply(arg.message);
    const badPage = arg.value.split(/\s+/).find((w) => /^page:/i.test(w) && !/^page:\d{1,5}$/i.test(w));
    if (badPage)
      return errorReply(`"${badPage.slice(0, 20)}" is not a page number: write page:2, page:3 and so on.`);
    const { page } = parseSavedQuery(arg.value);
    // The cursor keeps the query without its page; the buttons carry the page.
    const query = arg.value
      .split(/\s+/)
      .filter((w) => !/^page:\d+$/i.test(w))
      .join(' ');
    const token = await services.cursors.put({ q: query, u: caller.userId });
    return renderPage(services, caller, query, page, token);
  },

  async press(action, args, { caller }, services) {
    const [token = '', pageText = '1'] = args;
    const state = await services.cursors.get(token);
    // Cursors carry the query only; whoever presses sees their own saves.
    if (!state || state.q === undefined) return errorReply('These buttons have expired. Run `/saved` again.');
    const page = Number.parseInt(pageText, 10);
    if (action !== 'page' || !Number.isInteger(page) || page < 1)
      return errorReply('That page does not exist.');
    return renderPage(services, caller, state.q, page, token);
  },
};
