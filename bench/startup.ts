// Start-up to "core ready" in real child processes (the console adapter path, no network), with RSS.
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

/** Spawn `node --import tsx <script>` and time it from spawn to its "core ready" log line. */
export function timeToReady(
  label: string,
  script: string,
  env: Record<string, string>,
  timeoutMs = 120_000,
): Promise<StartupRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: ROOT,
      env: {
        ...process.env,
        QR_ADAPTER: 'console',
        QR_LOG_LEVEL: 'info',
        QR_LOG_FORMAT: 'json',
        QR_FETCH_TITLES: 'false',
        ...env,
      },
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let err = '';
    let done = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${label}: not ready after ${timeoutMs} ms: ${err.slice(-500)}`));
    }, timeoutMs);
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (!done && err.includes('"core ready"')) {
        done = true;
        const readyMs = performance.now() - started;
        const run = {
          label,
          readyMs,
          rssMb: procStatusMb(child.pid!, 'VmRSS'),
          heapMb: Number(/"heapMb":(\d+)/.exec(err)?.[1] ?? NaN),
          peakRssMb: procStatusMb(child.pid!, 'VmHWM'),
        };
        child.stdin!.end(); // the console adapter exits at end of input
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(killer);
          clearTimeout(timer);
          resolve(run);
        });
      }
    });
    child.once('exit', (code) => {
      if (!done) {
        clearTimeout(timer);
        reject(new Error(`${label}: exited ${code} before ready: ${err.slice(-800)}`));
      }
    });
  });
}

/** Cold (no snapshot: index built from documents) then warm (snapshot loaded) start-ups on `catalogDir`. */
export async function measureStartup(label: string, catalogDir: string, warmRuns = 2): Promise<StartupRun[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'qr-start-'));
  const env = { QR_CATALOG_DIR: catalogDir, QR_DATA_DIR: dataDir, QR_STORE_URL: 'memory://' };
  try {
    const runs = [await timeToReady(`${label} cold (build index)`, 'src/main.ts', env)];
    for (let i = 0; i < warmRuns; i++)
      runs.push(await timeToReady(`${label} warm (snapshot)`, 'src/main.ts', env));
    return runs;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** What `node --import tsx` costs before any of our code runs. */
export async function measureTsxFloor(runs = 3): Promise<StartupRun[]> {
  const out: StartupRun[] = [];
  for (let i = 0; i < runs; i++)
    out.push(await timeToReady('tsx floor (trivial .ts)', 'bench/startup-noop.ts', {}));
  return out;
}
