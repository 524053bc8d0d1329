import type { Catalog } from '../catalog/load.ts';
import { LOCAL_USER, type Platform } from '../caller.ts';
import { displayTitle } from '../catalog/schema.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../store/types.ts';
export { mergeSaves } from './service.ts';
import {
  catalogReadingFor,
  linkKey,
  mergeSaves,
  ownerKey,
  readingKey,
  readingUrl,
  type SavedItem,
} from './service.ts';
import { normalizeUrl } from './urls.ts';

/** Collections of saves schema v1: `saves/<platform>/<workspace>/<user>`, one list per server. */
const V1_PREFIX = 'saves/';
/** Held while one process migrates, so two never merge into the same item at once. */
const CLAIM = 'migrate:saves-v2';
const CLAIM_TTL_MS = 10 * 60_000;

export interface MigrationReport {
  /** v1 lists visited. */
  lists: number;
  /** Saves written to a v2 list as new items. */
  moved: number;
  /** Saves that were already in the v2 list (another server's copy, http vs https): merged into it. */
  merged: number;
}

/** The v2 owner of a v1 list; console and CLI defaults (`console`, `cli`) become the one local user. */
function v2Owner(v1Name: string): string | undefined {
  const [, platform, workspaceId, ...user] = v1Name.split('/');
  const userId = user.join('/');
  if (!platform || !workspaceId || !userId) return undefined;
  const local = platform === 'console' || platform === 'cli';
  return ownerKey({
    platform: platform as Platform,
    workspaceId,
    userId: local && userId === platform ? LOCAL_USER : userId,
  });
}

/** The v2 key and item of a v1 save; unchanged when its address cannot be read (never dropped). */
function v2Item(catalog: Catalog, oldKey: string, item: SavedItem): { key: string; item: SavedItem } {
  const byId = item.readingId ? catalog.byId.get(item.readingId) : undefined;
  const n = item.url ? normalizeUrl(item.url) : undefined;
  const reading = byId ?? (n?.ok ? catalogReadingFor(catalog, n.url) : undefined);
  if (reading) {
    const titled = item.title === item.url || !item.title ? displayTitle(reading) : item.title;
    return {
      key: readingKey(reading.id),
      item: { ...item, url: readingUrl(reading), title: titled, readingId: reading.id },
    };
  }
  if (n?.ok) return { key: linkKey(n.url), item: { ...item, url: n.url } };
  return { key: oldKey, item };
}

/**
 * Move every v1 save into its owner's v2 list (one list per person, v2 item keys), merging copies.
 * Each save is written to its v2 list before its v1 copy is removed, so a crash at any point loses
 * nothing and the next start finishes the job; a list over the save cap after merging keeps
 * everything (the cap applies to new saves). Runs at start-up; cheap when nothing is left.
 */
export async function migrateSaves(
  store: Store,
  catalog: Catalog,
  logger?: Logger,
): Promise<MigrationReport> {
  const report: MigrationReport = { lists: 0, moved: 0, merged: 0 };
  const names = await store.collectionNames(V1_PREFIX);
  if (names.length === 0) return report;
  const owner = `${process.pid}-${Date.now()}`;
  if (!(await store.claim(CLAIM, owner, CLAIM_TTL_MS))) {
    logger?.info({ lists: names.length }, 'saves migration running in another process');
    return report;
  }
  try {
    for (const name of names) {
      const target = v2Owner(name);
      if (!target) continue;
      report.lists++;
      const from = store.collection<SavedItem>(name);
      const to = store.collection<SavedItem>(target);
      for (const { id, value } of await from.list()) {
        const { key, item } = v2Item(catalog, id, value);
        const r = await to.add(key, item, Number.MAX_SAFE_INTEGER);
        if (r === 'added') report.moved++;
        else {
          const there = await to.get(key);
          if (there) await to.update(key, mergeSaves(there, item));
          report.merged++;
        }
        await from.remove(id);
      }
    }
    logger?.info(report, 'saves migrated to one list per person');
    return report;
  } finally {
    await store.release(CLAIM, owner);
  }
}
