// Load: N concurrent users, each with its own console session (the console adapter's real code path)
// against one core, firing /read (and /save once that command exists) at the same moment.
import { PassThrough, Writable } from 'node:stream';
import { startConsole } from '../adapters/console/index.ts';
import type { Core } from '../src/core.ts';
import { percentile } from './latency.ts';

export interface LoadResult {
  users: number;
  commands: number;
  answered: number;
  p50: number;
  p99: number;
  max: number;
  wallMs: number;
  saves: { sent: number; stored: number } | undefined;
}

interface Session {
  input: PassThrough;
  next(): Promise<string>;
}

function session(core: Core, userId: string): Session {
  const waiting: Array<(s: string) => void> = [];
  let greeted = false;
  const output = new Writable({
    write(chunk: Buffer, _enc, cb) {
      const s = chunk.toString();
      if (s === '> ') return cb();
      if (!greeted) {
        greeted = true;
        return cb();
      }
      waiting.shift()?.(s);
      cb();
    },
  });
  const input = new PassThrough();
  startConsole(core, { input, output, userId });
  return { input, next: () => new Promise((resolve) => waiting.push(resolve)) };
}

/**
 * `users` sessions each send `perUser` commands back to back (all sessions at once). `saveLine(i)`, when
 * given, makes every other command a save; `countSaves` then reads the store to check none was lost.
 */
export async function measureLoad(
  core: Core,
  queries: string[],
  opts: {
    users?: number;
    perUser?: number;
    saveLine?: (i: number) => string;
    countSaves?: () => Promise<number>;
  } = {},
): Promise<LoadResult> {
  const users = opts.users ?? 200;
  const perUser = opts.perUser ?? 5;
  const sessions = Array.from({ length: users }, (_, i) => session(core, `load-user-${i}`));
  const latencies: number[] = [];
  let answered = 0;
  let savesSent = 0;
  const started = performance.now();
  await Promise.all(
    sessions.map(async (s, u) => {
      for (let k = 0; k < perUser; k++) {
        const i = u * perUser + k;
        const isSave = opts.saveLine !== undefined && k % 2 === 1;
        const line = isSave ? opts.saveLine!(i) : `/read ${queries[i % queries.length]}`;
        if (isSave) savesSent++;
        const reply = s.next();
        const t = performance.now();
        s.input.write(`${line}\n`);
        const text = await reply;
        latencies.push(performance.now() - t);
        if (text.length > 0) answered++;
      }
      s.input.end();
    }),
  );
  const wallMs = performance.now() - started;
  latencies.sort((a, b) => a - b);
  return {
    users,
    commands: users * perUser,
    answered,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? NaN,
    wallMs,
    saves: opts.countSaves ? { sent: savesSent, stored: await opts.countSaves() } : undefined,
  };
}
