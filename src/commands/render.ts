import type { Catalog } from '../catalog/load.ts';
import { authorLine, displayTitle, type Reading } from '../catalog/schema.ts';
import type { Button, CompanionView, PageInfo, ReadingView } from '../reply.ts';
import { searchLinkFor } from '../text/safe.ts';

export const PAGE_SIZE = 5;

/** A catalog reading as the reply model shows it: its verified link, or a labeled search link. */
export function readingView(
  r: Reading,
  catalog: Catalog,
  actions: Button[] = [],
  companions: readonly Reading[] = [],
): ReadingView {
  const hidden = new Set(catalog.hiddenTags);
  const series = r.series ? catalog.series.find((s) => s.id === r.series) : undefined;
  const view: ReadingView = {
    id: r.id,
    title: displayTitle(r),
    url: r.link.status === 'none' ? searchLinkFor(r.title) : r.link.url,
    linkKind: r.link.status === 'none' ? 'search' : 'link',
    tags: r.tags.filter((t) => !hidden.has(t)),
    summary: oneLine(r.summary, 240),
    kind: r.kind,
  };
  if (r.minutes !== undefined) view.minutes = r.minutes;
  if (r.authors) view.author = authorLine(r);
  if (series && r.order !== undefined) view.series = { name: series.name, order: r.order };
  if (companions.length) view.companions = companions.map(companionView);
  if (actions.length) view.actions = actions;
  return view;
}

/** A companion reading as a link on its host's line, with who wrote it and where it appeared. */
export function companionView(r: Reading): CompanionView {
  const byline = [r.authors ? shortAuthors(r.authors) : undefined, r.venue].filter(Boolean).join(' · ');
  return {
    id: r.id,
    title: displayTitle(r),
    url: r.link.status === 'none' ? searchLinkFor(r.title) : r.link.url,
    linkKind: r.link.status === 'none' ? 'search' : 'link',
    kind: r.kind,
    ...(byline ? { byline } : {}),
  };
}

/** "Dean, Ghemawat"; "Corbett et al." past three authors (Spanner has 26). */
function shortAuthors(authors: readonly string[]): string {
  const last = (a: string) => a.split(' ').at(-1)!;
  return authors.length > 3 ? `${last(authors[0]!)} et al.` : authors.map(last).join(', ');
}

/** The first sentence(s) of a summary, cut at a word boundary. */
export function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const sentence = cut.lastIndexOf('. ');
  if (sentence > max * 0.5) return cut.slice(0, sentence + 1);
  return `${cut.slice(0, cut.lastIndexOf(' '))}…`;
}

export function pageCount(total: number): number {
  return Math.max(1, Math.ceil(total / PAGE_SIZE));
}

/** Page `page` of a list of `total` readings shown PAGE_SIZE at a time. */
export function pageInfo(page: number, pages: number, total: number): PageInfo {
  return { page, pages, total, first: (page - 1) * PAGE_SIZE + 1 };
}

/** Prev/Next buttons for page `page` of `pages`, under a command's cursor token. */
export function pagingButtons(command: string, token: string, page: number, pages: number): Button[] {
  if (pages <= 1) return [];
  return [
    {
      id: `qr:${command}:page:${token}:${page - 1}`,
      label: '◀ Prev',
      style: 'secondary',
      disabled: page <= 1,
    },
    {
      id: `qr:${command}:page:${token}:${page + 1}`,
      label: 'Next ▶',
      style: 'secondary',
      disabled: page >= pages,
    },
  ];
}
