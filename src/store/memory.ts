import Keyv from 'keyv';
import {
  encodeName,
  type AddOutcome,
  type Collection,
  type StoreOptions,
  type Store,
  type VersionedMap,
} from './types.ts';

interface Entry {
  value: unknown;
  /** Epoch ms after which the entry is gone; undefined = no lifetime. */
  expires: number | undefined;
}

/**
 * Keyv storage adapter over a Map whose entries carry their own expiry (from the store's clock), so
 * a TTL set through Keyv ends on the same clock the rest of the store uses and `prune` can drop it.
 */
class MemoryNamespace {
  // Keyv lists only adapters of a known dialect; this one iterates its own Map the same way.
  readonly opts = { dialect: 'sqlite', url: 'memory://' };
  readonly ttlSupport = true;
  namespace: string | undefined;
  constructor(
    readonly entries: Map<string, Entry>,
    private readonly now: () => number,
    ns: string,
  ) {
    this.namespace = ns;
  }
  on(): this {
    return this;
  }
  private live(key: string): Entry | undefined {
    const e = this.entries.get(key);
    if (e && e.expires !== undefined && e.expires <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }
  async get(key: string): Promise<unknown> {
    return this.live(key)?.value;
  }
  async getMany(keys: string[]): Promise<unknown[]> {
    return keys.map((k) => this.live(k)?.value);
  }
  async set(key: string, value: unknown, ttl?: number): Promise<boolean> {
    this.entries.set(key, {
      value,
      expires: typeof ttl === 'number' && ttl > 0 ? this.now() + ttl : undefined,
    });
    return true;
  }
  async delete(key: string): Promise<boolean> {
    return this.entries.delete(key);
  }
  async deleteMany(keys: string[]): Promise<boolean> {
    let any = false;
    for (const k of keys) any = this.entries.delete(k) || any;
    return any;
  }
  async has(key: string): Promise<boolean> {
    return this.live(key) !== undefined;
  }
  async clear(): Promise<void> {
    this.entries.clear();
  }
  async *iterator(): AsyncGenerator<[string, unknown]> {
    for (const key of [...this.entries.keys()]) {
      const e = this.live(key);
      if (e) yield [key, e.value];
    }
  }
}

/** In-process store for tests and `memory://`: nothing survives the process. */
export function createMemoryStore(opts: StoreOptions = {}): Store {
  const now = () => (opts.clock ?? Date).now();
  const maps = new Map<string, Keyv>();
  const spaces: MemoryNamespace[] = [];
  const claims = new Map<string, { owner: string; expires: number }>();
  const collections = new Map<string, Map<string, string>>();
  const versioned = new Map<string, Map<string, string>>();
  const buckets = new Map<string, { tokens: number; ts: number; expires: number }>();
  const pruneEntries = () => {
    const t = now();
    let n = 0;
    for (const space of spaces)
      for (const [k, e] of space.entries)
        if (e.expires !== undefined && e.expires <= t && space.entries.delete(k)) n++;
    for (const [k, c] of claims) if (c.expires <= t && claims.delete(k)) n++;
    for (const [k, b] of buckets) if (b.expires <= t && buckets.delete(k)) n++;
    return n;
  };
  return {
    kind: 'memory',
    namespace(name) {
      let kv = maps.get(name);
      if (!kv) {
        const ns = encodeName(name);
        const space = new MemoryNamespace(new Map(), now, ns);
        spaces.push(space);
        kv = new Keyv({ store: space, namespace: ns });
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
    versioned<T>(name: string): VersionedMap<T> {
      let records = versioned.get(name);
      if (!records) {
        records = new Map();
        versioned.set(name, records);
      }
      const m = records;
      const read = (raw: string) => JSON.parse(raw) as { v: number; value: T };
      return {
        async get(id) {
          const raw = m.get(id);
          if (raw === undefined) return undefined;
          const r = read(raw);
          return { value: r.value, version: r.v };
        },
        async list() {
          return [...m].map(([id, raw]) => {
            const r = read(raw);
            return { id, value: r.value, version: r.v };
          });
        },
        async create(id, value) {
          if (m.has(id)) return false;
          m.set(id, JSON.stringify({ v: 1, value }));
          return true;
        },
        async replace(id, value, expected) {
          const raw = m.get(id);
          if (raw === undefined || read(raw).v !== expected) return false;
          m.set(id, JSON.stringify({ v: expected + 1, value }));
          return true;
        },
      };
    },
    async collectionNames(prefix) {
      return [...collections].filter(([n, m]) => n.startsWith(prefix) && m.size > 0).map(([n]) => n);
    },
    async claim(key, owner, ttlMs) {
      const t = now();
      const held = claims.get(key);
      if (held && held.expires > t) return false;
      claims.set(key, { owner, expires: ttlMs ? t + ttlMs : Number.POSITIVE_INFINITY });
      return true;
    },
    async release(key, owner) {
      if (claims.get(key)?.owner === owner) claims.delete(key);
    },
    async takeToken(key, capacity, windowMs, at) {
      const rate = capacity / windowMs;
      const b = buckets.get(key) ?? { tokens: capacity, ts: at, expires: 0 };
      const tokens = Math.min(capacity, b.tokens + Math.max(0, at - b.ts) * rate);
      const ok = tokens >= 1;
      // A bucket untouched for two windows is full again: the same as no bucket, so it can go.
      buckets.set(key, { tokens: ok ? tokens - 1 : tokens, ts: at, expires: at + 2 * windowMs });
      return { ok, retryAfterMs: ok ? 0 : Math.ceil((1 - tokens) / rate) };
    },
    async prune() {
      return pruneEntries();
    },
    async stateSizes() {
      const t = now();
      const keyv = spaces.flatMap((s) => [...s.entries.values()]);
      return [
        {
          table: 'keyv',
          rows: keyv.length,
          live: keyv.filter((e) => e.expires === undefined || e.expires > t).length,
        },
        {
          table: 'claims',
          rows: claims.size,
          live: [...claims.values()].filter((c) => c.expires > t).length,
        },
        {
          table: 'buckets',
          rows: buckets.size,
          live: [...buckets.values()].filter((b) => b.expires > t).length,
        },
      ];
    },
    async ping() {},
    async close() {
      claims.clear();
      maps.clear();
      collections.clear();
      versioned.clear();
      buckets.clear();
    },
  };
}
