import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { hasRedisServer, REDIS_MISSING } from './helpers/redis.ts';

/** True when redis-server can be used; in CI a missing server fails the test, locally it skips loudly. */
export function needRedis(t: TestContext): boolean {
  if (hasRedisServer()) return true;
  if (process.env.CI) assert.fail(REDIS_MISSING);
  t.skip(REDIS_MISSING);
  return false;
}
