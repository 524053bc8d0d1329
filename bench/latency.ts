// /read latency through the core, side by side with a bare MiniSearch and a FlexSearch Document index
// on the same corpus and query mix, in one process run: engine by engine, each after a full GC.
import FlexSearch from 'flexsearch';
import MiniSearch from 'minisearch';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Catalog } from '../src/catalog/load.ts';
import { authorLine } from '../src/catalog/schema.ts';
import type { Caller } from '../src/caller.ts';
import { loadConfig } from '../src/config.ts';
import { createCore, type Core } from '../src/core.ts';

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
    author: authorLine(r),
    series: r.series ?? '',
  }));
}

/** A full GC between engines (V8's gc(), exposed at run time rather than by a node flag). */
const collectGarbage: () => void = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

interface Engine {
  name: string;
  /** Build the engine's index (timed) and return its query function. */
  build(): Promise<(q: string) => unknown> | ((q: string) => unknown);
  /** After its samples: release what the engines after it should not carry. */
  done?(): Promise<void>;
}

/**
 * Measure every engine on `catalog`, about `budgetMs` of wall time in all (at least `minRounds` rounds
 * each). Engine by engine: each is built, warmed up, measured after a full GC, then dropped before the
 * next is built. So /read runs in a heap holding what the bot holds, not a bare MiniSearch index of
 * the same corpus (whose queries leave hundreds of MB of garbage at 100k); each engine's own garbage is
 * collected inside its block and counted there.
 */
export async function measureLatency(
  catalog: Catalog,
  queries: string[],
  budgetMs: number,
  minRounds = 3,
): Promise<LatencyRow[]> {
  const size = catalog.readings.length;
  const dataDir = mkdtempSync(join(tmpdir(), 'qr-bench-'));
  let core: Core | undefined;
  const docs = flatDocs(catalog);

  const engines: Engine[] = [
    {
      name: '/read (core)',
      build: async () => {
        core = await createCore({
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
        const c = core;
        const probe = await c.runCommand(caller, 'read', 'raft');
        if (probe.status !== 'ok') throw new Error(`/read raft answered ${probe.status}: ${probe.text}`);
        return (q) => c.runCommand(caller, 'read', q);
      },
    },
    {
      // The same core bypassing its outcome cache: what a query not seen recently costs.
      name: '/read (core, uncached)',
      build: () => {
        const c = core!;
        const search = c.services.search;
        return async (q) => {
          search.useCache = false;
          try {
            return await c.runCommand(caller, 'read', q);
          } finally {
            search.useCache = true;
          }
        };
      },
      // The core serves both /read rows; the peers then run in a heap without it.
      done: async () => {
        await core?.close();
        core = undefined;
      },
    },
    {
      name: 'MiniSearch fuzzy+prefix',
      build: () => {
        const mini = new MiniSearch({
          fields: ['title', 'tags', 'series', 'author', 'summary'],
          storeFields: [],
        });
        mini.addAll(docs);
        const opts = {
          fuzzy: 0.2,
          prefix: true,
          boost: { title: 3, tags: 2, series: 1.5, author: 2, summary: 1 },
        };
        return (q) => mini.search(q, opts).slice(0, 50);
      },
    },
    {
      name: 'FlexSearch Document',
      build: () => {
        const flex = new FlexSearch.Document({
          document: { id: 'id', index: ['title', 'tags', 'series', 'author', 'summary'] },
          tokenize: 'forward',
          encoder: 'LatinBalance',
        } as never);
        for (const d of docs) flex.add(d as never);
        return (q) => flex.search(q, { limit: 50, suggest: true, merge: true } as never);
      },
    },
  ];

  const perEngine = budgetMs / engines.length;
  const rows: LatencyRow[] = [];
  for (const e of engines) {
    let t = performance.now();
    let run: ((q: string) => unknown) | undefined = await e.build();
    const buildMs = performance.now() - t;
    // A full GC, then warm-up: the round after a forced GC pays for re-growing the heap and
    // re-compiling flushed code (30 ms spikes at 100k), which the bot does not do between commands.
    collectGarbage();
    for (const q of queries) await run(q);
    const samples: number[] = [];
    const started = performance.now();
    let rounds = 0;
    do {
      rounds++;
      for (const q of queries) {
        t = performance.now();
        await run(q);
        samples.push(performance.now() - t);
      }
    } while (performance.now() - started < perEngine || rounds < minRounds);
    run = undefined;
    await e.done?.();
    samples.sort((x, y) => x - y);
    rows.push({
      size,
      engine: e.name,
      buildMs,
      p50: percentile(samples, 50),
      p99: percentile(samples, 99),
      max: samples[samples.length - 1] ?? NaN,
      samples: samples.length,
    });
  }
  rmSync(dataDir, { recursive: true, force: true });
  return rows;
}
