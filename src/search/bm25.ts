import { LRUCache } from 'lru-cache';
import type { CompactIndex } from './compact-index.ts';

/**
 * Exact re-implementation of MiniSearch 7's OR-query scoring (exact terms, optional prefix expansion,
 * no fuzzy), reading MiniSearch's index in its compact form (compact-index.ts) and without its
 * per-document result objects. Each term's postings are compiled once into one list sorted by document
 * whose values are the term's whole weighted BM25+ contribution (its fields summed in MiniSearch's
 * order), and a query adds those lists into flat per-document arrays. Every floating-point operation
 * happens in MiniSearch's order, so scores are bit-identical to `index.search()`
 * (tests/search-perf.test.ts checks this against MiniSearch itself). Documents are catalog positions.
 */

interface Compiled {
  /** Per field in boost order: field boost, document short ids, BM25+ value of each posting. */
  fields: Array<{ boost: number; docs: Int32Array; raw: Float64Array }>;
}

export interface QueryTerm {
  term: string;
  prefix: boolean;
  boost: number;
}

/**
 * BM25+ parameters (term-frequency saturation k, length normalisation b, lower bound d): MiniSearch's
 * documented defaults (`SearchOptions.bm25`), passed to MiniSearch explicitly (documents.ts) so both
 * scorers use these numbers.
 */
export const BM25 = { k: 1.2, b: 0.7, d: 0.5 };
/** The weight of a prefix completion (MiniSearch's `SearchOptions.weights.prefix`, its default). */
export const PREFIX_WEIGHT = 0.375;
const { k: K, b: B, d: D } = BM25;

export class Bm25Scorer {
  private readonly fields: Array<{ id: number; boost: number }>;
  /**
   * Compiled terms (per-field values, for prefix completions). A common term's BM25 values take 8 bytes
   * per posting (800 kB for a word in every one of 100k readings), so caches are bounded by bytes.
   */
  private readonly cache = byteBounded<Compiled | null>(bytesOf);
  /** The byte bound of each cache, read when a scorer is made. */
  static cacheBytes = 64 * 1024 * 1024;
  private readonly total: Float64Array;
  private readonly local: Float64Array;
  private readonly quality: Uint16Array;
  private readonly mark: Int32Array;
  /** Merged postings per (factor, term), and prefix completions per (boost, term); bounded by bytes like `cache`. */
  private readonly mergedCache = byteBounded<Merged | null>((m) =>
    m ? m.docs.byteLength + m.vals.byteLength + 64 : 64,
  );
  private epoch = 0;
  /** `total` and `quality` hold the last query's values until the next `score` clears them. */
  private dirty = false;
  /** Reused per query: documents touched per term, every matched document. */
  private touched = new Int32Array(1024);
  private touchedLength = 0;
  private readonly all: Int32Array;

  /** `fields` in MiniSearch's field-id order (the order its options listed them). */
  constructor(
    private readonly index: CompactIndex,
    fields: readonly string[],
    boost: Record<string, number>,
    readonly size: number,
  ) {
    this.fields = fields.map((f, id) => ({ id, boost: boost[f] || 1 }));
    const n = size + 1;
    this.total = new Float64Array(n);
    this.local = new Float64Array(n);
    this.quality = new Uint16Array(n);
    this.mark = new Int32Array(n);
    this.all = new Int32Array(n);
  }

  /** A term's per-field BM25+ values, cached: prefix completions add them field by field. */
  private compile(term: string, number = this.index.lookup(term)): Compiled | null {
    const hit = this.cache.get(term);
    if (hit !== undefined) return hit;
    const c = this.compileFields(number);
    this.cache.set(term, c);
    return c;
  }

  private compileFields(number: number): Compiled | null {
    if (number < 0) return null;
    const m = this.index;
    const F = m.fieldCount;
    const fields: Compiled['fields'] = [];
    for (const f of this.fields) {
      const from = m.offsets[number * F + f.id]!;
      const to = m.offsets[number * F + f.id + 1]!;
      if (from === to) continue;
      const docs = m.docs.subarray(from, to);
      const raw = new Float64Array(to - from);
      const matching = to - from;
      const avg = m.avgFieldLength[f.id]!;
      for (let i = 0; i < matching; i++) {
        const tf = m.tfs[from + i]!;
        const fieldLength = m.fieldLength[docs[i]! * F + f.id]!;
        const idf = Math.log(1 + (m.documentCount - matching + 0.5) / (matching + 0.5));
        raw[i] = idf * (D + (tf * (K + 1)) / (tf + K * (1 - B + (B * fieldLength) / avg)));
      }
      fields.push({ boost: f.boost, docs, raw });
    }
    return { fields };
  }

  /** Add one (term → postings) contribution into `local`, appending newly touched docs to `touched`. */
  private accumulate(c: Compiled, weight: number, termBoost: number): void {
    const local = this.local;
    const mark = this.mark;
    const stamp = this.epoch;
    let need = this.touchedLength;
    for (const f of c.fields) need += f.docs.length;
    if (need > this.touched.length) {
      const grown = new Int32Array(Math.max(need, 2 * this.touched.length));
      grown.set(this.touched.subarray(0, this.touchedLength));
      this.touched = grown;
    }
    const touched = this.touched;
    let n = this.touchedLength;
    for (const f of c.fields) {
      const factor = weight * termBoost * f.boost;
      const { docs, raw } = f;
      for (let i = 0; i < docs.length; i++) {
        const d = docs[i]!;
        local[d] = local[d]! + factor * raw[i]!;
        if (mark[d] !== stamp) {
          mark[d] = stamp;
          touched[n++] = d;
        }
      }
    }
    this.touchedLength = n;
  }

  /**
   * A term's postings over all fields merged into one list sorted by document, each value the term's
   * whole contribution to that document at `factor` (MiniSearch's termWeight × termBoost): its fields'
   * weighted BM25+ values summed in field order, the additions MiniSearch makes for one term. A query
   * then costs one pass per term over `docs`, in document order, instead of one per field.
   */
  private merged(term: string, factor: number): Merged | null {
    const key = `${factor} ${term}`;
    const hit = this.mergedCache.get(key);
    if (hit !== undefined) return hit;
    // Not through `compile`'s cache: the merged list replaces the per-field values for plain terms.
    const c = this.compileFields(this.index.lookup(term));
    let m: Merged | null = null;
    if (c) {
      const { local, mark } = this;
      const stamp = ++this.epoch;
      const list: number[] = [];
      for (const f of c.fields) {
        const weight = factor * f.boost;
        const { docs, raw } = f;
        for (let i = 0; i < docs.length; i++) {
          const d = docs[i]!;
          if (mark[d] !== stamp) {
            mark[d] = stamp;
            list.push(d);
          }
          local[d] = local[d]! + weight * raw[i]!;
        }
      }
      const docs = Int32Array.from(list).sort();
      const vals = new Float64Array(docs.length);
      for (let i = 0; i < docs.length; i++) {
        const d = docs[i]!;
        vals[i] = local[d]!;
        local[d] = 0;
      }
      m = { docs, vals };
    }
    this.mergedCache.set(key, m);
    return m;
  }

  /**
   * An unknown last word completed as a prefix, as one list: per document, the exact term and every
   * completion summed in index order (MiniSearch's order), documents in first-touch order. Cached like
   * `merged` (a word typed while the user is still typing is typed again): summing 40k+ postings over a
   * dozen completions was most of the cost of such a query, and the fresh arrays were most of its garbage.
   */
  private completed(term: string, boost: number): Merged {
    const key = `prefix ${boost} ${term}`;
    const hit = this.mergedCache.get(key);
    if (hit) return hit;
    const local = this.local;
    this.epoch++;
    this.touchedLength = 0;
    const exact = this.compile(term);
    if (exact) this.accumulate(exact, 1, boost);
    for (const number of this.index.withPrefix(term)) {
      const completion = this.index.terms[number]!;
      const distance = completion.length - term.length;
      if (!distance) continue;
      const weight = (PREFIX_WEIGHT * completion.length) / (completion.length + 0.3 * distance);
      const c = this.compile(completion, number);
      if (c) this.accumulate(c, weight, boost);
    }
    const docs = this.touched.slice(0, this.touchedLength);
    const vals = new Float64Array(docs.length);
    for (let i = 0; i < docs.length; i++) {
      vals[i] = local[docs[i]!]!;
      local[docs[i]!] = 0;
    }
    const m = { docs, vals };
    this.mergedCache.set(key, m);
    return m;
  }

  /**
   * Every matching document's score for `terms` (already processed, in query order), as MiniSearch's
   * `search()` computes it: the terms' contributions summed in query order, times the number of distinct
   * terms matched. Dense: `score[doc]` (a buffer reused by the next call) is 0 for documents that did not
   * match and positive for those that did (BM25+ never scores a match 0). When few documents can match,
   * `docs` lists them too; otherwise callers scan `score`, which at that density costs less than the
   * list would.
   */
  score(terms: QueryTerm[]): MatchScores {
    const { total, quality } = this;
    if (this.dirty) {
      // Clearing whole arrays (a few hundred kB at 100k readings) is cheaper than tracking what was set.
      total.fill(0);
      quality.fill(0);
    }
    this.dirty = true;
    // Each query term's postings as one list: merged and cached for plain terms; for an unknown last
    // word completed as a prefix, the exact term and every completion summed per document in index
    // order (MiniSearch's order) before the term joins the total.
    const lists: Array<{ term: string; docs: Int32Array; vals: Float64Array }> = [];
    let postings = 0;
    for (const q of terms) {
      if (!q.prefix) {
        const m = this.merged(q.term, q.boost);
        if (m) lists.push({ term: q.term, ...m });
        postings += m?.docs.length ?? 0;
        continue;
      }
      const { docs, vals } = this.completed(q.term, q.boost);
      lists.push({ term: q.term, docs, vals });
      postings += docs.length;
    }
    // Few postings: list the matched documents as they are first touched. Many: skip the list (a
    // branch per posting) and scan every document once at the end instead.
    const sparse = postings < this.size;
    const all = this.all;
    let count = 0;
    // A term repeated in the query adds its score each time but counts once for quality. Repeats are
    // mostly the same postings again (a synonym that stems like another): those count nothing; only a
    // repeat with other documents (a prefix completion) needs the set of documents already counted.
    const repeats = new Map<string, number>();
    for (const l of lists) repeats.set(l.term, (repeats.get(l.term) ?? 0) + 1);
    const counted = new Map<string, { lists: Int32Array[]; docs?: Set<number> }>();
    for (const { term, docs, vals } of lists) {
      // 1: count every document once more; 0: the same postings again, scores only; a Set: count only
      // documents it does not hold yet (a repeat whose postings differ, i.e. a prefix completion).
      let counting: 1 | 0 | Set<number> = 1;
      if (repeats.get(term)! > 1) {
        const seen = counted.get(term);
        if (!seen) counted.set(term, { lists: [docs] });
        else if (seen.lists.includes(docs)) counting = 0;
        else {
          counting = seen.docs ??= new Set(seen.lists.flatMap((l) => Array.from(l)));
          seen.lists.push(docs);
        }
      }
      if (counting === 0)
        for (let i = 0; i < docs.length; i++) {
          const d = docs[i]!;
          total[d] = total[d]! + vals[i]!;
        }
      else if (counting !== 1) {
        const known = counting;
        for (let i = 0; i < docs.length; i++) {
          const d = docs[i]!;
          if (!known.has(d)) {
            known.add(d);
            if (quality[d]!++ === 0 && sparse) all[count++] = d;
          }
          total[d] = total[d]! + vals[i]!;
        }
      } else if (sparse)
        // Whether a document is new is a coin flip after the first term: a branch on it mispredicts
        // that often. Instead every document is written to the next slot, which only a new one keeps
        // ((n - 1) >>> 31 is 1 for n = 0 and 0 otherwise).
        for (let i = 0; i < docs.length; i++) {
          const d = docs[i]!;
          const n = quality[d]!;
          all[count] = d;
          count += (n - 1) >>> 31;
          quality[d] = n + 1;
          total[d] = total[d]! + vals[i]!;
        }
      // The hot loop at scale: every posting of every common word passes here.
      else
        for (let i = 0; i < docs.length; i++) {
          const d = docs[i]!;
          quality[d]!++;
          total[d] = total[d]! + vals[i]!;
        }
    }
    let max = -Infinity;
    if (sparse)
      for (let i = 0; i < count; i++) {
        const d = all[i]!;
        const s = total[d]! * quality[d]!;
        total[d] = s;
        if (s > max) max = s;
      }
    else
      // No branch on "matched": about half the readings are, in no order. An unmatched one has total
      // and quality 0, so it keeps s = 0 (max only passes 0 on the way to the first match's score).
      for (let d = 0; d < this.size; d++) {
        const n = quality[d]!;
        const s = total[d]! * n;
        total[d] = s;
        if (s > max) max = s;
        count += 1 - ((n - 1) >>> 31);
      }
    return { score: total, docs: sparse ? all.subarray(0, count) : undefined, count, max };
  }
}

export interface MatchScores {
  /** Score by document, 0 where nothing matched (valid until the scorer's next call). */
  score: Float64Array;
  /** The matched documents, when few enough to list; otherwise scan `score`. */
  docs: Int32Array | undefined;
  count: number;
  max: number;
}

interface Merged {
  docs: Int32Array;
  vals: Float64Array;
}

/** A cache entry: `null` stands for a term the index lacks (lru-cache stores no `undefined`). */
type Entry<V> = { value: V };

/**
 * Values by key, least recently used first; once their bytes pass Bm25Scorer.cacheBytes the oldest go.
 * An entry larger than the whole bound is not kept (lru-cache's `maxEntrySize`); callers use the value
 * they computed either way.
 */
function byteBounded<V>(sizeOf: (value: V) => number) {
  const cache = new LRUCache<string, Entry<V>>({
    maxSize: Math.max(1, Bm25Scorer.cacheBytes),
    sizeCalculation: (entry) => Math.max(1, sizeOf(entry.value)),
  });
  return {
    get: (key: string): V | undefined => cache.get(key)?.value,
    set: (key: string, value: V): void => void cache.set(key, { value }),
  };
}

const bytesOf = (c: Compiled | null) => (c ? c.fields.reduce((n, f) => n + f.raw.byteLength, 64) : 64);
