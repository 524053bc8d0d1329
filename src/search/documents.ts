import MiniSearch, { type Options } from 'minisearch';
import type { Catalog } from '../catalog/load.ts';
import { authorLine, displayTitle, type Reading } from '../catalog/schema.ts';
import { BM25, PREFIX_WEIGHT } from './bm25.ts';
import { processTerm, tokenize } from './text.ts';

/** What MiniSearch indexes for one reading: its text fields as plain strings. */
export interface IndexedDoc {
  id: string;
  title: string;
  summary: string;
  /** The ideas the reading explains (`covers`), one phrase per line. */
  covers: string;
  tags: string;
  author: string;
  series: string;
}

/** Indexed fields, in MiniSearch's field-id order (the order its options list them). */
export const FIELDS = ['title', 'tags', 'series', 'author', 'summary', 'covers'] as const;
export const BOOST = { title: 3, tags: 2, series: 1.5, author: 2, summary: 1, covers: 2 };

/**
 * MiniSearch's options for the `/read` index. The BM25+ parameters and the prefix weight are given
 * explicitly (they are MiniSearch's documented defaults, `SearchOptions.bm25` and `weights`), so the
 * compact scorer (bm25.ts) and MiniSearch read the same numbers from one place.
 */
export const miniSearchOptions: Options<IndexedDoc> = {
  fields: [...FIELDS],
  storeFields: [],
  tokenize,
  processTerm,
  searchOptions: {
    boost: BOOST,
    combineWith: 'OR',
    bm25: BM25,
    weights: { prefix: PREFIX_WEIGHT, fuzzy: 0.45 },
  },
};

/** A reading as indexed: its display title, tags by id words and label, series by name, authors as one line. */
export function docFor(r: Reading, catalog: Catalog): IndexedDoc {
  const tagText = r.tags
    .map((t) => {
      const tag = catalog.tagById.get(t);
      return tag ? `${tag.id.replace(/-/g, ' ')} ${tag.label}` : t;
    })
    .join(' ; ');
  const series = r.series ? (catalog.series.find((s) => s.id === r.series)?.name ?? r.series) : '';
  return {
    id: r.id,
    title: displayTitle(r),
    summary: r.summary,
    covers: (r.covers ?? []).join('\n'),
    tags: tagText,
    author: authorLine(r),
    series,
  };
}

/** MiniSearch over `docs` with the `/read` options. */
export function buildIndex(docs: IndexedDoc[]): MiniSearch<IndexedDoc> {
  const index = new MiniSearch<IndexedDoc>(miniSearchOptions);
  index.addAll(docs);
  return index;
}
