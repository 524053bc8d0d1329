import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import Keyv from 'keyv';
import { guard, guardAdapter } from './guard.ts';
import { encodeName, type AddOutcome, type Collection, type Store } from './types.ts';

type Row = Record<string, unknown>;
type Query = (sql: string, ...params: unknown[]) => Promise<Row[]>;

/** How long a statement waits for another process's write lock before failing. */
const BUSY_TIMEOUT_MS = 5000;

const SCHEMA = [
  'PRAGMA journal_mode=WAL',
  'PRAGMA synchronous=NORMAL',
  `CREATE TABLE IF NOT EXISTS qr_items(ns TEXT NOT NULL, id TEXT NOT NULL, value TEXT NOT NULL,
     PRIMARY KEY(ns, id)) WITHOUT ROWID`,
  'CREATE TABLE IF NOT EXISTS qr_claims(key TEXT PRIMARY KEY, owner TEXT NOT NULL, expires INTEGER NOT NULL)',
  `CREATE TABLE IF NOT EXISTS qr_buckets(key TEXT PRIMARY KEY, tokens REAL NOT NULL, ts INTEGER NOT NULL,
     ok INTEGER NOT NULL DEFAULT 1)`,
  'CREATE TABLE IF NOT EXISTS qr_meta(k TEXT PRIMARY KEY, v TEXT NOT NULL)',
];

/** Turn an open/probe failure into a message saying what is wrong with the file and what to do. */
function explain(path: string, e: unknown): Error {
  const err = e as { code?: string; message?: string };
  const code = err?.code ?? '';
  const msg = err?.message ?? String(e);
  const where = `QR_STORE_URL: the SQLite file ${path}`;
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT')
    return new Error(
      `${where} is corrupt or not a SQLite database (${msg}). Move it aside (mv "${path}" "${path}.bad") to start ` +
        'with an empty store, or restore it from a backup.',
    );
  if (code === 'SQLITE_READONLY' || code === 'SQLITE_PERM' || code === 'EACCES' || code === 'EROFS')
    return new Error(
      `${where} is read-only (${msg}). The bot needs write access to the file and its directory (SQLite writes ` +
        '-wal/-shm files next to it): fix the permissions, or point QR_STORE_URL at a writable path.',
    );
  if (code === 'SQLITE_CANTOPEN')
    return new Error(`${where} cannot be opened (${msg}). Check that its directory exists and is writable.`);
  return new Error(`${where} could not be opened: ${msg}`);
}

/** Keyv storage adapter for one namespace over the shared connection: exact prefix ranges, no LIKE. */
class NamespaceAdapter {
  readonly opts = { dialect: 'sqlite', url: 'sqlite://', table: 'keyv' };
  ttlSupport = false;
  namespace: string | undefined;
  constructor(
    private readonly query: Query,
    private readonly ns: string,
  ) {
    this.namespace = ns;
  }
  private range(): [string, string] {
    return [`${this.ns}:`, `${this.ns};`]; // ';' sorts right after ':'
  }
  on(): this {
    return this;
  }
  async get(key: string): Promise<unknown> {
    const rows = await this.query('SELECT value FROM keyv WHERE key = ?', key);
    return rows[0]?.value;
  }
  async getMany(keys: string[]): Promise<unknown[]> {
    const rows = await this.query(
      'SELECT key, value FROM keyv WHERE key IN (SELECT value FROM json_each(?))',
      JSON.stringify(keys),
    );
    const byKey = new Map(rows.map((r) => [r.key as string, r.value]));
    return keys.map((k) => byKey.get(k));
  }
  async set(key: string, value: unknown): Promise<boolean> {
    await this.query(
      'INSERT INTO keyv(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      key,
      value,
    );
    return true;
  }
  async delete(key: string): Promise<boolean> {
    const rows = await this.query('DELETE FROM keyv WHERE key = ? RETURNING key', key);
    return rows.length > 0;
  }
  async deleteMany(keys: string[]): Promise<boolean> {
    const rows = await this.query(
      'DELETE FROM keyv WHERE key IN (SELECT value FROM json_each(?)) RETURNING key',
      JSON.stringify(keys),
    );
    return rows.length > 0;
  }
  async has(key: string): Promise<boolean> {
    return (await this.query('SELECT 1 FROM keyv WHERE key = ?', key)).length > 0;
  }
  async clear(): Promise<void> {
    const [lo, hi] = this.range();
    await this.query('DELETE FROM keyv WHERE key >= ? AND key < ?', lo, hi);
  }
  async *iterator(): AsyncGenerator<[string, unknown]> {
    const [lo, hi] = this.range();
    let after = lo;
    let first = true;
    for (;;) {
      const rows = await this.query(
        `SELECT key, value FROM keyv WHERE key ${first ? '>=' : '>'} ? AND key < ? ORDER BY key LIMIT 500`,
        after,
        hi,
      );
      first = false;
      for (const r of rows) yield [r.key as string, r.value];
      if (rows.length < 500) return;
      after = rows[rows.length - 1]!.key as string;
    }
  }
}

export async function openSqliteStore(path: string): Promise<Store> {
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (e) {
    throw new Error(
      `QR_STORE_URL: cannot create the data directory ${dirname(path)} (${(e as Error).message}). ` +
        'Create it, or set QR_DATA_DIR / QR_STORE_URL to a writable place.',
    );
  }
  const adapter = new KeyvSqlite({ uri: `sqlite://${path}`, busyTimeout: BUSY_TIMEOUT_MS });
  adapter.on('error', () => {}); // surfaced through the rejected queries below
  const query = adapter.query as unknown as Query;
  try {
    for (const sql of SCHEMA) await query(sql);
    // Prove we can write: a read-only file opens fine and only fails here.
    await query(
      "INSERT INTO qr_meta(k, v) VALUES('opened_at', ?) ON CONFLICT(k) DO UPDATE SET v = excluded.v",
      new Date().toISOString(),
    );
  } catch (e) {
    await adapter.disconnect().catch(() => {});
    throw explain(path, e);
  }

  const q: Query = (sql, ...params) => guard(() => query(sql, ...params));
  const namespaces = new Map<string, Keyv>();

  return {
    kind: 'sqlite',
    namespace(name) {
      let kv = namespaces.get(name);
      if (!kv) {
        const ns = encodeName(name);
        kv = new Keyv({
          store: guardAdapter(new NamespaceAdapter(query, ns)),
          namespace: ns,
          throwOnErrors: true,
        });
        kv.on('error', () => {});
        namespaces.set(name, kv);
      }
      return kv;
    },
    collection<T>(name: string): Collection<T> {
      const ns = encodeName(name);
      return {
        async add(id, value, cap): Promise<AddOutcome> {
          // One statement = one write transaction: the cap check and the insert cannot interleave with
          // another process's insert.
          const rows = await q(
            `INSERT INTO qr_items(ns, id, value) SELECT ?, ?, ?
               WHERE (SELECT COUNT(*) FROM qr_items WHERE ns = ?) < ?
             ON CONFLICT DO NOTHING RETURNING id`,
            ns,
            id,
            JSON.stringify(value),
            ns,
            cap,
          );
          if (rows.length) return 'added';
          const there = await q('SELECT 1 FROM qr_items WHERE ns = ? AND id = ?', ns, id);
          return there.length ? 'exists' : 'full';
        },
        async get(id) {
          const rows = await q('SELECT value FROM qr_items WHERE ns = ? AND id = ?', ns, id);
          return rows[0] ? (JSON.parse(rows[0].value as string) as T) : undefined;
        },
        async update(id, value) {
          const rows = await q(
            'UPDATE qr_items SET value = ? WHERE ns = ? AND id = ? RETURNING id',
            JSON.stringify(value),
            ns,
            id,
          );
          return rows.length > 0;
        },
        async remove(id) {
          const rows = await q('DELETE FROM qr_items WHERE ns = ? AND id = ? RETURNING id', ns, id);
          return rows.length > 0;
        },
        async count() {
          const rows = await q('SELECT COUNT(*) AS n FROM qr_items WHERE ns = ?', ns);
          return Number(rows[0]?.n ?? 0);
        },
        async list() {
          const rows = await q('SELECT id, value FROM qr_items WHERE ns = ?', ns);
          return rows.map((r) => ({ id: r.id as string, value: JSON.parse(r.value as string) as T }));
        },
      };
    },
    async claim(key, owner, ttlMs) {
      const now = Date.now();
      const expires = ttlMs ? now + ttlMs : Number.MAX_SAFE_INTEGER;
      const rows = await q(
        `INSERT INTO qr_claims(key, owner, expires) VALUES(?, ?, ?)
         ON CONFLICT(key) DO UPDATE SET owner = excluded.owner, expires = excluded.expires
           WHERE qr_claims.expires <= ?
         RETURNING owner`,
        key,
        owner,
        expires,
        now,
      );
      return rows.length > 0 && rows[0]!.owner === owner;
    },
    async release(key, owner) {
      await q('DELETE FROM qr_claims WHERE key = ? AND owner = ?', key, owner);
    },
    async takeToken(key, capacity, windowMs, now) {
      const rate = capacity / windowMs;
      // SET expressions all see the old row, so `ok` and `tokens` agree on the refilled amount.
      const refilled = 'MIN(?1, qr_buckets.tokens + MAX(0, ?3 - qr_buckets.ts) * ?2)';
      const rows = await q(
        `INSERT INTO qr_buckets(key, tokens, ts, ok) VALUES(?4, ?1 - 1, ?3, 1)
         ON CONFLICT(key) DO UPDATE SET
           tokens = CASE WHEN ${refilled} >= 1 THEN ${refilled} - 1 ELSE ${refilled} END,
           ok = CASE WHEN ${refilled} >= 1 THEN 1 ELSE 0 END,
           ts = ?3
         RETURNING tokens, ok`,
        capacity,
        rate,
        now,
        key,
      );
      const tokens = Number(rows[0]?.tokens ?? 0);
      const ok = Number(rows[0]?.ok ?? 0) === 1;
      return { ok, retryAfterMs: ok ? 0 : Math.ceil((1 - tokens) / rate) };
    },
    async ping() {
      await q('SELECT 1');
    },
    async close() {
      await adapter.disconnect();
    },
  };
}
