// Start-up in real child processes of the compiled build (the console adapter path, no network), with
// RSS: to the first answer (what a user waits for), and to "core ready" on large synthetic catalogs.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface StartupRun {
  label: string;
  readyMs: number;
  /** Resident set at "core ready", and its peak so far (VmHWM), in MB. */
  rssMb: number;
  /** V8 heap in use at "core ready" (the ready log line's heapMb), MB. */
  heapMb: number;
  peakRssMb: number;
}

function procStatusMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/**
 * Spawn `node <argv>` in the repo with the console adapter and no title fetching (`env` on top), and
 * wait until `reached(stdout, stderr)` holds. `settleMs` later take `measure(pid, ms)` (ms from spawn
 * to the moment it was reached), end its input (the console adapter exits at end of input) and
 * resolve once it exited (SIGKILL after 10 s). `input` is typed at once. Rejects naming `goal` if the
 * child exits first or `timeoutMs` passes.
 */
function consoleChildUntil<T>(opts: {
  label: string;
  goal: string;
  argv: string[];
  env: Record<string, string>;
  input?: string;
  timeoutMs: number;
  settleMs?: number;
  reached(out: string, err: string): boolean;
  measure(pid: number, ms: number, err: string): T;
}): Promise<T> {
  const { label, goal, timeoutMs } = opts;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, opts.argv, {
      cwd: ROOT,
      env: { ...process.env, QR_ADAPTER: 'console', QR_FETCH_TITLES: 'false', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let done = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${label}: no ${goal} after ${timeoutMs} ms: ${err.slice(-500)}`));
    }, timeoutMs);
    const check = () => {
      if (done || !opts.reached(out, err)) return;
      done = true;
      const ms = performance.now() - started;
      const finish = () => {
        const run = opts.measure(child.pid!, ms, err);
        child.stdin!.end();
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(killer);
          clearTimeout(timer);
          resolve(run);
        });
      };
      if (opts.settleMs) setTimeout(finish, opts.settleMs);
      else finish();
    };
    child.stdout!.on('data', (d: Buffer) => ((out += d.toString()), check()));
    child.stderr!.on('data', (d: Buffer) => ((err += d.toString()), check()));
    child.once('exit', (code) => {
      if (!done) {
        clearTimeout(timer);
        reject(new Error(`${label}: exited ${code} before ${goal}: ${err.slice(-800)}`));
      }
    });
    if (opts.input) child.stdin!.write(opts.input);
  });
}

/** Spawn `node <argv>` and time it from spawn to its "core ready" log line. */
export function timeToReady(
  label: string,
  argv: string[],
  env: Record<string, string>,
  timeoutMs = 120_000,
): Promise<StartupRun> {
  return consoleChildUntil({
    label,
    goal: '"core ready"',
    argv,
    env: { QR_LOG_LEVEL: 'info', QR_LOG_FORMAT: 'json', ...env },
    timeoutMs,
    reached: (_out, err) => err.includes('"core ready"'),
    measure: (pid, readyMs, err) => ({
      label,
      readyMs,
      rssMb: procStatusMb(pid, 'VmRSS'),
      heapMb: Number(/"heapMb":(\d+)/.exec(err)?.[1] ?? NaN),
      peakRssMb: procStatusMb(pid, 'VmHWM'),
    }),
  });
}

/** Cold (no snapshot: index built from documents) then warm (snapshot loaded) start-ups on `catalogDir`. */
export async function measureStartup(label: string, catalogDir: string, warmRuns = 2): Promise<StartupRun[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'qr-start-'));
  const env = { QR_CATALOG_DIR: catalogDir, QR_DATA_DIR: dataDir, QR_STORE_URL: 'memory://' };
  try {
    const main = ['dist/src/main.js'];
    const runs = [await timeToReady(`${label} cold (build index)`, main, env)];
    for (let i = 0; i < warmRuns; i++) runs.push(await timeToReady(`${label} warm (snapshot)`, main, env));
    return runs;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export interface FirstAnswerRun {
  label: string;
  /** From spawn to the first reply to `/read raft` on stdout, ms. */
  answerMs: number;
  /** Resident set one second after that answer, with nothing to do, and its peak so far, MB. */
  idleRssMb: number;
  peakRssMb: number;
}

/**
 * `npm start` as a user meets it: spawn `node <argv>` (console adapter, SQLite store in `dataDir`),
 * type `/read raft` at once, and time the first answer; then measure RSS at rest.
 */
export function timeToFirstAnswer(
  label: string,
  argv: string[],
  env: Record<string, string>,
  timeoutMs = 120_000,
): Promise<FirstAnswerRun> {
  return consoleChildUntil({
    label,
    goal: 'answer',
    argv,
    env,
    input: '/read raft\n',
    timeoutMs,
    settleMs: 1_000,
    reached: (out) => out.includes('Readings for'),
    measure: (pid, answerMs) => ({
      label,
      answerMs,
      idleRssMb: procStatusMb(pid, 'VmRSS'),
      peakRssMb: procStatusMb(pid, 'VmHWM'),
    }),
  });
}

/**
 * Start to first answer on the real catalog: the compiled build (`npm start` runs node dist/src/main.js)
 * on a first start (index built, snapshot written) and later ones (snapshot), then the same later start
 * through tsx (how `npm start` ran before the build), in this one run.
 */
export async function measureFirstAnswer(catalogDir: string, runs = 3): Promise<FirstAnswerRun[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'qr-first-'));
  const env = { QR_CATALOG_DIR: catalogDir, QR_DATA_DIR: dataDir };
  try {
    const out = [await timeToFirstAnswer('compiled, first start', ['dist/src/main.js'], env)];
    for (let i = 0; i < runs; i++)
      out.push(await timeToFirstAnswer('compiled (npm start)', ['dist/src/main.js'], env));
    for (let i = 0; i < runs; i++)
      out.push(await timeToFirstAnswer('tsx (before)', ['--import', 'tsx', 'src/main.ts'], env));
    return out;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
