import type { Catalog } from '../catalog/load.ts';
import type { Reading, Series } from '../catalog/schema.ts';

/**
 * How much a reading's kind moves it within results on the same topic: the primary source (a paper, a
 * book) and course notes before articles and talks, and those before forum threads, quoted remarks and
 * newsletter digests, which discuss a topic rather than teach it.
 */
const KIND_PRIOR: Readonly<Record<string, number>> = {
  // Text relevance inside a topic spans 0..1: a paper or book outranks a thread on the same topic
  // unless the thread matches the words far better.
  paper: 0.3,
  book: 0.3,
  notes: 0.15,
  article: 0,
  talk: 0,
  docs: 0,
  code: -0.1,
  thread: -0.6,
  newsletter: -0.6,
};

/**
 * The kind prior for a beginner: teaching material (course and chapter notes, books, talks) before
 * primary papers, which assume the background the notes give.
 */
const BEGINNER_KIND_PRIOR: Readonly<Record<string, number>> = {
  notes: 0.35,
  book: 0.3,
  talk: 0.1,
  article: 0.05,
  paper: 0,
  docs: 0,
  code: -0.2,
  thread: -0.6,
  newsletter: -0.6,
};

/** How much a reading's level moves it for a beginner (intro first) and otherwise (no change). */
const BEGINNER_LEVEL_PRIOR: Readonly<Record<string, number>> = { intro: 0.6, core: 0.1, advanced: -0.3 };

/** A numbered place in a series: "Chapter 5", "Lectures 6 & 7" (covers 6 and 7). */
const NUMBERED =
  /\b(chapters?|lectures?|parts?|episodes?|weeks?)\s*(\d{1,3})(?:\s*(?:&|and|-|–|to)\s*(\d{1,3}))?/i;

export interface SeriesPlace {
  reading: Reading;
  /** 1-based place in the series' reading order. */
  place: number;
  of: number;
}

/**
 * The catalog as a curriculum: topic paths (`startHere`), series order and numbering, `related`
 * readings, and the priors that rank primary and introductory readings first. Built once per catalog.
 */
export class Curriculum {
  private readonly paths = new Map<string, Reading[]>();
  private readonly inSeries = new Map<string, Reading[]>();
  /** Series id → number in titles ("chapter 5") → readings carrying that number. */
  private readonly numbered = new Map<string, Map<number, Reading[]>>();
  /** Series id → the unit its titles number ("chapter", "lecture"). */
  private readonly units = new Map<string, string>();
  private readonly collectionTags: Set<string>;
  private start: Reading[] | undefined;

  constructor(readonly catalog: Catalog) {
    for (const t of catalog.tags)
      this.paths.set(
        t.id,
        t.startHere.map((id) => catalog.byId.get(id)).filter((r): r is Reading => r !== undefined),
      );
    for (const r of catalog.readings) {
      if (r.series === undefined) continue;
      const list = this.inSeries.get(r.series) ?? [];
      list.push(r);
      this.inSeries.set(r.series, list);
    }
    for (const [id, list] of this.inSeries) {
      list.sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
      const byNumber = new Map<number, Reading[]>();
      const unitCounts = new Map<string, number>();
      for (const r of list) {
        const m = NUMBERED.exec(r.title);
        if (!m) continue;
        const unit = m[1]!.toLowerCase().replace(/s$/, '');
        unitCounts.set(unit, (unitCounts.get(unit) ?? 0) + 1);
        const from = Number(m[2]);
        const to = m[3] ? Number(m[3]) : from;
        for (let n = from; n <= Math.min(to, from + 20); n++)
          byNumber.set(n, [...(byNumber.get(n) ?? []), r]);
      }
      this.numbered.set(id, byNumber);
      const unit = [...unitCounts].sort((a, b) => b[1] - a[1])[0]?.[0];
      if (unit) this.units.set(id, unit);
    }
    const seriesIds = new Set(catalog.series.map((s) => s.id));
    this.collectionTags = new Set(
      catalog.tags.filter((t) => t.kind !== 'topic' || seriesIds.has(t.id)).map((t) => t.id),
    );
  }

  /** The kind prior (see KIND_PRIOR, and BEGINNER_KIND_PRIOR for a beginner). */
  kindPrior(r: Reading, beginner = false): number {
    return (beginner ? BEGINNER_KIND_PRIOR : KIND_PRIOR)[r.kind] ?? 0;
  }

  /** The level prior for a beginner: intro readings first, advanced ones last; 0 when no level is known. */
  beginnerPrior(r: Reading): number {
    return r.level ? (BEGINNER_LEVEL_PRIOR[r.level] ?? 0) : 0;
  }

  /** A tag's start-here path (tags.json `startHere`), intro → advanced. */
  path(tag: string): readonly Reading[] {
    return this.paths.get(tag) ?? [];
  }

  /** A series' readings in reading order. */
  series(id: string): readonly Reading[] {
    return this.inSeries.get(id) ?? [];
  }

  /** Where a reading stands in its series, if it is in one. */
  place(r: Reading): SeriesPlace | undefined {
    if (r.series === undefined) return undefined;
    const list = this.series(r.series);
    const i = list.indexOf(r);
    return i < 0 ? undefined : { reading: r, place: i + 1, of: list.length };
  }

  /** The reading after `r` in its series. */
  successor(r: Reading): Reading | undefined {
    const at = this.place(r);
    return at ? this.series(r.series!)[at.place] : undefined;
  }

  /** The reading before `r` in its series. */
  predecessor(r: Reading): Reading | undefined {
    const at = this.place(r);
    return at && at.place > 1 ? this.series(r.series!)[at.place - 2] : undefined;
  }

  /** Readings `r` lists as related, in its order. */
  related(r: Reading): Reading[] {
    return (r.related ?? [])
      .map((id) => this.catalog.byId.get(id))
      .filter((x): x is Reading => x !== undefined);
  }

  /** The readings a series' titles number `n` ("chapter 5"), first in series order. */
  numberedAt(series: string, n: number): Reading | undefined {
    return this.numbered.get(series)?.get(n)?.[0];
  }

  /** Are the two parts of one numbered place of a series ("Chapter 9" part one and part two)? */
  samePlace(a: Reading, b: Reading): boolean {
    if (a.series === undefined || a.series !== b.series) return false;
    for (const list of this.numbered.get(a.series)?.values() ?? [])
      if (list.includes(a) && list.includes(b)) return true;
    return false;
  }

  /** Every reading numbered `n` in the series, in reading order ("Chapter 9" part one, part two). */
  numberedAll(series: string, n: number): readonly Reading[] {
    return this.numbered.get(series)?.get(n) ?? [];
  }

  /** "chapters 1–9" for a series whose titles are numbered; undefined otherwise. */
  coverage(series: Series): string | undefined {
    const numbers = [...(this.numbered.get(series.id)?.keys() ?? [])];
    const unit = this.units.get(series.id);
    if (!numbers.length || !unit) return undefined;
    return `${unit}s ${Math.min(...numbers)}–${Math.max(...numbers)}`;
  }

  /** The unit a series' titles number ("chapter"), if any. */
  unit(series: string): string | undefined {
    return this.units.get(series);
  }

  /** A reading's main subject: its first tag that is a topic (not a course, series or meta tag). */
  mainTopic(r: Reading): string | undefined {
    return r.tags.find((t) => !this.collectionTags.has(t) && !this.catalog.hiddenTags.includes(t));
  }

  /** Is this tag a course, series, language or meta grouping rather than a subject? */
  isCollection(tag: string): boolean {
    return this.collectionTags.has(tag);
  }

  /**
   * Where a newcomer to the whole field starts: each series' opening reading, the first learning
   * resource (meta tags' start-here paths, then intro readings whose first tag is a meta tag), each
   * series' first numbered reading, the other learning resources, then the catalog's other intro
   * readings (in catalog order).
   */
  fieldStart(): readonly Reading[] {
    if (this.start) return this.start;
    const out: Reading[] = [];
    const seen = new Set<Reading>();
    const add = (r: Reading | undefined) => {
      if (r && !seen.has(r) && r.level !== 'advanced') {
        seen.add(r);
        out.push(r);
      }
    };
    for (const s of this.catalog.series) add(this.series(s.id)[0]);
    const meta = this.catalog.tags.filter((t) => t.kind === 'meta');
    // Then the learning resources: meta tags' start-here paths, then intro readings about learning
    // itself, those whose first tag is a meta tag first (tags are listed most central first), then by
    // kind (a primary text before a digest).
    const metaPos = (r: Reading) => {
      const i = r.tags.findIndex((t) => meta.some((m) => m.id === t));
      return i < 0 ? Infinity : i;
    };
    const resources = [
      ...meta.flatMap((t) => this.path(t.id)),
      ...this.catalog.readings
        .filter((r) => r.level === 'intro' && metaPos(r) < Infinity)
        .sort((a, b) => metaPos(a) - metaPos(b) || this.kindPrior(b) - this.kindPrior(a)),
    ];
    // The first one not yet listed, then each series' first numbered place where the series opens
    // with an unnumbered overview (DDIA's chapter 1 after the learning diary's index post), then the
    // rest.
    add(resources.find((r) => !seen.has(r)));
    for (const s of this.catalog.series) add(this.numberedAt(s.id, 1));
    resources.forEach(add);
    for (const r of this.catalog.readings) if (r.level === 'intro') add(r);
    this.start = out;
    return out;
  }
}
