import type { Core } from '../../src/core.ts';
import { TagOfTheDay } from '../../src/tagoftheday/service.ts';

/**
 * Another process's tag-of-the-day scheduler on the same store, catalog and search as `core`, with
 * its own owner id (the lease holder's name) and clock, and the default 09:00 UTC.
 */
export function siblingScheduler(core: Core, clock: { now(): number }, owner: string): TagOfTheDay {
  const s = core.services;
  return new TagOfTheDay({
    store: s.store,
    catalog: s.catalog,
    search: s.search,
    clock,
    logger: s.logger,
    defaults: { time: '09:00', zone: 'UTC' },
    owner,
  });
}
