import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import Keyv from 'keyv';
import { guard, guardAdapter } from './guard.ts';
import {
  decodeName,
  encodeName,
  type AddOutcome,
  type Collection,
  type StateSize,
  type Store,
  type StoreOptions,
  type VersionedMap,
} from './types.ts';

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
  `CREATE TABLE IF NOT EXISTS qr_versioned(ns TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL,
     value TEXT NOT NULL, PRIMARY KEY(ns, id)) WITHOUT ROWID`,
];

/**
 * Columns added after the first release, with how to fill them in rows written before. A store written
 * by older code opens, gains the column, and keeps every row.
 */
const ADDED_COLUMNS: Array<{ table: string; column: string; backfill: string }> = [
  {
    // Keyv wrote {"value":…,"expires":ms} and never deleted expired rows: take the expiry from there.
    table: 'keyv',
    column: 'expires INTEGER',
    backfill: `UPDATE keyv SET expires = json_extract(value, '$.expires')
      WHERE expires IS NULL AND json_valid(value) AND json_type(value, '$.expires') = 'integer'`,
  },
  {
    // A bucket untouched for a day is full again whatever its window was: the same as no row.
    table: 'qr_buckets',
    column: 'expires INTEGER',
    backfill: 'UPDATE qr_buckets SET expires = ts + 86400000 WHERE expires IS NULL',
  },
];

async function migrate(query: Query): Promise<void> {
  for (const { table, column, backfill } of ADDED_COLUMNS) {
    const name = column.split(' ')[0]!;
    const columns = await query(`PRAGMA table_info(${table})`);
    if (!columns.some((c) => c.name === name)) {
      // Another process opening the same file may add it first: that is the outcome we want.
      await query(`ALTER TABLE ${table} ADD COLUMN ${column}`).catch((e: unknown) => {
        if (!/duplicate column name/i.test(String((e as Error)?.message))) throw e;
      });
    }
    await query(backfill);
    await query(`CREATE INDEX IF NOT EXISTS ${table}_${name} ON ${table}(${name}) WHERE ${name} IS NOT NULL`);
  }
}

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
  /** A TTL given to Keyv ends up in the row's `expires` column; expired rows are invisible, then pruned. */
  ttlSupport = true;
  namespace: string | undefined;
  constructor(
    private readonly query: Query,
    private readonly ns: string,
    private readonly now: () => number,
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
    const rows = await this.query(
      'SELECT value FROM keyv WHERE key = ? AND (expires IS NULL OR expires > ?)',
      key,
      this.now(),
    );
    return rows[0]?.value;
  }
  async getMany(keys: string[]): Promise<unknown[]> {
    const rows = await this.query(
      `SELECT key, value FROM keyv WHERE key IN (SELECT value FROM json_each(?))
         AND (expires IS NULL OR expires > ?)`,
      JSON.stringify(keys),
      this.now(),
    );
    const byKey = new Map(rows.map((r) => [r.key as string, r.value]));
    return keys.map((k) => byKey.get(k));
  }
  async set(key: string, value: unknown, ttl?: number): Promise<boolean> {
    const expires = typeof ttl === 'number' && ttl > 0 ? this.now() + ttl : null;
    await this.query(
      `INSERT INTO keyv(key, value, expires) VALUES(?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires = excluded.expires`,
      key,
      value,
      expires,
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
    const rows = await this.query(
      'SELECT 1 FROM keyv WHERE key = ? AND (expires IS NULL OR expires > ?)',
      key,
      this.now(),
    );
    return rows.length > 0;
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
        `SELECT key, value, expires FROM keyv WHERE key ${first ? '>=' : '>'} ? AND key < ?
           ORDER BY key LIMIT 500`,
        after,
        hi,
      );
      const now = this.now();
      first = false;
      for (const r of rows)
        if (r.expires == null || Number(r.expires) > now) yield [r.key as string, r.value];
      if (rows.length < 500) return;
      after = rows[rows.length - 1]!.key as string;
    }
  }
}

export async function openSqliteStore(path: string, opts: StoreOptions = {}): Promise<Store> {
  const now = () => (opts.clock ?? Date).now();
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
    await migrate(query);
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
          store: guardAdapter(new NamespaceAdapter(query, ns, now)),
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
    versioned<T>(name: string): VersionedMap<T> {
      return sqliteVersioned<T>(q, encodeName(name));
    },
    async collectionNames(prefix) {
      // encodeName is byte-wise, so a name's prefix encodes to a prefix of its encoding.
      const enc = encodeName(prefix);
      // A range on the primary key: `[enc, enc + U+FFFF)` holds exactly the names starting with enc.
      const rows = await q('SELECT DISTINCT ns FROM qr_items WHERE ns >= ? AND ns < ?', enc, `${enc}\uffff`);
      return rows.map((r) => decodeName(r.ns as string));
    },
    async claim(key, owner, ttlMs) {
      const t = now();
      const expires = ttlMs ? t + ttlMs : Number.MAX_SAFE_INTEGER;
      const rows = await q(
        `INSERT INTO qr_claims(key, owner, expires) VALUES(?, ?, ?)
         ON CONFLICT(key) DO UPDATE SET owner = excluded.owner, expires = excluded.expires
           WHERE qr_claims.expires <= ?
         RETURNING owner`,
        key,
        owner,
        expires,
        t,
      );
      return rows.length > 0 && rows[0]!.owner === owner;
    },
    async release(key, owner) {
      await q('DELETE FROM qr_claims WHERE key = ? AND owner = ?', key, owner);
    },
    async takeToken(key, capacity, windowMs, at) {
      const rate = capacity / windowMs;
      // SET expressions all see the old row, so `ok` and `tokens` agree on the refilled amount.
      const refilled = 'MIN(?1, qr_buckets.tokens + MAX(0, ?3 - qr_buckets.ts) * ?2)';
      const rows = await q(
        `INSERT INTO qr_buckets(key, tokens, ts, ok, expires) VALUES(?4, ?1 - 1, ?3, 1, ?3 + ?5)
         ON CONFLICT(key) DO UPDATE SET
           tokens = CASE WHEN ${refilled} >= 1 THEN ${refilled} - 1 ELSE ${refilled} END,
           ok = CASE WHEN ${refilled} >= 1 THEN 1 ELSE 0 END,
           ts = ?3,
           expires = ?3 + ?5
         RETURNING tokens, ok`,
        capacity,
        rate,
        at,
        key,
        // Untouched for two windows, a bucket is full again: the same as no row, so it may go.
        2 * windowMs,
      );
      const tokens = Number(rows[0]?.tokens ?? 0);
      const ok = Number(rows[0]?.ok ?? 0) === 1;
      return { ok, retryAfterMs: ok ? 0 : Math.ceil((1 - tokens) / rate) };
    },
    async prune() {
      const t = now();
      let removed = 0;
      for (const table of ['keyv', 'qr_claims', 'qr_buckets']) {
        const rows = await q(`DELETE FROM ${table} WHERE expires <= ? RETURNING 1`, t);
        removed += rows.length;
      }
      return removed;
    },
    async stateSizes(): Promise<StateSize[]> {
      const t = now();
      const out: StateSize[] = [];
      for (const [label, table] of [
        ['keyv', 'keyv'],
        ['claims', 'qr_claims'],
        ['buckets', 'qr_buckets'],
      ] as const) {
        const rows = await q(
          `SELECT COUNT(*) AS n, COALESCE(SUM(expires IS NULL OR expires > ?), 0) AS live FROM ${table}`,
          t,
        );
        out.push({ table: label, rows: Number(rows[0]?.n ?? 0), live: Number(rows[0]?.live ?? 0) });
      }
      return out;
    },
    async ping() {
      await q('SELECT 1');
    },
    async close() {
      await adapter.disconnect();
    },
  };
}

/** Versioned records in qr_versioned: compare-and-set is one conditional UPDATE (one write transaction). */
function sqliteVersioned<T>(q: Query, ns: string): VersionedMap<T> {
  return {
    async get(id) {
      const rows = await q('SELECT value, version FROM qr_versioned WHERE ns = ? AND id = ?', ns, id);
      const r = rows[0];
      return r ? { value: JSON.parse(r.value as string) as T, version: Number(r.version) } : undefined;
    },
    async list() {
      const rows = await q('SELECT id, value, version FROM qr_versioned WHERE ns = ?', ns);
      return rows.map((r) => ({
        id: r.id as string,
        value: JSON.parse(r.value as string) as T,
        version: Number(r.version),
      }));
    },
    async create(id, value) {
      const rows = await q(
        `INSERT INTO qr_versioned(ns, id, version, value) VALUES(?, ?, 1, ?)
         ON CONFLICT DO NOTHING RETURNING id`,
        ns,
        id,
        JSON.stringify(value),
      );
      return rows.length > 0;
    },
    async replace(id, value, expected) {
      const rows = await q(
        `UPDATE qr_versioned SET value = ?, version = version + 1
         WHERE ns = ? AND id = ? AND version = ? RETURNING id`,
        JSON.stringify(value),
        ns,
        id,
        expected,
      );
      return rows.length > 0;
    },
  };
}
