import type Keyv from 'keyv';

/**
 * User data lives in Keyv. Besides plain key/values, a few things need atomic primitives that Keyv
 * does not offer portably, so each backend provides them natively (SQLite single statements /
 * Redis NX and Lua): claims, per-user collections with a cap, and token buckets.
 */
export interface Store {
  readonly kind: 'sqlite' | 'redis' | 'memory';
  /**
   * A Keyv view whose keys are isolated under `name` (iterate it to list the namespace). Any name is
   * allowed; it is encoded so that `a:b`, `a_b` and `a*` never overlap.
   */
  namespace(name: string): Keyv;
  /**
   * A named set of items keyed by id, with native atomic insert-if-absent, a cap and a native count:
   * one row/field per item, so concurrent writers never lose each other's updates.
   */
  collection<T>(name: string): Collection<T>;
  /**
   * Names of the non-empty collections whose name starts with `prefix` (order unspecified). For
   * migrations that must visit every owner's collection; not for request paths.
   */
  collectionNames(prefix: string): Promise<string[]>;
  /**
   * Atomically create `key` holding `owner` if it does not exist (or has expired). Returns true for
   * exactly one caller across all processes sharing the store.
   */
  claim(key: string, owner: string, ttlMs?: number): Promise<boolean>;
  /** Delete a claim, but only if `owner` still holds it. */
  release(key: string, owner: string): Promise<void>;
  /**
   * Token bucket `key` holding up to `capacity` tokens, refilled at `capacity` per `windowMs`: take one
   * token atomically (across processes). `now` is the caller's clock in ms.
   */
  takeToken(key: string, capacity: number, windowMs: number, now: number): Promise<TokenResult>;
  /**
   * Records with a version number for compare-and-set updates: a read returns the version, and a write
   * states the version it was computed from and fails (returns false) when another writer got there
   * first. Native on each backend: a conditional UPDATE on SQLite, a Lua script on Redis.
   */
  versioned<T>(name: string): VersionedMap<T>;
  /**
   * Delete state whose lifetime is over (paging state, claims, de-dup keys, rate-limit buckets) now.
   * Returns the number of rows removed. Redis expires keys itself (PX / PEXPIRE), so it removes none.
   */
  prune(): Promise<number>;
  /** Rows held for each kind of state with a lifetime, and how many are still live (soak checks). */
  stateSizes(): Promise<StateSize[]>;
  /** Throws if the backend is unreachable; used by health checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface TokenResult {
  ok: boolean;
  /** When refused: how long until one token is back (ms). 0 when ok. */
  retryAfterMs: number;
}

export interface StateSize {
  /** What the rows are: "keyv" (namespaces with a TTL: paging state…), "claims", "buckets". */
  table: string;
  rows: number;
  live: number;
}

/** A record and the version it was read at (1 after create, +1 on every successful replace). */
export interface Versioned<T> {
  value: T;
  version: number;
}

export interface VersionedMap<T> {
  get(id: string): Promise<Versioned<T> | undefined>;
  /** Every record (order unspecified). */
  list(): Promise<Array<Versioned<T> & { id: string }>>;
  /** Insert at version 1 unless `id` exists; true when this call inserted it. */
  create(id: string, value: T): Promise<boolean>;
  /** Compare-and-set: write `value` at `expected + 1` only if the stored version is `expected`. */
  replace(id: string, value: T, expected: number): Promise<boolean>;
}

/** Options every backend takes. */
export interface StoreOptions {
  /** Clock for lifetimes (claims, TTLs, pruning); tests pass a controllable one. Default Date.now. */
  clock?: { now(): number };
}

export type AddOutcome = 'added' | 'exists' | 'full';

export interface Collection<T> {
  /** Insert `value` under `id` unless `id` is there already or the collection holds `cap` items. */
  add(id: string, value: T, cap: number): Promise<AddOutcome>;
  get(id: string): Promise<T | undefined>;
  /** Overwrite an existing item; returns false (and writes nothing) when `id` is not there. */
  update(id: string, value: T): Promise<boolean>;
  remove(id: string): Promise<boolean>;
  /** Exact count, answered natively (index range / HLEN), never by listing. */
  count(): Promise<number>;
  /** Every item (order unspecified). */
  list(): Promise<Array<{ id: string; value: T }>>;
}

/** Raised by store operations when the backend is down; commands turn it into "try again". */
export class StoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super('storage unavailable', { cause });
    this.name = 'StoreUnavailableError';
  }
}

/**
 * Encode a namespace/collection name into `[A-Za-z0-9.-]` plus `_xx` escapes: injective, free of
 * Keyv's `:` separator, SQL LIKE wildcards and Redis glob characters.
 */
export function encodeName(name: string): string {
  return Array.from(new TextEncoder().encode(name), (b) => {
    const c = String.fromCharCode(b);
    return /[A-Za-z0-9.-]/.test(c) ? c : `_${b.toString(16).padStart(2, '0')}`;
  }).join('');
}

/** The inverse of `encodeName`. */
export function decodeName(encoded: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < encoded.length; i++) {
    if (encoded[i] === '_') {
      bytes.push(Number.parseInt(encoded.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(encoded.charCodeAt(i));
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}
