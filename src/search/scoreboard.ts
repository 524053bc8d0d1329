import type { Reading } from '../catalog/schema.ts';

/**
 * Per-query scores keyed by catalog position in flat arrays (reused across queries; the search is
 * synchronous), with top-k selection in rank order: score descending, then reading id ascending.
 */
export class ScoreBoard {
  private readonly score: Float64Array;
  private readonly present: Uint8Array;
  private readonly used: number[] = [];
  /** Catalog position → rank of its reading id in `localeCompare` order, built on first use. */
  private rank: Int32Array | undefined;

  constructor(size: number) {
    this.score = new Float64Array(size);
    this.present = new Uint8Array(size);
  }

  clear(): void {
    for (const i of this.used) {
      this.score[i] = 0;
      this.present[i] = 0;
    }
    this.used.length = 0;
  }

  /** The score so far, 0 when the reading has none (as `map.get(id) ?? 0`). */
  get(i: number): number {
    return this.score[i]!;
  }

  set(i: number, value: number): void {
    if (i < 0) return;
    if (!this.present[i]) {
      this.present[i] = 1;
      this.used.push(i);
    }
    this.score[i] = value;
  }

  /**
   * Set `scores[i] / divisor` for `docs[i]`: for every doc whose `lifted` entry is non-zero, and for the
   * best `limit` of the others in rank order (the only ones that can reach a top `limit`, since a doc
   * without a lift keeps exactly this score). The values set are those setting every doc would set.
   */
  setBest(
    docs: ArrayLike<number>,
    scores: ArrayLike<number>,
    divisor: number,
    limit: number,
    readings: readonly Reading[],
    lifted: Float64Array,
  ): void {
    const rank = (this.rank ??= idRanks(readings));
    const heapDoc = new Int32Array(limit);
    const heapVal = new Float64Array(limit);
    let size = 0;
    // heap entry a ranks after (is worse than) entry b?
    const worse = (va: number, da: number, vb: number, db: number) =>
      va < vb || (va === vb && rank[da]! > rank[db]!);
    const swap = (a: number, b: number) => {
      const d = heapDoc[a]!;
      heapDoc[a] = heapDoc[b]!;
      heapDoc[b] = d;
      const v = heapVal[a]!;
      heapVal[a] = heapVal[b]!;
      heapVal[b] = v;
    };
    for (let i = 0; i < docs.length; i++) {
      const d = docs[i]!;
      const v = scores[i]! / divisor;
      if (lifted[d] !== 0) {
        this.set(d, v);
        continue;
      }
      if (size < limit) {
        heapDoc[size] = d;
        heapVal[size] = v;
        for (let c = size++; c > 0;) {
          const p = (c - 1) >> 1;
          if (!worse(heapVal[c]!, heapDoc[c]!, heapVal[p]!, heapDoc[p]!)) break;
          swap(c, p);
          c = p;
        }
      } else if (worse(heapVal[0]!, heapDoc[0]!, v, d)) {
        heapDoc[0] = d;
        heapVal[0] = v;
        for (let c = 0; ;) {
          const l = 2 * c + 1;
          const r = l + 1;
          let m = c;
          if (l < size && worse(heapVal[l]!, heapDoc[l]!, heapVal[m]!, heapDoc[m]!)) m = l;
          if (r < size && worse(heapVal[r]!, heapDoc[r]!, heapVal[m]!, heapDoc[m]!)) m = r;
          if (m === c) break;
          swap(c, m);
          c = m;
        }
      }
    }
    for (let h = 0; h < size; h++) this.set(heapDoc[h]!, heapVal[h]!);
  }

  get size(): number {
    return this.used.length;
  }

  /**
   * The best `limit` entries in rank order, via a bounded heap whose root is the worst kept; the same
   * list sorting every entry and slicing would give (the order is total: ids are unique).
   */
  top(limit: number, readings: readonly Reading[]): Array<{ reading: Reading; score: number }> {
    const score = this.score;
    const rank = (this.rank ??= idRanks(readings));
    const heap: number[] = [];
    // a ranks after b (is worse)? Ties (common: tag lifts without text) compare precomputed id ranks.
    const worse = (a: number, b: number) =>
      score[a]! < score[b]! || (score[a] === score[b] && rank[a]! > rank[b]!);
    const down = (i: number) => {
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && worse(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && worse(heap[r]!, heap[m]!)) m = r;
        if (m === i) return;
        const t = heap[i]!;
        heap[i] = heap[m]!;
        heap[m] = t;
        i = m;
      }
    };
    for (const i of this.used) {
      if (heap.length < limit) {
        heap.push(i);
        for (let c = heap.length - 1; c > 0;) {
          const p = (c - 1) >> 1;
          if (!worse(heap[c]!, heap[p]!)) break;
          const t = heap[c]!;
          heap[c] = heap[p]!;
          heap[p] = t;
          c = p;
        }
      } else if (score[i]! >= score[heap[0]!]! && worse(heap[0]!, i)) {
        heap[0] = i;
        down(0);
      }
    }
    heap.sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0));
    return heap.map((i) => ({ reading: readings[i]!, score: score[i]! }));
  }
}

/**
 * Each reading's position in id order as `a.id.localeCompare(b.id)` sorts (ids are unique). Sorting by
 * code unit is cheap and agrees with localeCompare on slug ids; the order is verified pair by pair and
 * sorting falls back to localeCompare itself if it ever does not agree.
 */
export function idRanks(readings: readonly Reading[]): Int32Array {
  const order = Array.from(readings.keys());
  const id = (i: number) => readings[i]!.id;
  order.sort((a, b) => (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0));
  for (let k = 1; k < order.length; k++)
    if (id(order[k - 1]!).localeCompare(id(order[k]!)) >= 0) {
      order.sort((a, b) => id(a).localeCompare(id(b)));
      break;
    }
  const rank = new Int32Array(readings.length);
  order.forEach((i, r) => (rank[i] = r));
  return rank;
}
