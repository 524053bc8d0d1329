// Result-equivalence check for search optimisations: dump every outcome for the query mix on the real
// catalog and on a synthetic one, then compare with a dump taken before the change.
//   npx tsx bench/equivalence.ts --write /tmp/before.json     (before changing src/search/)
//   npx tsx bench/equivalence.ts --compare /tmp/before.json   (after each change; exit 1 on any difference)
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadCatalog } from '../src/catalog/load.ts';
import { ReadingSearch, type SearchOutcome } from '../src/search/reading-search.ts';
import { queryMix } from './queries.ts';
import { syntheticCatalog } from './synthetic-catalog.ts';

const DATA = fileURLToPath(new URL('../data', import.meta.url));

interface Dumped {
  catalog: string;
  query: string;
  mode: string;
  corrected?: string;
  tag?: string;
  series?: string;
  mentioned: string[];
  didYouMean: string[];
  ids: string[];
  scores: number[];
}

function dump(label: string, search: ReadingSearch, queries: string[]): Dumped[] {
  return queries.map((query) => {
    const o: SearchOutcome = search.search(query);
    return {
      catalog: label,
      query,
      mode: o.mode,
      corrected: o.corrected,
      tag: o.tag,
      series: o.series?.id,
      mentioned: o.mentioned,
      didYouMean: o.didYouMean,
      ids: o.hits.map((h) => h.reading.id),
      scores: o.hits.map((h) => Math.round(h.score * 1e6) / 1e6),
    };
  });
}

export function dumpAll(sizes = [0, 10_000]): Dumped[] {
  const real = loadCatalog(DATA);
  const queries = [...queryMix(), ...extraQueries()];
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
      const a = before[i];
      const b = now[i];
      const strip = (d?: Dumped) =>
        d ? JSON.stringify({ ...d, scores: d.scores.map((s) => s.toFixed(4)) }) : 'missing';
      if (strip(a) !== strip(b)) {
        diffs++;
        if (diffs <= 10)
          console.log(
            `DIFF ${a?.catalog}/${JSON.stringify(a?.query)}\n  before ${strip(a)}\n  after  ${strip(b)}`,
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
