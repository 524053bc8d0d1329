import { StoreUnavailableError } from './types.ts';

/** Run a backend call; any failure (or no answer within `timeoutMs`) becomes StoreUnavailableError. */
export async function guard<T>(work: () => Promise<T>, timeoutMs?: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const run = work();
    if (!timeoutMs) return await run;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer from the store within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    run.catch(() => {}); // a late rejection after the timeout must not become unhandled
    return await Promise.race([run, timeout]);
  } catch (e) {
    throw e instanceof StoreUnavailableError ? e : new StoreUnavailableError(e);
  } finally {
    if (timer) clearTimeout(timer);
  }
}

const METHODS = new Set([
  'get',
  'getMany',
  'set',
  'setMany',
  'delete',
  'deleteMany',
  'clear',
  'has',
  'hasMany',
]);

/**
 * Wrap a Keyv storage adapter so every call fails fast with StoreUnavailableError instead of hanging
 * or being swallowed (Keyv is also created with throwOnErrors).
 */
export function guardAdapter<A extends object>(adapter: A, timeoutMs?: number): A {
  return new Proxy(adapter, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      if (prop === 'iterator') {
        return async function* (this: unknown, ...args: unknown[]) {
          const it = (value as (...a: unknown[]) => AsyncGenerator<unknown>).apply(target, args);
          while (true) {
            const step = await guard(() => it.next(), timeoutMs);
            if (step.done) return;
            yield step.value;
          }
        };
      }
      if (typeof prop === 'string' && METHODS.has(prop)) {
        return (...args: unknown[]) =>
          guard(() => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args), timeoutMs);
      }
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
}
