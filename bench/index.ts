// `npm run bench` (full: real, 1k, 10k, 100k) or `npm run bench:quick` (real, 1k, 10k; shorter runs).
// Parts: --only=latency|startup|load|load-slack|saves|discord-cache.
// Every comparison is made within this one process run: read ratios, not absolute numbers, on a busy box.
import { existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadCatalog } from '../src/catalog/load.ts';
import { loadConfig } from '../src/config.ts';
import { createCore } from '../src/core.ts';
import { SavesService } from '../src/saves/service.ts';
import { measureLatency, type LatencyRow } from './latency.ts';
import { measureLoad } from './load.ts';
import { queryMix } from './queries.ts';
import { ensureBuild } from './build.ts';
import { measureFirstAnswer, measureStartup, type StartupRun } from './startup.ts';
import { syntheticCatalog, writeCatalogDir } from './synthetic-catalog.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DATA = fileURLToPath(new URL('../data', import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = (section: string) =>
  !args.some((a) => a.startsWith('--only=')) || args.includes(`--only=${section}`);
const sizesArg = args.find((a) => a.startsWith('--sizes='));
// --sizes=0,100000 picks catalog sizes for latency (0 = the real catalog) and the synthetic start-up runs.
const sizes = sizesArg
  ? sizesArg.slice('--sizes='.length).split(',').map(Number)
  : quick
    ? [0, 1_000, 10_000]
    : [0, 1_000, 10_000, 100_000];
const f = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
const pad = (s: string, n: number) => s.padEnd(n);
const lpad = (s: string, n: number) => s.padStart(n);

async function latencySection(): Promise<void> {
  const real = loadCatalog(DATA);
  const queries = queryMix();
  console.log(
    `\n## /read latency (${queries.length}-query mix: tags, keywords, questions, typos, series, nonsense)`,
  );
  console.log(
    'one process; engine by engine, each after a full GC; ratios = engine p50/p99 over /read p50/p99\n',
  );
  console.log(
    `${pad('size', 8)}${pad('engine', 26)}${lpad('build ms', 10)}${lpad('p50 ms', 9)}${lpad('p99 ms', 9)}${lpad('max ms', 9)}${lpad('n', 6)}${lpad('p50 ×', 9)}${lpad('p99 ×', 9)}`,
  );
  for (const size of sizes) {
    const catalog = size === 0 ? real : syntheticCatalog(real, size);
    const rows: LatencyRow[] = await measureLatency(
      catalog,
      queries,
      quick ? 1500 : size >= 100_000 ? 8000 : 4000,
      quick ? 2 : 3,
    );
    const base = rows[0]!;
    for (const r of rows)
      console.log(
        `${pad(String(r.size), 8)}${pad(r.engine, 26)}${lpad(f(r.buildMs), 10)}${lpad(f(r.p50), 9)}${lpad(f(r.p99), 9)}${lpad(f(r.max), 9)}${lpad(String(r.samples), 6)}${lpad((r.p50 / base.p50).toFixed(2), 9)}${lpad((r.p99 / base.p99).toFixed(2), 9)}`,
      );
  }
}

/** Figures measured with tsx before the compiled build (issue 15), printed beside today's. */
const BEFORE_BUILD = { answer: '1.37–1.48 s', rss: '118–122 MB' };

async function startupSection(): Promise<void> {
  ensureBuild();
  console.log(
    '\n## Start to first answer (child process, console adapter, SQLite store, real catalog: spawn, type /read raft)\n',
  );
  const first = await measureFirstAnswer(DATA);
  console.log(`${pad('run', 26)}${lpad('answer ms', 11)}${lpad('idle RSS MB', 13)}${lpad('peak MB', 9)}`);
  for (const r of first)
    console.log(
      `${pad(r.label, 26)}${lpad(f(r.answerMs), 11)}${lpad(r.idleRssMb.toFixed(0), 13)}${lpad(r.peakRssMb.toFixed(0), 9)}`,
    );
  const later = first.filter((r) => r.label.startsWith('compiled (npm start)'));
  const worst = (k: 'answerMs' | 'idleRssMb') => Math.max(...later.map((r) => r[k]));
  console.log(
    `compiled, later starts: answer ≤ ${f(worst('answerMs'))} ms (goal ≤ 700), idle RSS ≤ ${worst('idleRssMb').toFixed(0)} MB (goal ≤ 90); ` +
      `before the build (tsx, issue 15): ${BEFORE_BUILD.answer}, ${BEFORE_BUILD.rss}`,
  );

  console.log(
    '\n## Start-up to "core ready" (child process: node dist/src/main.js, console adapter, memory store)\n',
  );
  const real = loadCatalog(DATA);
  const runs: StartupRun[] = [...(await measureStartup(`real ${real.readings.length}`, DATA))];
  for (const size of sizesArg ? sizes.filter((n) => n > 0) : quick ? [10_000] : [1_000, 10_000, 100_000]) {
    const dir = writeCatalogDir(syntheticCatalog(real, size), DATA);
    try {
      runs.push(...(await measureStartup(`syn ${size}`, dir)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log(
    `${pad('run', 34)}${lpad('ready ms', 10)}${lpad('heap MB', 9)}${lpad('RSS MB', 9)}${lpad('peak MB', 9)}`,
  );
  for (const r of runs)
    console.log(
      `${pad(r.label, 34)}${lpad(f(r.readyMs), 10)}${lpad(Number.isNaN(r.heapMb) ? '-' : r.heapMb.toFixed(0), 9)}${lpad(r.rssMb.toFixed(0), 9)}${lpad(r.peakRssMb.toFixed(0), 9)}`,
    );
}

async function loadSection(): Promise<void> {
  const config = loadConfig({
    QR_ADAPTER: 'console',
    QR_DATA_DIR: mkdtempSync(join(tmpdir(), 'qr-load-')),
    QR_STORE_URL: 'memory://',
    QR_FETCH_TITLES: 'false',
  });
  const core = await createCore({ config });
  const hasSave = core.commands.some((c) => c.name === 'save');
  const users = 200;
  console.log(`\n## Load: ${users} concurrent console sessions on one core (real catalog, memory store)`);
  if (!hasSave) console.log('(no `save` command registered yet: reads only)');
  else console.log('(each user alternates /read and /save <unique link>; saves counted in the store after)');
  const saves = hasSave ? new SavesService(core.services.store, core.services.catalog) : undefined;
  const r = await measureLoad(core, queryMix(), {
    users,
    perUser: 6,
    ...(saves
      ? {
          saveLine: (i: number) => `/save https://load.example/item-${i}`,
          countSaves: async () => {
            let n = 0;
            for (let u = 0; u < users; u++)
              n += await saves.count({
                platform: 'console',
                workspaceId: 'local',
                userId: `load-user-${u}`,
                channelId: 'console',
                canManageChannel: true,
              });
            return n;
          },
        }
      : {}),
  });
  console.log(
    `commands ${r.commands}, answered ${r.answered}, reply p50 ${f(r.p50)} ms, p99 ${f(r.p99)} ms, max ${f(r.max)} ms, wall ${f(r.wallMs)} ms` +
      (r.saves ? `, saves sent ${r.saves.sent} stored ${r.saves.stored}` : ''),
  );
  await core.close();
}

async function savesSection(): Promise<void> {
  const path = new URL('./saves.ts', import.meta.url);
  if (!existsSync(fileURLToPath(path))) {
    console.log('\n## Saves\n(bench/saves.ts not present yet)');
    return;
  }
  const mod = (await import(path.href)) as { benchSaves?: () => Promise<unknown> };
  console.log('\n## Saves (bench/saves.ts)');
  const result = mod.benchSaves ? await mod.benchSaves() : undefined;
  // benchSaves() prints its own lines; its return value is for callers that want the numbers.
  void result;
}

async function slackLoadSection(): Promise<void> {
  // Imported here: it spawns a bot process and reuses the tests' fake Slack.
  const { benchSlackLoad } = await import('./load-slack.ts');
  console.log(
    '\n## Load through the Slack HTTP receiver (bench/load-slack.ts, compiled bot; skip with --no-slack-load)\n',
  );
  await benchSlackLoad({ rounds: quick ? 1 : 3 });
  console.log(
    '\nbefore the build (tsx, issue 15): first burst ack p99 808 ms on SQLite, 658 ms on Redis; goal < 500 ms',
  );
}

async function discordCacheSection(): Promise<void> {
  const { benchDiscordCache } = await import('./discord-cache.ts');
  console.log(
    '\n## Discord shard memory: 2,500 guilds and a busy hour (bench/discord-cache.ts, compiled bot)\n',
  );
  await benchDiscordCache(quick ? { guilds: 500, minutes: 10 } : {});
}

console.log(
  `# Quorum Reads benchmarks (${quick ? 'quick' : 'full'}) — node ${process.version}, ${new Date().toISOString()}`,
);
if (only('latency')) await latencySection();
if (only('startup')) await startupSection();
if (only('load')) await loadSection();
if (only('load-slack') && !args.includes('--no-slack-load')) await slackLoadSection();
if (only('saves')) await savesSection();
if (only('discord-cache')) await discordCacheSection();
