import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../src/config.ts';
import { createCore, type Core, type CoreOptions } from '../../src/core.ts';
import type { Caller } from '../../src/caller.ts';

/** A config for tests: temp data dir, memory store unless told otherwise, no title fetching. */
export function testConfig(env: Record<string, string> = {}): Config {
  const dataDir = mkdtempSync(join(tmpdir(), 'qr-test-'));
  return loadConfig({
    QR_ADAPTER: 'console',
    QR_DATA_DIR: dataDir,
    QR_STORE_URL: 'memory://',
    QR_FETCH_TITLES: 'false',
    QR_TIMEZONE: 'UTC',
    ...env,
  });
}

export async function testCore(
  opts: Partial<CoreOptions> & { env?: Record<string, string> } = {},
): Promise<Core> {
  const { env, ...rest } = opts;
  return createCore({ config: testConfig(env), ...rest });
}

export function caller(over: Partial<Caller> = {}): Caller {
  return {
    platform: 'console',
    workspaceId: 'local',
    userId: 'u1',
    channelId: 'c1',
    canManageChannel: true,
    ...over,
  };
}
