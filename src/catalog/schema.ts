import { z } from 'zod';

/** Bump whenever a schema below changes: catalogs validated under an older one are validated again. */
export const SCHEMA_VERSION = 3;

/** Lower-case slug: `cap-theorem`, `mit-6.824-lecture-03`. Dots allowed for course numbers. */
export const slug = z
  .string()
  .regex(/^[a-z0-9]+(?:[-.][a-z0-9]+)*$/, 'must be a lower-case slug like "cap-theorem"');

/** A calendar date as precise as the source gives it: 2017, 2017-07 or 2017-07-14. */
const partialDate = z
  .string()
  .regex(
    /^\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?$/,
    'must be YYYY, YYYY-MM or YYYY-MM-DD',
  );

const httpUrl = z
  .string()
  .url('must be an absolute URL')
  .refine((u) => /^https?:\/\//.test(u), 'must be http(s)');

/**
 * How we know a reading's link is right. "verified": the page itself was seen at that address with
 * matching title/text. "cited": the address was seen cited for this reading by another page (a
 * listing, the author's index). "none": no link could be confirmed; readers get a labeled search link.
 */
export const linkSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('verified'), url: httpUrl, evidence: z.string().min(10) }),
  z.object({ status: z.literal('cited'), url: httpUrl, evidence: z.string().min(10) }),
  z.object({ status: z.literal('none'), note: z.string().min(3).optional() }),
]);

export const readingKinds = [
  'paper',
  'article',
  'talk',
  'notes',
  'thread',
  'newsletter',
  'book',
  'docs',
  'code',
] as const;

/** How far into a topic a reading expects the reader to be. */
export const readingLevels = ['intro', 'core', 'advanced'] as const;
export type ReadingLevel = (typeof readingLevels)[number];

const person = z.string().min(2).max(120);

export const readingSchema = z
  .object({
    id: slug,
    title: z
      .string()
      .min(3)
      .max(200)
      .refine((t) => t === t.trim(), 'must not start or end with spaces')
      .refine((t) => !/^["'“”‘’_]|["“”_]$|_/.test(t), 'must not carry stray quotes or underscores')
      .refine((t) => !/[\u00a0\u200b-\u200f\u2028\u2029]|\s{2}/.test(t), 'must use plain single spaces'),
    /**
     * The name readers know the work by when it is not its published title ("Hybrid Logical Clocks"
     * for the paper titled "Logical Physical Clocks"): shown after the title and searched with it.
     */
    aka: z.string().min(2).max(120).optional(),
    link: linkSchema,
    /** What the reader will learn, written for this catalog (one or two neutral sentences). */
    summary: z.string().min(10).max(1200),
    /** The seed list's own comment on the reading, shown as a quote, never as the description. */
    note: z.string().min(3).max(1200).optional(),
    /**
     * The ideas the reading explains, one short phrase each: the field's term and the same idea in
     * plain words ("hedged requests: sending the same request to a second replica and using whichever
     * reply comes first"). Indexed for /read so a question that describes an idea without its name
     * still finds the readings that explain it. Only what `coversEvidence` shows the reading covers.
     */
    covers: z.array(z.string().min(3).max(200)).min(1).max(10).optional(),
    /** What was searched and seen that shows the reading covers `covers` (an abstract, section headings). */
    coversEvidence: z.string().min(10).optional(),
    tags: z.array(slug).min(1).max(12),
    sources: z.array(slug).min(1),
    /** Authors in byline order. */
    authors: z.array(person).min(1).max(40).optional(),
    date: partialDate.optional(),
    /** Publication year: required for papers (with venue and metadataEvidence). */
    year: z.number().int().min(1950).max(2100).optional(),
    /** Where a paper appeared: "OSDI 2004", "Communications of the ACM 21(7)", "arXiv". */
    venue: z.string().min(2).max(160).optional(),
    /** For papers: what was searched and seen that confirms title, authors, year and venue. */
    metadataEvidence: z.string().min(10).optional(),
    level: z.enum(readingLevels),
    /** Reading (or watching) time in minutes; minutesBasis says where the figure comes from. */
    minutes: z.number().int().min(1).max(600).optional(),
    /** "stated: '7 min read'", or "estimate: 14 pages at 4 min a page". */
    minutesBasis: z.string().min(5).max(200).optional(),
    /** Ids of readings that discuss the same work or follow from this one (notes ↔ paper both ways). */
    related: z.array(slug).max(20).optional(),
    /**
     * The readings this one is shown beside rather than as a result of its own: the lecture notes
     * whose assigned paper it is, the post it is the source or a reply of. Ids from `related`; a
     * query that names this reading (its title) still lists it on its own.
     */
    companionOf: z.array(slug).min(1).max(20).optional(),
    kind: z.enum(readingKinds),
    series: slug.optional(),
    order: z.number().int().min(1).optional(),
  })
  .strict()
  .refine((r) => (r.series === undefined) === (r.order === undefined), {
    message: 'series and order go together',
    path: ['order'],
  })
  .refine((r) => r.covers === undefined || r.coversEvidence !== undefined, {
    message: 'covers need a coversEvidence (what was searched and seen that shows them)',
    path: ['coversEvidence'],
  })
  .refine((r) => r.minutes === undefined || r.minutesBasis !== undefined, {
    message: 'minutes need a minutesBasis ("stated: …" or "estimate: …")',
    path: ['minutesBasis'],
  })
  .superRefine((r, ctx) => {
    if (r.kind !== 'paper') return;
    for (const field of ['authors', 'year', 'venue', 'metadataEvidence'] as const)
      if (r[field] === undefined)
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: [field], message: `a paper needs ${field}` });
  });

export type Reading = z.infer<typeof readingSchema>;

/** One reviewed file in data/readings/: the readings taken from one seed list. */
export const readingFileSchema = z
  .object({
    $comment: z.string().optional(),
    readings: z.array(z.unknown()),
  })
  .strict();

export const sourceSchema = z
  .object({
    id: slug,
    name: z.string().min(2),
    kind: z.enum(['blog', 'learning-diary', 'newsletter', 'bookmarks', 'link-list']),
    description: z.string().min(10),
    seedFile: z.string().min(3),
  })
  .strict();
export type Source = z.infer<typeof sourceSchema>;

export const seriesSchema = z
  .object({ id: slug, name: z.string().min(2), aliases: z.array(z.string().min(2)).default([]) })
  .strict();
export type Series = z.infer<typeof seriesSchema>;

export const tagSchema = z
  .object({
    id: slug,
    label: z.string().min(2).max(60),
    description: z.string().min(10).max(200),
    aliases: z.array(z.string().min(2).max(60)).default([]),
    /**
     * How a learner describes the idea without its term ("node is down", "safe to retry"). Loaded into
     * `aliases`, so they name the topic as aliases do; but unlike the field's own spellings they do not
     * widen a query's words (see ReadingSearch.textQuery): their everyday words ("down", "node") say
     * little about the topic on their own.
     */
    phrasings: z.array(z.string().min(2).max(80)).default([]),
    related: z.array(slug).default([]),
    /**
     * "topic": a subject a reader studies (tag of the day and topic counts use only these).
     * "collection": a course or series grouping (mit-6.824, ddia); "language": a programming
     * language; "meta": lists and learning resources.
     */
    kind: z.enum(['topic', 'collection', 'language', 'meta']).default('topic'),
    /** Reading ids in the order a newcomer should read them: intro → core → advanced. */
    startHere: z.array(slug).max(12).default([]),
  })
  .strict();
export type Tag = z.infer<typeof tagSchema>;

/** data/tags.json: the topic vocabulary, plus seed tags that mean nothing to a reader. */
export const tagFileSchema = z
  .object({
    $comment: z.string().optional(),
    tags: z.array(z.unknown()),
    hidden: z.array(z.string().min(1)),
  })
  .strict();

export const sourceFileSchema = z
  .object({ $comment: z.string().optional(), sources: z.array(z.unknown()), series: z.array(z.unknown()) })
  .strict();

/** The title as shown to readers: "Logical Physical Clocks (Hybrid Logical Clocks)" when a reading has an aka. */
export function displayTitle(r: Pick<Reading, 'title' | 'aka'>): string {
  return r.aka ? `${r.title} (${r.aka})` : r.title;
}

/** Authors for display and indexing: "Diego Ongaro, John Ousterhout", or "" when unknown. */
export function authorLine(r: Pick<Reading, 'authors'>): string {
  return r.authors?.join(', ') ?? '';
}
