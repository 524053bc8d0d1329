// MiniSearch itself as the reference for /read's compact BM25+ scorer: the same documents, options and
// query, run through MiniSearch's own `search()`. Tests compare the two bit for bit.
import type MiniSearch from 'minisearch';
import { buildIndex, docFor, type IndexedDoc } from '../../src/search/documents.ts';
import type { ReadingSearch } from '../../src/search/reading-search.ts';

/** Matching reading ids with their scores, and the best score (-Infinity when nothing matched). */
export interface ScoreList {
  ids: string[];
  scores: number[];
  max: number;
}

const references = new WeakMap<ReadingSearch, MiniSearch<IndexedDoc>>();

/** MiniSearch's `search()` for the text query /read would run for `words` naming `tags`. */
export function referenceScores(search: ReadingSearch, words: string[], tags: string[]): ScoreList {
  const q = search.textQuery(words, tags);
  if (!q) return { ids: [], scores: [], max: -Infinity };
  let index = references.get(search);
  if (!index) {
    index = buildIndex(search.catalog.readings.map((r) => docFor(r, search.catalog)));
    references.set(search, index);
  }
  const r = index.search(q.text, { prefix: q.prefix, fuzzy: false, boostTerm: q.boostTerm });
  return { ids: r.map((x) => x.id as string), scores: r.map((x) => x.score), max: r[0]?.score ?? -Infinity };
}

/** The compact scorer's numbers for the same query (ReadingSearch.textMatches), as lists. */
export function compactScores(search: ReadingSearch, words: string[], tags: string[]): ScoreList {
  const m = search.textMatches(words, tags);
  if (!m) return { ids: [], scores: [], max: -Infinity };
  const readings = search.catalog.readings;
  const docs = m.docs ? Array.from(m.docs) : [...readings.keys()].filter((d) => m.score[d] !== 0);
  return { ids: docs.map((d) => readings[d]!.id), scores: docs.map((d) => m.score[d]!), max: m.max };
}
