import type { Reading } from '../catalog/schema.ts';

/**
 * The best `limit` (document, score) pairs offered, in rank order: score descending, then reading id
 * ascending (ids are unique, so the order is total and equals sorting every offer and slicing). A
 * bounded heap whose root is the worst kept: most offers lose one comparison with the root.
 */
export class TopK {
  private readonly docs: Int32Array;
  private readonly vals: Float64Array;
  private size = 0;
  /** The worst kept score once full: offers below it cannot enter (callers may skip offering them). */
  floor = -Infinity;

  constructor(
    readonly limit: number,
    /** Catalog position → rank of its reading id (see idRanks). */
    private readonly rank: Int32Array,
  ) {
    this.docs = new Int32Array(limit);
    this.vals = new Float64Array(limit);
  }

  /** Does (va, da) rank after (vb, db)? */
  private worse(va: number, da: number, vb: number, db: number): boolean {
    return va < vb || (va === vb && this.rank[da]! > this.rank[db]!);
  }

  offer(d: number, v: number): void {
    const { docs, vals } = this;
    if (this.size < this.limit) {
      let c = this.size++;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (!this.worse(v, d, vals[p]!, docs[p]!)) break;
        docs[c] = docs[p]!;
        vals[c] = vals[p]!;
        c = p;
      }
      docs[c] = d;
      vals[c] = v;
      if (this.size === this.limit) this.floor = vals[0]!;
      return;
    }
    if (v < vals[0]! || !this.worse(vals[0]!, docs[0]!, v, d)) return;
    // Replace the root and sift the new entry down.
    let c = 0;
    for (;;) {
      const l = 2 * c + 1;
      if (l >= this.size) break;
      const r = l + 1;
      const m = r < this.size && this.worse(vals[r]!, docs[r]!, vals[l]!, docs[l]!) ? r : l;
      if (!this.worse(vals[m]!, docs[m]!, v, d)) break;
      docs[c] = docs[m]!;
      vals[c] = vals[m]!;
      c = m;
    }
    docs[c] = d;
    vals[c] = v;
    this.floor = vals[0]!;
  }

  /** Kept entries, best first. */
  sorted(): Array<{ doc: number; score: number }> {
    const out = Array.from({ length: this.size }, (_, i) => ({ doc: this.docs[i]!, score: this.vals[i]! }));
    return out.sort((a, b) => (this.worse(a.score, a.doc, b.score, b.doc) ? 1 : -1));
  }
}

/**
 * Offer `best` every text match at its score normalised by the best one, plus its lift where
 * `isLifted` is set, then the lifted readings no word matched at their lift alone; clears `isLifted`.
 * Its own small function: V8 optimises this loop far better here than inlined in a large one.
 */
export function selectBest(
  best: TopK,
  text: { score: Float64Array; docs: Int32Array | undefined; count: number; max: number } | undefined,
  lift: Float64Array,
  isLifted: Uint8Array,
  lifted: Int32Array,
  liftedCount: number,
): void {
  // The floor in a local: re-reading it from the heap for every reading costs more than the heap does.
  let floor = -Infinity;
  if (text && text.count > 0) {
    const { score, max } = text;
    const listed = text.docs;
    const n = listed ? listed.length : score.length;
    for (let k = 0; k < n; k++) {
      const d = listed ? listed[k]! : k;
      let v = score[d]!;
      if (v === 0) continue;
      v = v / max;
      if (isLifted[d] !== 0) {
        v = v + lift[d]!;
        isLifted[d] = 0;
      }
      if (v >= floor) {
        best.offer(d, v);
        floor = best.floor;
      }
    }
  }
  for (let k = 0; k < liftedCount; k++) {
    const i = lifted[k]!;
    if (isLifted[i] === 0) continue;
    isLifted[i] = 0;
    const v = 0 + lift[i]!;
    if (v >= floor) {
      best.offer(i, v);
      floor = best.floor;
    }
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
