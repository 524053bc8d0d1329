import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHealthServer, type HealthServer } from '../src/health/server.ts';
import { CommandMetrics } from '../src/health/metrics.ts';
import type { Core } from '../src/core.ts';
import { caller, testCore } from './helpers/core.ts';

describe('health server', () => {
  let core: Core;
  let health: HealthServer;
  const url = (path: string) => `http://127.0.0.1:${health.port}${path}`;

  before(async () => {
    core = await testCore();
    health = await startHealthServer({
      port: 0,
      host: '127.0.0.1',
      store: core.services.store,
      metrics: core.metrics,
    });
  });
  after(async () => {
    await health.close();
    await core.close();
  });

  it('/healthz answers 200 with store ok and uptime', async () => {
    const res = await fetch(url('/healthz'));
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    const body = (await res.json()) as { status: string; store: string; uptime: number };
    assert.equal(body.status, 'ok');
    assert.equal(body.store, 'ok');
    assert.equal(typeof body.uptime, 'number');
  });

  it('/metrics counts commands by command and status, with a latency histogram', async () => {
    await core.runCommand(caller(), 'read', 'raft');
    await core.runCommand(caller(), 'read', 'paxos');
    await core.runCommand(caller(), 'read', '');
    await core.run(caller(), '/help');
    const res = await fetch(url('/metrics'));
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    assert.match(text, /^qr_commands_total\{command="read",status="ok"\} 2$/m);
    assert.match(text, /^qr_commands_total\{command="read",status="error"\} 1$/m);
    assert.match(text, /^qr_commands_total\{command="help",status="ok"\} 1$/m);
    assert.match(text, /^qr_command_duration_seconds_count\{command="read"\} 3$/m);
    assert.match(text, /^qr_command_duration_seconds_bucket\{command="read",le="\+Inf"\} 3$/m);
    assert.match(text, /^# TYPE qr_command_duration_seconds histogram$/m);
    assert.match(text, /^process_resident_memory_bytes \d+$/m);
    // Every sample line is `name{labels} value` or `name value`: the exposition format.
    for (const line of text.trim().split('\n'))
      if (!line.startsWith('#'))
        assert.match(line, /^[a-z_]+(\{[a-z]+="[^"]*"(,[a-z]+="[^"]*")*\})? [0-9.e+-]+$/, line);
    // Buckets are cumulative: never decreasing.
    const buckets = [
      ...text.matchAll(/^qr_command_duration_seconds_bucket\{command="read",le="[^"]+"\} (\d+)$/gm),
    ].map((m) => Number(m[1]));
    assert.deepEqual(
      buckets,
      [...buckets].sort((a, b) => a - b),
    );
  });

  it('unknown paths are 404, writes are 405', async () => {
    assert.equal((await fetch(url('/nope'))).status, 404);
    assert.equal((await fetch(url('/metrics'), { method: 'POST' })).status, 405);
  });
});

describe('health server with a store that is down', () => {
  it('/healthz answers 503 with store down', async () => {
    const store = { kind: 'redis' as const, ping: () => Promise.reject(new Error('ECONNREFUSED')) };
    const health = await startHealthServer({
      port: 0,
      host: '127.0.0.1',
      store,
      metrics: new CommandMetrics(),
    });
    try {
      const res = await fetch(`http://127.0.0.1:${health.port}/healthz`);
      assert.equal(res.status, 503);
      const body = (await res.json()) as { status: string; store: string };
      assert.equal(body.store, 'down');
      assert.equal(body.status, 'degraded');
    } finally {
      await health.close();
    }
  });

  it('a ping that hangs counts as down after the timeout', async () => {
    const store = { kind: 'redis' as const, ping: () => new Promise<void>(() => {}) };
    const health = await startHealthServer({
      port: 0,
      host: '127.0.0.1',
      store,
      metrics: new CommandMetrics(),
      pingTimeoutMs: 50,
    });
    try {
      const res = await fetch(`http://127.0.0.1:${health.port}/healthz`);
      assert.equal(res.status, 503);
    } finally {
      await health.close();
    }
  });
});

describe('health server start-up problems', () => {
  it('a port already in use is refused naming QR_HEALTH_PORT and what to do', async () => {
    // Before: "listen EADDRINUSE: address already in use 127.0.0.1:N", without the setting to change.
    const taken = await startHealthServer({
      port: 0,
      host: '127.0.0.1',
      store: { kind: 'memory' as const, ping: () => Promise.resolve() },
      metrics: new CommandMetrics(),
    });
    try {
      await assert.rejects(
        startHealthServer({
          port: taken.port,
          host: '127.0.0.1',
          store: { kind: 'memory' as const, ping: () => Promise.resolve() },
          metrics: new CommandMetrics(),
        }),
        new RegExp(
          `QR_HEALTH_PORT: port ${taken.port} on 127\\.0\\.0\\.1 is already in use.*free port, or leave QR_HEALTH_PORT unset`,
        ),
      );
    } finally {
      await taken.close();
    }
  });
});
