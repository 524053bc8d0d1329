import { randomBytes } from 'node:crypto';
import type { Store } from './store/types.ts';

/**
 * Paging state behind Next/Prev buttons. Button ids are capped (Discord: 100 chars) and a query can be
 * 200, so buttons carry a short token and the query lives in the store, shared by all processes.
 */
export class CursorStore {
  constructor(
    private readonly store: Store,
    private readonly ttlMs = 24 * 60 * 60 * 1000,
  ) {}

  async put(state: Record<string, string>): Promise<string> {
    const token = randomBytes(9).toString('base64url');
    await this.store.namespace('cursors').set(token, state, this.ttlMs);
    return token;
  }

  /** The state behind a token, or undefined once it has expired. */
  async get(token: string): Promise<Record<string, string> | undefined> {
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(token)) return undefined;
    return (await this.store.namespace('cursors').get<Record<string, string>>(token)) ?? undefined;
  }
}
