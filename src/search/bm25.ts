import type { CompactIndex } from './compact-index.ts';

/**
 * Exact re-implementation of MiniSearch 7's OR-query scoring (exact terms, optional prefix expansion,
 * no fuzzy), reading MiniSearch's index in its compact form (compact-index.ts) and without its
 * per-document result objects: postings are compiled once per term into typed arrays holding each
 * posting's BM25+ value, and a query accumulates into flat score arrays. Every floating-point operation
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

const K = 1.2;
const B = 0.7;
const D = 0.5;
const PREFIX_WEIGHT = 0.375;

export class Bm25Scorer {
  private readonly fields: Array<{ id: number; boost: number }>;
  /**
   * Compiled terms, least recently used first. A common term's BM25 values take 8 bytes per posting
   * (800 kB for a word in every one of 100k readings), so the cache is bounded by bytes, not entries.
   */
  private readonly cache = new Map<string, Compiled | null>();
  private cachedBytes = 0;
  static cacheBytes = 64 * 1024 * 1024;
  private readonly total: Float64Array;
  private readonly local: Float64Array;
  private readonly quality: Uint16Array;
  private readonly mark: Int32Array;
  private readonly seen: Uint8Array;
  private epoch = 0;
  /** Reused per query: documents touched per term, every matched document, their scores. */
  private touched = new Int32Array(1024);
  private touchedLength = 0;
  private readonly all: Int32Array;
  private readonly scores: Float64Array;

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
    this.seen = new Uint8Array(n);
    this.all = new Int32Array(n);
    this.scores = new Float64Array(n);
  }

  private compile(term: string, number = this.index.lookup(term)): Compiled | null {
    const hit = this.cache.get(term);
    if (hit !== undefined) {
      this.cache.delete(term);
      this.cache.set(term, hit);
      return hit;
    }
    if (number < 0) {
      this.remember(term, null);
      return null;
    }
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
    const c = { fields };
    this.remember(term, c);
    return c;
  }

  private remember(term: string, c: Compiled | null): void {
    this.cache.set(term, c);
    this.cachedBytes += bytesOf(c);
    for (const [old, oc] of this.cache) {
      if (this.cachedBytes <= Bm25Scorer.cacheBytes || old === term) break;
      this.cache.delete(old);
      this.cachedBytes -= bytesOf(oc);
    }
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
   * Scores of every matching document for `terms` (already processed, in query order), as
   * MiniSearch's `search()` returns them: summed per term, times the number of distinct terms matched.
   * `docs` and `scores` are views of buffers reused by the next call.
   */
  search(
    terms: QueryTerm[],
    idOf?: (doc: number) => string,
  ): { ids: string[]; docs: Int32Array; scores: Float64Array; max: number } {
    const { total, local, quality, mark, seen, all } = this;
    let count = 0;
    this.touchedLength = 0;
    // Per query term, its touched documents: touched[from[j] .. from[j + 1]).
    const from = new Int32Array(terms.length + 1);
    const sources = new Map<string, number[]>();
    terms.forEach((q, j) => {
      this.epoch++;
      from[j] = this.touchedLength;
      const exact = this.compile(q.term);
      if (exact) this.accumulate(exact, 1, q.boost);
      if (q.prefix) {
        for (const number of this.index.withPrefix(q.term)) {
          const term = this.index.terms[number]!;
          const distance = term.length - q.term.length;
          if (!distance) continue;
          const weight = (PREFIX_WEIGHT * term.length) / (term.length + 0.3 * distance);
          const c = this.compile(term, number);
          if (c) this.accumulate(c, weight, q.boost);
        }
      }
      const touched = this.touched;
      for (let k = from[j]!; k < this.touchedLength; k++) {
        const d = touched[k]!;
        total[d] = total[d]! + local[d]!;
        local[d] = 0;
        if (!seen[d]) {
          seen[d] = 1;
          all[count++] = d;
        }
      }
      const same = sources.get(q.term);
      if (same) same.push(j);
      else sources.set(q.term, [j]);
    });
    from[terms.length] = this.touchedLength;
    // Quality: how many distinct query terms each document matched.
    const touched = this.touched;
    for (const js of sources.values()) {
      const stamp = ++this.epoch;
      for (const j of js)
        for (let k = from[j]!; k < from[j + 1]!; k++) {
          const d = touched[k]!;
          if (mark[d] !== stamp) {
            mark[d] = stamp;
            quality[d]!++;
          }
        }
    }
    const ids: string[] = idOf ? new Array<string>(count) : [];
    const scores = this.scores;
    let max = -Infinity;
    for (let i = 0; i < count; i++) {
      const d = all[i]!;
      const s = total[d]! * (quality[d]! || 1);
      if (idOf) ids[i] = idOf(d);
      scores[i] = s;
      if (s > max) max = s;
      total[d] = 0;
      quality[d] = 0;
      seen[d] = 0;
    }
    return { ids, docs: all.subarray(0, count), scores: scores.subarray(0, count), max };
  }
}

const bytesOf = (c: Compiled | null) => (c ? c.fields.reduce((n, f) => n + f.raw.byteLength, 64) : 64);
