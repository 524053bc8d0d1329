import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Catalog } from '../catalog/load.ts';
import type { Platform } from '../caller.ts';
import type { Logger } from '../logger.ts';
import type { Reply } from '../reply.ts';
import type { ReadingSearch } from '../search/reading-search.ts';
import type { Clock } from '../clock.ts';
import type { Store } from '../store/types.ts';
import { firingOn, localDate, nextFiring } from '../time/daily.ts';
import { buildPost } from './post.ts';
import { advance, currentTag, eligibleTags, samePlace, seedFor, type RotationState } from './rotation.ts';

/** Where a subscription lives: one channel on one platform workspace. */
export interface ChannelRef {
  platform: Platform;
  workspaceId: string;
  channelId: string;
}

/** A post that was started (claim won, marker written) but whose outcome was not recorded yet. */
export interface InFlight {
  /** Local date the post is for. */
  date: string;
  owner: string;
  tag: string;
  /** Rotation place the tag came from: advanced on success only if nobody moved it meanwhile. */
  rotation: RotationState;
  since: number;
}

export interface Subscription extends ChannelRef {
  /** "HH:MM" local time, 24 h. */
  time: string;
  /** IANA zone the time is in. */
  zone: string;
  /** Unsubscribing keeps the record (inactive) so re-subscribing resumes the rotation. */
  active: boolean;
  rotation: RotationState;
  /** Posts are due only at firings at or after this instant: subscribing at 15:00 for 09:00 starts tomorrow. */
  activeFrom: number;
  /** Local date of the last post that went out (or is presumed to have gone out). */
  lastPostedDate?: string;
  lastTag?: string;
  /** Two-phase marker: written after the day's claim is won and before the Poster is called. */
  inflight?: InFlight;
  updatedBy: string;
  updatedAt: number;
}

/** The adapter's side: deliver a post to a channel. Throwing means "it did not go out". */
export interface Poster {
  post(subscription: Subscription, reply: Reply): Promise<void>;
  /** Only subscriptions of these platforms are posted by this poster (default: all). */
  platforms?: readonly Platform[];
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface TagOfTheDayDeps {
  store: Store;
  catalog: Catalog;
  search: ReadingSearch;
  clock: Clock;
  logger: Logger;
  defaults: { time: string; zone: string };
  /** Identifies this process in claims (default host:pid:random). */
  owner?: string;
  /** Claim lifetime (default CLAIM_TTL_MS); tests shorten it. */
  claimTtlMs?: number;
  timers?: Timers;
}

export type Outcome = 'posted' | 'failed' | 'held' | 'idle';

export interface TickResult {
  posted: string[];
  failed: string[];
}

/**
 * How long a won claim holds before the in-flight marker must take over. Far longer than one store
 * write (the only step between the two), short enough that a crash in that gap delays the day's
 * post by minutes instead of losing it.
 */
export const CLAIM_TTL_MS = 10 * 60_000;
/** The real-time loop wakes at least this often to see new subscriptions and other processes' changes. */
export const MAX_SLEEP_MS = 60_000;

export const SUBS_NAMESPACE = 'tod-subs';

export function channelKey(ref: ChannelRef): string {
  return `${ref.platform}:${ref.workspaceId}:${ref.channelId}`;
}

export function claimKey(ref: ChannelRef, date: string): string {
  return `tod:${channelKey(ref)}:${date}`;
}

/**
 * Tag of the day: subscriptions, rotation and the scheduler.
 *
 * Exactly once per channel per local day: the scheduler claims `tod:<channel>:<local date>` in the
 * store (atomic across processes) before posting. The claim only elects one poster; the winner then
 * writes an "in flight" marker on the subscription, and from there the marker guards the day: the
 * Poster is called, and on success the date is recorded and the rotation advanced. If the Poster
 * throws, nothing went out: the marker is cleared and the claim released, so the next tick (any
 * process) retries the same day. If the process dies after writing the marker, the post may have
 * gone out, so that day is never posted again (at most once beats twice); the next day the leftover
 * marker is settled (the rotation moves past the tag that may have been posted). If it dies between
 * winning the claim and writing the marker, nothing was posted: the claim lapses after
 * CLAIM_TTL_MS and another tick posts that same day.
 */
export class TagOfTheDay {
  readonly owner: string;
  private readonly timers: Timers;
  private poster: Poster | undefined;
  private timer: unknown;
  private running: Promise<unknown> | undefined;
  private stopped = true;

  constructor(private readonly deps: TagOfTheDayDeps) {
    this.owner = deps.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.timers = deps.timers ?? realTimers;
  }

  private get subs() {
    return this.deps.store.namespace(SUBS_NAMESPACE);
  }

  async get(ref: ChannelRef): Promise<Subscription | undefined> {
    return (await this.subs.get<Subscription>(channelKey(ref))) ?? undefined;
  }

  private async put(sub: Subscription): Promise<void> {
    await this.subs.set(channelKey(sub), sub);
  }

  /** Every stored subscription (active or not). */
  async list(): Promise<Subscription[]> {
    const kv = this.subs;
    if (!kv.iterator) throw new Error('the store cannot list subscriptions (Keyv iterator missing)');
    const out: Subscription[] = [];
    for await (const entry of kv.iterator(undefined)) {
      const value = entry[1] as Subscription | undefined;
      if (value && typeof value === 'object' && 'channelId' in value) out.push(value);
    }
    return out;
  }

  eligibleTags(): string[] {
    return eligibleTags(this.deps.catalog);
  }

  /** Subscribe (or change the time/zone of) a channel; the rotation is kept on re-subscribe. */
  async subscribe(ref: ChannelRef, time: string, zone: string, by: string): Promise<Subscription> {
    const now = this.deps.clock.now();
    const prev = await this.get(ref);
    const sub: Subscription = {
      platform: ref.platform,
      workspaceId: ref.workspaceId,
      channelId: ref.channelId,
      time,
      zone,
      active: true,
      rotation: prev?.rotation ?? { seed: seedFor(channelKey(ref)), cycle: 0, position: 0 },
      activeFrom: now,
      updatedBy: by,
      updatedAt: now,
    };
    if (prev?.lastPostedDate) sub.lastPostedDate = prev.lastPostedDate;
    if (prev?.lastTag) sub.lastTag = prev.lastTag;
    if (prev?.inflight) sub.inflight = prev.inflight;
    await this.put(sub);
    return sub;
  }

  /** Returns false when the channel was not subscribed. */
  async unsubscribe(ref: ChannelRef, by: string): Promise<boolean> {
    const prev = await this.get(ref);
    if (!prev?.active) return false;
    await this.put({ ...prev, active: false, updatedBy: by, updatedAt: this.deps.clock.now() });
    return true;
  }

  /** The rotation a channel is at (a fresh one for channels never subscribed, as subscribing would create). */
  rotationFor(ref: ChannelRef, sub: Subscription | undefined): RotationState {
    return sub?.rotation ?? { seed: seedFor(channelKey(ref)), cycle: 0, position: 0 };
  }

  nextTag(ref: ChannelRef, sub: Subscription | undefined): string | undefined {
    return currentTag(this.eligibleTags(), this.rotationFor(ref, sub));
  }

  /** Move the channel past its next tag without posting. Returns the skipped and the new next tag. */
  async skip(ref: ChannelRef, by: string): Promise<{ skipped?: string; next?: string } | undefined> {
    const sub = await this.get(ref);
    if (!sub?.active) return undefined;
    const tags = this.eligibleTags();
    const skipped = currentTag(tags, sub.rotation);
    const rotation = advance(tags, sub.rotation);
    await this.put({ ...sub, rotation, updatedBy: by, updatedAt: this.deps.clock.now() });
    const next = currentTag(tags, rotation);
    return { ...(skipped ? { skipped } : {}), ...(next ? { next } : {}) };
  }

  buildPost(tag: string): Reply {
    return buildPost(tag, this.deps.catalog, this.deps.search);
  }

  /**
   * When the channel's next post goes out: today's firing if it is still ahead, `now` if today's
   * is due but has not gone out yet (catch-up), else the next day's firing.
   */
  nextPostAt(sub: Subscription, now: number): number {
    const today = localDate(now, sub.zone);
    const due = firingOn(today, sub.time, sub.zone);
    if (sub.lastPostedDate !== today && due >= sub.activeFrom && sub.inflight?.date !== today)
      return due > now ? due : now;
    let next = nextFiring(sub.time, sub.zone, now);
    if (localDate(next, sub.zone) === today) next = nextFiring(sub.time, sub.zone, next);
    return next;
  }

  /**
   * One pass of the scheduler at instant `now`: post every due channel that has not had today's
   * post. Safe to call from any number of processes at once.
   */
  async tick(poster: Poster, now = this.deps.clock.now()): Promise<TickResult> {
    const result: TickResult = { posted: [], failed: [] };
    let subs: Subscription[];
    try {
      subs = await this.list();
    } catch (e) {
      this.deps.logger.warn({ err: String(e) }, 'tag of the day: cannot list subscriptions');
      return result;
    }
    for (const s of subs) {
      if (!s.active || (poster.platforms && !poster.platforms.includes(s.platform))) continue;
      let outcome: Outcome;
      try {
        outcome = await this.postIfDue(s, now, poster);
      } catch (e) {
        this.deps.logger.error({ channel: channelKey(s), err: String(e) }, 'tag of the day: tick failed');
        outcome = 'failed';
      }
      if (outcome === 'posted') result.posted.push(channelKey(s));
      if (outcome === 'failed') result.failed.push(channelKey(s));
    }
    return result;
  }

  private async postIfDue(listed: Subscription, now: number, poster: Poster): Promise<Outcome> {
    const { logger } = this.deps;
    const key = channelKey(listed);
    let sub = listed;
    const today = localDate(now, sub.zone);
    if (sub.inflight && sub.inflight.date < today) sub = await this.settleInDoubt(sub);
    if (sub.lastPostedDate === today) return 'idle';
    const due = firingOn(today, sub.time, sub.zone);
    // Not yet; or the firing was before the channel subscribed; days missed entirely are never posted.
    if (now < due || due < sub.activeFrom) return 'idle';
    // Someone is posting right now, or died mid-post: never post again that day.
    if (sub.inflight?.date === today) return 'held';

    const claim = claimKey(sub, today);
    if (!(await this.deps.store.claim(claim, this.owner, this.deps.claimTtlMs ?? CLAIM_TTL_MS)))
      return 'held';

    // Re-read after winning: unsubscribed, skipped or posted while we were deciding?
    let fresh: Subscription | undefined;
    let tag: string | undefined;
    try {
      fresh = await this.get(sub);
      // Posted already (an expired or lost claim): keep the claim, post nothing.
      if (fresh?.lastPostedDate === today || fresh?.inflight?.date === today) return 'held';
      tag = fresh?.active ? currentTag(this.eligibleTags(), fresh.rotation) : undefined;
      if (fresh && tag)
        await this.put({
          ...fresh,
          inflight: { date: today, owner: this.owner, tag, rotation: fresh.rotation, since: now },
        });
    } catch (e) {
      // Nothing was posted: let the next tick try again.
      await this.deps.store.release(claim, this.owner).catch(() => undefined);
      throw e;
    }
    if (!fresh || !tag) {
      await this.deps.store.release(claim, this.owner);
      return 'idle';
    }

    const post = this.buildPost(tag);
    try {
      await poster.post(fresh, post);
    } catch (e) {
      logger.warn(
        { channel: key, date: today, tag, err: String(e) },
        'tag of the day: post failed, will retry',
      );
      const latest = await this.get(sub);
      if (latest?.inflight?.owner === this.owner && latest.inflight.date === today) {
        const { inflight: _dropped, ...rest } = latest;
        await this.put(rest);
      }
      await this.deps.store.release(claim, this.owner);
      return 'failed';
    }

    const latest = (await this.get(sub)) ?? fresh;
    const { inflight: _done, ...rest } = latest;
    const rotation = samePlace(latest.rotation, fresh.rotation)
      ? advance(this.eligibleTags(), fresh.rotation)
      : latest.rotation;
    await this.put({ ...rest, rotation, lastPostedDate: today, lastTag: tag });
    logger.info({ channel: key, date: today, tag }, 'tag of the day posted');
    return 'posted';
  }

  /**
   * A marker from an earlier day means its process died mid-post: the post may have gone out.
   * Treat it as posted (move the rotation past its tag) and clear it. Idempotent across processes.
   */
  private async settleInDoubt(sub: Subscription): Promise<Subscription> {
    const f = sub.inflight;
    if (!f) return sub;
    this.deps.logger.warn(
      { channel: channelKey(sub), date: f.date, tag: f.tag, owner: f.owner },
      'tag of the day: a post was interrupted; treating it as sent (never posting twice)',
    );
    const { inflight: _old, ...rest } = sub;
    const rotation = samePlace(sub.rotation, f.rotation)
      ? advance(this.eligibleTags(), f.rotation)
      : sub.rotation;
    const settled: Subscription = { ...rest, rotation, lastTag: f.tag };
    if (!settled.lastPostedDate || settled.lastPostedDate < f.date) settled.lastPostedDate = f.date;
    await this.put(settled);
    return settled;
  }

  /** Instant of the next tick: the earliest future firing of any active subscription, at most MAX_SLEEP_MS away. */
  async nextWake(now: number, poster: Poster): Promise<number> {
    let wake = now + MAX_SLEEP_MS;
    try {
      for (const s of await this.list()) {
        if (!s.active || (poster.platforms && !poster.platforms.includes(s.platform))) continue;
        wake = Math.min(wake, nextFiring(s.time, s.zone, now));
      }
    } catch {
      // Store trouble: try again after the cap.
    }
    return wake;
  }

  /** Run the real-time loop with this adapter's Poster until stop(). */
  start(poster: Poster): void {
    if (!this.stopped) this.cancelTimer();
    this.poster = poster;
    this.stopped = false;
    this.arm(0);
  }

  get started(): boolean {
    return !this.stopped;
  }

  private arm(delay: number): void {
    this.timer = this.timers.setTimeout(() => void this.loopOnce(), Math.max(0, delay));
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async loopOnce(): Promise<void> {
    this.timer = undefined;
    const poster = this.poster;
    if (this.stopped || !poster) return;
    const work = (async () => {
      await this.tick(poster, this.deps.clock.now());
      return this.nextWake(this.deps.clock.now(), poster);
    })();
    this.running = work;
    let wake: number;
    try {
      wake = await work;
    } catch (e) {
      this.deps.logger.error({ err: String(e) }, 'tag of the day: loop failed');
      wake = this.deps.clock.now() + MAX_SLEEP_MS;
    } finally {
      this.running = undefined;
    }
    // A few ms past the firing so the tick sees it as due.
    if (!this.stopped) this.arm(wake - this.deps.clock.now() + 5);
  }

  /** Stop the loop and wait for a tick in progress to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelTimer();
    this.poster = undefined;
    await this.running?.catch(() => undefined);
  }
}
