// Node 20's test runner takes no globs, so find tests/**/*.test.ts here and hand them to `node --test`.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? find(join(dir, e.name)) : e.name.endsWith('.test.ts') ? [join(dir, e.name)] : [],
  );
}

const filter = process.argv.slice(2);
const files = find('tests')
  .filter((f) => filter.length === 0 || filter.some((p) => f.includes(p)))
  .sort();
if (files.length === 0) {
  console.error(`no test files under tests/ match ${filter.join(' ') || '*.test.ts'}`);
  process.exit(1);
}
// Tests make their SQLite files, catalogs and snapshots under os.tmpdir(): give the run its own
// (TMPDIR, which os.tmpdir() reads) and remove it at the end, so no run leaves directories behind.
const runDir = mkdtempSync(join(tmpdir(), 'qr-tests-'));
// Traversable by others, as the system temp directory is: one test drops to an unprivileged user to
// check a read-only store under it.
chmodSync(runDir, 0o755);
let status = 1;
try {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {
    stdio: 'inherit',
    env: { ...process.env, TMPDIR: runDir },
  });
  status = r.status ?? 1;
} finally {
  rmSync(runDir, { recursive: true, force: true });
}
process.exit(status);
