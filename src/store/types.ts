import type Keyv from 'keyv';

/**
 * User data lives in Keyv. Besides plain key/values, two things need atomic primitives that Keyv
 * does not offer portably, so each backend provides them natively (SQLite transaction / Redis NX).
 */
export interface Store {
  readonly kind: 'sqlite' | 'redis' | 'memory';
  /** A Keyv view whose keys are isolated under `name` (iterate it to list the namespace). */
  namespace(name: string): Keyv;
  /**
   * Atomically create `key` holding `owner` if it does not exist (or has expired). Returns true for
   * exactly one caller across all processes sharing the store.
   */
  claim(key: string, owner: string, ttlMs?: number): Promise<boolean>;
  /** Delete a claim, but only if `owner` still holds it. */
  release(key: string, owner: string): Promise<void>;
  /** Throws if the backend is unreachable; used by health checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Raised by store operations when the backend is down; commands turn it into "try again". */
export class StoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super('storage unavailable', { cause });
    this.name = 'StoreUnavailableError';
  }
}
