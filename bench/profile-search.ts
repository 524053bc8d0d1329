// Per-query /read search timings at one size, for profiling: `node --cpu-prof --import tsx bench/profile-search.ts 100000`.
import { fileURLToPath } from 'node:url';
import { loadCatalog } from '../src/catalog/load.ts';
import { ReadingSearch } from '../src/search/reading-search.ts';
import { percentile } from './latency.ts';
import { queryMix } from './queries.ts';
import { syntheticCatalog } from './synthetic-catalog.ts';

const size = Number(process.argv[2] ?? 100_000);
const rounds = Number(process.argv[3] ?? 5);
const real = loadCatalog(fileURLToPath(new URL('../data', import.meta.url)));
const catalog = size ? syntheticCatalog(real, size) : real;
let t = performance.now();
const search = ReadingSearch.create(catalog);
// Every query is repeated: measure the search, not the outcome cache.
search.useCache = false;
console.log(`size ${catalog.readings.length}: build ${(performance.now() - t).toFixed(0)} ms`);
const queries = queryMix();
const per = new Map<string, number[]>();
for (const q of queries) search.search(q);
for (let r = 0; r < rounds; r++)
  for (const q of queries) {
    t = performance.now();
    search.search(q);
    const ms = performance.now() - t;
    per.set(q, [...(per.get(q) ?? []), ms]);
  }
const all = [...per.values()].flat().sort((a, b) => a - b);
console.log(
  `search p50 ${percentile(all, 50).toFixed(2)} ms, p99 ${percentile(all, 99).toFixed(2)} ms, n ${all.length}`,
);
const worst = [...per].map(([q, xs]) => [q, xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!] as const);
worst.sort((a, b) => b[1] - a[1]);
for (const [q, ms] of worst.slice(0, 15)) console.log(`  ${ms.toFixed(2).padStart(8)} ms  ${q}`);
