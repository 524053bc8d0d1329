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

/** How much being of the asked-for kind ("papers about …") adds inside a topic's results. */
const KIND_WEIGHT = 0.25;
/** How much a tag mentioned inside a question lifts its readings (the whole lift, split over the tags). */
const MENTION_WEIGHT = 0.8;
/** How much being a reading's first tag (vs a later one) adds inside a tag's results. */
const CENTRALITY_WEIGHT = 0.3;

/** What a reading's tag lift depends on, for one query. */
export interface Lifts {
  /** Centrality by catalog position: 0 for readings without a named tag. */
  cent: Float64Array;
  /** The whole query named a tag (vs tags mentioned inside a question). */
  tag: boolean;
  /** How many tags the query named. */
  named: number;
  /** The kind of reading asked for ("papers about …"), if any. */
  kind: string | undefined;
  kinds: ReadonlyArray<string | undefined>;
}

/** The lift of a reading with non-zero centrality. */
export function liftOf(i: number, q: Lifts): number {
  const c = q.cent[i]!;
  // A whole-query tag outranks any text match; tags inside a question weigh like a strong word.
  const l = q.tag ? 2 + CENTRALITY_WEIGHT * c : MENTION_WEIGHT * (c / q.named);
  return q.kind !== undefined && q.kinds[i] === q.kind ? l + KIND_WEIGHT : l;
}

/**
 * Offer `best` every reading that matched text or carries a named tag, densely: its text score over the
 * best one, plus its lift (x + 0 is x, so readings without a lift need no branch of their own), or
 * 0 + its lift when no word matched. The same values the list-based selection offers.
 */
export function selectDense(best: TopK, score: Float64Array, max: number, q: Lifts): void {
  const { cent, tag, named, kind } = q;
  // (A whole-query tag takes selectTagFirst in /read; the general loop below serves it too.)
  // The floor in a local: re-reading it from the heap for every reading costs more than the heap does.
  let floor = -Infinity;
  // Half the readings may carry a named tag, in no order: a branch on it mispredicts half the time.
  // Branch-free instead: s / max is 0 without text, MENTION_WEIGHT * 0 is 0 without a tag, and x + 0
  // is x, so every reading gets exactly the value the list-based selection gives it.
  if (!tag && kind === undefined) {
    // No tag named: every c is 0, and 0 / 1 keeps the sum at s / max (0 / 0 would be NaN).
    const per = named || 1;
    for (let d = 0; d < cent.length; d++) {
      const s = score[d]!;
      const c = cent[d]!;
      if (s === 0 && c === 0) continue;
      const v = s / max + MENTION_WEIGHT * (c / per);
      if (v < floor) continue;
      best.offer(d, v);
      floor = best.floor;
    }
    return;
  }
  for (let d = 0; d < cent.length; d++) {
    const s = score[d]!;
    const c = cent[d]!;
    if (s === 0 && c === 0) continue;
    let v = s / max;
    if (c !== 0) v = v + liftOf(d, q);
    if (v < floor) continue;
    best.offer(d, v);
    floor = best.floor;
  }
}

/** Reused per-query buffers of the list-based selection, each one slot per catalog position. */
export interface ListBuffers {
  /** The lifted positions, the first `liftedCount` of them valid. */
  lifted: Int32Array;
  /** 1 where a position is lifted and not yet offered. */
  isLifted: Uint8Array;
  /** The lift of each lifted position. */
  lift: Float64Array;
}

/**
 * The list-based selection, for queries few readings match: each lifted reading (the first
 * `liftedCount` of `lists.lifted`) gets its lift and a flag, and `cent` is cleared for it; then
 * selectBest offers text matches plus their lift, and the lifted readings no word matched. Offers the
 * same values selectDense does.
 */
export function selectListed(
  best: TopK,
  text: { score: Float64Array; docs: Int32Array | undefined; count: number; max: number } | undefined,
  q: Lifts,
  lists: ListBuffers,
  liftedCount: number,
): void {
  const { lifted, isLifted, lift } = lists;
  for (let k = 0; k < liftedCount; k++) {
    const i = lifted[k]!;
    lift[i] = liftOf(i, q);
    q.cent[i] = 0;
    isLifted[i] = 1;
  }
  selectBest(best, text, lift, isLifted, lifted, liftedCount);
}

/**
 * Selection for a query that names a whole tag: the tag's readings (the first `liftedCount` of
 * `lists.lifted`) first, each at its text score over the best one plus its lift, then the text matches
 * without the tag only if one could still enter. A reading without a lift is worth at most 1 (its
 * score over the best, which IEEE division keeps at or below 1), and a whole-query tag lifts by 2 or
 * more; so once `best` is full of the tag's readings, no other text match needs reading (a scan of
 * every reading at 100k). Offers the values selectDense and selectListed offer; clears `q.cent`.
 */
export function selectTagFirst(
  best: TopK,
  text: { score: Float64Array; docs: Int32Array | undefined; count: number; max: number } | undefined,
  q: Lifts,
  lists: ListBuffers,
  liftedCount: number,
): void {
  const { lifted, isLifted } = lists;
  const matched = text !== undefined && text.count > 0 ? text : undefined;
  let floor = -Infinity;
  for (let k = 0; k < liftedCount; k++) {
    const i = lifted[k]!;
    // s / max is 0 for a reading no word matched: 0 + its lift, as the other selections offer it.
    const v = (matched ? matched.score[i]! / matched.max : 0) + liftOf(i, q);
    q.cent[i] = 0;
    if (v >= floor) {
      best.offer(i, v);
      floor = best.floor;
    }
  }
  // `floor` stays -Infinity until `best` is full.
  if (!matched || floor > 1) return;
  for (let k = 0; k < liftedCount; k++) isLifted[lifted[k]!] = 1;
  offerUnlifted(best, matched, isLifted, q.cent.length);
  for (let k = 0; k < liftedCount; k++) isLifted[lifted[k]!] = 0;
}

/** Offer `best` every text match not flagged in `isLifted`, at its score over the best one. */
function offerUnlifted(
  best: TopK,
  text: { score: Float64Array; docs: Int32Array | undefined; max: number },
  isLifted: Uint8Array,
  readings: number,
): void {
  const { score, max } = text;
  const listed = text.docs;
  const n = listed ? listed.length : readings;
  let floor = best.floor;
  for (let k = 0; k < n; k++) {
    const d = listed ? listed[k]! : k;
    const s = score[d]!;
    if (s === 0 || isLifted[d] !== 0) continue;
    const v = s / max;
    if (v >= floor) {
      best.offer(d, v);
      floor = best.floor;
    }
  }
}
