// `npm run catalog:check`: validate data/ and print a one-line summary (last line, fixed format).
import { loadCatalog, CatalogError } from './load.ts';

const dir = process.argv[2] ?? 'data';
try {
  const c = loadCatalog(dir);
  const linked = c.readings.filter((r) => r.link.status !== 'none').length;
  const verified = c.readings.filter((r) => r.link.status === 'verified').length;
  console.log(
    `links: ${verified} verified, ${linked - verified} cited, ${c.readings.length - linked} without a link`,
  );
  const papers = c.readings.filter((r) => r.kind === 'paper').length;
  console.log(
    `catalog: ${c.readings.length} entries, ${c.tags.length} tags, ${verified} verified links, ${linked - verified} cited links, ${papers} papers`,
  );
} catch (e) {
  if (e instanceof CatalogError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}
