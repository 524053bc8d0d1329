import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Catalog } from '../catalog/load.ts';
import type { Platform } from '../caller.ts';
import type { Logger } from '../logger.ts';
import type { Reply } from '../reply.ts';
import type { ReadingSearch } from '../search/reading-search.ts';
import type { Clock } from '../clock.ts';
import type { Store } from '../store/types.ts';
import { firingOn, localDate, nextFiring, zoneProblem } from '../time/daily.ts';
import { buildPost } from './post.ts';
import { asPostFailure, backoffMs, type PostFailure } from './post-failure.ts';
import { advance, currentTag, eligibleTags, markPosted, seedFor, type RotationState } from './rotation.ts';

/** Where a subscription lives: one channel on one platform workspace. */
export interface ChannelRef {
  platform: Platform;
  workspaceId: string;
  channelId: string;
}

/** A post that was started (its marker won by compare-and-set) but whose outcome was not recorded yet. */
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
  /**
   * Local date of the last post that went out (or is presumed to have gone out). Only a strictly
   * later local date is ever posted, whatever the clocks do.
   */
  lastPostedDate?: string;
  lastTag?: string;
  /** Two-phase marker, written by compare-and-set (the day's claim) before the Poster is called. */
  inflight?: InFlight;
  /** Set when a post failed for good (the bot cannot post here): no post until someone subscribes again. */
  paused?: Paused;
  /** Transient failures on `date`: the next try waits until `notBefore` (backoff). */
  retry?: { date: string; attempts: number; notBefore: number };
  /** Who subscribed: told when the subscription is paused. */
  subscribedBy?: string;
  updatedBy: string;
  updatedAt: number;
}

export interface Paused {
  /** The platform's error code ("50013", "not_in_channel"). */
  code: string;
  /** What is wrong and what to do, for `status`. */
  reason: string;
  since: number;
}

/**
 * The adapter's side: deliver a post to a channel. Throwing means "it did not go out"; throw a
 * PostFailure to say whether it is permanent (pause) or transient (retry with backoff).
 */
export interface Poster {
  post(subscription: Subscription, reply: Reply): Promise<void>;
  /** Tell `userId` privately (Discord DM; Slack ephemeral or DM) why posts in the channel stopped. */
  notify?(subscription: Subscription, userId: string, text: string): Promise<void>;
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
  /** Identifies this process in in-flight markers (default host:pid:random). */
  owner?: string;
  timers?: Timers;
}

export type Outcome = 'posted' | 'failed' | 'held' | 'idle' | 'skipped';

export interface TickResult {
  posted: string[];
  failed: string[];
  /** Channels whose stored zone is not valid any more. */
  skipped: string[];
}

/** The real-time loop wakes at least this often to see new subscriptions and other processes' changes. */
export const MAX_SLEEP_MS = 60_000;
/** …and never sooner than this after a tick: a re-arm at ≤ 0 ms spins (issue 14, fall-back night). */
export const MIN_SLEEP_MS = 1_000;
/** A compare-and-set that keeps losing this many times in a row gives up (another writer is busy). */
const CAS_ATTEMPTS = 20;

export const SUBS_NAMESPACE = 'tod-subs';

export function channelKey(ref: ChannelRef): string {
  return `${ref.platform}:${ref.workspaceId}:${ref.channelId}`;
}

/** Raised when a compare-and-set kept losing: the caller's change was not made. */
export class ConcurrentUpdateError extends Error {
  constructor(key: string) {
    super(`tag of the day: ${key} kept changing under us; the update was not made`);
    this.name = 'ConcurrentUpdateError';
  }
}

/**
 * Tag of the day: subscriptions, rotation and the scheduler.
 *
 * Every change to a subscription is a compare-and-set on its version (`update`): a writer that read
 * an older version re-reads and re-applies its change, so nothing written by someone else (an
 * unsubscribe during a slow tick, another process's post) is ever undone.
 *
 * Exactly once per channel per local day, and never a day at or before the last one posted: the
 * scheduler wins the day by writing an "in flight" marker with compare-and-set (one writer wins,
 * and the marker does not lapse). The Poster is then called; on success the date is recorded and the
 * tag leaves the cycle's remaining topics. On a transient failure the marker is cleared and the day
 * retried with backoff; on a permanent one the subscription is paused and the subscriber told. If the
 * process dies after writing the marker, the post may have gone out, so that day is never posted
 * again (at most once beats twice); on a later day the marker is settled as posted.
 */
export class TagOfTheDay {
  readonly owner: string;
  private readonly timers: Timers;
  private poster: Poster | undefined;
  private timer: unknown;
  private running: Promise<unknown> | undefined;
  private stopped = true;
  private legacyMoved: Promise<void> | undefined;
  /** Channels whose bad zone was logged already (log once, not every tick). */
  private readonly badZoneLogged = new Set<string>();

  constructor(private readonly deps: TagOfTheDayDeps) {
    this.owner = deps.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.timers = deps.timers ?? realTimers;
  }

  private get subs() {
    return this.deps.store.versioned<Subscription>(SUBS_NAMESPACE);
  }

  /**
   * Subscriptions written before versioning lived in a plain Keyv namespace: move each into the
   * versioned records once (create never overwrites a newer record), then drop the old key.
   */
  private moveLegacy(): Promise<void> {
    this.legacyMoved ??= (async () => {
      const old = this.deps.store.namespace(SUBS_NAMESPACE);
      if (!old.iterator) return;
      const keys: string[] = [];
      for await (const [key, value] of old.iterator(undefined)) {
        if (value && typeof value === 'object' && 'channelId' in value) {
          await this.subs.create(channelKey(value as Subscription), value as Subscription);
          keys.push(key as string);
        }
      }
      for (const key of keys) await old.delete(key);
    })().catch((e: unknown) => {
      this.legacyMoved = undefined; // try again next time
      throw e;
    });
    return this.legacyMoved;
  }

  async get(ref: ChannelRef): Promise<Subscription | undefined> {
    await this.moveLegacy();
    return (await this.subs.get(channelKey(ref)))?.value;
  }

  /**
   * Compare-and-set: apply `change` to the latest stored subscription (undefined when none) and write
   * the result only if nobody wrote in between; otherwise re-read and apply again. `change` returns
   * undefined to write nothing. Returns what is stored afterwards.
   */
  async update(
    ref: ChannelRef,
    change: (current: Subscription | undefined) => Subscription | undefined,
  ): Promise<{ sub: Subscription | undefined; written: boolean }> {
    await this.moveLegacy();
    const key = channelKey(ref);
    for (let i = 0; i < CAS_ATTEMPTS; i++) {
      const cur = await this.subs.get(key);
      const next = change(cur ? structuredClone(cur.value) : undefined);
      if (!next) return { sub: cur?.value, written: false };
      const ok = cur ? await this.subs.replace(key, next, cur.version) : await this.subs.create(key, next);
      if (ok) return { sub: next, written: true };
    }
    throw new ConcurrentUpdateError(key);
  }

  /** Every stored subscription (active or not), by channel key: the same order on every backend. */
  async list(): Promise<Subscription[]> {
    await this.moveLegacy();
    const records = await this.subs.list();
    records.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return records.map((r) => r.value);
  }

  eligibleTags(): string[] {
    return eligibleTags(this.deps.catalog);
  }

  /**
   * Subscribe (or change the time/zone of) a channel. The rotation, the last posted date and an
   * in-flight marker are kept; a pause is lifted (subscribing again is how a person resumes).
   */
  async subscribe(ref: ChannelRef, time: string, zone: string, by: string): Promise<Subscription> {
    const now = this.deps.clock.now();
    const { sub } = await this.update(ref, (prev) => {
      const next: Subscription = {
        platform: ref.platform,
        workspaceId: ref.workspaceId,
        channelId: ref.channelId,
        time,
        zone,
        active: true,
        rotation: prev?.rotation ?? { seed: seedFor(channelKey(ref)), cycle: 0, position: 0 },
        activeFrom: now,
        subscribedBy: by,
        updatedBy: by,
        updatedAt: now,
      };
      if (prev?.lastPostedDate) next.lastPostedDate = prev.lastPostedDate;
      if (prev?.lastTag) next.lastTag = prev.lastTag;
      if (prev?.inflight) next.inflight = prev.inflight;
      return next;
    });
    this.badZoneLogged.delete(channelKey(ref));
    return sub!;
  }

  /** Returns false when the channel was not subscribed. */
  async unsubscribe(ref: ChannelRef, by: string): Promise<boolean> {
    const now = this.deps.clock.now();
    const { written } = await this.update(ref, (prev) =>
      prev?.active ? { ...prev, active: false, updatedBy: by, updatedAt: now } : undefined,
    );
    return written;
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
    const tags = this.eligibleTags();
    let skipped: string | undefined;
    const { sub, written } = await this.update(ref, (cur) => {
      if (!cur?.active) return undefined;
      skipped = currentTag(tags, cur.rotation);
      return {
        ...cur,
        rotation: advance(tags, cur.rotation),
        updatedBy: by,
        updatedAt: this.deps.clock.now(),
      };
    });
    if (!written || !sub) return undefined;
    const next = currentTag(tags, sub.rotation);
    return { ...(skipped ? { skipped } : {}), ...(next ? { next } : {}) };
  }

  buildPost(tag: string): Reply {
    return buildPost(tag, this.deps.catalog, this.deps.search);
  }

  /** Whether `date` may still be posted: strictly after the last posted date and any in-flight one. */
  private postable(sub: Subscription, date: string): boolean {
    if (sub.lastPostedDate !== undefined && sub.lastPostedDate >= date) return false;
    if (sub.inflight !== undefined && sub.inflight.date >= date) return false;
    return true;
  }

  /**
   * When the channel's next post goes out: today's firing if it is still ahead, `now` if today's is
   * due but has not gone out yet (catch-up, or the end of a retry backoff), else the next day's
   * firing. Throws a RangeError when the stored zone is not valid (check `zoneProblem` first).
   */
  nextPostAt(sub: Subscription, now: number): number {
    const today = localDate(now, sub.zone);
    const due = firingOn(today, sub.time, sub.zone);
    if (this.postable(sub, today) && due >= sub.activeFrom) {
      const retryAt = sub.retry?.date === today ? sub.retry.notBefore : 0;
      return Math.max(due, now, retryAt);
    }
    let next = nextFiring(sub.time, sub.zone, now);
    while (!this.postable(sub, localDate(next, sub.zone))) next = nextFiring(sub.time, sub.zone, next);
    return next;
  }

  /**
   * One pass of the scheduler at instant `now`: post every due channel that has not had today's
   * post. Safe to call from any number of processes at once.
   */
  async tick(poster: Poster, now = this.deps.clock.now()): Promise<TickResult> {
    const result: TickResult = { posted: [], failed: [], skipped: [] };
    let subs: Subscription[];
    try {
      subs = await this.list();
    } catch (e) {
      this.deps.logger.warn({ err: String(e) }, 'tag of the day: cannot list subscriptions');
      return result;
    }
    for (const s of subs) {
      if (!s.active || s.paused || (poster.platforms && !poster.platforms.includes(s.platform))) continue;
      let outcome: Outcome;
      try {
        outcome = await this.postIfDue(s, now, poster);
      } catch (e) {
        this.deps.logger.error({ channel: channelKey(s), err: String(e) }, 'tag of the day: tick failed');
        outcome = 'failed';
      }
      if (outcome === 'posted') result.posted.push(channelKey(s));
      if (outcome === 'failed') result.failed.push(channelKey(s));
      if (outcome === 'skipped') result.skipped.push(channelKey(s));
    }
    return result;
  }

  /** A channel whose zone is not valid any more is skipped; logged once per process, not every tick. */
  private badZone(sub: Subscription): boolean {
    const problem = zoneProblem(sub.zone);
    const key = channelKey(sub);
    if (!problem) return false;
    if (!this.badZoneLogged.has(key)) {
      this.badZoneLogged.add(key);
      this.deps.logger.warn(
        { channel: key, zone: sub.zone },
        'tag of the day: the stored time zone is not valid any more; skipping the channel until someone subscribes again with a valid zone',
      );
    }
    return true;
  }

  private async postIfDue(listed: Subscription, now: number, poster: Poster): Promise<Outcome> {
    if (this.badZone(listed)) return 'skipped';
    let sub = listed;
    const today = localDate(now, sub.zone);
    if (sub.inflight && sub.inflight.date < today) sub = (await this.settleInDoubt(sub)) ?? sub;
    if (!this.postable(sub, today)) return sub.inflight?.date === today ? 'held' : 'idle';
    const due = firingOn(today, sub.time, sub.zone);
    // Not yet; or the firing was before the channel subscribed; days missed entirely are never posted.
    if (now < due || due < sub.activeFrom) return 'idle';
    if (sub.retry?.date === today && now < sub.retry.notBefore) return 'idle';

    // Win the day: the in-flight marker, written by compare-and-set on the latest version.
    const tags = this.eligibleTags();
    let tag: string | undefined;
    const won = await this.update(sub, (cur) => {
      if (!cur?.active || cur.paused || !this.postable(cur, today)) return undefined;
      if (cur.retry?.date === today && now < cur.retry.notBefore) return undefined;
      tag = currentTag(tags, cur.rotation);
      if (!tag) return undefined;
      return {
        ...cur,
        inflight: { date: today, owner: this.owner, tag, rotation: cur.rotation, since: now },
      };
    });
    if (!won.written || !won.sub || !tag) return won.sub?.inflight?.date === today ? 'held' : 'idle';

    try {
      await poster.post(won.sub, this.buildPost(tag));
    } catch (e) {
      await this.recordFailure(won.sub, today, tag, asPostFailure(e), now, poster);
      return 'failed';
    }
    await this.update(sub, (cur) => {
      if (!cur) return undefined;
      const next: Subscription = { ...cur, rotation: markPosted(tags, cur.rotation, tag!), lastTag: tag! };
      if (cur.inflight?.owner === this.owner && cur.inflight.date === today) delete next.inflight;
      if (!next.lastPostedDate || next.lastPostedDate < today) next.lastPostedDate = today;
      delete next.retry;
      return next;
    });
    this.deps.logger.info({ channel: channelKey(sub), date: today, tag }, 'tag of the day posted');
    return 'posted';
  }

  /**
   * Nothing went out. Transient: clear the marker and retry later with backoff. Permanent: pause the
   * subscription (log once, tell the subscriber); subscribing again resumes it.
   */
  private async recordFailure(
    sub: Subscription,
    today: string,
    tag: string,
    failure: PostFailure,
    now: number,
    poster: Poster,
  ): Promise<void> {
    const key = channelKey(sub);
    let attempts = 0;
    const { written } = await this.update(sub, (cur) => {
      if (!cur) return undefined;
      const next: Subscription = { ...cur };
      if (cur.inflight?.owner === this.owner && cur.inflight.date === today) delete next.inflight;
      if (failure.kind === 'permanent') {
        if (cur.paused) return next;
        next.paused = { code: failure.code, reason: failure.reason, since: now };
        delete next.retry;
        return next;
      }
      attempts = (cur.retry?.date === today ? cur.retry.attempts : 0) + 1;
      next.retry = { date: today, attempts, notBefore: now + backoffMs(attempts, failure.retryAfterMs) };
      return next;
    });
    if (failure.kind === 'transient') {
      this.deps.logger.warn(
        { channel: key, date: today, tag, code: failure.code, attempts },
        'tag of the day: post failed, will retry with backoff',
      );
      return;
    }
    if (!written) return;
    this.deps.logger.warn(
      { channel: key, date: today, code: failure.code },
      'tag of the day: the bot cannot post in this channel; subscription paused',
    );
    const who = sub.subscribedBy ?? sub.updatedBy;
    if (!poster.notify || !who) return;
    const text =
      `I stopped posting the tag of the day in <#${sub.channelId}>: ${failure.reason} ` +
      'Once that is fixed, run `/tagoftheday subscribe` there again to resume.';
    await poster.notify(sub, who, text).catch((e: unknown) => {
      this.deps.logger.warn(
        { channel: key, err: String(e) },
        'tag of the day: could not tell the subscriber',
      );
    });
  }

  /**
   * A marker from an earlier day means its process died mid-post: the post may have gone out. Treat
   * it as posted (the tag leaves the cycle) and clear it, on the latest version: never writing back
   * the subscription as it was read at the start of the tick. Idempotent across processes.
   */
  private async settleInDoubt(sub: Subscription): Promise<Subscription | undefined> {
    const tags = this.eligibleTags();
    let settled: InFlight | undefined;
    const { sub: after } = await this.update(sub, (cur) => {
      const f = cur?.inflight;
      if (!cur || !f || f.date >= localDate(this.deps.clock.now(), cur.zone)) return undefined;
      settled = f;
      const next: Subscription = { ...cur, rotation: markPosted(tags, cur.rotation, f.tag), lastTag: f.tag };
      delete next.inflight;
      if (!next.lastPostedDate || next.lastPostedDate < f.date) next.lastPostedDate = f.date;
      return next;
    });
    if (settled)
      this.deps.logger.warn(
        { channel: channelKey(sub), date: settled.date, tag: settled.tag, owner: settled.owner },
        'tag of the day: a post was interrupted; treating it as sent (never posting twice)',
      );
    return after;
  }

  /** Instant of the next tick: the earliest future firing of any active subscription, at most MAX_SLEEP_MS away. */
  async nextWake(now: number, poster: Poster): Promise<number> {
    let wake = now + MAX_SLEEP_MS;
    let subs: Subscription[] = [];
    try {
      subs = await this.list();
    } catch {
      // Store trouble: try again after the cap.
    }
    for (const s of subs) {
      if (!s.active || s.paused || (poster.platforms && !poster.platforms.includes(s.platform))) continue;
      if (zoneProblem(s.zone)) continue; // never let one bad channel delay the others
      const retry = s.retry && s.retry.notBefore > now ? s.retry.notBefore : Infinity;
      wake = Math.min(wake, nextFiring(s.time, s.zone, now), retry);
    }
    return wake;
  }

  /** Run the real-time loop with this adapter's Poster until stop(). */
  start(poster: Poster): void {
    if (!this.stopped) this.cancelTimer();
    this.poster = poster;
    this.stopped = false;
    this.timer = this.timers.setTimeout(() => void this.loopOnce(), 0);
  }

  get started(): boolean {
    return !this.stopped;
  }

  /** Re-arm for `delay` ms, never sooner than MIN_SLEEP_MS nor later than MAX_SLEEP_MS. */
  private arm(delay: number): void {
    const ms = Math.min(MAX_SLEEP_MS + 5, Math.max(MIN_SLEEP_MS, delay));
    this.timer = this.timers.setTimeout(() => void this.loopOnce(), ms);
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
