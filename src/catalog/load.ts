import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { ZodError, ZodType, ZodTypeDef } from 'zod';
import {
  readingFileSchema,
  readingSchema,
  SCHEMA_VERSION,
  seriesSchema,
  sourceFileSchema,
  sourceSchema,
  tagFileSchema,
  tagSchema,
  type Reading,
  type Series,
  type Source,
  type Tag,
} from './schema.ts';

export interface Catalog {
  readings: Reading[];
  byId: Map<string, Reading>;
  tags: Tag[];
  tagById: Map<string, Tag>;
  /** Every lower-cased spelling of a tag (id, label, aliases, space/hyphen variants) → tag id. */
  tagAliases: Map<string, string>;
  /** Seed tags that are noise for readers (`distcomp`, `via:*`). */
  hiddenTags: string[];
  series: Series[];
  sources: Source[];
  /** Content hash of every data file: index snapshots are keyed by it. */
  hash: string;
}

/** A data file problem, located: file, entry id and field. */
export class CatalogError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `catalog invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'CatalogError';
  }
}

function describe(error: ZodError): string[] {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(entry)'}: ${i.message}`);
}

/** Lower-case, `_`/spaces → `-` for matching user spellings of tags. */
export function tagKey(s: string): string {
  return s
    .toLowerCase()
    .trim()
    .replace(/^#/, '')
    .replace(/[\s_]+/g, '-')
    .replace(/-+/g, '-');
}

function readJson(path: string, where: string, problems: string[]): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    problems.push(`${where}: cannot read file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    problems.push(`${where}: not valid JSON (${(e as Error).message})`);
    return undefined;
  }
}

function parseList<T>(
  items: unknown[],
  schema: ZodType<T, ZodTypeDef, unknown>,
  where: string,
  problems: string[],
  rejected?: Set<string>,
): T[] {
  const out: T[] = [];
  items.forEach((item, i) => {
    const r = schema.safeParse(item);
    const id =
      item && typeof item === 'object' && 'id' in item
        ? JSON.stringify((item as { id: unknown }).id)
        : `#${i + 1}`;
    if (r.success) out.push(r.data);
    else {
      for (const p of describe(r.error)) problems.push(`${where}: entry ${id} ${p}`);
      const rawId = (item as { id?: unknown } | null)?.id;
      if (typeof rawId === 'string') rejected?.add(rawId);
    }
  });
  return out;
}

/** Load and cross-check data/: throws CatalogError listing every problem with file, id and field. */
export function validateCatalog(dir: string): Catalog {
  const problems: string[] = [];
  const hash = createHash('sha256');
  const rel = (p: string) => relative(process.cwd(), p) || p;

  const read = (path: string) => {
    try {
      hash.update(readFileSync(path));
    } catch {
      /* reported by readJson */
    }
    return readJson(path, rel(path), problems);
  };

  const tagsPath = join(dir, 'tags.json');
  const tagFile = tagFileSchema.safeParse(read(tagsPath));
  const tags = (tagFile.success ? parseList(tagFile.data.tags, tagSchema, rel(tagsPath), problems) : []).map(
    withPhrasings,
  );
  if (!tagFile.success && problems.length === 0)
    problems.push(...describe(tagFile.error).map((p) => `${rel(tagsPath)}: ${p}`));
  const hiddenTags = tagFile.success ? tagFile.data.hidden : [];

  const sourcesPath = join(dir, 'sources.json');
  const sourceFile = sourceFileSchema.safeParse(read(sourcesPath));
  if (!sourceFile.success && !problems.some((p) => p.startsWith(rel(sourcesPath))))
    problems.push(...describe(sourceFile.error).map((p) => `${rel(sourcesPath)}: ${p}`));
  const sources = sourceFile.success
    ? parseList(sourceFile.data.sources, sourceSchema, rel(sourcesPath), problems)
    : [];
  const series = sourceFile.success
    ? parseList(sourceFile.data.series, seriesSchema, rel(sourcesPath), problems)
    : [];

  const readingsDir = join(dir, 'readings');
  let files: string[] = [];
  try {
    files = readdirSync(readingsDir)
      .filter((f) => f.endsWith('.json'))
      .sort();
  } catch {
    problems.push(`${rel(readingsDir)}: missing directory of reading files`);
  }
  const readings: Reading[] = [];
  // Entries that failed their schema are reported once, there; references to them are not "unknown".
  const rejected = new Set<string>();
  const fileOf = new Map<string, string>();
  for (const f of files) {
    const path = join(readingsDir, f);
    const parsed = readingFileSchema.safeParse(read(path));
    if (!parsed.success) {
      if (!problems.some((p) => p.startsWith(rel(path))))
        problems.push(...describe(parsed.error).map((p) => `${rel(path)}: ${p}`));
      continue;
    }
    for (const r of parseList(parsed.data.readings, readingSchema, rel(path), problems, rejected)) {
      readings.push(r);
      if (!fileOf.has(r.id)) fileOf.set(r.id, rel(path));
    }
  }

  // Cross-references: ids unique, tags/sources/series known, series order strictly increasing per series.
  const tagById = new Map<string, Tag>();
  for (const t of tags) {
    if (tagById.has(t.id)) problems.push(`${rel(tagsPath)}: entry "${t.id}" id: duplicate tag id`);
    tagById.set(t.id, t);
  }
  const tagAliases = new Map<string, string>();
  const claim = (spelling: string, id: string) => {
    const k = tagKey(spelling);
    const prev = tagAliases.get(k);
    if (prev && prev !== id)
      problems.push(
        `${rel(tagsPath)}: entry "${id}" aliases: "${spelling}" is already a spelling of "${prev}"`,
      );
    else tagAliases.set(k, id);
  };
  for (const t of tags) claim(t.id, t.id);
  for (const t of tags) {
    claim(t.label, t.id);
    for (const a of t.aliases) claim(a, t.id);
    for (const r of t.related)
      if (!tagById.has(r)) problems.push(`${rel(tagsPath)}: entry "${t.id}" related: unknown tag "${r}"`);
  }
  const sourceIds = new Set(sources.map((s) => s.id));
  const seriesIds = new Set(series.map((s) => s.id));
  const byId = new Map<string, Reading>();
  const seriesOrders = new Map<string, Map<number, string>>();
  for (const r of readings) {
    const where = `${fileOf.get(r.id)}: entry "${r.id}"`;
    if (byId.has(r.id)) problems.push(`${where} id: duplicate id (also in ${fileOf.get(r.id)})`);
    byId.set(r.id, r);
    r.tags.forEach((t, i) => {
      if (!tagById.has(t)) problems.push(`${where} tags.${i}: unknown tag "${t}" (add it to data/tags.json)`);
    });
    if (new Set(r.tags).size !== r.tags.length) problems.push(`${where} tags: a tag is listed twice`);
    r.sources.forEach((s, i) => {
      if (!sourceIds.has(s)) problems.push(`${where} sources.${i}: unknown source "${s}"`);
    });
    if (r.series !== undefined && r.order !== undefined) {
      if (!seriesIds.has(r.series)) problems.push(`${where} series: unknown series "${r.series}"`);
      const orders = seriesOrders.get(r.series) ?? new Map<number, string>();
      const other = orders.get(r.order);
      if (other) problems.push(`${where} order: ${r.order} is also the order of "${other}" in ${r.series}`);
      orders.set(r.order, r.id);
      seriesOrders.set(r.series, orders);
    }
  }
  problems.push(...checkCurriculum(readings, byId, rejected, (id) => `${fileOf.get(id)}: entry "${id}"`));
  problems.push(...checkStartHere(tags, byId, rejected, (id) => `${rel(tagsPath)}: entry "${id}"`));
  if (readings.length === 0 && files.length > 0 && problems.length === 0)
    problems.push(`${rel(readingsDir)}: no readings`);
  if (problems.length) throw new CatalogError(problems);
  return {
    readings,
    byId,
    tags,
    tagById,
    tagAliases,
    hiddenTags,
    series,
    sources,
    hash: hash.digest('hex').slice(0, 16),
  };
}

const LEVEL_RANK = { intro: 0, core: 1, advanced: 2 } as const;

/**
 * `related` names known readings, never the reading itself, and a paper and a reading about it point
 * at each other (notes → paper and paper → notes), so either one leads a learner to the other.
 */
function checkCurriculum(
  readings: Reading[],
  byId: Map<string, Reading>,
  rejected: ReadonlySet<string>,
  where: (id: string) => string,
): string[] {
  const problems: string[] = [];
  for (const r of readings) {
    (r.related ?? []).forEach((other, i) => {
      if (rejected.has(other)) return;
      const target = byId.get(other);
      if (!target) problems.push(`${where(r.id)} related.${i}: unknown reading "${other}"`);
      else if (other === r.id)
        problems.push(`${where(r.id)} related.${i}: a reading cannot be related to itself`);
      else if ((r.kind === 'paper' || target.kind === 'paper') && !(target.related ?? []).includes(r.id))
        problems.push(
          `${where(r.id)} related.${i}: "${other}" must list "${r.id}" in its related too (papers and readings about them link both ways)`,
        );
    });
    (r.companionOf ?? []).forEach((host, i) => {
      if (rejected.has(host)) return;
      const target = byId.get(host);
      if (!(r.related ?? []).includes(host))
        problems.push(`${where(r.id)} companionOf.${i}: "${host}" must also be in related`);
      else if (target?.companionOf)
        problems.push(
          `${where(r.id)} companionOf.${i}: "${host}" is itself a companion; a companion rides with a reading shown on its own`,
        );
    });
  }
  return problems;
}

/** A tag's startHere path names readings that carry the tag, once each, in intro → core → advanced order. */
function checkStartHere(
  tags: Tag[],
  byId: Map<string, Reading>,
  rejected: ReadonlySet<string>,
  where: (id: string) => string,
): string[] {
  const problems: string[] = [];
  for (const t of tags) {
    let lastRank = -1;
    const seen = new Set<string>();
    t.startHere.forEach((id, i) => {
      if (rejected.has(id)) return;
      const r = byId.get(id);
      if (!r) return void problems.push(`${where(t.id)} startHere.${i}: unknown reading "${id}"`);
      if (seen.has(id)) problems.push(`${where(t.id)} startHere.${i}: "${id}" is listed twice`);
      seen.add(id);
      if (!r.tags.includes(t.id))
        problems.push(`${where(t.id)} startHere.${i}: "${id}" does not carry the tag "${t.id}"`);
      const rank = LEVEL_RANK[r.level];
      if (rank < lastRank)
        problems.push(
          `${where(t.id)} startHere.${i}: "${id}" is ${r.level} but follows a harder reading (order intro → core → advanced)`,
        );
      lastRank = Math.max(lastRank, rank);
    });
  }
  return problems;
}

const usageByCatalog = new WeakMap<Catalog, Map<string, number>>();

/**
 * How many readings carry each tag. A catalog never changes while the bot runs, so this is counted
 * once per catalog: autocomplete, /tags and every tag-of-the-day tick read it.
 */
export function tagUsage(catalog: Catalog): ReadonlyMap<string, number> {
  let counts = usageByCatalog.get(catalog);
  if (!counts) {
    counts = new Map();
    for (const r of catalog.readings) for (const t of r.tags) counts.set(t, (counts.get(t) ?? 0) + 1);
    usageByCatalog.set(catalog, counts);
  }
  return counts;
}

/**
 * Topics a reader can browse (/tags, tag of the day): `kind: "topic"` tags with at least one reading,
 * minus hidden seed noise. Languages (go), collections (ddia, mit-6.824) and meta tags (learning
 * resources) are left out: they are not subjects to study (issue 16, "Paths").
 */
export function tagCounts(catalog: Catalog): Array<{ tag: Tag; count: number }> {
  const counts = tagUsage(catalog);
  const hidden = new Set(catalog.hiddenTags);
  return catalog.tags
    .filter((t) => t.kind === 'topic' && !hidden.has(t.id) && (counts.get(t.id) ?? 0) > 0)
    .map((tag) => ({ tag, count: counts.get(tag.id) ?? 0 }))
    .sort((a, b) => b.count - a.count || a.tag.id.localeCompare(b.tag.id));
}

export interface LoadOptions {
  /**
   * Where to remember the hash of the last catalog that passed validation. Byte-identical files then
   * load without re-validating (zod is most of start-up on a large catalog); any change to any data
   * file, or to the schema version, validates in full again. `catalog:check` and the tests always
   * validate in full.
   */
  validatedCachePath?: string;
}

/** The data files in hashing order: tags, sources, then readings by name. */
function dataFiles(dir: string): string[] {
  const readingsDir = join(dir, 'readings');
  return [
    join(dir, 'tags.json'),
    join(dir, 'sources.json'),
    ...readdirSync(readingsDir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => join(readingsDir, f)),
  ];
}

/** Load data/: validated in full, unless these exact bytes already passed validation (see LoadOptions). */
export function loadCatalog(dir: string, opts: LoadOptions = {}): Catalog {
  const cachePath = opts.validatedCachePath;
  if (cachePath) {
    try {
      const files = dataFiles(dir);
      const texts = files.map((f) => readFileSync(f));
      const hash = createHash('sha256');
      for (const t of texts) hash.update(t);
      const digest = hash.digest('hex').slice(0, 16);
      if (readFileSync(cachePath, 'utf8') === `${SCHEMA_VERSION}:${digest}`)
        return assembleValidated(
          texts.map((t) => JSON.parse(t.toString('utf8')) as unknown),
          digest,
        );
    } catch {
      // No cache yet, unreadable files or a changed layout: validate in full below.
    }
  }
  const catalog = validateCatalog(dir);
  if (cachePath) {
    try {
      mkdirSync(dirname(cachePath), { recursive: true });
      const tmp = `${cachePath}.${process.pid}.tmp`;
      writeFileSync(tmp, `${SCHEMA_VERSION}:${catalog.hash}`);
      renameSync(tmp, cachePath);
    } catch {
      // A read-only data dir only costs start-up time.
    }
  }
  return catalog;
}

/** Build the catalog from files that passed validateCatalog byte for byte: schema defaults only. */
function assembleValidated(docs: unknown[], hash: string): Catalog {
  const [tagDoc, sourceDoc, ...readingDocs] = docs as [
    { tags: Array<Partial<Tag> & Pick<Tag, 'id' | 'label' | 'description'>>; hidden: string[] },
    { sources: Source[]; series: Array<Partial<Series> & Pick<Series, 'id' | 'name'>> },
    ...Array<{ readings: Reading[] }>,
  ];
  const tags: Tag[] = tagDoc.tags
    .map((t) => ({
      ...t,
      aliases: t.aliases ?? [],
      phrasings: t.phrasings ?? [],
      related: t.related ?? [],
      kind: t.kind ?? 'topic',
      startHere: t.startHere ?? [],
    }))
    .map(withPhrasings);
  const series: Series[] = sourceDoc.series.map((x) => ({ ...x, aliases: x.aliases ?? [] }));
  const readings = readingDocs.flatMap((d) => d.readings);
  const tagAliases = new Map<string, string>();
  // Same precedence as validation: every id first, then labels and aliases in file order.
  for (const t of tags) if (!tagAliases.has(tagKey(t.id))) tagAliases.set(tagKey(t.id), t.id);
  for (const t of tags)
    for (const spelling of [t.label, ...t.aliases])
      if (!tagAliases.has(tagKey(spelling))) tagAliases.set(tagKey(spelling), t.id);
  return {
    readings,
    byId: new Map(readings.map((r) => [r.id, r])),
    tags,
    tagById: new Map(tags.map((t) => [t.id, t])),
    tagAliases,
    hiddenTags: tagDoc.hidden,
    series,
    sources: sourceDoc.sources,
    hash,
  };
}

/** A loaded tag's `aliases` hold its phrasings too: both name the topic (schema.ts `phrasings`). */
function withPhrasings(t: Tag): Tag {
  return t.phrasings.length ? { ...t, aliases: [...t.aliases, ...t.phrasings] } : t;
}
