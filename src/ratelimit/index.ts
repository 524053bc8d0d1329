import type { Caller } from '../caller.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { errorReply, type Reply } from '../reply.ts';
import type { Clock } from '../clock.ts';
import type { Store } from '../store/types.ts';

export type Bucket = 'commands' | 'saves';

/**
 * Per-user token buckets kept in the store, so every process sharing a Redis store shares the limit.
 * Each bucket holds `limit` tokens and refills `limit` per window. One store round trip per bucket.
 */
export class RateLimiter {
  constructor(
    private readonly store: Store,
    private readonly limits: Config['rateLimit'],
    private readonly clock: Clock,
    private readonly logger?: Logger,
  ) {}

  /** Take one token from each bucket; returns seconds to wait when any is empty. */
  async take(caller: Caller, buckets: readonly Bucket[]): Promise<number | undefined> {
    const who = `${caller.platform}/${caller.workspaceId}/${caller.userId}`;
    const windowMs = this.limits.windowSeconds * 1000;
    let wait = 0;
    for (const b of buckets) {
      try {
        const r = await this.store.takeToken(`${b}/${who}`, this.limits[b], windowMs, this.clock.now());
        if (!r.ok) wait = Math.max(wait, r.retryAfterMs);
      } catch (e) {
        // A limiter outage must not take the bot down with it: allow, and say so in the log.
        this.logger?.warn({ err: String(e) }, 'rate limiter unavailable; allowing');
      }
    }
    return wait > 0 ? Math.max(1, Math.ceil(wait / 1000)) : undefined;
  }

  /** The "slow down" reply for a command, or undefined when the caller may go ahead. */
  async check(caller: Caller, command: string): Promise<Reply | undefined> {
    const buckets: Bucket[] = command === 'save' ? ['commands', 'saves'] : ['commands'];
    const wait = await this.take(caller, buckets);
    return wait === undefined ? undefined : errorReply(`Slow down: try again in ${wait} s.`);
  }
}
