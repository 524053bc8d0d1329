import { createHash } from 'node:crypto';
import { tagCounts, type Catalog } from '../catalog/load.ts';

/** Every tag a reader can see with at least this many readings is in the rotation. */
export const MIN_READINGS = 3;

/** Where a channel is in its rotation; stored with the subscription. */
export interface RotationState {
  /** Hex seed fixed at subscription time: the same order on every process and after restarts. */
  seed: string;
  /** 0-based cycle number: one cycle posts every eligible tag once. */
  cycle: number;
  /** 0-based index into this cycle's order of the next tag to post. */
  position: number;
  /** The last tag of the previous cycle: this cycle must not start with it. */
  avoidFirst?: string;
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

/** Normalize a state whose position ran past the end (the catalog shrank): roll into the next cycle. */
function settle(tags: readonly string[], state: RotationState): RotationState {
  if (tags.length === 0 || state.position < tags.length) return state;
  const order = cycleOrder(tags, state);
  return { seed: state.seed, cycle: state.cycle + 1, position: 0, avoidFirst: order[order.length - 1] };
}

/** The tag the next post will be about, or undefined when no tag is eligible. */
export function currentTag(tags: readonly string[], state: RotationState): string | undefined {
  const s = settle(tags, state);
  return cycleOrder(tags, s)[s.position];
}

/** The state after posting (or skipping) the current tag. */
export function advance(tags: readonly string[], state: RotationState): RotationState {
  const s = settle(tags, state);
  if (tags.length === 0) return s;
  const order = cycleOrder(tags, s);
  if (s.position + 1 < order.length) return { ...s, position: s.position + 1 };
  return { seed: s.seed, cycle: s.cycle + 1, position: 0, avoidFirst: order[order.length - 1] };
}

/** Same place in the rotation? (Used to advance only if nobody moved it meanwhile.) */
export function samePlace(a: RotationState, b: RotationState): boolean {
  return a.seed === b.seed && a.cycle === b.cycle && a.position === b.position;
}

/** Seed for a new subscription: derived from its key so /tagoftheday preview matches the first post. */
export function seedFor(key: string): string {
  return createHash('sha256').update(`tod-seed:${key}`).digest('hex').slice(0, 16);
}
