import { isAbsolute } from 'node:path';
import type { Logger } from '../logger.ts';
import { createMemoryStore } from './memory.ts';
import { openSqliteStore } from './sqlite.ts';
import type { Store, StoreOptions } from './types.ts';

const EXPECTED = 'expected sqlite:///path/to/file.sqlite or redis://host:6379 (or memory:// for tests)';

/** The absolute file path of a sqlite:///abs/path URL, or an Error saying what is wrong. */
export function sqlitePath(url: string): string | Error {
  const rest = url.slice('sqlite://'.length);
  const path = decodeURIComponent(rest.split('?')[0] ?? '');
  if (!path || !isAbsolute(path))
    return new Error(
      `QR_STORE_URL: "${url.slice(0, 80)}" has no absolute file path; ${EXPECTED} (three slashes).`,
    );
  return path;
}

/**
 * Open the store named by a URL: sqlite:///abs/path.sqlite, redis://host:port, rediss://…, memory://.
 * Throws an Error whose message says exactly what is wrong and what to do.
 */
export async function openStore(url: string, logger?: Logger, opts: StoreOptions = {}): Promise<Store> {
  const scheme = /^([a-z]+):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'memory') return createMemoryStore(opts);
  if (scheme === 'sqlite') {
    const path = sqlitePath(url);
    if (path instanceof Error) throw path;
    return openSqliteStore(path, opts);
  }
  if (scheme === 'redis' || scheme === 'rediss') {
    try {
      const u = new URL(url);
      if (!u.hostname) throw new Error('no host');
    } catch {
      throw new Error(
        `QR_STORE_URL: "${url.replace(/\/\/[^@/]*@/, '//***@').slice(0, 80)}" is not a valid Redis URL; ${EXPECTED}.`,
      );
    }
    // Loaded only for Redis: @redis/client subclasses String, and once any class extends String, V8
    // (Node 20) runs String.prototype methods on every string in the process several times slower
    // (charCodeAt 6x). SQLite and memory deployments should not pay that for a client they never use.
    const { openRedisStore } = await import('./redis.ts');
    return openRedisStore(url, logger);
  }
  const shown = url.replace(/\/\/[^@/]*@/, '//***@').slice(0, 80);
  throw new Error(`QR_STORE_URL: "${shown}" is not a store URL I know; ${EXPECTED}.`);
}
