// /read latency through the core, side by side with a bare MiniSearch and a FlexSearch Document index
// on the same corpus, interleaved query by query so machine noise hits every engine alike.
import FlexSearch from 'flexsearch';
import MiniSearch from 'minisearch';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Catalog } from '../src/catalog/load.ts';
import type { Caller } from '../src/commands/types.ts';
import { loadConfig } from '../src/config.ts';
import { createCore } from '../src/core.ts';

export interface LatencyRow {
  size: number;
  engine: string;
  buildMs: number;
  p50: number;
  p99: number;
  max: number;
  samples: number;
}

export const percentile = (sorted: number[], p: number): number =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN;

const caller: Caller = {
  platform: 'console',
  workspaceId: 'bench',
  userId: 'bench',
  channelId: 'bench',
  canManageChannel: false,
};

function flatDocs(catalog: Catalog) {
  return catalog.readings.map((r) => ({
    id: r.id,
    title: r.title,
    summary: r.summary,
    tags: r.tags.map((t) => `${t.replace(/-/g, ' ')} ${catalog.tagById.get(t)?.label ?? ''}`).join(' ; '),
    author: r.author ?? '',
    series: r.series ?? '',
  }));
}

type Engine = { name: string; buildMs: number; run(q: string): unknown; samples: number[] };

/** Measure every engine on `catalog` for about `budgetMs` of wall time in total (at least one round). */
export async function measureLatency(
  catalog: Catalog,
  queries: string[],
  budgetMs: number,
  minRounds = 3,
): Promise<LatencyRow[]> {
  const size = catalog.readings.length;
  const engines: Engine[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'qr-bench-'));

  let t = performance.now();
  const core = await createCore({
    config: loadConfig({
      QR_ADAPTER: 'console',
      QR_DATA_DIR: dataDir,
      QR_STORE_URL: 'memory://',
      QR_FETCH_TITLES: 'false',
      // One benchmark user fires thousands of commands: measure search, not the rate limiter.
      QR_RATE_COMMANDS: '10000',
      QR_RATE_WINDOW_SECONDS: '1',
    }),
    catalog,
  });
  engines.push({
    name: '/read (core)',
    buildMs: performance.now() - t,
    run: (q) => core.runCommand(caller, 'read', q),
    samples: [],
  });

  // The same core bypassing its outcome cache: what a query not seen recently costs.
  const search = core.services.search;
  engines.push({
    name: '/read (core, uncached)',
    buildMs: 0,
    run: async (q) => {
      const keep = search.cacheLimit;
      search.cacheLimit = 0;
      try {
        return await core.runCommand(caller, 'read', q);
      } finally {
        search.cacheLimit = keep;
      }
    },
    samples: [],
  });

  const docs = flatDocs(catalog);
  t = performance.now();
  const mini = new MiniSearch({ fields: ['title', 'tags', 'series', 'author', 'summary'], storeFields: [] });
  mini.addAll(docs);
  const miniMs = performance.now() - t;
  const miniOpts = {
    fuzzy: 0.2,
    prefix: true,
    boost: { title: 3, tags: 2, series: 1.5, author: 2, summary: 1 },
  };
  engines.push({
    name: 'MiniSearch fuzzy+prefix',
    buildMs: miniMs,
    run: (q) => mini.search(q, miniOpts).slice(0, 50),
    samples: [],
  });

  t = performance.now();
  const flex = new FlexSearch.Document({
    document: { id: 'id', index: ['title', 'tags', 'series', 'author', 'summary'] },
    tokenize: 'forward',
    encoder: 'LatinBalance',
  } as never);
  for (const d of docs) flex.add(d as never);
  const flexMs = performance.now() - t;
  engines.push({
    name: 'FlexSearch Document',
    buildMs: flexMs,
    run: (q) => flex.search(q, { limit: 50, suggest: true, merge: true } as never),
    samples: [],
  });

  const probe = await core.runCommand(caller, 'read', 'raft');
  if (probe.status !== 'ok') throw new Error(`/read raft answered ${probe.status}: ${probe.text}`);
  // Warm-up: JIT and first-touch allocation, not measured.
  for (const q of queries) for (const e of engines) await e.run(q);

  const started = performance.now();
  let rounds = 0;
  do {
    rounds++;
    for (const q of queries) {
      for (const e of engines) {
        const s = performance.now();
        await e.run(q);
        e.samples.push(performance.now() - s);
      }
    }
  } while (performance.now() - started < budgetMs || rounds < minRounds);

  await core.close();
  rmSync(dataDir, { recursive: true, force: true });
  return engines.map((e) => {
    const sorted = [...e.samples].sort((a, b) => a - b);
    return {
      size,
      engine: e.name,
      buildMs: e.buildMs,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      max: sorted[sorted.length - 1] ?? NaN,
      samples: sorted.length,
    };
  });
}
