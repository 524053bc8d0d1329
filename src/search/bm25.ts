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
  private readonly cache = new Map<string, Compiled | null>();
  private readonly total: Float64Array;
  private readonly local: Float64Array;
  private readonly quality: Uint16Array;
  private readonly mark: Int32Array;
  private readonly seen: Uint8Array;
  private epoch = 0;

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
  }

  private compile(term: string, number = this.index.lookup(term)): Compiled | null {
    const hit = this.cache.get(term);
    if (hit !== undefined) return hit;
    if (number < 0) {
      this.cache.set(term, null);
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
    this.cache.set(term, c);
    return c;
  }

  /** Add one (term → postings) contribution into `local`, recording newly touched docs. */
  private accumulate(c: Compiled, weight: number, termBoost: number, touched: number[]): void {
    const local = this.local;
    const mark = this.mark;
    const stamp = this.epoch;
    for (const f of c.fields) {
      const factor = weight * termBoost * f.boost;
      const { docs, raw } = f;
      for (let i = 0; i < docs.length; i++) {
        const d = docs[i]!;
        local[d] = local[d]! + factor * raw[i]!;
        if (mark[d] !== stamp) {
          mark[d] = stamp;
          touched.push(d);
        }
      }
    }
  }

  /**
   * Scores of every matching document for `terms` (already processed, in query order), as
   * MiniSearch's `search()` returns them: summed per term, times the number of distinct terms matched.
   */
  search(
    terms: QueryTerm[],
    idOf?: (doc: number) => string,
  ): { ids: string[]; docs: number[]; scores: number[]; max: number } {
    const withIds = idOf !== undefined;
    const { total, local, quality, mark, seen } = this;
    const all: number[] = [];
    const bySource = new Map<string, number[][]>();
    for (const q of terms) {
      this.epoch++;
      const touched: number[] = [];
      const exact = this.compile(q.term);
      if (exact) this.accumulate(exact, 1, q.boost, touched);
      if (q.prefix) {
        for (const number of this.index.withPrefix(q.term)) {
          const term = this.index.terms[number]!;
          const distance = term.length - q.term.length;
          if (!distance) continue;
          const weight = (PREFIX_WEIGHT * term.length) / (term.length + 0.3 * distance);
          const c = this.compile(term, number);
          if (c) this.accumulate(c, weight, q.boost, touched);
        }
      }
      for (const d of touched) {
        total[d] = total[d]! + local[d]!;
        local[d] = 0;
        if (!seen[d]) {
          seen[d] = 1;
          all.push(d);
        }
      }
      const lists = bySource.get(q.term);
      if (lists) lists.push(touched);
      else bySource.set(q.term, [touched]);
    }
    // Quality: how many distinct query terms each document matched.
    for (const lists of bySource.values()) {
      const stamp = ++this.epoch;
      for (const touched of lists)
        for (const d of touched)
          if (mark[d] !== stamp) {
            mark[d] = stamp;
            quality[d]!++;
          }
    }
    const ids: string[] = withIds ? new Array<string>(all.length) : [];
    const scores: number[] = new Array<number>(all.length);
    let max = -Infinity;
    for (let i = 0; i < all.length; i++) {
      const d = all[i]!;
      const s = total[d]! * (quality[d]! || 1);
      if (withIds) ids[i] = idOf(d);
      scores[i] = s;
      if (s > max) max = s;
      total[d] = 0;
      quality[d] = 0;
      seen[d] = 0;
    }
    return { ids, docs: all, scores, max };
  }
}
