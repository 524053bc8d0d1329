import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.ts';
import type { Store } from '../store/types.ts';

/** How long a delivery is remembered: Slack retries a failed event delivery 3 times within about an hour. */
export const DEFAULT_IDEMPOTENCY_TTL_MS = 60 * 60 * 1000;

/**
 * At-most-once handling of deliveries that a platform may repeat (Slack's Events API retries an event,
 * with the same `event_id`, when it saw no 200 within 3 seconds: see Slack's "Events API" docs,
 * "Error handling"). Each idempotency key is claimed in the shared store for a TTL, so the first
 * delivery wins across every replica of the bot.
 */
export class IdempotencyKeys {
  /** Which process holds a claim; only for the store's compare-and-set. */
  private readonly owner = randomUUID();

  constructor(
    private readonly store: Pick<Store, 'claim'>,
    private readonly logger: Logger,
    private readonly ttlMs = DEFAULT_IDEMPOTENCY_TTL_MS,
  ) {}

  /**
   * True for the first delivery of `key` within the TTL, false for a repeat. When the store is down
   * the delivery is handled (true): a rare duplicate answer beats dropping a user's request.
   */
  async first(key: string): Promise<boolean> {
    try {
      return await this.store.claim(`idempotency:${key}`, this.owner, this.ttlMs);
    } catch (e) {
      this.logger.warn(
        { err: String((e as Error)?.message ?? e) },
        'idempotency check unavailable; handling the delivery',
      );
      return true;
    }
  }
}
