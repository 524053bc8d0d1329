import { createHash } from 'node:crypto';
import { tagCounts, type Catalog } from '../catalog/load.ts';

/** Every tag a reader can see with at least this many readings is in the rotation. */
export const MIN_READINGS = 3;

/**
 * Where a channel is in its rotation; stored with the subscription. The cycle's remaining topics are
 * stored, not recomputed from the catalog, so a tag added or removed mid-cycle changes only itself:
 * a new tag joins the remaining ones, a removed tag leaves them; no tag twice and none skipped.
 */
export interface RotationState {
  /** Hex seed fixed at subscription time: the same order on every process and after restarts. */
  seed: string;
  /** 0-based cycle number: one cycle posts every eligible tag once. */
  cycle: number;
  /**
   * Index of the next tag in `cycleOrder` of this cycle. Only read for states written before
   * `remaining` existed (they are converted on first use); 0 after that.
   */
  position: number;
  /** The last tag of the previous cycle: this cycle must not start with it. */
  avoidFirst?: string;
  /** Tags still to post this cycle, in order. */
  remaining?: string[];
  /** Tags posted (or skipped) this cycle. */
  done?: string[];
}

/**
 * Visible topic tags (tagCounts: no languages, collections or meta tags) with ≥ MIN_READINGS readings,
 * sorted by id (the order shuffles start from).
 */
export function eligibleTags(catalog: Catalog): string[] {
  return tagCounts(catalog)
    .filter((t) => t.count >= MIN_READINGS)
    .map((t) => t.tag.id)
    .sort();
}

/** A deterministic stream of 32-bit numbers from `seed` (sha256 in counter mode). */
function numbers(seed: string): () => number {
  let counter = 0;
  let block = Buffer.alloc(0);
  let offset = 0;
  return () => {
    if (offset + 4 > block.length) {
      block = createHash('sha256').update(`${seed}#${counter++}`).digest();
      offset = 0;
    }
    const n = block.readUInt32BE(offset);
    offset += 4;
    return n;
  };
}

/** Fisher–Yates with an unbiased bounded draw. */
function shuffle<T>(items: readonly T[], seed: string): T[] {
  const out = [...items];
  const next = numbers(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const bound = i + 1;
    const limit = Math.floor(0x1_0000_0000 / bound) * bound;
    let n = next();
    while (n >= limit) n = next();
    const j = n % bound;
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * The order of cycle `cycle`: the eligible tags shuffled by (seed, cycle). If it would start with
 * the previous cycle's last tag, that tag trades places with a deterministic other one (so no tag
 * is posted twice in a row across the boundary, and the cycle still has every tag once).
 */
export function cycleOrder(
  tags: readonly string[],
  state: Pick<RotationState, 'seed' | 'cycle' | 'avoidFirst'>,
): string[] {
  const order = shuffle(tags, `${state.seed}:${state.cycle}`);
  if (order.length > 1 && state.avoidFirst !== undefined && order[0] === state.avoidFirst) {
    const j = 1 + (numbers(`${state.seed}:${state.cycle}:swap`)() % (order.length - 1));
    [order[0], order[j]] = [order[j]!, order[0]!];
  }
  return order;
}

/** A state written before `remaining` was stored: its order was the cycle's shuffle from `position`. */
function fromLegacy(tags: readonly string[], state: RotationState): RotationState {
  let s = state;
  if (tags.length > 0 && s.position >= tags.length) {
    const order = cycleOrder(tags, s);
    s = { seed: s.seed, cycle: s.cycle + 1, position: 0, avoidFirst: order[order.length - 1] };
  }
  const order = cycleOrder(tags, s);
  const out: RotationState = {
    seed: s.seed,
    cycle: s.cycle,
    position: 0,
    remaining: order.slice(s.position),
    done: order.slice(0, s.position),
  };
  if (s.avoidFirst !== undefined) out.avoidFirst = s.avoidFirst;
  return out;
}

/** Where a new tag joins the remaining ones: a place fixed by (seed, cycle, tag), never first. */
function insertionPoint(state: RotationState, tag: string, length: number): number {
  if (length === 0) return 0;
  return 1 + (numbers(`${state.seed}:${state.cycle}:join:${tag}`)() % length);
}

/**
 * The state against today's eligible tags: removed tags leave `remaining`, new ones join it, and an
 * exhausted cycle rolls into the next one (shuffled anew, not starting with the last tag posted).
 */
export function normalize(tags: readonly string[], state: RotationState): RotationState {
  const s = state.remaining ? state : fromLegacy(tags, state);
  const eligible = new Set(tags);
  // A done tag stays done even if it leaves the catalog and comes back: never twice in one cycle.
  const done = s.done ?? [];
  const remaining = (s.remaining ?? []).filter((t) => eligible.has(t));
  const seen = new Set([...done, ...remaining]);
  for (const tag of tags) {
    if (seen.has(tag)) continue;
    remaining.splice(insertionPoint(s, tag, remaining.length), 0, tag);
    seen.add(tag);
  }
  const out: RotationState = { seed: s.seed, cycle: s.cycle, position: 0, remaining, done };
  if (s.avoidFirst !== undefined) out.avoidFirst = s.avoidFirst;
  if (remaining.length > 0 || tags.length === 0) return out;
  const last = s.done?.[s.done.length - 1] ?? s.avoidFirst;
  const next: RotationState = { seed: s.seed, cycle: s.cycle + 1, position: 0 };
  if (last !== undefined) next.avoidFirst = last;
  return { ...next, remaining: cycleOrder(tags, next), done: [] };
}

/** The tag the next post will be about, or undefined when no tag is eligible. */
export function currentTag(tags: readonly string[], state: RotationState): string | undefined {
  return normalize(tags, state).remaining?.[0];
}

/** The state after `tag` was posted (or skipped): it leaves the remaining ones. Idempotent. */
export function markPosted(tags: readonly string[], state: RotationState, tag: string): RotationState {
  const s = normalize(tags, state);
  const remaining = s.remaining ?? [];
  if (!remaining.includes(tag)) return s;
  return normalize(tags, {
    ...s,
    remaining: remaining.filter((t) => t !== tag),
    done: [...(s.done ?? []), tag],
  });
}

/** The state after posting (or skipping) the current tag. */
export function advance(tags: readonly string[], state: RotationState): RotationState {
  const tag = currentTag(tags, state);
  return tag === undefined ? normalize(tags, state) : markPosted(tags, state, tag);
}

/** Seed for a new subscription: derived from its key so /tagoftheday preview matches the first post. */
export function seedFor(key: string): string {
  return createHash('sha256').update(`tod-seed:${key}`).digest('hex').slice(0, 16);
}
