// Runs before `npm start` and the other production scripts: compile src/ and adapters/ to dist/ with
// tsc when any source is newer than the last build (or there is none), so `npm install && npm start`
// stays two commands and an edited checkout never runs yesterday's JavaScript. A no-op in a runtime
// image, which holds dist/ and no sources.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const STAMP = 'dist/.tsbuildinfo';
const INPUTS = ['src', 'adapters', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

/** The newest modification time (ms) under `path`, 0 when it does not exist. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(path).reduce((m, name) => Math.max(m, newest(join(path, name))), s.mtimeMs);
}

const sources = Math.max(...INPUTS.filter((p) => p !== 'package-lock.json').map(newest));
if (sources === 0) process.exit(0); // a runtime image: dist/ only
const built = newest(STAMP);
if (built >= Math.max(sources, newest('package-lock.json'))) process.exit(0);

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  console.error(
    'dist/ is missing or older than src/, and TypeScript is not installed to rebuild it:\n' +
      'run `npm install` (with dev dependencies), then `npm run build`.',
  );
  process.exit(1);
}
console.error(built ? 'sources changed: rebuilding dist/ …' : 'building dist/ (first start) …');
// tsc reports errors on stdout: send them to stderr, so `npm run --silent cli -- --json` stays JSON.
const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: ['ignore', 2, 2] });
// tsc leaves its build info untouched when no output changed (a touched but unchanged file): mark the
// build current anyway, or every start would run tsc again.
if (r.status === 0 && existsSync(STAMP)) utimesSync(STAMP, new Date(), new Date());
process.exit(r.status ?? 1);
