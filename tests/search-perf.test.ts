// Correctness of search speed-ups (timing lives in `npm run bench`): the fast paths must give
// exactly what the straightforward ones give.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import MiniSearch from 'minisearch';
import { fileURLToPath } from 'node:url';
import { loadCatalog } from '../src/catalog/load.ts';
import { Bm25Scorer, type MatchScores } from '../src/search/bm25.ts';
import { CompactIndex } from '../src/search/compact-index.ts';
import { FIELDS, buildIndex } from '../src/search/documents.ts';
import { ReadingSearch } from '../src/search/reading-search.ts';
import { isEnglishWord } from '../src/search/english.ts';
import {
  TopK,
  idRanks,
  liftOf,
  mentionWeight,
  selectBest,
  selectDense,
  type Lifts,
} from '../src/search/scoreboard.ts';
import { STOP_WORDS, editDistance, processTerm, tokenize, typoBudget } from '../src/search/text.ts';
import { prng, syntheticCatalog, writeCatalogDir } from '../bench/synthetic-catalog.ts';
import { queryMix } from '../bench/queries.ts';
import { compactScores, referenceScores } from './helpers/search-reference.ts';

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
    const fast = compactScores(search, words, tags);
    const slow = referenceScores(search, words, tags);
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
  it('again from the scorer caches (merged terms, prefix completions), bit for bit', () => {
    const search = ReadingSearch.create(real);
    agree(search, 'real, first');
    agree(search, 'real, cached');
  });
  it('on a 3k synthetic catalog (common words, long postings), bit for bit', () =>
    agree(ReadingSearch.create(syntheticCatalog(real, 3000)), 'syn3000'));
});

describe('top-k selection (lifted readings first, text matches while one fits; or one dense pass)', () => {
  it('keeps exactly the best `limit` of every reading sorted by value, then by id', () => {
    const catalog = syntheticCatalog(real, 3000);
    const search = ReadingSearch.create(catalog);
    const n = catalog.readings.length;
    const rank = idRanks(catalog.readings);
    const kinds = catalog.readings.map((r) => r.kind);
    // The straightforward selection: every reading's value as /read defines it, sorted, sliced.
    const reference = (text: MatchScores | undefined, q: Lifts, limit: number) => {
      const all: Array<{ doc: number; score: number }> = [];
      for (let d = 0; d < n; d++) {
        const s = text && text.count > 0 ? text.score[d]! : 0;
        const c = q.cent[d]!;
        if (s === 0 && c === 0) continue;
        all.push({ doc: d, score: (s === 0 ? 0 : s / text!.max) + (c === 0 ? 0 : liftOf(d, q)) });
      }
      all.sort((a, b) => b.score - a.score || rank[a.doc]! - rank[b.doc]!);
      return all.slice(0, limit);
    };
    const cases = { all: 0, dense: 0, shortcut: 0, lifted: 0 };
    for (const q of [...queries, 'raft', 'kafka', 'ddia', 'bloom filters', 'papers about consensus']) {
      const outcome = search.search(q);
      const words = tokenize(outcome.corrected ?? q);
      // The query as asked, as if it named no tag, and (a whole-query tag) as tags inside a question.
      const variants: Array<{ tags: string[]; tag: boolean }> = [
        { tags: [], tag: false },
        { tags: outcome.mentioned, tag: false },
        ...(outcome.mode === 'tag' ? [{ tags: outcome.mentioned, tag: true }] : []),
      ];
      for (const { tags, tag } of variants) {
        const text = search.textMatches(words, tags);
        // Tag centrality as /read computes it: 1 / (1 + the tag's position), summed in `tags` order
        // (a course or series tag weighs 1 wherever it stands: not in this synthetic catalog's tags).
        const cent = new Float64Array(n);
        for (const t of tags)
          catalog.readings.forEach((r, i) => {
            const pos = r.tags.indexOf(t);
            if (pos >= 0) cent[i] = cent[i]! + 1 / (1 + pos);
          });
        const lifted = [...cent.keys()].filter((i) => cent[i] !== 0);
        const maxCentrality = Math.max(0, ...cent);
        for (const kind of [undefined, 'paper'])
          for (const limit of [1, 5, 60, 300]) {
            const lifts = (): Lifts => ({
              cent: cent.slice(),
              tag,
              named: tags.length,
              mention: mentionWeight(tags.length, words.length),
              kind,
              kinds,
            });
            const want = reference(text, lifts(), limit);
            const label = `${JSON.stringify(q)} tags ${tags.join(',')} tag ${tag} kind ${kind} limit ${limit}`;
            const got = new TopK(limit, rank);
            const q1 = lifts();
            const lists = {
              lifted: Int32Array.from({ length: n + 1 }, (_, i) => lifted[i] ?? 0),
              isLifted: new Uint8Array(n),
            };
            selectBest(got, text, q1, lists, lifted.length);
            assert.deepEqual(got.sorted(), want, label);
            // Buffers are left clear for the next query.
            assert.ok(q1.cent.every((c) => c === 0) && lists.isLifted.every((f) => f === 0), label);
            cases.all++;
            if (lifted.length >= limit && tag) cases.shortcut++;
            if (lifted.length) cases.lifted++;
            if (text?.count && !text.docs && !tag) {
              const dense = new TopK(limit, rank);
              selectDense(dense, text, lifts(), maxCentrality);
              assert.deepEqual(dense.sorted(), want, `dense ${label}`);
              cases.dense++;
            }
          }
      }
    }
    // The mix reaches every path: whole tags with and without the shortcut, tags in questions, dense text.
    assert.ok(cases.dense > 20 && cases.shortcut > 20 && cases.lifted > 100, JSON.stringify(cases));
  });
});

describe('typo correction via first-letter buckets', () => {
  it('equals scanning the whole vocabulary, on random typos of real words', () => {
    const search = ReadingSearch.create(real);
    const vocabulary = (search as unknown as { vocabulary: Map<string, number> }).vocabulary;
    // The straightforward corrector: every topic word, in vocabulary order, filtered by length and letter.
    // Then, when nothing fits, the first letter as one that sounds like it (c/k, s/z).
    const soundsLike: Record<string, string[]> = { k: ['c'], c: ['k'], s: ['z', 'c'], z: ['s'] };
    const scan = (word: string): string | undefined => {
      if (vocabulary.has(word) || STOP_WORDS.has(word) || /\d/.test(word)) return undefined;
      if (typoBudget(word) === 0 || isEnglishWord(word)) return undefined;
      const plain = scanPlain(word);
      if (plain) return plain;
      for (const first of soundsLike[word[0]!] ?? []) {
        const respelt = first + word.slice(1);
        if ((vocabulary.get(respelt) ?? 0) > 0) return respelt;
        const near = scanPlain(respelt);
        if (near) return near;
      }
      return undefined;
    };
    const scanPlain = (word: string): string | undefined => {
      const budget = typoBudget(word);
      let best: string | undefined;
      let bestDist = budget + 1;
      let bestDf = 0;
      for (let len = word.length - budget; len <= word.length + budget; len++)
        for (const [cand, df] of vocabulary) {
          if (df === 0 || cand.length !== len) continue;
          if (cand[0] !== word[0] && !(cand[0] === word[1] && cand[1] === word[0])) continue;
          const d = editDistance(word, cand, budget);
          if (d < bestDist || (d === bestDist && df > bestDf)) [best, bestDist, bestDf] = [cand, d, df];
        }
      return bestDist <= budget ? best : undefined;
    };
    const rand = prng(7);
    const words = [...vocabulary.keys()];
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    const pick = (s: string) => s[Math.floor(rand() * s.length)]!;
    let corrected = 0;
    for (let n = 0; n < 3000; n++) {
      let w = words[Math.floor(rand() * words.length)]!;
      for (let edits = 1 + Math.floor(rand() * 3); edits > 0; edits--) {
        const i = Math.floor(rand() * (w.length + 1));
        const op = Math.floor(rand() * 4);
        if (op === 0) w = w.slice(0, i) + w.slice(i + 1);
        else if (op === 1) w = w.slice(0, i) + pick(letters) + w.slice(i);
        else if (op === 2) w = w.slice(0, i) + pick(letters) + w.slice(i + 1);
        else if (i + 1 < w.length) w = w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2);
      }
      const want = scan(w);
      if (want) corrected++;
      assert.equal(search.correctWord(w), want, JSON.stringify(w));
    }
    assert.ok(corrected > 300, `only ${corrected} typos corrected: the check is too weak`);
  });
});

describe('outcome cache', () => {
  it('returns what an uncached search returns, and callers cannot mutate cached outcomes', () => {
    const cached = ReadingSearch.create(real);
    const saved = ReadingSearch.cacheSize;
    ReadingSearch.cacheSize = 0;
    const plain = ReadingSearch.create(real);
    ReadingSearch.cacheSize = saved;
    for (let round = 0; round < 2; round++)
      for (const q of queries) {
        const a = cached.search(q);
        assert.deepEqual(a, plain.search(q), JSON.stringify(q));
        a.hits.length = 0;
        a.mentioned.push('x');
      }
    assert.deepEqual(cached.search('raft', { limit: 3 }), plain.search('raft', { limit: 3 }));
  });
});

describe('compact index snapshot', () => {
  it('loads to the same outcomes and MiniSearch-equal scores as a fresh build (syn3000)', () => {
    const catalog = syntheticCatalog(real, 3000);
    const path = join(mkdtempSync(join(tmpdir(), 'qr-compact-')), 'snapshot.bin');
    const built = ReadingSearch.create(catalog, { snapshotPath: path });
    const loaded = ReadingSearch.create(catalog, { snapshotPath: path });
    for (const q of queries) assert.deepEqual(loaded.search(q), built.search(q), JSON.stringify(q));
    agree(loaded, 'syn3000 loaded');
  });

  it('rebuilds a snapshot written for another list of indexed fields instead of misreading it', () => {
    const catalog = syntheticCatalog(real, 300);
    const path = join(mkdtempSync(join(tmpdir(), 'qr-compact-')), 'snapshot.bin');
    const built = ReadingSearch.create(catalog, { snapshotPath: path });
    // The same catalog and version, but a header naming other fields (as a build before `covers` was indexed wrote).
    const bytes = readFileSync(path);
    const at = bytes.indexOf(FIELDS.join(' '));
    assert.ok(at > 0, 'the header names the indexed fields');
    bytes.write('x', at, 'latin1');
    writeFileSync(path, bytes);
    const rebuilt = ReadingSearch.create(catalog, { snapshotPath: path });
    for (const q of queries) assert.deepEqual(rebuilt.search(q), built.search(q), JSON.stringify(q));
    assert.ok(readFileSync(path).includes(FIELDS.join(' ')), 'the stale snapshot was replaced');
  });
});

describe('compact index from MiniSearch', () => {
  it('refuses a serialisation layout it was not written for, naming the fix', () => {
    const index = buildIndex([]);
    const layout = index.toJSON();
    index.toJSON = () => ({ ...layout, serializationVersion: 3 });
    assert.throws(
      () => CompactIndex.fromMiniSearch(index, () => -1, 0),
      /MiniSearch serialisation version 3, expected 2: pin minisearch/,
    );
  });
});

describe('autocomplete over a titles-only index', () => {
  it('gives the titles, in the order, the full index gave (real catalog)', () => {
    const search = ReadingSearch.create(real);
    const full = new MiniSearch({
      fields: ['title', 'tags', 'series', 'author', 'summary'],
      storeFields: [],
      tokenize,
      processTerm,
      searchOptions: { boost: { title: 3, tags: 2, series: 1.5, author: 2, summary: 1 }, combineWith: 'OR' },
    });
    full.addAll(
      real.readings.map((r) => ({
        id: r.id,
        title: r.title,
        tags: r.tags.join(' '),
        series: '',
        author: '',
        summary: r.summary,
      })),
    );
    const titles = (search as unknown as { titles?: MiniSearch }).titles;
    assert.equal(titles, undefined, 'built lazily');
    // More suggestions than there are tags, so the titles are reached however many tags match "co".
    search.complete('co', real.tags.length + 1);
    const built = (search as unknown as { titles: MiniSearch }).titles;
    for (const q of [
      'co',
      'con',
      'consensus',
      'distributed sys',
      'raft',
      'the',
      'understandable',
      'time clo',
      'a',
    ])
      for (const combineWith of ['AND', 'OR'] as const) {
        const want = full.search(q, { prefix: true, fields: ['title'], combineWith });
        const got = built.search(q, { prefix: true, fields: ['title'], combineWith });
        // Same titles in the same order; scores equal up to rounding. A prefix query sums its
        // expanded terms in the order the index's radix tree holds them, and the full index met
        // some title words first in summaries, so the last bit of a sum can differ (it did for
        // 'co' once "Conflict-free Replicated Data Types" joined the catalog).
        assert.deepEqual(
          got.map((r) => r.id),
          want.map((r) => r.id),
          `${q} ${combineWith}`,
        );
        got.forEach((r, i) => {
          const w = want[i]!.score;
          assert.ok(
            Math.abs(r.score - w) <= 1e-12 * Math.max(1, Math.abs(w)),
            `${q} ${combineWith} ${r.id}: ${r.score} vs ${w}`,
          );
        });
      }
  });
});

describe('compiled-term cache bound', () => {
  it('gives the same scores when terms are evicted between and within queries', () => {
    const saved = Bm25Scorer.cacheBytes;
    Bm25Scorer.cacheBytes = 0; // every compiled term is evicted as soon as another is compiled
    try {
      agree(ReadingSearch.create(real), 'real, no cache');
    } finally {
      Bm25Scorer.cacheBytes = saved;
    }
  });
});

it('a synthetic catalog written for the start-up bench validates like the real one', () => {
  // The bench's child processes load it with full validation: a schema rule the generator misses
  // (papers need authors, year, venue and evidence) would crash the bench mid-run.
  const dir = writeCatalogDir(
    syntheticCatalog(real, 2000),
    fileURLToPath(new URL('../data', import.meta.url)),
  );
  const loaded = loadCatalog(dir);
  assert.equal(loaded.readings.length, 2000);
  assert.ok(loaded.readings.filter((r) => r.kind === 'paper').length > 100, 'the mix holds papers');
});
