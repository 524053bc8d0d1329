import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Whether a real redis-server binary is on PATH (`.ci/run` installs it with apt-get). */
export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Message for `t.skip()` / a failing assertion when redis-server is missing: never pass silently. */
export const REDIS_MISSING =
  'redis-server is not installed: run `apt-get install redis-server` (.ci/run does) to test the Redis path';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

export interface RedisServer {
  url: string;
  port: number;
  /** Stop the server (SIGTERM) and wait for it to exit. */
  stop(): Promise<void>;
  /** Start it again on the same port (for outage tests). */
  restart(): Promise<void>;
}

/** Start a throwaway redis-server on 127.0.0.1 with no persistence, in its own temp dir. */
export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'qr-redis-'));
  let child: ChildProcess | undefined;

  const launch = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${out}`)), 10_000);
      child!.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child!.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code}: ${out}`));
      });
    });
  };
  const stop = async () => {
    const c = child;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGTERM');
    });
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: async () => {
      await stop();
    },
    restart: async () => {
      await stop();
      await launch();
    },
  };
}

/** Remove a temp dir made by a test. */
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
