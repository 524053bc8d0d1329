// Correctness of search speed-ups (timing lives in `npm run bench`): the fast paths must give
// exactly what the straightforward ones give.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadCatalog } from '../src/catalog/load.ts';
import { ReadingSearch } from '../src/search/reading-search.ts';
import { STOP_WORDS, tokenize } from '../src/search/text.ts';
import { syntheticCatalog } from '../bench/synthetic-catalog.ts';
import { queryMix } from '../bench/queries.ts';

const real = loadCatalog(fileURLToPath(new URL('../data', import.meta.url)));
const queries = [
  ...queryMix(),
  'consen',
  'replicat',
  'linea',
  'raft raft raft',
  'crdt crdts',
  'tla+',
  '6.824',
];

function agree(search: ReadingSearch, label: string): void {
  for (const q of queries) {
    const words = tokenize(q);
    const tags = words.filter((w) => !STOP_WORDS.has(w)).flatMap((w) => search.tagFor(w) ?? []);
    const fast = search.textScores(words, tags, false, true);
    const slow = search.textScores(words, tags, true);
    const f = new Map(fast.ids.map((id, i) => [id, fast.scores[i]]));
    const s = new Map(slow.ids.map((id, i) => [id, slow.scores[i]]));
    assert.equal(f.size, s.size, `${label} ${JSON.stringify(q)}: result count`);
    for (const [id, score] of s)
      assert.equal(f.get(id), score, `${label} ${JSON.stringify(q)}: score of ${id}`);
    if (s.size) assert.equal(fast.max, slow.max, `${label} ${JSON.stringify(q)}: max`);
  }
}

describe('fast BM25 scoring equals MiniSearch search()', () => {
  it('on the real catalog, bit for bit', () => agree(ReadingSearch.create(real), 'real'));
  it('on a 3k synthetic catalog (common words, long postings), bit for bit', () =>
    agree(ReadingSearch.create(syntheticCatalog(real, 3000)), 'syn3000'));
});

describe('top-k selection', () => {
  it('equals sorting every hit, for limits from 1 to 60', () => {
    const search = ReadingSearch.create(syntheticCatalog(real, 2000));
    for (const q of ['distributed systems', 'raft', 'how does consensus work']) {
      const all = search.search(q, { limit: 100_000 }).hits;
      const sorted = [...all].sort((a, b) => b.score - a.score || a.reading.id.localeCompare(b.reading.id));
      assert.deepEqual(
        all.map((h) => h.reading.id),
        sorted.map((h) => h.reading.id),
      );
      for (const limit of [1, 5, 50, 60])
        assert.deepEqual(
          search.search(q, { limit }).hits.map((h) => h.reading.id),
          sorted.slice(0, limit).map((h) => h.reading.id),
        );
    }
  });
});
