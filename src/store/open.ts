import type { Logger } from '../logger.ts';
import { createMemoryStore } from './memory.ts';
import type { Store } from './types.ts';

/** Open the store named by a URL: sqlite:///path, redis://host:port, memory://. */
export async function openStore(url: string, _logger?: Logger): Promise<Store> {
  if (url.startsWith('memory:')) return createMemoryStore();
  throw new Error(`store URL scheme not supported yet: ${url.split(':')[0]}`);
}
