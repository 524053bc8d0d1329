import MiniSearch from 'minisearch';
import type { Command } from './types.ts';
import type { Caller } from './types.ts';
import type { Services } from '../services.ts';
import { errorReply, reply, type Reply } from '../reply.ts';
import { checkArgument } from '../text/safe.ts';
import { PAGE_SIZE, pageCount, pageInfo, pagingButtons } from './render.ts';
import { savedView } from '../saves/render.ts';
import type { SavedEntry } from '../saves/service.ts';

/** The user's saves matching `query` ('' = all, '#tag' = that tag, words = full-text), newest first. */
export function filterSaves(all: SavedEntry[], query: string): SavedEntry[] {
  const q = query.trim();
  if (!q) return all;
  const tag = /^#([^\s#]+)$/.exec(q)?.[1]?.toLowerCase();
  if (tag) return all.filter((e) => e.tags.includes(tag));
  if (/^unread$/i.test(q)) return all.filter((e) => !e.read);
  // A small per-request index over this user's saves (≤ 5,000 short documents).
  const index = new MiniSearch<{ key: string; title: string; url: string; tags: string; note: string }>({
    idField: 'key',
    fields: ['title', 'url', 'tags', 'note'],
    searchOptions: { prefix: true, fuzzy: 0.2, boost: { title: 2, tags: 2 }, combineWith: 'AND' },
    tokenize: (text) =>
      text
        .toLowerCase()
        .split(/[^\p{L}\p{N}]+/u)
        .filter(Boolean),
  });
  index.addAll(
    all.map((e) => ({ key: e.key, title: e.title, url: e.url, tags: e.tags.join(' '), note: e.note ?? '' })),
  );
  const hits = new Set(index.search(q).map((h) => h.id as string));
  return all.filter((e) => hits.has(e.key));
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
  if (found.length === 0)
    return reply(`None of your ${all.length} saves match "${query}". Try \`/saved\` for all of them.`);
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
  usage: '/saved [search words | #tag | unread] [page]',
  examples: ['/saved', '/saved raft', '/saved #consensus', '/saved unread', '/saved 2'],
  options: [
    {
      name: 'query',
      description: 'Words to search for, a #tag, or "unread"; a page number may follow',
      rest: true,
    },
  ],

  async run({ caller, args }, services) {
    const arg = checkArgument(args, 'search', { required: false });
    if (!arg.ok) return errorReply(arg.message);
    let query = arg.value;
    let page = 1;
    const m = /^(.*?)\s*\b(\d{1,4})$/.exec(query);
    if (m) {
      query = m[1]!.trim();
      page = Number(m[2]);
    }
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
