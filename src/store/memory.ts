import Keyv from 'keyv';
import type { Store } from './types.ts';

/** In-process store for tests and `memory://`: nothing survives the process. */
export function createMemoryStore(): Store {
  const maps = new Map<string, Keyv>();
  const claims = new Map<string, { owner: string; expires: number }>();
  return {
    kind: 'memory',
    namespace(name) {
      let kv = maps.get(name);
      if (!kv) {
        kv = new Keyv({ namespace: name });
        maps.set(name, kv);
      }
      return kv;
    },
    async claim(key, owner, ttlMs) {
      const now = Date.now();
      const held = claims.get(key);
      if (held && held.expires > now) return false;
      claims.set(key, { owner, expires: ttlMs ? now + ttlMs : Number.POSITIVE_INFINITY });
      return true;
    },
    async release(key, owner) {
      if (claims.get(key)?.owner === owner) claims.delete(key);
    },
    async ping() {},
    async close() {
      claims.clear();
      maps.clear();
    },
  };
}
