import type { Catalog } from '../catalog/load.ts';
import { authorLine, displayTitle, type Reading } from '../catalog/schema.ts';
import type { Button, PageInfo, ReadingView } from '../reply.ts';
import { searchLinkFor } from '../text/safe.ts';

export const PAGE_SIZE = 5;

/** A catalog reading as the reply model shows it: its verified link, or a labeled search link. */
export function readingView(r: Reading, catalog: Catalog, actions: Button[] = []): ReadingView {
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
  if (actions.length) view.actions = actions;
  return view;
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
