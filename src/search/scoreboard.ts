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
/** How much tags mentioned inside a question lift their readings (the whole lift, split over the tags). */
const MENTION_WEIGHT = 0.8;

/**
 * The lift of tags mentioned in a question whose `content` words (stop and kind words aside) include
 * `naming` words that name them: MENTION_WEIGHT times the square root of their share of the question.
 * "how does raft elect a leader" is all tag words (raft, leader election): the full lift. In "ask a
 * second replica when the first one is slow", replica (#replication) is one word of five: 0.45 of it,
 * so the readings on hedged requests the other words describe are not buried under every replication
 * reading, while a reading on both still gains.
 */
export function mentionWeight(naming: number, content: number): number {
  if (content <= 0 || naming <= 0) return 0;
  return MENTION_WEIGHT * Math.sqrt(Math.min(1, naming / content));
}
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
  /**
   * The whole lift tags mentioned inside a question share: MENTION_WEIGHT scaled by the part of the
   * question's words that name them (mentionWeight), so one incidental word of a long description
   * ("ask a second replica when the first is slow") does not outweigh what the description matches.
   */
  mention: number;
  /** The kind of reading asked for ("papers about …"), if any. */
  kind: string | undefined;
  kinds: ReadonlyArray<string | undefined>;
}

/** The lift of a reading with non-zero centrality. */
export function liftOf(i: number, q: Lifts): number {
  const c = q.cent[i]!;
  // A whole-query tag outranks any text match; tags inside a question weigh like a strong word.
  const l = q.tag ? 2 + CENTRALITY_WEIGHT * c : q.mention * (c / q.named);
  return q.kind !== undefined && q.kinds[i] === q.kind ? l + KIND_WEIGHT : l;
}

/**
 * The largest lift of a query whose largest centrality is `c`: liftOf's arithmetic at that centrality,
 * with the kind's weight whenever a kind is asked for. Each step rounds monotonically, so no reading's
 * computed lift is larger.
 */
function maxLiftOf(c: number, q: Lifts): number {
  const l = q.tag ? 2 + CENTRALITY_WEIGHT * c : q.mention * (c / q.named);
  return q.kind !== undefined ? l + KIND_WEIGHT : l;
}

/**
 * The dense selection, for a question mentioning tags whose words matched most readings: one pass over
 * every reading, offering what selectBest offers (s / max plus its lift, 0 + its lift without a match).
 * Tags inside a question may lift half the catalog in no order, so a branch on "is it lifted"
 * mispredicts half the time; instead the pass skips, without a division, every reading whose text score
 * is too low for even the largest lift to bring it to the floor, which after the first offers is most
 * of them. `maxCentrality`: the largest value in `q.cent`.
 */
export function selectDense(best: TopK, text: TextScores, q: Lifts, maxCentrality: number): void {
  const { score, max } = text;
  const maxLift = maxLiftOf(maxCentrality, q);
  const { cent, tag, named, kind, mention } = q;
  let floor = -Infinity;
  let cut = -Infinity;
  if (!tag && kind === undefined) {
    // Branch-free lift: MENTION_WEIGHT * 0 is 0 without a tag, and x + 0 is x, so every reading gets
    // exactly the value selectBest gives it. No tag named: every c is 0, and 0 / 1 keeps the sum at
    // s / max (0 / 0 would be NaN).
    const per = named || 1;
    for (let d = 0; d < cent.length; d++) {
      const s = score[d]!;
      if (s < cut) continue;
      const c = cent[d]!;
      if (s === 0 && c === 0) continue;
      const v = s / max + mention * (c / per);
      if (v < floor) continue;
      best.offer(d, v);
      floor = best.floor;
      cut = (floor - maxLift - CUT_MARGIN) * max;
    }
    return;
  }
  for (let d = 0; d < cent.length; d++) {
    const s = score[d]!;
    if (s < cut) continue;
    const c = cent[d]!;
    if (s === 0 && c === 0) continue;
    let v = s / max;
    if (c !== 0) v = v + liftOf(d, q);
    if (v < floor) continue;
    best.offer(d, v);
    floor = best.floor;
    cut = (floor - maxLift - CUT_MARGIN) * max;
  }
}

/** Per-query buffers of the selection, one slot per catalog position, reused. */
export interface ListBuffers {
  /** The lifted positions, the first `liftedCount` of them valid. */
  lifted: Int32Array;
  /** 1 where a position is lifted (set and cleared within one selection). */
  isLifted: Uint8Array;
}

/** The text matches of a query (see Bm25Scorer.score). */
export interface TextScores {
  /** Score by catalog position, 0 where no word matched. */
  score: Float64Array;
  /** The matched positions when few; otherwise every position is scanned. */
  docs: Int32Array | undefined;
  count: number;
  max: number;
}

/**
 * Offer `best` every reading that matched text or carries a named tag, at the value /read ranks by: its
 * text score over the best one (s / max), plus its lift (liftOf) when a named tag lifts it; 0 + its
 * lift when no word matched it. Lifted readings (the first `liftedCount` of `lists.lifted`, centrality
 * in `q.cent`) go first. Then the other text matches, each worth s / max, at most 1 (IEEE division
 * keeps s <= max at or below 1): none once the floor is above 1 (a whole-query tag lifts by 2 or
 * more), else only those scoring over textCut, skipped without a division each. The order of offers
 * does not change what `best` keeps (its order is total). Clears `q.cent` for the lifted readings.
 */
export function selectBest(
  best: TopK,
  text: TextScores | undefined,
  q: Lifts,
  lists: ListBuffers,
  liftedCount: number,
): void {
  const matched = text !== undefined && text.count > 0 ? text : undefined;
  offerLifted(best, matched, q, lists.lifted, liftedCount);
  // `best.floor` stays -Infinity until `best` is full.
  if (!matched || best.floor > 1) {
    for (let k = 0; k < liftedCount; k++) q.cent[lists.lifted[k]!] = 0;
    return;
  }
  const { lifted, isLifted } = lists;
  for (let k = 0; k < liftedCount; k++) {
    isLifted[lifted[k]!] = 1;
    q.cent[lifted[k]!] = 0;
  }
  offerUnlifted(best, matched, isLifted, q.cent.length);
  for (let k = 0; k < liftedCount; k++) isLifted[lifted[k]!] = 0;
}

/** Offer each lifted reading at its text score over the best one (0 without a match) plus its lift. */
function offerLifted(
  best: TopK,
  text: TextScores | undefined,
  q: Lifts,
  lifted: Int32Array,
  liftedCount: number,
): void {
  // The floor in a local: re-reading it from the heap for every reading costs more than the heap does.
  let floor = best.floor;
  for (let k = 0; k < liftedCount; k++) {
    const i = lifted[k]!;
    const v = (text ? text.score[i]! / text.max : 0) + liftOf(i, q);
    if (v >= floor) {
      best.offer(i, v);
      floor = best.floor;
    }
  }
}

/** Offer each text match not flagged in `isLifted` at its score over the best one. */
function offerUnlifted(best: TopK, text: TextScores, isLifted: Uint8Array, readings: number): void {
  const { score, max } = text;
  const listed = text.docs;
  const n = listed ? listed.length : readings;
  let floor = best.floor;
  // Most scores are under the cut: one well-predicted comparison each, no division.
  let cut = textCut(floor, max);
  for (let k = 0; k < n; k++) {
    const d = listed ? listed[k]! : k;
    const s = score[d]!;
    if (s < cut || isLifted[d] !== 0) continue;
    const v = s / max;
    if (v >= floor) {
      best.offer(d, v);
      floor = best.floor;
      cut = textCut(floor, max);
    }
  }
}

/** Below every floor by far more than rounding moves a value (values are at most a few units). */
const CUT_MARGIN = 2 ** -30;

/**
 * The text score under which a reading without a lift cannot reach `floor`: s < (floor - 2^-30) * max
 * puts s / max below the floor after the rounding of both (2^-52 of values of a few units at most;
 * selectDense subtracts the largest lift too, for readings with one). At least the smallest positive
 * number, so a reading no word matched (s = 0) is always skipped.
 */
export function textCut(floor: number, max: number): number {
  return Math.max(Number.MIN_VALUE, (floor - CUT_MARGIN) * max);
}
