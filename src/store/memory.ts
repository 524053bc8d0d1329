import Keyv from 'keyv';
import { encodeName, type AddOutcome, type Collection, type Store } from './types.ts';

/** In-process store for tests and `memory://`: nothing survives the process. */
export function createMemoryStore(): Store {
  const maps = new Map<string, Keyv>();
  const claims = new Map<string, { owner: string; expires: number }>();
  const collections = new Map<string, Map<string, string>>();
  const buckets = new Map<string, { tokens: number; ts: number }>();
  return {
    kind: 'memory',
    namespace(name) {
      let kv = maps.get(name);
      if (!kv) {
        kv = new Keyv({ namespace: encodeName(name) });
        maps.set(name, kv);
      }
      return kv;
    },
    collection<T>(name: string): Collection<T> {
      let items = collections.get(name);
      if (!items) {
        items = new Map();
        collections.set(name, items);
      }
      const m = items;
      // Values are copied through JSON like the persistent backends do, so callers never share objects.
      return {
        async add(id, value, cap): Promise<AddOutcome> {
          if (m.has(id)) return 'exists';
          if (m.size >= cap) return 'full';
          m.set(id, JSON.stringify(value));
          return 'added';
        },
        async get(id) {
          const v = m.get(id);
          return v === undefined ? undefined : (JSON.parse(v) as T);
        },
        async update(id, value) {
          if (!m.has(id)) return false;
          m.set(id, JSON.stringify(value));
          return true;
        },
        async remove(id) {
          return m.delete(id);
        },
        async count() {
          return m.size;
        },
        async list() {
          return [...m].map(([id, v]) => ({ id, value: JSON.parse(v) as T }));
        },
      };
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
    async takeToken(key, capacity, windowMs, now) {
      const rate = capacity / windowMs;
      const b = buckets.get(key) ?? { tokens: capacity, ts: now };
      const tokens = Math.min(capacity, b.tokens + Math.max(0, now - b.ts) * rate);
      const ok = tokens >= 1;
      buckets.set(key, { tokens: ok ? tokens - 1 : tokens, ts: now });
      return { ok, retryAfterMs: ok ? 0 : Math.ceil((1 - tokens) / rate) };
    },
    async ping() {},
    async close() {
      claims.clear();
      maps.clear();
      collections.clear();
      buckets.clear();
    },
  };
}
