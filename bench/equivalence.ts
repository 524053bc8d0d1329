// Result-equivalence check for search optimisations: dump every outcome for the benchmark mix, the eval
// sets (the shared public one, eval/*.json) and extra shapes on the real catalog and on synthetic ones,
// then compare with a dump taken before the change. Everything a reply shows is dumped, scores to 1e-9.
//   npx tsx bench/equivalence.ts --write /tmp/before.json     (before changing src/search/)
//   npx tsx bench/equivalence.ts --compare /tmp/before.json   (after each change; exit 1 on any difference)
// QR_EQ_SIZES=0,100000 picks the catalogs (0 = the real one; default 0,10000).
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadCatalog } from '../src/catalog/load.ts';
import { ReadingSearch, type SearchOutcome } from '../src/search/reading-search.ts';
import { evalQueries, queryMix } from './queries.ts';
import { syntheticCatalog } from './synthetic-catalog.ts';

const DATA = fileURLToPath(new URL('../data', import.meta.url));
const EVAL = new URL('../eval/', import.meta.url);

interface Dumped {
  catalog: string;
  query: string;
  mode: string;
  corrected?: string;
  tag?: string;
  series?: string;
  mentioned: string[];
  didYouMean: string[];
  note?: string;
  missing?: string;
  anchor?: string;
  sides?: [string, string];
  filters?: SearchOutcome['filters'];
  ids: string[];
  scores: number[];
  /** Per hit, the ids of the readings shown with it (empty when none). */
  companions: string[][];
}

/** A score to 1e-9: equal dumps mean the same order and the same numbers a reply could show. */
const round9 = (x: number) => Math.round(x * 1e9) / 1e9;

function dumpOne(label: string, query: string, o: SearchOutcome): Dumped {
  return {
    catalog: label,
    query,
    mode: o.mode,
    corrected: o.corrected,
    tag: o.tag,
    series: o.series?.id,
    mentioned: o.mentioned,
    didYouMean: o.didYouMean,
    note: o.note,
    missing: o.missing,
    anchor: o.anchor?.id,
    sides: o.sides,
    filters: o.filters,
    ids: o.hits.map((h) => h.reading.id),
    scores: o.hits.map((h) => round9(h.score)),
    companions: o.hits.map((h) => (h.companions ?? []).map((r) => r.id)),
  };
}

function dump(label: string, search: ReadingSearch, queries: string[]): Dumped[] {
  // Uncached, as the latency benchmark measures; then once more through the cache, which must agree.
  search.useCache = false;
  const out = queries.map((q) => dumpOne(label, q, search.search(q)));
  search.useCache = true;
  for (const q of queries) search.search(q);
  const cached = queries.map((q) => dumpOne(label, q, search.search(q)));
  if (JSON.stringify(cached) !== JSON.stringify(out)) throw new Error(`${label}: cached outcomes differ`);
  return out;
}

/** Every query set: the benchmark mix (with the public eval's), each eval/*.json, and the extra shapes. */
export function allQueries(): string[] {
  const sets = readdirSync(EVAL)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((f) => evalQueries(new URL(f, EVAL)));
  return [...new Set([...queryMix(), ...sets, ...extraQueries()])];
}

export function dumpAll(sizes = [0, 10_000]): Dumped[] {
  const real = loadCatalog(DATA);
  const queries = allQueries();
  const out: Dumped[] = [];
  for (const size of sizes) {
    const catalog = size === 0 ? real : syntheticCatalog(real, size);
    out.push(...dump(size === 0 ? 'real' : `syn${size}`, ReadingSearch.create(catalog), queries));
  }
  return out;
}

/** More typo and prefix shapes than the benchmark mix, to exercise the corrector's edge cases. */
function extraQueries(): string[] {
  return [
    'raftt',
    'pxos',
    'concensus algorithm',
    'eventally',
    'consistenc',
    'transactoins isolation',
    'snapshott isolaton',
    'clcoks',
    'timestamps ordering',
    'kafak streams',
    'casandra',
    'memcahced',
    'sharding vs partitioning',
    'tla+',
    '6.824',
    'mit 6.5840',
    'what should i read first',
    'latencies',
    'failures',
    'lock',
    // learner shapes: comparisons, what-next, filters written in the query, beginners
    'raft vs paxos papers',
    'spanner or dynamo',
    'what to read after ddia chapter 5',
    'next after the raft paper',
    'I finished the zookeeper lecture, what comes next',
    'ddia chapter 40',
    'kind:paper consensus',
    'level:intro replication',
    'kind:talk level:advanced clocks',
    'short papers on clocks',
    'under 10 minutes on gossip',
    'where should I start',
    'new to distributed systems',
  ];
}

function main(): void {
  const [flag, path] = process.argv.slice(2);
  const sizes = (process.env.QR_EQ_SIZES ?? '0,10000').split(',').map(Number);
  const now = dumpAll(sizes);
  if (flag === '--write' && path) {
    writeFileSync(path, JSON.stringify(now, null, 1));
    console.log(`wrote ${now.length} outcomes to ${path}`);
    return;
  }
  if (flag === '--compare' && path) {
    const before = JSON.parse(readFileSync(path, 'utf8')) as Dumped[];
    let diffs = 0;
    for (let i = 0; i < Math.max(before.length, now.length); i++) {
      const a = before[i] ? JSON.stringify(before[i]) : 'missing';
      const b = now[i] ? JSON.stringify(now[i]) : 'missing';
      if (a !== b) {
        diffs++;
        if (diffs <= 10)
          console.log(
            `DIFF ${before[i]?.catalog}/${JSON.stringify(before[i]?.query)}\n  before ${a}\n  after  ${b}`,
          );
      }
    }
    console.log(
      diffs === 0 ? `identical: ${now.length} outcomes` : `${diffs} of ${now.length} outcomes differ`,
    );
    process.exit(diffs === 0 ? 0 : 1);
  }
  console.error('usage: tsx bench/equivalence.ts --write FILE | --compare FILE');
  process.exit(2);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
