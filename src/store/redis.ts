import KeyvRedis, { createClient } from '@keyv/redis';
import Keyv from 'keyv';
import type { Logger } from '../logger.ts';
import { guard, guardAdapter } from './guard.ts';
import {
  decodeName,
  encodeName,
  type AddOutcome,
  type Collection,
  type Store,
  type VersionedMap,
} from './types.ts';

/** Every operation answers or fails within this bound while Redis is down (no offline queue). */
const OP_TIMEOUT_MS = 2000;
const CONNECT_TIMEOUT_MS = 3000;

const ADD = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then return -1 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1`;
const UPDATE = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1`;
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;
const TAKE = `
local cap = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local b = redis.call('HMGET', KEYS[1], 't', 'ts')
local t = tonumber(b[1]) or cap
local ts = tonumber(b[2]) or now
t = math.min(cap, t + math.max(0, now - ts) * rate)
local ok = 0
if t >= 1 then t = t - 1; ok = 1 end
redis.call('HSET', KEYS[1], 't', tostring(t), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return {ok, tostring(t)}`;

// Versioned records: one hash field per id holding {"v":version,"value":…}; compare-and-set in Lua, so
// the version check and the write are one atomic step on the server.
const REPLACE = `
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if not cur then return 0 end
if tonumber(cjson.decode(cur)['v']) ~= tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1`;

/** host:port of a Redis URL, without credentials, for messages. */
function where(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '6379'}`;
  } catch {
    return 'the configured address';
  }
}

export async function openRedisStore(url: string, logger?: Logger): Promise<Store> {
  const client = createClient({
    url,
    // While disconnected, commands fail at once instead of queueing until Redis returns.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: OP_TIMEOUT_MS,
      reconnectStrategy: (attempts: number) => Math.min(100 * 2 ** attempts, 2000),
    },
  });
  client.setMaxListeners(0);
  let lastError = '';
  client.on('error', (e: Error) => {
    // Reconnects are automatic; log each distinct problem once rather than every retry.
    if (e.message !== lastError) logger?.warn({ err: e.message }, 'redis connection problem');
    lastError = e.message;
  });
  client.on('ready', () => {
    if (lastError) logger?.info('redis connection restored');
    lastError = '';
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(lastError || `no answer within ${CONNECT_TIMEOUT_MS} ms`)),
          CONNECT_TIMEOUT_MS,
        );
      }),
    ]);
    await client.ping();
  } catch (e) {
    client.destroy();
    throw new Error(
      `QR_STORE_URL: cannot reach Redis at ${where(url)} (${(e as Error).message}). Start Redis there, or fix ` +
        'the URL: redis://host:6379 (rediss:// for TLS, redis://:password@host:6379/0 with a password).',
    );
  } finally {
    clearTimeout(timer);
  }

  const g = <T>(work: () => Promise<T>) => guard(work, OP_TIMEOUT_MS);
  const namespaces = new Map<string, Keyv>();
  const eval_ = (script: string, keys: string[], args: Array<string | number>) =>
    g(() => client.eval(script, { keys, arguments: args.map(String) }));

  return {
    kind: 'redis',
    namespace(name) {
      let kv = namespaces.get(name);
      if (!kv) {
        const ns = encodeName(name);
        const adapter = new KeyvRedis(client, { namespace: `qr:kv:${ns}`, throwOnErrors: true });
        adapter.on('error', () => {});
        kv = new Keyv({ store: guardAdapter(adapter, OP_TIMEOUT_MS), namespace: ns, throwOnErrors: true });
        kv.on('error', () => {});
        namespaces.set(name, kv);
      }
      return kv;
    },
    collection<T>(name: string): Collection<T> {
      const key = `qr:col:${encodeName(name)}`;
      return {
        async add(id, value, cap): Promise<AddOutcome> {
          const r = Number(await eval_(ADD, [key], [id, JSON.stringify(value), cap]));
          return r === 1 ? 'added' : r === 0 ? 'exists' : 'full';
        },
        async get(id) {
          const v = await g(() => client.hGet(key, id));
          return v == null ? undefined : (JSON.parse(String(v)) as T);
        },
        async update(id, value) {
          return Number(await eval_(UPDATE, [key], [id, JSON.stringify(value)])) === 1;
        },
        async remove(id) {
          return Number(await g(() => client.hDel(key, id))) > 0;
        },
        async count() {
          return Number(await g(() => client.hLen(key)));
        },
        async list() {
          const all = (await g(() => client.hGetAll(key))) as Record<string, string>;
          return Object.entries(all).map(([id, v]) => ({ id, value: JSON.parse(v) as T }));
        },
      };
    },
    versioned<T>(name: string): VersionedMap<T> {
      const key = `qr:ver:${encodeName(name)}`;
      const read = (raw: string) => JSON.parse(raw) as { v: number; value: T };
      return {
        async get(id) {
          const raw = await g(() => client.hGet(key, id));
          if (raw == null) return undefined;
          const r = read(String(raw));
          return { value: r.value, version: r.v };
        },
        async list() {
          const all = (await g(() => client.hGetAll(key))) as Record<string, string>;
          return Object.entries(all).map(([id, raw]) => {
            const r = read(raw);
            return { id, value: r.value, version: r.v };
          });
        },
        async create(id, value) {
          return Number(await g(() => client.hSetNX(key, id, JSON.stringify({ v: 1, value })))) === 1;
        },
        async replace(id, value, expected) {
          const next = JSON.stringify({ v: expected + 1, value });
          return Number(await eval_(REPLACE, [key], [id, expected, next])) === 1;
        },
      };
    },
    async prune() {
      return 0; // keys carry PX / PEXPIRE: Redis drops them itself
    },
    async stateSizes() {
      const count = async (pattern: string) => {
        let n = 0;
        for await (const keys of client.scanIterator({ MATCH: pattern, COUNT: 500 }))
          n += Array.isArray(keys) ? keys.length : 1;
        return n;
      };
      // Expired keys are gone from Redis, so every key counted is live.
      const sizes = [];
      for (const [table, pattern] of [
        ['keyv', 'qr:kv:*'],
        ['claims', 'qr:claim:*'],
        ['buckets', 'qr:rate:*'],
      ] as const) {
        const rows = await g(() => count(pattern));
        sizes.push({ table, rows, live: rows });
      }
      return sizes;
    },
    async collectionNames(prefix) {
      // Encoded names hold only [A-Za-z0-9._-], so the prefix is glob-safe; an emptied hash is deleted.
      const names: string[] = [];
      const match = `qr:col:${encodeName(prefix)}*`;
      for await (const keys of client.scanIterator({ MATCH: match, COUNT: 500 }))
        for (const k of [keys].flat()) names.push(decodeName(String(k).slice('qr:col:'.length)));
      return names;
    },
    async claim(key, owner, ttlMs) {
      const r = await g(() =>
        client.set(`qr:claim:${key}`, owner, {
          condition: 'NX',
          ...(ttlMs ? { expiration: { type: 'PX' as const, value: ttlMs } } : {}),
        }),
      );
      return r === 'OK';
    },
    async release(key, owner) {
      await eval_(RELEASE, [`qr:claim:${key}`], [owner]);
    },
    async takeToken(key, capacity, windowMs, now) {
      const rate = capacity / windowMs;
      const r = (await eval_(TAKE, [`qr:rate:${key}`], [capacity, rate, now, windowMs * 2])) as [
        number,
        string,
      ];
      const ok = Number(r[0]) === 1;
      const tokens = Number(r[1]);
      return { ok, retryAfterMs: ok ? 0 : Math.ceil((1 - tokens) / rate) };
    },
    async ping() {
      await g(() => client.ping());
    },
    async close() {
      try {
        if (client.isReady) await client.close();
        else client.destroy();
      } catch {
        client.destroy();
      }
    },
  };
}
