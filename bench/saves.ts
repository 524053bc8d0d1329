// Saves throughput: N saves with concurrency C through the saves service, on SQLite and (when
// redis-server is installed) Redis; verifies nothing was lost. Run: npx tsx bench/saves.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadCatalog } from '../src/catalog/load.ts';
import { SavesService } from '../src/saves/service.ts';
import { openStore } from '../src/store/open.ts';
import { hasRedisServer, startRedis } from '../tests/helpers/redis.ts';

export interface SavesBenchResult {
  backend: string;
  saves: number;
  concurrency: number;
  perSecond: number;
  lost: number;
}

async function run(backend: string, url: string, n: number, concurrency: number): Promise<SavesBenchResult> {
  const store = await openStore(url);
  const saves = new SavesService(store, loadCatalog('data'));
  const me = {
    platform: 'console' as const,
    workspaceId: 'bench',
    userId: 'u',
    channelId: 'c',
    canManageChannel: false,
  };
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await saves.saveText(me, `https://bench.example/${next++}`);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const lost = n - (await saves.count(me));
  await store.close();
  return { backend, saves: n, concurrency, perSecond: Math.round(n / seconds), lost };
}

export async function benchSaves(n = 2000, concurrency = 50): Promise<SavesBenchResult[]> {
  const results: SavesBenchResult[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'qr-bench-'));
  results.push(await run('sqlite', `sqlite://${join(dir, 'bench.sqlite')}`, n, concurrency));
  rmSync(dir, { recursive: true, force: true });
  if (hasRedisServer()) {
    const redis = await startRedis();
    results.push(await run('redis', redis.url, n, concurrency));
    await redis.stop();
  } else console.log('saves bench: redis-server not installed; Redis skipped');
  for (const r of results)
    console.log(
      `saves ${r.backend}: ${r.perSecond}/s (${r.saves} saves, concurrency ${r.concurrency}, lost ${r.lost})`,
    );
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const results = await benchSaves();
  if (results.some((r) => r.lost !== 0)) process.exit(1);
}
