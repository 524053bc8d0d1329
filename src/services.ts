import type { Catalog } from './catalog/load.ts';
import type { Command } from './commands/types.ts';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import type { ReadingSearch } from './search/reading-search.ts';
import type { CursorStore } from './cursors.ts';
import type { Store } from './store/types.ts';
import type { SavesService } from './saves/service.ts';
import type { RateLimiter } from './ratelimit/index.ts';
import type { TagOfTheDay } from './tagoftheday/service.ts';
import type { Clock } from './clock.ts';

export { systemClock, type Clock } from './clock.ts';

/** Everything a command may use. Built once by createCore; adapters never reach past it. */
export interface Services {
  config: Config;
  logger: Logger;
  clock: Clock;
  catalog: Catalog;
  search: ReadingSearch;
  store: Store;
  cursors: CursorStore;
  /** Tag-of-the-day subscriptions and scheduler; adapters call start(poster) / stop(). */
  tagOfTheDay: TagOfTheDay;
  /** Per-user saved links (/save, /saved, …). */
  saves: SavesService;
  /** Per-user command/save rate limits, shared through the store. */
  limiter: RateLimiter;
  /** The registered commands, for /help and the deploy scripts. */
  commands: readonly Command[];
}
