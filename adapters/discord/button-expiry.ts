import type { Logger } from '../../src/logger.ts';
import { errorInfo } from './errors.ts';
import { disableAll, type ButtonRow } from './render.ts';

/**
 * Disables a message's buttons after a timeout (interaction tokens live 15 minutes), unless something
 * rescheduled it; keyed by `interaction:<id>` or `message:<id>`.
 */
export class ButtonExpiry {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly timeoutMs: number,
    private readonly log: Logger,
  ) {}

  schedule(key: string, components: ButtonRow[], disable: (rows: ButtonRow[]) => Promise<unknown>): void {
    if (!components.length || this.stopped) return;
    clearTimeout(this.timers.get(key));
    const timer = setTimeout(() => {
      this.timers.delete(key);
      disable(disableAll(components)).then(
        () => this.log.debug({ key }, 'buttons expired'),
        (e: unknown) => this.log.info({ key, ...errorInfo(e) }, 'could not disable expired buttons'),
      );
    }, this.timeoutMs);
    timer.unref();
    this.timers.set(key, timer);
  }

  cancel(...keys: (string | undefined)[]): void {
    for (const k of keys) {
      if (!k) continue;
      clearTimeout(this.timers.get(k));
      this.timers.delete(k);
    }
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
