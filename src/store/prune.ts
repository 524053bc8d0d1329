import type { Logger } from '../logger.ts';
import type { Store } from './types.ts';

/** How often expired state is deleted in the background. */
export const PRUNE_EVERY_MS = 10 * 60_000;

export interface PruneTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const unrefTimers: PruneTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/**
 * Delete expired rows (paging state, claims, de-dup keys, rate-limit buckets) every `everyMs` until
 * the returned stop() is called. The timer is unref'd: it never keeps the process alive. Which rows are
 * expired is decided by the store's own clock, so tests drive it with theirs.
 */
export function startPruning(
  store: Store,
  logger: Logger,
  opts: { everyMs?: number; timers?: PruneTimers } = {},
): { stop(): Promise<void>; runOnce(): Promise<number> } {
  const timers = opts.timers ?? unrefTimers;
  const everyMs = opts.everyMs ?? PRUNE_EVERY_MS;
  let handle: unknown;
  let running: Promise<number> | undefined;
  let stopped = false;
  const runOnce = async (): Promise<number> => {
    try {
      const removed = await store.prune();
      if (removed > 0) logger.debug({ removed }, 'expired state pruned');
      return removed;
    } catch (e) {
      logger.warn({ err: String(e) }, 'pruning expired state failed; will try again');
      return 0;
    }
  };
  const arm = () => {
    handle = timers.setTimeout(() => {
      running = runOnce();
      void running.finally(() => {
        running = undefined;
        if (!stopped) arm();
      });
    }, everyMs);
  };
  arm();
  return {
    runOnce,
    async stop() {
      stopped = true;
      timers.clearTimeout(handle);
      await running;
    },
  };
}
