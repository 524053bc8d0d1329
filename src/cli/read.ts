// `npm run --silent read -- --json "q1" "q2"`: one JSON line per query, nothing else on stdout.
import { loadCatalog } from '../catalog/load.ts';
import { displayTitle } from '../catalog/schema.ts';
import { loadConfig } from '../config.ts';
import { ReadingSearch } from '../search/reading-search.ts';
import { join } from 'node:path';

// Piped into `head`: stop quietly when the reader goes away.
process.stdout.on('error', (e: NodeJS.ErrnoException) => process.exit(e.code === 'EPIPE' ? 0 : 1));

const args = process.argv.slice(2);
const json = args.includes('--json');
const queries = args.filter((a) => a !== '--json');
if (queries.length === 0) {
  console.error('usage: npm run --silent read -- [--json] "query" ["query" ...]');
  process.exit(2);
}
const config = loadConfig();
const catalog = loadCatalog(config.catalogDir, {
  validatedCachePath: join(config.dataDir, 'index', 'catalog-validated'),
});
const search = ReadingSearch.create(catalog, {
  snapshotPath: join(config.dataDir, 'index', 'snapshot.bin'),
});
for (const query of queries) {
  const outcome = search.search(query, { limit: 10 });
  const results = outcome.hits.map((h) => ({
    id: h.reading.id,
    title: displayTitle(h.reading),
    url: h.reading.link.status === 'none' ? null : h.reading.link.url,
    tags: h.reading.tags,
    score: Math.round(h.score * 1000) / 1000,
    // Shown on this result's line (the paper its notes assign), not ranked on their own.
    ...(h.companions ? { companions: h.companions.map((c) => ({ id: c.id, title: displayTitle(c) })) } : {}),
  }));
  if (json) console.log(JSON.stringify({ query, results }));
  else {
    console.log(`${query}${outcome.corrected ? ` (read as "${outcome.corrected}")` : ''}`);
    results.forEach((r, i) => {
      console.log(`  ${i + 1}. ${r.title}  [${r.score}]`);
      for (const c of r.companions ?? []) console.log(`       with: ${c.title}`);
    });
    if (!results.length) console.log(`  nothing; did you mean: ${outcome.didYouMean.join(', ')}`);
  }
}
