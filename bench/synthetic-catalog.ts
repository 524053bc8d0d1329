// Deterministic synthetic catalogs at 1k / 10k / 100k readings, drawn from the real catalog's statistics.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Catalog } from '../src/catalog/load.ts';
import type { Reading } from '../src/catalog/schema.ts';

/** mulberry32: small, fast, good enough for test data; same seed → same catalog on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Draws from a weighted list in O(log n) via a cumulative table. */
class Weighted<T> {
  private readonly cum: Float64Array;
  constructor(
    readonly items: T[],
    weights: number[],
  ) {
    this.cum = new Float64Array(weights.length);
    let s = 0;
    weights.forEach((w, i) => (this.cum[i] = s += w));
  }
  pick(rand: () => number): T {
    const x = rand() * this.cum[this.cum.length - 1]!;
    let lo = 0;
    let hi = this.cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cum[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo]!;
  }
}

const WORD = /[A-Za-z][A-Za-z0-9'.+-]*[A-Za-z0-9+]|[A-Za-z0-9]/g;

function lengths(xs: number[]): Weighted<number> {
  const counts = new Map<number, number>();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  return new Weighted([...counts.keys()], [...counts.values()]);
}

/**
 * Word draws follow the real corpus's rank/frequency curve (Zipf-like: the real counts, by rank) but over
 * a vocabulary that grows with the catalog, as real text does (Heaps' law): beyond the real words, new
 * pronounceable words appear with a Zipf tail of weight 1/rank.
 */
function vocabulary(realWords: string[], size: number, rand: () => number): Weighted<string> {
  const counts = new Map<string, number>();
  for (const w of realWords) counts.set(w, (counts.get(w) ?? 0) + 1);
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const words = ranked.map(([w]) => w);
  const weights = ranked.map(([, c]) => c);
  // Heaps: vocabulary ≈ K·n^0.6 over tokens; extra words take the tail of a 1/rank curve.
  const extra = Math.max(0, Math.round(ranked.length * Math.pow(size / 131, 0.6)) - ranked.length);
  const syllables = [
    'ra',
    'to',
    'ken',
    'mi',
    'lo',
    'qu',
    'or',
    'sha',
    'rd',
    'ix',
    'vel',
    'po',
    'net',
    'ca',
    'che',
    'lan',
    'tr',
    'um',
    'sy',
    'nc',
  ];
  const seen = new Set(words);
  const base = weights[0] ?? 1;
  for (let i = 0; i < extra; i++) {
    let w = '';
    do {
      w = '';
      const n = 2 + Math.floor(rand() * 3);
      for (let k = 0; k < n; k++) w += syllables[Math.floor(rand() * syllables.length)];
    } while (seen.has(w));
    seen.add(w);
    words.push(w);
    weights.push(base / (ranked.length + i + 1));
  }
  return new Weighted(words, weights);
}

function sentence(vocab: Weighted<string>, n: number, rand: () => number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(vocab.pick(rand));
  const s = out.join(' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export interface SyntheticOptions {
  seed?: number;
}

/**
 * A catalog of `size` readings shaped like `real`: the real readings first (so every real query still
 * has its real answers), then generated ones whose titles, summaries, authors, tag counts and series
 * membership follow the real distributions. Tags, sources and series are the real ones.
 */
export function syntheticCatalog(real: Catalog, size: number, opts: SyntheticOptions = {}): Catalog {
  const rand = prng(opts.seed ?? 42);
  const tokens = (s: string) => s.match(WORD) ?? [];
  const titleWords = real.readings.flatMap((r) => tokens(r.title));
  const summaryWords = real.readings.flatMap((r) => tokens(r.summary));
  const titleVocab = vocabulary(titleWords, size, rand);
  const summaryVocab = vocabulary([...summaryWords, ...titleWords], size, rand);
  const titleLen = lengths(real.readings.map((r) => tokens(r.title).length));
  const summaryLen = lengths(real.readings.map((r) => Math.max(5, tokens(r.summary).length)));
  const tagCount = lengths(real.readings.map((r) => r.tags.length));
  const tagUse = new Map<string, number>();
  for (const r of real.readings) for (const t of r.tags) tagUse.set(t, (tagUse.get(t) ?? 0) + 1);
  // Every known tag can be drawn (unused ones rarely), in proportion to real use.
  const tags = new Weighted(
    real.tags.map((t) => t.id),
    real.tags.map((t) => (tagUse.get(t.id) ?? 0) + 0.5),
  );
  const authors = [...new Set(real.readings.flatMap((r) => r.authors ?? []))];
  const authorRate = real.readings.filter((r) => r.authors).length / real.readings.length;
  const seriesRate = real.readings.filter((r) => r.series).length / real.readings.length;
  const kindNames = [...new Set(real.readings.map((r) => r.kind))];
  const kinds = new Weighted(
    kindNames,
    kindNames.map((k) => real.readings.filter((r) => r.kind === k).length),
  );
  const levelNames = [...new Set(real.readings.map((r) => r.level))];
  const levels = new Weighted(
    levelNames,
    levelNames.map((l) => real.readings.filter((r) => r.level === l).length),
  );
  const sources = real.sources.map((s) => s.id);
  const nextOrder = new Map<string, number>();
  for (const r of real.readings)
    if (r.series && r.order) nextOrder.set(r.series, Math.max(nextOrder.get(r.series) ?? 0, r.order));

  // Titles are at least 3 characters, as the schema asks: a one-word draw can be "go".
  const syntheticTitle = () => {
    let title = sentence(titleVocab, titleLen.pick(rand), rand).slice(0, 200).trim();
    while (title.length < 3) title = `${title} ${sentence(titleVocab, 1, rand)}`.trim();
    return title;
  };
  const readings: Reading[] = real.readings.slice(0, size);
  for (let i = readings.length; i < size; i++) {
    const nTags = tagCount.pick(rand);
    const chosen = new Set<string>();
    while (chosen.size < nTags) chosen.add(tags.pick(rand));
    const r: Reading = {
      id: `syn-${i.toString().padStart(6, '0')}`,
      title: syntheticTitle(),
      link: { status: 'none' },
      summary: `${sentence(summaryVocab, summaryLen.pick(rand), rand)
        .slice(0, 1190)
        .replace(/\s+\S*$/, '')}.`,
      tags: [...chosen],
      sources: [sources[Math.floor(rand() * sources.length)]!],
      kind: kinds.pick(rand),
      level: levels.pick(rand),
    };
    if (rand() < authorRate) r.authors = [authors[Math.floor(rand() * authors.length)]!];
    if (r.kind === 'paper') {
      // The schema asks every paper for its byline, year, venue and how they were confirmed.
      r.authors ??= [authors[Math.floor(rand() * authors.length)]!];
      r.year = 1978 + Math.floor(rand() * 47);
      r.venue = 'Synthetic Proceedings';
      r.metadataEvidence = 'synthetic reading generated for benchmarks; nothing was looked up';
    }
    if (real.series.length && rand() < seriesRate / 4) {
      const s = real.series[Math.floor(rand() * real.series.length)]!.id;
      const order = (nextOrder.get(s) ?? 0) + 1;
      nextOrder.set(s, order);
      r.series = s;
      r.order = order;
      if (!r.tags.includes(s) && real.tagById.has(s) && r.tags.length < 12) r.tags.push(s);
    }
    readings.push(r);
  }
  const hash = createHash('sha256')
    .update(`${real.hash}:${size}:${opts.seed ?? 42}`)
    .digest('hex')
    .slice(0, 16);
  return {
    ...real,
    readings,
    byId: new Map(readings.map((r) => [r.id, r])),
    hash,
  };
}

/**
 * Write `catalog` as a data dir loadCatalog() accepts (tags/sources copied from `realDir`), for start-up
 * benchmarks in child processes. Returns the directory.
 */
export function writeCatalogDir(
  catalog: Catalog,
  realDir: string,
  dir = mkdtempSync(join(tmpdir(), 'qr-cat-')),
): string {
  mkdirSync(join(dir, 'readings'), { recursive: true });
  writeFileSync(join(dir, 'tags.json'), readFileSync(join(realDir, 'tags.json')));
  writeFileSync(join(dir, 'sources.json'), readFileSync(join(realDir, 'sources.json')));
  const chunk = 10_000;
  for (let i = 0; i < catalog.readings.length; i += chunk) {
    const part = catalog.readings.slice(i, i + chunk);
    writeFileSync(
      join(dir, 'readings', `part-${String(i / chunk).padStart(3, '0')}.json`),
      JSON.stringify({ readings: part }),
    );
  }
  return dir;
}
