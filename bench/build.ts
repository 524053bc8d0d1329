// Benches that spawn the bot run the compiled build, as deployed: build dist/ first when any source is
// newer than it (the same check `npm start` makes, scripts/build-if-stale.mjs).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export function ensureBuild(): void {
  const r = spawnSync(process.execPath, ['scripts/build-if-stale.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('could not build dist/ (npm run build)');
}
