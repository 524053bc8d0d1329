import { LRUCache } from 'lru-cache';
import { tagUsage, type Catalog } from '../catalog/load.ts';
import type { Reading, Series } from '../catalog/schema.ts';
import type { Curriculum } from './curriculum.ts';
import { TOPIC_WORDS, type LearnerIntent } from './intent.ts';
import { isEnglishWord, isEverydayWord } from './english.ts';
import { KIND_WORDS, STOP_WORDS, hasWord, nameWords, readingWords, stemOf, tokenize } from './text.ts';

export interface Hit {
  reading: Reading;
  score: number;
  /** Readings shown with this one instead of on their own (its `companionOf` readers: the paper of a lecture's notes). */
  companions?: Reading[];
}

export interface SearchOutcome {
  /** The query after typo correction, when a word was corrected. */
  corrected?: string;
  /**
   * How the query was understood: a whole tag, a series, free text, nothing; or a learner's question:
   * where to start (`start`), what comes next (`next`), a comparison (`compare`).
   */
  mode: 'tag' | 'series' | 'text' | 'empty' | 'start' | 'next' | 'before' | 'compare';
  /** The tag the whole query named, if any. */
  tag?: string;
  /** Tags mentioned inside a longer query ("how does raft elect a leader?" → raft). */
  mentioned: string[];
  series?: Series;
  hits: Hit[];
  /** When nothing matched: tags that look like what was meant. */
  didYouMean: string[];
  /** A sentence a mentor would say before the list ("The DDIA notes cover chapters 1–9."). */
  note?: string;
  /** The subject the catalog has no reading on ("bigtable"), with the closest topics in didYouMean. */
  missing?: string;
  /** For `next`: the reading the question starts from. */
  anchor?: Reading;
  /** For `compare`: how each side was understood (a tag id, or the side's words). */
  sides?: [string, string];
  /** For `compare`: the setting both sides were compared in ("storm vs spark for realtime jobs"). */
  setting?: string[];
  /** The topic's start-here path when the list opens with it (a plain `/read <topic>`). */
  path?: readonly Reading[];
  /** Filters applied (from words like "papers", "short", or the kind and level options). */
  filters?: { kind?: string; level?: string; maxMinutes?: number };
  /**
   * With filters that fewer readings than a page pass: how many of `hits` pass them. The rest are the
   * best other readings found, so "a talk on crdts" gives the one talk, then what else covers it.
   */
  matched?: number;
  /** The lines after `matched` are its related topics' start-here readings (a thin topic's fill). */
  relatedFill?: boolean;
}

/** The words that can name a subject: no stop words, no single letters ("I'm", "what's" leave them). */
function contentWords(words: readonly string[]): string[] {
  return words.filter((w) => !STOP_WORDS.has(w) && (w.length > 1 || /\d/.test(w)));
}

/** What the mentor layer needs from the search underneath it. */
export interface MentorContext {
  catalog: Catalog;
  curriculum: Curriculum;
  /** The tag/series/BM25 ranking of already-corrected words, best `limit` first. */
  rank(words: string[], limit: number): SearchOutcome;
  /** The tag the words name as a whole (id, label or alias), if any: no ranking. */
  tagFor(words: string[]): string | undefined;
  /** The same ranking on the words alone: no tag named, none mentioned (BM25 over the text). */
  rankLiteral(words: string[], limit: number): SearchOutcome;
  /** The series the words name, and the words left over ("ddia chapter 5" → ddia, [chapter, 5]). */
  seriesIn(words: string[]): { series: Series; rest: string[] } | undefined;
  /** Does the catalog know this word as a topic (in a title, tag, author or series)? */
  isTopicWord(word: string): boolean;
  /** Is the word part of a tag's id, label or field alias ("file" of "file systems")? */
  isTagWord(word: string): boolean;
  /** How many of the words (stop words aside) name the tag, in runs that spell its spellings. */
  naming(words: readonly string[], tag: string): number;
  /** Does any catalog text (titles, summaries, covers, tag spellings) use this word or its stem? */
  isIndexed(word: string): boolean;
  suggestTags(query: string, n: number): string[];
}

/** Candidates ranked before reordering and filtering: enough to hold a topic's readings and their tail. */
const POOL = 60;
/** With a filter, more candidates, so the filtered list is not just what survived the first 60. */
const FILTERED_POOL = 300;
/** A text match that does not carry the asked-for tag is shown after the tag's readings only this close to the best text match. */
const TAIL_FLOOR = 0.5;
/** At most this many such text matches follow a tag's readings. */
const TAIL_MAX = 3;
/** A free-text result counts as found only within this fraction of the best result's score. */
const RELATIVE_FLOOR = 0.3;
/** Scores at or above this carry a whole-query tag (see liftOf in reading-search.ts: 2 + centrality). */
const TAGGED = 2;
/** How much being on the topic's path lifts a reading when the path is not shown first (see topicAnswer). */
const PATH_LIFT = 0.3;

const words = (s: string) => s.split(' ');

/** Answer a learner's query: the intent decides the shape, `ctx.rank` does the relevance. */
export function answerIntent(
  intent: LearnerIntent,
  ctx: MentorContext,
  limit: number,
  corrected: string | undefined,
): SearchOutcome {
  const filters = filtersOf(intent);
  if (intent.before) {
    const before = whatBefore(intent.before, intent, ctx);
    if (before) {
      const folded = withCompanions(before, intent.topic, false, undefined, namesTopicIn(ctx));
      return { ...folded, hits: folded.hits.slice(0, limit), ...(corrected ? { corrected } : {}) };
    }
  }
  if (intent.after) {
    // "next after the raft paper": the kind word picked the anchor, it does not filter what follows.
    const next = whatNext(intent, ctx, limit);
    if (next) {
      // Five next steps are five subjects: a paper rides with the notes on it here too.
      const folded = withCompanions(next, intent.topic, false, undefined, namesTopicIn(ctx));
      const note = renamedLead(next, folded);
      return {
        ...folded,
        hits: folded.hits.slice(0, limit),
        ...(note ? { note } : {}),
        ...(corrected ? { corrected } : {}),
      };
    }
  }
  const base = (() => {
    if (intent.compare) {
      const compared = compare(intent.compare, intent, ctx);
      if (compared) return compared;
    }
    const content = contentWords(intent.topic);
    // "papers under 40 minutes", "short talks": only a filter: every reading it keeps, field start first.
    if (content.length === 0 && filters && !intent.beginner) return browse(ctx, filters);
    // "where should I start?", "I'm new to distributed systems", or just "distributed systems": the field.
    // An everyday word that is no part of a tag's name ("where do I even start", "noob here", "all
    // this"), or a word no catalog text uses ("overwhelmed by the buzzwords"), adds no subject.
    const subject = content.filter(
      (w) => isGeneric(w, ctx.catalog) || (ctx.isIndexed(w) && (ctx.isTagWord(w) || !isEverydayWord(w))),
    );
    const generic = subject.every((w) => isGeneric(w, ctx.catalog));
    if (generic && (intent.beginner || subject.length > 0)) return fieldStart(subject, ctx);
    const position = seriesPosition(content, ctx);
    if (position) return position;
    return topicAnswer(intent, ctx, filters ? FILTERED_POOL : POOL);
  })();
  const filtered = filters ? applyFilters(base, filters, ctx) : base;
  const folded =
    filtered.mode === 'series'
      ? filtered
      : withCompanions(filtered, intent.topic, intent.beginner, filtered.filters, namesTopicIn(ctx));
  const out = withRelatedTopics(folded, ctx, (o) =>
    withCompanions(o, intent.topic, intent.beginner, o.filters, namesTopicIn(ctx)),
  );
  // A level answered on related topics (matched 0) counts none found on the topic itself.
  const onRelated = out.relatedFill && out.matched === 0;
  const refilled =
    out.matched !== undefined && out.filters && !onRelated ? fittingFirst(out, out.filters) : out;
  // Fewer than a page fit: they and the best others fill one page, no more.
  const counted =
    refilled.filters && refilled.matched !== undefined && refilled.matched < ONE_PAGE && !refilled.relatedFill
      ? { ...refilled, hits: refilled.hits.slice(0, ONE_PAGE) }
      : refilled;
  return { ...counted, hits: counted.hits.slice(0, limit), ...(corrected ? { corrected } : {}) };
}

/** A topic with fewer lines than this is thin: its related topics' start-here readings follow it. */
const THIN_TOPIC = 3;
/** A thin topic's list is filled up to this many lines (one page). */
const FILL_TO = 5;

/**
 * A topic with one or two readings ("/read byzantine generals": DDIA chapter 8) is followed by the
 * start-here readings of its related topics (tags.json `related`: consensus, blockchain), one topic
 * after another, up to a page; `matched` keeps the count of real matches, so the reply says "1 found,
 * then 4 on related topics" instead of counting the fill as matches.
 */
function withRelatedTopics(
  out: SearchOutcome,
  ctx: MentorContext,
  fold: (o: SearchOutcome) => SearchOutcome,
): SearchOutcome {
  // A question mentioning one topic and finding as little ("how to generate unique ids across
  // machines") is as thin as the topic named alone.
  const focus =
    out.mode === 'tag'
      ? out.tag
      : out.mode === 'text' && out.mentioned.length === 1
        ? out.mentioned[0]
        : undefined;
  if (focus === undefined || out.filters || out.missing || out.note) return out;
  if (out.hits.length === 0 || out.hits.length >= THIN_TOPIC) return out;
  const related = ctx.catalog.tagById.get(focus)?.related ?? [];
  const shown = new Set(out.hits.flatMap((h) => [h.reading, ...(h.companions ?? [])]));
  // A found reading's host would take its line, its match counted under a fill reading: left out.
  for (const r of [...shown])
    for (const id of r.companionOf ?? []) {
      const host = ctx.catalog.byId.get(id);
      if (host) shown.add(host);
    }
  const paths = related.map((t) => ctx.curriculum.path(t).filter((r) => !shown.has(r)));
  // Round-robin over the related topics, so several are represented on the page; a reading on several
  // of them first, as the one nearest the thin topic (Bitcoin, on consensus, blockchain and security,
  // for Byzantine agreement).
  const near = new Set(related);
  const extra = roundRobin(paths)
    .map((r, i) => ({ r, i, n: r.tags.filter((t) => near.has(t)).length }))
    .sort((a, b) => b.n - a.n || a.i - b.i)
    .map(({ r }) => r);
  if (!extra.length) return out;
  const last = out.hits.at(-1)!.score;
  // Folded first, then cut: a paper riding on its notes' line leaves room for one more topic.
  const filled = fold({
    ...out,
    hits: [...out.hits, ...extra.map((reading, i) => ({ reading, score: last - 1 - i }))],
  });
  return { ...filled, hits: filled.hits.slice(0, FILL_TO), matched: out.hits.length, relatedFill: true };
}

/** The first of each list, then the second of each, …: each reading once, at most `max` of them. */
function roundRobin(lists: ReadonlyArray<readonly Reading[]>, max = Infinity): Reading[] {
  const out: Reading[] = [];
  for (let i = 0; out.length < max && lists.some((l) => i < l.length); i++)
    for (const l of lists) {
      const r = l[i];
      if (r && !out.includes(r) && out.length < max) out.push(r);
    }
  return out;
}

/**
 * After companions ride on their hosts, a filled list ("2 found, then 3 others") counts its lines again:
 * the lines whose reading fits, first, then the others. A fitting companion on a fitting line (the
 * RAMP post on the RAMP paper) no longer counts twice.
 */
function fittingFirst(outcome: SearchOutcome, filters: NonNullable<SearchOutcome['filters']>): SearchOutcome {
  const fitting = outcome.hits.filter((h) => fits(h.reading, filters));
  const others = outcome.hits.filter((h) => !fits(h.reading, filters));
  return { ...outcome, hits: [...fitting, ...others], matched: fitting.length };
}

/**
 * Each companion (a reading whose `companionOf` names another: the paper a lecture's notes assign, the
 * reply to a post) rides with the first of its hosts in the list, which takes the better place of the
 * two. A companion stays on its own line when its host is not listed, when a query word is in its title
 * and not in its host's ("is redlock safe"), when the start-here path shown first has it as an earlier
 * step than its host, when it passes the filters asked for and its host does not ("the gfs paper":
 * then the host rides with it), or, for a beginner, when its host is at a harder level. So five results are
 * five subjects, each with its source beside it.
 */
export function withCompanions(
  outcome: SearchOutcome,
  topic: readonly string[],
  beginner = false,
  filters?: SearchOutcome['filters'],
  namesTopic: (word: string) => boolean = () => false,
): SearchOutcome {
  const hits = outcome.hits;
  if (!hits.some((h) => h.reading.companionOf)) return outcome;
  const at = new Map(hits.map((h, i) => [h.reading.id, i]));
  // A query that is a whole tag ("clocks") names the topic, not a title that happens to contain it.
  const content = outcome.mode === 'tag' ? [] : topic.filter((w) => !STOP_WORDS.has(w));
  const steps = new Map(outcome.path?.map((r, i) => [r, i]));
  const stepOf = (r: Reading) => steps.get(r) ?? Infinity;
  const hostOf = new Map<number, number>();
  const pathHostOf = new Map<number, number>();
  hits.forEach((h, i) => {
    const hosts = h.reading.companionOf;
    if (!hosts) return;
    const host = hosts
      .map((id) => at.get(id))
      .filter((j): j is number => j !== undefined)
      .sort((a, b) => a - b)[0];
    if (host === undefined) return;
    const hostReading = hits[host]!.reading;
    // "the gfs paper": the paper asked for leads, its notes follow it among the other readings.
    // So does any reading the filters asked for ("advanced load balancing": the survey, not the post).
    // Its host (the notes on the paper asked for) rides with it instead: one subject, one line.
    if (filters && fits(h.reading, filters) && !fits(hostReading, filters)) {
      pathHostOf.set(host, i);
      return;
    }
    // "why is redlock unsafe": the words point at the reply itself, so it keeps its own line.
    // One everyday word in common is chance ("agree on one value" and "…with One Faulty Process"): a
    // word naming a topic or no English list has, or two words, point at it.
    const own = content.filter((w) => inTitle(w, h.reading) && !inTitle(w, hostReading));
    // A name only its title has ("redlock", "bigtable") points at it. Topic words in each title that
    // the other lacks ("clocks" in Lamport's paper, "lamport" in the post on it) point at both: one subject.
    const hostOwn = content.some((w) => inTitle(w, hostReading) && !inTitle(w, h.reading));
    if (own.some((w) => !isEnglishWord(w))) return;
    if (!hostOwn && (own.length >= 2 || own.some((w) => namesTopic(w)))) return;
    // For a beginner, an easier paper does not hide behind harder notes on it.
    if (beginner && harder(hostReading, h.reading)) return;
    // The path shown first has it as a step before its host ("You Can't Sacrifice Partition Tolerance"
    // opens #cap-theorem): the path's order stands, and a host the path does not list rides with it.
    if (stepOf(h.reading) < stepOf(hostReading)) {
      if (!steps.has(hostReading)) pathHostOf.set(host, i);
      return;
    }
    hostOf.set(i, host);
  });
  // The RAMP post rides on the RAMP paper the #sharding path lists, so one subject is one line, as
  // long as the post carries no companion of its own.
  const hosts = new Set(hostOf.values());
  for (const [host, step] of pathHostOf)
    if (!hosts.has(host) && !hostOf.has(host) && !hostOf.has(step)) hostOf.set(host, step);
  if (hostOf.size === 0) return outcome;
  // The pair stands where the better of the two stood.
  const place = hits.map((_, i) => i);
  for (const [c, host] of hostOf) place[host] = Math.min(place[host]!, c);
  const companions = new Map<number, Reading[]>();
  for (const [c, host] of [...hostOf].sort((a, b) => a[0] - b[0]))
    companions.set(host, [...(companions.get(host) ?? []), hits[c]!.reading]);
  const kept = hits
    .map((h, i) => ({ h, i }))
    .filter(({ i }) => !hostOf.has(i))
    .sort((a, b) => place[a.i]! - place[b.i]! || a.i - b.i)
    .map(({ h, i }) => {
      const riding = companions.get(i);
      if (!riding) return h;
      // The pair's score is its better member's, so the list stays in score order.
      const score = Math.max(h.score, ...riding.map((r) => hits[at.get(r.id)!]!.score));
      // A list folded before (a thin topic's, refolded with its fill) keeps the companions it has.
      return { ...h, score, companions: [...(h.companions ?? []), ...riding] };
    });
  return { ...outcome, hits: kept };
}

/** Does the word alone name a tag ("dynamo", "redlock")? */
const namesTopicIn = (ctx: MentorContext) => (word: string) => ctx.tagFor([word]) !== undefined;

/** Is the query word in the reading's title (or the name it is known by), as a word or its singular? */
function inTitle(word: string, r: Reading): boolean {
  return hasWord(nameWords(r), word);
}

function filtersOf(intent: LearnerIntent): SearchOutcome['filters'] {
  if (intent.kind === undefined && intent.level === undefined && intent.maxMinutes === undefined)
    return undefined;
  return {
    ...(intent.kind ? { kind: intent.kind } : {}),
    ...(intent.level ? { level: intent.level } : {}),
    ...(intent.maxMinutes !== undefined ? { maxMinutes: intent.maxMinutes } : {}),
  };
}

/** The catalog's own words for "the whole field": its hidden seed tags (`distributed`, `systems`). */
function isGeneric(word: string, catalog: Catalog): boolean {
  return catalog.hiddenTags.includes(word) || word === 'system' || word === 'computing';
}

/**
 * A topic's readings as a mentor orders them: the topic's start-here path first (always for a query
 * that names the tag, and for a beginner's question mentioning it), then by relevance with the kind
 * prior (and, for a beginner, the level prior) added; then only what really matches (see `floor`).
 */
function topicAnswer(intent: LearnerIntent, ctx: MentorContext, pool: number): SearchOutcome {
  const found = ctx.rank(intent.topic, pool);
  if (found.mode === 'series' || found.mode === 'empty') return found;
  const ranked = found.tag === undefined ? withPassageEvidence(found, intent.topic, ctx) : found;
  const focus = ranked.tag ?? (intent.beginner ? ranked.mentioned[0] : undefined);
  const path = focus
    ? digestNotFirst(focus, pathWithCompanions(focus, ctx, intent.beginner), ctx, intent.beginner)
    : [];
  // A tag named by one of its narrower aliases ("two phase commit" for distributed transactions): the
  // path only lifts its readings, so the ones about the words asked for still lead.
  const forcePath = focus !== undefined && !namedByAlias(focus, intent.topic, ctx);
  // A question whose words mostly name one topic ("eventually consistent databases") lifts that topic's
  // path as a narrower alias does: its start-here readings are the ones a mentor would name.
  // Not when a course or series is named too ("6.824 notes on consistency"): its readings come first.
  const main =
    focus === undefined &&
    ranked.mode === 'text' &&
    !ctx.seriesIn(intent.topic) &&
    !ranked.mentioned.some((t) => ctx.curriculum.isCollection(t))
      ? ranked.mentioned[0]
      : undefined;
  const mainPath =
    main !== undefined && 2 * namesShare(main, intent.topic, ctx) >= 1 ? ctx.curriculum.path(main) : [];
  const onPath = new Map([...path, ...mainPath].map((r, i) => [r, i]));
  // A narrower alias ("vector clocks" for #clocks): the tag's readings that explain the narrower idea
  // (its words in their title, summary or covers) come first among the tag's; for a beginner the
  // levels decide ("intro to logical clocks" starts with Lamport timestamps, not the HLC paper).
  const narrow =
    focus !== undefined && !forcePath && ranked.tag === focus && !intent.beginner
      ? narrowingWords(focus, intent.topic, ctx).map(stemOf)
      : [];
  const explains = (r: Reading) => {
    if (!narrow.length) return false;
    const own = stemsOf(r);
    return narrow.every((w) => own.has(w));
  };
  // Named in its title ("TIL: clock skew exists" for "clock skew"): the reading is about the narrower
  // idea, not one that mentions it among others.
  const titles = (r: Reading) => narrow.length > 0 && narrow.every((w) => titleStems(r).has(w));
  // "lamport's clock paper", "kleppmann on redlock": a reading by an author the question names.
  const named = contentWords(intent.topic).filter((w) => !isEverydayWord(w));
  const byNamedAuthor = (r: Reading) => named.length > 0 && authorWords(r).some((w) => named.includes(w));
  const matches = ranked.tag ? withoutSideTail(floor(ranked), ranked.tag, intent.topic, ctx) : floor(ranked);
  const adjusted = inCollectionFirst(matches, ranked.mentioned, ctx, intent.topic).map((h) => ({
    reading: h.reading,
    score:
      h.score +
      (explains(h.reading) ? NARROW_LIFT : 0) +
      (titles(h.reading) ? NARROW_LIFT : 0) +
      (byNamedAuthor(h.reading) ? AUTHOR_LIFT : 0) +
      ctx.curriculum.kindPrior(h.reading, intent.beginner) +
      (intent.beginner ? ctx.curriculum.beginnerPrior(h.reading) : 0) +
      (!forcePath && onPath.has(h.reading) ? PATH_LIFT : 0),
  }));
  adjusted.sort((a, b) => b.score - a.score || (a.reading.id < b.reading.id ? -1 : 1));
  const withHosts = chapterFor(adjusted, ranked.hits);
  const listed = forcePath
    ? [
        ...path.map((reading, i) => ({ reading, score: 100 - i })),
        ...withHosts.filter((h) => !onPath.has(h.reading)),
      ]
    : withHosts;
  const hits =
    focus === undefined && ranked.mode === 'text'
      ? // Feedback weighs the words' own winner: a shared passage would narrow its margin.
        withTopicFeedback(listed, found, ctx, intent.topic)
      : listed;
  const emptyTag = ranked.tag !== undefined && !tagUsage(ctx.catalog).get(ranked.tag);
  if (emptyTag) return emptyTopic(ranked, hits, ctx);
  const missing = missingSubject(intent.topic, ranked, ctx);
  if (missing) return { ...ranked, hits, missing, didYouMean: closestTopics(hits, missing, ctx) };
  const unmatched = ranked.tag === undefined ? wordsNoReadingUses(intent.topic, ctx) : [];
  if (unmatched.length && hits.length)
    return {
      ...ranked,
      hits,
      note: `No reading mentions ${unmatched.map((w) => `"${w}"`).join(' or ')}; these match the other words.`,
    };
  const steps = forcePath ? ctx.curriculum.path(focus) : [];
  return { ...ranked, hits, ...(steps.length ? { path: steps } : {}) };
}

/**
 * How much a reading gains when one idea it covers holds all of a question's words (a share, for
 * fewer): as much as being the best text match (text scores are relative to the best, 0–1).
 */
const PASSAGE_WEIGHT = 1;

/**
 * Passage-level evidence (Callan, "Passage-level evidence in document retrieval", SIGIR 1994): a
 * question's words found together in one idea a reading covers ("replicas comparing hashes of key
 * ranges in the background to find and repair differences") say more than the same words spread over
 * its summary and other ideas. Each reading gains PASSAGE_WEIGHT times the share of the question's
 * content words (by stem) that its best passage (its title, or one `covers` phrase) holds, when that
 * passage holds two or more.
 */
function withPassageEvidence(
  ranked: SearchOutcome,
  query: readonly string[],
  ctx: MentorContext,
): SearchOutcome {
  const asked = [
    ...new Set(
      contentWords(query)
        .filter((w) => !isGeneric(w, ctx.catalog) && !KIND_WORDS.has(w))
        .map(stemOf),
    ),
  ];
  if (asked.length < MIN_PASSAGE_WORDS) return ranked;
  const lift = (r: Reading) => {
    let best = 0;
    for (const idea of coverStems(r)) best = Math.max(best, asked.filter((w) => idea.has(w)).length);
    return best >= 2 ? (PASSAGE_WEIGHT * best) / asked.length : 0;
  };
  // A question mostly about a topic (a quarter of its words spell it, as for lending synonyms):
  // passages reorder the readings on that topic (the one its longest phrase names, mentioned first)
  // and lift none off it ("spotting a dead node with heartbeats" stays with #failure-detection, not
  // VMware FT's heartbeat passage). One incidental topic word ("workflow") restricts nothing.
  const main = ranked.mentioned[0];
  const about = main !== undefined && namesShare(main, query, ctx) >= MAIN_TOPIC_SHARE ? main : undefined;
  const hits = ranked.hits
    .map((h) =>
      about === undefined || h.reading.tags.includes(about) ? { ...h, score: h.score + lift(h.reading) } : h,
    )
    .sort((a, b) => b.score - a.score || (a.reading.id < b.reading.id ? -1 : 1));
  return { ...ranked, hits };
}

/**
 * The fewest content words a question needs for passage evidence: two words ("database transactions")
 * name topics, and any phrase holding both would gain the whole lift; a description has more.
 */
const MIN_PASSAGE_WORDS = 3;

/** A tag named by at least this share of a question's content words is what the question is about. */
const MAIN_TOPIC_SHARE = 0.25;

/**
 * The share of a question's content words that name the tag: words in runs that spell one of its
 * spellings ("append-only log" names #storage-engines; "log" alone in "redo log replay" does not).
 */
function namesShare(id: string, query: readonly string[], ctx: MentorContext): number {
  const content = contentWords(query);
  return content.length === 0 ? 0 : ctx.naming(query, id) / content.length;
}

/** The words of a reading's authors' names. */
const authorWords = perReading((r): readonly string[] => tokenize((r.authors ?? []).join(' ')));

/** A reading's title and each `covers` phrase, as sets of stems. */
const coverStems = perReading((r): ReadonlyArray<ReadonlySet<string>> =>
  // The title is the reading's first idea: a question that is its title is not outdone by a phrase.
  [r.title + ' ' + (r.aka ?? ''), ...(r.covers ?? [])].map((c) => new Set(tokenize(c).map(stemOf))),
);

/**
 * A tag's text tail keeps only readings with a word that sets the tag apart: "byzantine fault
 * tolerance" lists readings mentioning Byzantine faults after its own, not crash-fault readings that
 * match "fault tolerance", another tag's name. Words every other tag's spellings lack are the ones
 * that set it apart; with none (every word is some other tag's too), the tail stays.
 */
function withoutSideTail(hits: Hit[], tag: string, topic: readonly string[], ctx: MentorContext): Hit[] {
  const spelledBy = tagsSpelling(ctx.catalog);
  const byOthers = (stem: string) => [...(spelledBy.get(stem) ?? [])].some((t) => t !== tag);
  const own = contentWords(topic)
    .map(stemOf)
    .filter((w) => !byOthers(w));
  if (own.length === 0) return hits;
  // Every word the tag's own ("pbft"): the tail came from the tag's synonyms, so a reading stays when it
  // has one of the words or of the synonyms' words no other tag spells ("byzantine"), not "fault
  // tolerance", which crash-fault readings share.
  const setApart =
    own.length === contentWords(topic).length
      ? [...own, ...(spelledOnlyBy(ctx.catalog).get(tag) ?? [])]
      : own;
  return hits.filter((h) => h.reading.tags.includes(tag) || setApart.some((w) => stemsOf(h.reading).has(w)));
}

/** Stem → the tags whose label or spellings (phrasings aside) use it; built once per catalog. */
function tagsSpelling(catalog: Catalog): ReadonlyMap<string, ReadonlySet<string>> {
  let map = spellingCache.get(catalog);
  if (!map) {
    const built = new Map<string, Set<string>>();
    for (const t of catalog.tags) {
      const phrasings = new Set(t.phrasings ?? []);
      const spellings = [t.label, ...t.aliases.filter((a) => !phrasings.has(a))];
      for (const w of contentWords(tokenize(spellings.join(' ')))) {
        const stem = stemOf(w);
        built.set(stem, (built.get(stem) ?? new Set()).add(t.id));
      }
    }
    spellingCache.set(catalog, (map = built));
  }
  return map;
}

const spellingCache = new WeakMap<Catalog, ReadonlyMap<string, ReadonlySet<string>>>();

/** Tag → the stems only its label or spellings use (tagsSpelling inverted); built once per catalog. */
function spelledOnlyBy(catalog: Catalog): ReadonlyMap<string, readonly string[]> {
  let map = onlySpellingCache.get(catalog);
  if (!map) {
    const built = new Map<string, string[]>();
    for (const [stem, tags] of tagsSpelling(catalog))
      if (tags.size === 1) {
        const [tag] = tags as ReadonlySet<string>;
        built.set(tag!, [...(built.get(tag!) ?? []), stem]);
      }
    onlySpellingCache.set(catalog, (map = built));
  }
  return map;
}

const onlySpellingCache = new WeakMap<Catalog, ReadonlyMap<string, readonly string[]>>();

/** The best text match must score this many times the second for its topic to follow it (see withTopicFeedback). */
const FEEDBACK_MARGIN = 2;
/** At most this many of that topic's readings follow it. */
const FEEDBACK_MAX = 3;

/**
 * Pseudo-relevance feedback over tags (as in Rocchio's and RM3's query expansion, with the catalog's
 * tags as the expansion): a description that one reading answers far better than any other ("send the
 * same request to two servers and use whichever answers first" → The Tail at Scale) is about that
 * reading's main topic (#tail-latency), so the topic's best readings follow it (Jeff Dean's talk on
 * backup requests, Cassandra's speculative retry), ahead of readings that only share the question's
 * everyday words. With no clear winner the words alone decide: feeding back a wrong first guess's
 * topic would bury the right answers.
 */
function withTopicFeedback(
  hits: Hit[],
  ranked: SearchOutcome,
  ctx: MentorContext,
  query: readonly string[],
): Hit[] {
  const first = ranked.hits[0];
  // The runner-up is the best reading on another line: the notes a paper rides with are the same answer.
  const sameLine = (r: Reading) =>
    !!first && (r.companionOf?.includes(first.reading.id) || !!first.reading.companionOf?.includes(r.id));
  const second = ranked.hits.slice(1).find((h) => !sameLine(h.reading));
  const lead = hits[0];
  if (!first || !lead || (second && first.score < FEEDBACK_MARGIN * second.score)) return hits;
  // A winner by one title word ("…under Slow or Flaky Network Conditions" for "is a node dead or just
  // slow") is no answer to the description: its topic would bury the ones that are.
  if (!sharesMostWords(first.reading, query)) return hits;
  const topic = closestTopicOf(first.reading, query, ctx);
  if (!topic) return hits;
  // The first line (the best match, or the notes it rides with) stays first; the topic's best follow.
  const onTopic = floor(ctx.rank(words(topic.replace(/-/g, ' ')), POOL))
    .filter((h) => h.score >= TAGGED && h.reading !== first.reading && h.reading !== lead.reading)
    .slice(0, FEEDBACK_MAX);
  if (!onTopic.length) return hits;
  const fed = new Set(onTopic.map((h) => h.reading));
  return [
    lead,
    ...onTopic.map((h, i) => ({ reading: h.reading, score: lead.score - (i + 1) * 1e-6 })),
    ...hits.slice(1).filter((h) => !fed.has(h.reading)),
  ];
}

/**
 * Which of a reading's topics a description is about: the tag whose own words (label, spellings,
 * description) share the most of the description's words, by stem ("put keys on a ring so adding a
 * server moves few keys" → the Dynamo paper's #consistent-hashing, not its first tag #dynamo); with
 * none shared, the reading's main topic.
 */
function closestTopicOf(r: Reading, query: readonly string[], ctx: MentorContext): string | undefined {
  const main = ctx.curriculum.mainTopic(r);
  const asked = new Set(contentWords(query).map(stemOf));
  let best = main;
  let most = 0;
  for (const id of r.tags) {
    if (ctx.curriculum.isCollection(id) || ctx.catalog.hiddenTags.includes(id)) continue;
    const shared = [...tagStems(id, ctx)].filter((w) => asked.has(w)).length;
    if (shared > most) [best, most] = [id, shared];
  }
  return best;
}

/** A tag's own words by stem (label, aliases and phrasings, description); built once per tag. */
function tagStems(id: string, ctx: MentorContext): ReadonlySet<string> {
  const tag = ctx.catalog.tagById.get(id);
  if (!tag) return new Set();
  let stems = tagStemCache.get(tag);
  if (!stems) {
    const text = [tag.label, ...tag.aliases, ...(tag.phrasings ?? []), tag.description].join(' ');
    stems = new Set(contentWords(tokenize(text)).map(stemOf));
    tagStemCache.set(tag, stems);
  }
  return stems;
}

const tagStemCache = new WeakMap<object, ReadonlySet<string>>();

/**
 * The stems of what a reading says it explains (readingWords), for the narrower-alias and feedback
 * checks. Tokenizing and stemming a reading's covers costs about as much as a whole BM25 query, and a
 * tag's readings are checked on every query naming it, so recent readings' stems are kept (bounded:
 * at 100k readings, caching them all would hold millions of strings).
 */
const stemsOf = perReading((r): ReadonlySet<string> => new Set(readingWords(r).map(stemOf)));

/** The stems of a reading's title (with aka). */
const titleStems = perReading((r): ReadonlySet<string> => new Set(nameWords(r).map(stemOf)));

/**
 * `compute` for a reading, kept for the 4,096 most recent readings: a reading's tokens and stems are
 * asked for on every query that finds it, and caching them for all of a 100k catalog would hold
 * millions of strings.
 */
function perReading<T extends object>(compute: (r: Reading) => T): (r: Reading) => T {
  const cache = new LRUCache<Reading, T>({ max: 4096 });
  return (r) => {
    let value = cache.get(r);
    if (value === undefined) {
      value = compute(r);
      cache.set(r, value);
    }
    return value;
  };
}

/** Does the reading's text (title, summary, covers) hold at least half of the query's content words, by stem? */
function sharesMostWords(r: Reading, query: readonly string[]): boolean {
  const content = contentWords(query);
  if (content.length === 0) return false;
  const text = stemsOf(r);
  const shared = content.filter((w) => text.has(stemOf(w))).length;
  return 2 * shared > content.length;
}

/**
 * A companion of many hosts (the DDIA book, whose chapters' notes are its hosts) listed without any of
 * them brings its best-matching host in just before it, from the candidates found for the words
 * (`pool`, best first), so it rides on that chapter's line: "keep copies on several machines" shows the
 * replication chapter with the book beside it, not the whole book on a line of its own.
 */
function chapterFor(hits: Hit[], pool: readonly Hit[]): Hit[] {
  const listed = new Set(hits.map((h) => h.reading.id));
  const out: Hit[] = [];
  for (const h of hits) {
    const hosts = h.reading.companionOf;
    if (hosts && hosts.length > 1 && !hosts.some((id) => listed.has(id))) {
      const best = pool.find((p) => hosts.includes(p.reading.id));
      if (best) {
        out.push({ reading: best.reading, score: h.score });
        listed.add(best.reading.id);
      }
    }
    out.push(h);
  }
  return out;
}

/**
 * "6.824 lecture on spanner": a course or series named beside a topic narrows the topic to the course's
 * readings first; it does not lift every lecture above the topic's other readings. Order: readings on
 * both, then the topic's, then the course's; each by score.
 */
function inCollectionFirst(
  hits: Hit[],
  mentioned: readonly string[],
  ctx: MentorContext,
  query: readonly string[],
): Hit[] {
  const collections = mentioned.filter((t) => ctx.curriculum.isCollection(t));
  const topics = mentioned.filter((t) => !ctx.curriculum.isCollection(t));
  if (!collections.length || !topics.length) return hits;
  // A course's reading whose own text explains the topic asked for is on it, tagged or not ("ddia notes
  // on transactions": chapter 9's two-phase commit, not only the chapter tagged #transactions).
  const topicWords = contentWords(query)
    .filter((w) => !KIND_WORDS.has(w) && !collections.includes(ctx.tagFor([w]) ?? ''))
    .map(stemOf);
  const explains = (r: Reading) => topicWords.length > 0 && topicWords.every((w) => stemsOf(r).has(w));
  const rank = (h: Hit) => {
    const inCollection = h.reading.tags.some((t) => collections.includes(t));
    const onTopic = h.reading.tags.some((t) => topics.includes(t)) || (inCollection && explains(h.reading));
    return inCollection && onTopic ? 0 : onTopic ? 1 : inCollection ? 2 : 3;
  };
  return hits
    .map((h, i) => ({ h, i, r: rank(h) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map(({ h }, i, all) => ({ ...h, score: all.length - i }));
}

/**
 * A topic's start-here path, each reading followed by its companions on the topic (the paper a set of
 * notes discusses, the notes on a paper: `related` readings of kind paper or notes carrying the tag),
 * so "the paper and its notes" stay side by side.
 */
function pathWithCompanions(tag: string, ctx: MentorContext, beginner = false): Reading[] {
  const out: Reading[] = [];
  const placed = new Set<Reading>();
  const place = (r: Reading) => {
    if (!placed.has(r)) {
      placed.add(r);
      out.push(r);
    }
  };
  const path = ctx.curriculum.path(tag);
  for (const r of path) {
    place(r);
    for (const c of ctx.curriculum.related(r))
      // A beginner asked: a companion at another level waits for its own turn (by level) instead of
      // riding along, so the path's levels never go back down.
      if (
        (c.kind === 'paper' || c.kind === 'notes') &&
        c.tags.includes(tag) &&
        !(beginner && c.level !== r.level)
      )
        place(c);
  }
  return out;
}

/**
 * A path opens with a reading on the topic, not a digest of many ideas (a newsletter's "12 algorithms"
 * on #consistent-hashing, a thread: kinds with a negative prior, KIND_PRIOR) whose main subject is
 * another: the first reading that is not such a digest moves to the front. A digest on the topic
 * itself (a system-design newsletter on #system-design) keeps its place.
 */
function digestNotFirst(tag: string, path: Reading[], ctx: MentorContext, beginner: boolean): Reading[] {
  const cur = ctx.curriculum;
  const aside = (r: Reading) => cur.kindPrior(r, beginner) < 0 && cur.mainTopic(r) !== tag;
  const opening = path.findIndex((r) => !aside(r));
  return opening <= 0 ? path : [path[opening]!, ...path.filter((_, i) => i !== opening)];
}

const LEVEL_RANK = { intro: 0, core: 1, advanced: 2 } as const;

/** Is `a` at a higher level (intro < core < advanced) than `b`? */
function harder(a: Reading, b: Reading): boolean {
  return LEVEL_RANK[a.level] > LEVEL_RANK[b.level];
}

/**
 * Did the words name `tag` by a narrower alias ("2pc", "chain replication", "vector clocks") rather than
 * by its id or label ("consensus", "how does leader election work")? Narrower: the question has a
 * topic word (ctx.isTopicWord) beyond the id's and label's words that is no mere qualifier
 * ("consensus algorithms", "what to read first": QUALIFIERS).
 */
function namedByAlias(tag: string, topic: string[], ctx: MentorContext): boolean {
  return narrowingWords(tag, topic, ctx).some((w) => ctx.isTopicWord(w));
}

/** The words of `topic` beyond the tag's id and label that are no mere qualifier ("vector" in "vector clocks"). */
function narrowingWords(tag: string, topic: string[], ctx: MentorContext): string[] {
  const t = ctx.catalog.tagById.get(tag);
  if (!t) return [];
  // By stem: "idempotency" is the #idempotence tag's own name, not a narrower idea; nor is an
  // everyday phrasing ("agree on an order"), the topic said in plain words.
  const own = new Set(tokenize(`${t.id.replace(/-/g, ' ')} ${t.label} ${t.phrasings.join(' ')}`).map(stemOf));
  return contentWords(topic).filter((w) => !own.has(stemOf(w)) && !QUALIFIERS.has(w));
}

/** How much a reading by an author the question names is lifted (see topicAnswer). */
const AUTHOR_LIFT = 0.5;

/** How much a tag's reading that explains the narrower idea asked for is lifted among the tag's (see topicAnswer). */
const NARROW_LIFT = 0.5;

/** Words that qualify a topic without narrowing it ("consensus algorithms", "what to read first"). */
const QUALIFIERS = new Set([
  'algorithm',
  'algorithms',
  'protocol',
  'protocols',
  'problem',
  'problems',
  'first',
  'concept',
  'concepts',
  'pattern',
  'patterns',
  'technique',
  'techniques',
  'approach',
  'approaches',
  'system',
  'systems',
  'distributed',
  'basics',
  'theory',
  'practice',
]);

/**
 * Only readings that really match: for a query naming a tag, the tag's readings and at most TAIL_MAX
 * text matches nearly as strong as the best; otherwise results within RELATIVE_FLOOR of the best.
 */
function floor(ranked: SearchOutcome): Hit[] {
  const hits = ranked.hits;
  if (hits.length === 0) return hits;
  if (ranked.mode === 'tag') {
    const tagged = hits.filter((h) => h.score >= TAGGED);
    const tail = hits.filter((h) => h.score < TAGGED && h.score >= TAIL_FLOOR).slice(0, TAIL_MAX);
    return [...tagged, ...tail];
  }
  // A question that mentions a topic ("what is zookeeper used for in practice") counts the topic's
  // readings as matches, however few of its other words they share.
  const about = ranked.mentioned;
  const top = hits[0]!.score;
  return hits.filter((h) => h.score >= top * RELATIVE_FLOOR || h.reading.tags.some((t) => about.includes(t)));
}

/**
 * The subject the catalog has nothing on: no tag named or mentioned, and none of the subject's words is
 * a topic word of the catalog (summaries may mention it in passing: those readings stay as the closest).
 */
function missingSubject(topic: string[], ranked: SearchOutcome, ctx: MentorContext): string | undefined {
  if (ranked.tag || ranked.mentioned.length) return undefined;
  const content = topic.filter((w) => !STOP_WORDS.has(w) && !isGeneric(w, ctx.catalog));
  if (content.length === 0 || content.some((w) => ctx.isTopicWord(w) || /^\d/.test(w))) return undefined;
  return content.join(' ');
}

/**
 * The words of a question that no catalog text uses, in any form ("quantum" in "quantum error
 * correction", "pizza"): the readings found match only the other words, and the reply says so.
 */
function wordsNoReadingUses(topic: string[], ctx: MentorContext): string[] {
  // The commonest English words ("sometimes", "week") say how the question is put: not worth naming.
  return contentWords(topic).filter(
    (w) =>
      !isGeneric(w, ctx.catalog) &&
      !KIND_WORDS.has(w) &&
      !/\d/.test(w) &&
      !isEverydayWord(w) &&
      !ctx.isIndexed(w),
  );
}

/**
 * A topic the vocabulary knows but no reading carries yet ("byzantine generals" → #byzantine-fault-tolerance):
 * say so, and offer its related topics that have readings, not readings that only share a word with it.
 */
function emptyTopic(ranked: SearchOutcome, hits: Hit[], ctx: MentorContext): SearchOutcome {
  const tag = ctx.catalog.tagById.get(ranked.tag!)!;
  const usage = tagUsage(ctx.catalog);
  const related = tag.related.filter((t) => (usage.get(t) ?? 0) > 0);
  const didYouMean = related.length ? related.slice(0, 5) : closestTopics(hits, tag.label, ctx);
  // Only readings whose own text names the topic "mention it"; the synonyms' matches do not.
  const names = [tag.label, ...tag.aliases].map((n) => n.toLowerCase());
  const mentioning = hits.filter((h) => {
    const text = `${h.reading.title} ${h.reading.summary} ${h.reading.note ?? ''}`.toLowerCase();
    return names.some((n) => text.includes(n));
  });
  return { ...ranked, hits: mentioning, missing: tag.label, didYouMean };
}

/** Tags of the readings that mention the subject, most frequent first; else tags spelled like it. */
function closestTopics(hits: Hit[], subject: string, ctx: MentorContext): string[] {
  const counts = new Map<string, number>();
  for (const h of hits.slice(0, 10)) {
    const t = ctx.curriculum.mainTopic(h.reading);
    if (t) counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  const fromHits = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([t]) => t);
  return fromHits.length ? fromHits.slice(0, 5) : ctx.suggestTags(subject, 5);
}

/**
 * The readings that pass `filters`, in study order, for a query that is only a filter: the field's
 * start, then the rest by level (intro, core, advanced), each level in catalog order. None: no hits.
 */
function browse(ctx: MentorContext, filters: NonNullable<SearchOutcome['filters']>): SearchOutcome {
  const start = ctx.curriculum.fieldStart();
  const first = new Set(start);
  const rest = ctx.catalog.readings
    .filter((r) => !first.has(r))
    .map((r, i) => ({ r, i }))
    .sort((a, b) => LEVEL_RANK[a.r.level] - LEVEL_RANK[b.r.level] || a.i - b.i)
    .map(({ r }) => r);
  const all = [...start, ...rest].filter((r) => fits(r, filters));
  return {
    mode: 'text',
    mentioned: [],
    hits: all.map((reading, i) => ({ reading, score: all.length - i })),
    // "short talks", "0m": nothing passes; the reply says so and offers topics to try.
    didYouMean: all.length ? [] : ctx.suggestTags('', 5),
  };
}

/** "where should I start?": the field's start path, then what the words match. */
function fieldStart(content: string[], ctx: MentorContext): SearchOutcome {
  const start = ctx.curriculum.fieldStart();
  const hits: Hit[] = start.map((reading, i) => ({ reading, score: 100 - i }));
  if (content.length) {
    const seen = new Set(start);
    for (const h of floor(ctx.rank(content, POOL))) if (!seen.has(h.reading)) hits.push(h);
  }
  return { mode: 'start', mentioned: [], hits, didYouMean: [] };
}

/** "ddia chapter 5", "6.824 lecture 14": that place of the series first; a place that does not exist says what does. */
function seriesPosition(content: string[], ctx: MentorContext): SearchOutcome | undefined {
  const number = content.find((w) => /^\d{1,3}$/.test(w));
  if (number === undefined) return undefined;
  const named = ctx.seriesIn(content.filter((w) => w !== number));
  if (!named) return undefined;
  const { series } = named;
  const at = ctx.curriculum.numberedAt(series.id, Number(number));
  const list = ctx.curriculum.series(series.id);
  if (!at) {
    const covers = ctx.curriculum.coverage(series);
    const unit = ctx.curriculum.unit(series.id) ?? 'part';
    return {
      mode: 'series',
      series,
      mentioned: [],
      hits: list.map((reading, i) => ({ reading, score: 100 - i })),
      didYouMean: [],
      note: `There is no ${unit} ${number} in ${series.name}${covers ? `: the notes cover ${covers}` : ''}.`,
    };
  }
  // The asked place, then its neighbours (the next one, the one it builds on), then what follows them
  // and what came before: a learner looking up a chapter sees where it sits.
  const i = list.indexOf(at);
  const rest = [
    ...list.slice(i + 1, i + 2),
    ...list.slice(Math.max(0, i - 1), i),
    ...list.slice(i + 2),
    // The earlier ones nearest first: lecture 20 is followed by 19, 18, … not by lecture 1.
    ...list.slice(0, Math.max(0, i - 1)).reverse(),
  ];
  return {
    mode: 'series',
    series,
    mentioned: [],
    hits: [at, ...rest].map((reading, i) => ({ reading, score: 100 - i })),
    didYouMean: [],
  };
}

/** The reading a what-next question starts from, or a reply saying the series has no such place. */
function findAnchor(
  intent: LearnerIntent,
  ctx: MentorContext,
  end: 'first' | 'last' = 'last',
): Reading | SearchOutcome | undefined {
  const { anchor, scope } = intent.after!;
  const number = anchor.find((w) => /^\d{1,3}$/.test(w));
  // "chapter 9 done": no series named, but only one series numbers its readings in chapters.
  const inAnchor =
    ctx.seriesIn(anchor.filter((w) => !/^\d{1,3}$/.test(w))) ?? seriesByUnit(anchor, number, ctx);
  if (inAnchor && number !== undefined) {
    // "after chapter 9" is after all of it (its last part); "after chapter 9 part 1", after that part.
    const parts = ctx.curriculum.numberedAll(inAnchor.series.id, Number(number));
    const part = anchor.indexOf('part');
    const which = part >= 0 ? partNumber(anchor[part + 1]) : NaN;
    return parts[which - 1] ?? (end === 'last' ? parts.at(-1) : parts[0]) ?? seriesPosition(anchor, ctx);
  }
  // "after ddia, what's next", "I've done all of 6.824": the series itself is done: after its last reading
  // (before it: before its first).
  if (inAnchor && number === undefined && contentWords(inAnchor.rest).every((w) => SERIES_WHOLE.has(w))) {
    const all = ctx.curriculum.series(inAnchor.series.id);
    return end === 'last' ? all.at(-1) : all[0];
  }
  // "6.824 lecture after zookeeper": the scope names the series the anchor is in.
  const scopeSeries = (scope.length ? ctx.seriesIn(scope) : undefined)?.series;
  const topic = inAnchor && !scope.length ? inAnchor.rest : anchor;
  const words = topic.length ? topic : anchor;
  const hits = ctx.rank(words, POOL).hits;
  // A series word inside the anchor ("kleppmann's please stop calling databases CP or AP": Kleppmann
  // also names DDIA) scopes it only when a reading of that series has one of the other words in its
  // title, or the title that holds all of them is not outside it.
  const scoped =
    scopeSeries ?? (inAnchor && seriesTitled(inAnchor.series.id, words, hits) ? inAnchor.series : undefined);
  const fits = (r: Reading) =>
    (!scoped || r.series === scoped.id) && (intent.kind === undefined || r.kind === intent.kind);
  // The reading the words name: of the best few that fit, the one whose title and authors hold the
  // most of them ("lamport's time and clocks paper" is Lamport's 1978 paper, not HLC, which cites it).
  const content = contentWords(words);
  // Ties go to the title the words fill most: "chain replication" is "Chain Replication for …", not
  // "Object Storage on CRAQ: … chain replication for read-mostly workloads".
  const named = (r: Reading) => {
    const own = nameWords(r, true);
    const found = content.filter((w) => hasWord(own, w)).length;
    return found + found / own.length;
  };
  // A kind word that is part of a title names that title ("notes on distributed systems for young
  // bloods" is the Young Bloods article, not a set of notes).
  const kind = intent.kind;
  const titled =
    kind && content.length
      ? hits
          .slice(0, ANCHOR_CANDIDATES)
          .find((h) => [...content, kind].every((w) => hasWord(nameWords(h.reading), w)))
      : undefined;
  if (titled) return titled.reading;
  // Nothing of that kind in that series ("the zookeeper paper in 6.824": the paper is not in the
  // series, its notes are): the kind decides, then the series.
  const inScope = (r: Reading) => !scoped || r.series === scoped.id;
  const ofKind = (r: Reading) => kind === undefined || r.kind === kind;
  const candidates = [fits, ofKind, inScope]
    .map((keep) => hits.filter((h) => keep(h.reading)).slice(0, ANCHOR_CANDIDATES))
    .find((list) => list.length > 0);
  let best = candidates?.[0];
  for (const h of candidates ?? []) if (named(h.reading) > named(best!.reading)) best = h;
  return (best ?? hits[0])?.reading;
}

/**
 * Does the series hold the reading `words` name? False when none of its best-ranked readings has one of
 * the words in its title while a reading outside it has all of them.
 */
function seriesTitled(series: string, words: string[], hits: readonly Hit[]): boolean {
  const content = contentWords(words);
  if (content.length === 0) return true;
  const titled = (h: Hit, all: boolean) => {
    const own = nameWords(h.reading);
    return all ? content.every((w) => hasWord(own, w)) : content.some((w) => hasWord(own, w));
  };
  const top = hits.slice(0, ANCHOR_CANDIDATES);
  if (top.some((h) => h.reading.series === series && titled(h, false))) return true;
  return !top.some((h) => h.reading.series !== series && titled(h, true));
}

/** A part's number as written: "2", or spelled out as the titles do ("Part One", "part two"). */
function partNumber(word: string | undefined): number {
  const spelled = ['one', 'two', 'three', 'four'].indexOf(word ?? '');
  return spelled >= 0 ? spelled + 1 : Number(word);
}

/** The one series whose titles number places by a unit word in `words` ("chapter 9" → DDIA). */
function seriesByUnit(
  words: readonly string[],
  number: string | undefined,
  ctx: MentorContext,
): { series: Series; rest: string[] } | undefined {
  if (number === undefined) return undefined;
  const units = new Set(words.map((w) => w.replace(/s$/, '')));
  const matching = ctx.catalog.series.filter((s) => units.has(ctx.curriculum.unit(s.id) ?? ''));
  if (matching.length !== 1) return undefined;
  const series = matching[0]!;
  // "saltzer and kaashoek chapter 9": other words naming a reading outside the series (by its title or
  // authors) say which chapter 9 it is.
  const unit = ctx.curriculum.unit(series.id);
  const others = contentWords(words).filter(
    (w) => w.replace(/s$/, '') !== unit && !/^\d+$/.test(w) && w !== 'part' && !SERIES_WHOLE.has(w),
  );
  if (others.length) {
    const named = ctx
      .rank(others, ANCHOR_CANDIDATES)
      .hits.some(
        (h) => h.reading.series !== series.id && others.every((w) => hasWord(nameWords(h.reading, true), w)),
      );
    if (named) return undefined;
  }
  return { series, rest: [] };
}

/** Words beside a series' name that still mean the whole series ("all of 6.824", "the ddia book"). */
const SERIES_WHOLE = new Set(['all', 'whole', 'entire', 'book', 'course', 'series', 'notes', 'lectures']);

/** A list of readings to recommend around `anchor`: `add` skips the anchor, repeats and undefined. */
function readingsBesides(anchor: Reading): { list: Reading[]; add: (r: Reading | undefined) => void } {
  const list: Reading[] = [];
  const add = (r: Reading | undefined) => {
    if (r && r !== anchor && !list.includes(r)) list.push(r);
  };
  return { list, add };
}

/** The first of a companion's hosts (the notes a paper rides with) that `keep` accepts. */
function hostWhere(r: Reading, ctx: MentorContext, keep: (host: Reading) => boolean): Reading | undefined {
  return r.companionOf
    ?.map((id) => ctx.catalog.byId.get(id))
    .find((h): h is Reading => h !== undefined && keep(h));
}

/**
 * The course notes on a paper, where its place in a course is: the companion's host, or else notes in
 * a series it relates to (the Raft paper has its own line, yet lectures 6 and 7's notes are on it).
 */
function notesOn(r: Reading, ctx: MentorContext, keep: (notes: Reading) => boolean): Reading | undefined {
  const cur = ctx.curriculum;
  const inSeries = (n: Reading) => cur.place(n) !== undefined && keep(n);
  return hostWhere(r, ctx, inSeries) ?? cur.related(r).find((n) => n.kind === 'notes' && inSeries(n));
}

/** How many of the best-ranked readings a what-next anchor is chosen from. */
const ANCHOR_CANDIDATES = 5;

/**
 * "what to read after DDIA chapter 5": the next reading of its series (or of its topic's start-here
 * path), the readings related to that one and to the anchor, then more on the anchor's subject.
 */
function whatNext(intent: LearnerIntent, ctx: MentorContext, limit: number): SearchOutcome | undefined {
  const topical = intent.after?.topicLevel ? nextTopics(intent.after.anchor, ctx) : undefined;
  if (topical) return topical;
  const anchor = findAnchor(intent, ctx);
  if (anchor === undefined) return undefined;
  if (!('id' in anchor)) return anchor;
  const cur = ctx.curriculum;
  const { list, add } = readingsBesides(anchor);
  // A paper read on its own goes on with the notes on it, then where they go on: after the GFS paper,
  // lecture 3's notes, then lecture 4.
  // A paper read on its own goes on where the notes on it go on: after the GFS paper, lecture 4. Notes
  // on that paper alone are the same subject again, so they follow; notes that also cover another
  // paper (lecture 9: chain replication, then CRAQ, which builds on it) come first.
  const host = notesOn(anchor, ctx, (r) => cur.successor(r) !== undefined);
  const successor = cur.successor(anchor) ?? (host && cur.successor(host));
  const hostGoesFurther =
    host !== undefined && cur.related(host).some((r) => r !== anchor && r.kind === 'paper');
  if (hostGoesFurther) add(host);
  add(successor);
  add(host);
  // The next place is whole: after chapter 8, both parts of chapter 9. The place after it is for
  // later; what builds on the reading just read comes first.
  const then = successor && cur.successor(successor);
  if (successor && then && cur.samePlace(successor, then)) add(then);
  const topic = cur.mainTopic(anchor);
  if (topic) {
    const path = cur.path(topic);
    const i = path.indexOf(anchor);
    if (i >= 0) add(path[i + 1]);
  }
  // Related readings by kind: the notes or paper on it before a product announcement or a thread.
  const byKind = (rs: Reading[]) =>
    rs
      .map((r, i) => ({ r, i }))
      .sort((a, b) => cur.kindPrior(b.r) - cur.kindPrior(a.r) || a.i - b.i)
      .map(({ r }) => r);
  if (successor) for (const r of byKind(cur.related(successor))) add(r);
  for (const r of byKind(cur.related(anchor))) add(r);
  const earlier = new Set(anchor.series ? cur.series(anchor.series).slice(0, cur.place(anchor)!.place) : []);
  if (topic)
    for (const h of floor(ctx.rank(words(topic.replace(/-/g, ' ')), POOL)))
      if (!earlier.has(h.reading) && h.reading.level !== 'intro') add(h.reading);
  // Then the neighbouring topics' paths beyond their intro steps: after the Raft paper, Paxos and FLP
  // (#raft's related tags: consensus, paxos, …), where #raft alone has two readings.
  for (const t of (topic && ctx.catalog.tagById.get(topic)?.related) || [])
    for (const r of cur.path(t)) if (!earlier.has(r) && r.level !== 'intro') add(r);
  const place = cur.place(anchor);
  const series = anchor.series ? ctx.catalog.series.find((s) => s.id === anchor.series) : undefined;
  const where = place && series ? ` (${series.name}, ${place.place} of ${place.of})` : '';
  const first = list[0];
  return {
    mode: 'next',
    mentioned: topic ? [topic] : [],
    anchor,
    hits: list.slice(0, Math.max(limit, POOL)).map((reading, i) => ({ reading, score: 100 - i })),
    didYouMean: [],
    note:
      lastOfSeries(anchor, successor, series, ctx) ??
      (first
        ? `After **${anchor.title}**${where}, read **${first.title}** next.`
        : `**${anchor.title}**${where} is the last reading on its path.`),
    ...(series ? { series } : {}),
  };
}

/**
 * A what-next note names the first reading; when folding made it ride on another's line (the CAP proof
 * on "Perspectives on the CAP Theorem"), the note names that line's reading, with it.
 */
function renamedLead(before: SearchOutcome, after: SearchOutcome): string | undefined {
  const first = before.hits[0]?.reading;
  const line = after.hits[0];
  if (!first || !line || line.reading === first || !before.note?.includes(`**${first.title}**`))
    return undefined;
  return before.note.replace(`**${first.title}**`, `**${line.reading.title}** (with **${first.title}**)`);
}

/**
 * "done with consensus, what topic next": the topics after a topic are its related ones (tags.json
 * `related`, in order); their start-here readings, round-robin, not already on the topic's own path.
 * Undefined when the words name no tag.
 */
function nextTopics(words: string[], ctx: MentorContext): SearchOutcome | undefined {
  const content = contentWords(words).filter((w) => !TOPIC_WORDS.has(w));
  const id = content.length ? ctx.tagFor(content) : undefined;
  const tag = id === undefined ? undefined : ctx.catalog.tagById.get(id);
  if (!tag || ctx.curriculum.isCollection(tag.id)) return undefined;
  const done = new Set(ctx.curriculum.path(tag.id));
  const paths = tag.related.map((t) => ctx.curriculum.path(t).filter((r) => !done.has(r)));
  const list = roundRobin(paths);
  if (!list.length) return undefined;
  const names = tag.related.map((t) => `#${t}`).join(', ');
  return {
    mode: 'text',
    mentioned: [...tag.related],
    hits: list.map((reading, i) => ({ reading, score: list.length - i })),
    didYouMean: [],
    note: `After #${tag.id}, go on to its related topics: ${names}.`,
  };
}

/**
 * The last reading of a series has no next one in it: the reply says so (and what the notes cover),
 * instead of offering the book the notes are on as the next step.
 */
function lastOfSeries(
  anchor: Reading,
  successor: Reading | undefined,
  series: Series | undefined,
  ctx: MentorContext,
): string | undefined {
  if (!series || successor) return undefined;
  const at = ctx.curriculum.place(anchor);
  const covers = ctx.curriculum.coverage(series);
  return (
    `**${anchor.title}** is the last of ${series.name} (${at?.place} of ${at?.of})` +
    `${covers ? `: the notes cover ${covers}` : ''}. These build on it.`
  );
}

/**
 * "what to read before the spanner paper": what prepares for it, easiest first. The reading before it in
 * its series (for a paper, before the course notes on it), the steps before it on its topic's path, its related readings
 * at a lower level, then the intro steps of its topic's related tags; the anchor itself never.
 */
function whatBefore(
  anchorWords: string[],
  intent: LearnerIntent,
  ctx: MentorContext,
): SearchOutcome | undefined {
  // "before chapter 9" is before its first part.
  const anchor = findAnchor({ ...intent, after: { anchor: anchorWords, scope: [] } }, ctx, 'first');
  if (anchor === undefined || !('id' in anchor)) return undefined;
  const cur = ctx.curriculum;
  const { list, add } = readingsBesides(anchor);
  // A paper's place in a course is its notes' place: the companion's host, or the notes it relates to.
  const notes = notesOn(anchor, ctx, () => true);
  add(cur.predecessor(notes ?? anchor));
  const easier = (r: Reading) => LEVEL_RANK[r.level] < LEVEL_RANK[anchor.level];
  const topic = cur.mainTopic(anchor);
  const path = topic ? cur.path(topic) : [];
  const at = path.indexOf(anchor);
  for (const r of at >= 0 ? path.slice(0, at) : path.filter(easier)) add(r);
  for (const r of cur.related(anchor)) if (easier(r)) add(r);
  for (const t of (topic && ctx.catalog.tagById.get(topic)?.related) || [])
    for (const r of cur.path(t)) if (r.level === 'intro') add(r);
  const first = list[0];
  // Nothing before it: the reading itself, with a note saying it can be read first.
  const shown = first ? list.slice(0, POOL) : [anchor];
  return {
    mode: 'before',
    mentioned: topic ? [topic] : [],
    anchor,
    hits: shown.map((reading, i) => ({ reading, score: 100 - i })),
    didYouMean: [],
    note: first
      ? `Before **${anchor.title}**, read **${first.title}** first.`
      : `Nothing in the catalog comes before **${anchor.title}**: it can be read first.`,
  };
}

/**
 * "X vs Y": readings found for both sides first (best combined rank), then the best of each side in
 * turn. Undefined when a side finds nothing (then it was not a comparison: "raft or paxos papers").
 */
function compare(
  asked: [string[], string[]],
  intent: LearnerIntent,
  ctx: MentorContext,
): SearchOutcome | undefined {
  const sides = withSharedHead(asked, ctx);
  // A side is a subject, not a story: more than four words that name no tag as a whole ("manager wants
  // us … database write heavy workload" and "cassandra came up") is a question, answered as one.
  const story = (side: string[]) =>
    contentWords(side).length > MAX_SIDE_WORDS && ctx.tagFor(contentWords(side)) === undefined;
  if (story(sides[0]) || story(sides[1])) return undefined;
  // Each side on its own words; the setting ("… for service discovery") then puts first, within a
  // side, its readings that speak of it, so the setting never brings in readings on neither side.
  const setting = intent.compareSetting ?? [];
  const inSetting = (o: SearchOutcome): SearchOutcome => {
    const stems = contentWords(setting).map(stemOf);
    if (!stems.length) return o;
    const speaks = (h: Hit) => stems.some((w) => stemsOf(h.reading).has(w));
    return { ...o, hits: [...o.hits.filter(speaks), ...o.hits.filter((h) => !speaks(h))] };
  };
  let [a, b] = sides.map((side) =>
    inSetting(topicAnswer({ ...intent, topic: side, compare: undefined }, ctx, POOL)),
  ) as [SearchOutcome, SearchOutcome];
  // Both sides name one tag ("chain replication vs primary backup" are both #replication): the tag's
  // list would be the same twice, so each side is ranked on its own words.
  if (a.tag !== undefined && a.tag === b.tag) {
    // Each side on its own words, among the shared tag's readings when it finds any: "pessimistic
    // locking" against "optimistic locking" (both #concurrency-control) is not about lock services.
    const shared = a.tag;
    // Then the rest of the tag's list, its path first: "pessimistic concurrency control" is in DDIA's
    // chapter on transactions (two-phase locking) though no word of it is.
    const literal = (side: string[], tagList: SearchOutcome) => {
      const ranked = ctx.rankLiteral(side, POOL);
      const hits = floor(ranked);
      const onTag = hits.filter((h) => h.reading.tags.includes(shared));
      if (!onTag.length) return { ...ranked, hits };
      const found = new Set(onTag.map((h) => h.reading));
      return { ...ranked, hits: [...onTag, ...tagList.hits.filter((h) => !found.has(h.reading))] };
    };
    [a, b] = [literal(sides[0], a), literal(sides[1], b)];
  }
  if (!a.hits.length || !b.hits.length || a.missing || b.missing) return undefined;
  // "is a node dead or just slow": a bare "or" between words that name no topic joins states, not subjects.
  const named = (o: SearchOutcome) => o.tag !== undefined || o.mentioned.length > 0 || o.mode === 'series';
  if (intent.compareByOr && !(named(a) && named(b))) return undefined;
  const rankIn = (o: SearchOutcome) => new Map(o.hits.map((h, i) => [h.reading, i]));
  const ra = rankIn(a);
  const rb = rankIn(b);
  // On both sides, and near the top of each: a reading where both topics are
  // side notes (The Tail at Scale, 13th for replication) does not open "sharding vs replication".
  const both = a.hits
    .filter(
      (h) =>
        rb.has(h.reading) &&
        Math.max(ra.get(h.reading)!, rb.get(h.reading)!) < BOTH_RANK &&
        isAbout(h.reading, a, sides[0], ctx) &&
        isAbout(h.reading, b, sides[1], ctx),
    )
    .map((h) => h.reading)
    .sort((x, y) => ra.get(x)! + rb.get(x)! - (ra.get(y)! + rb.get(y)!));
  const list: Reading[] = [...both];
  const seen = new Set(both);
  for (let i = 0; i < Math.max(a.hits.length, b.hits.length); i++)
    for (const o of [a, b]) {
      const r = o.hits[i]?.reading;
      if (r && !seen.has(r)) {
        seen.add(r);
        list.push(r);
      }
    }
  const label = (o: SearchOutcome, side: string[]) => o.tag ?? side.join(' ');
  return {
    mode: 'compare',
    mentioned: [a.tag, b.tag].filter((t): t is string => t !== undefined),
    hits: list.map((reading, i) => ({ reading, score: 100 - i })),
    didYouMean: [],
    sides: [label(a, sides[0]), label(b, sides[1])],
    ...(contentWords(setting).length ? { setting } : {}),
  };
}

/**
 * Is a comparison's side what the reading is about, not a side note: the side's tag (or a tag it
 * mentions) among the reading's two most central tags (tags are listed most central first,
 * data/README), or the side named in its title, summary or `covers` (the ideas it explains), by its
 * words or by any spelling of its tag. "The trouble with timestamps" carries #dynamo fourth: it
 * opens "compare dynamo and cassandra" only if its text names Dynamo.
 */
function isAbout(r: Reading, side: SearchOutcome, words: string[], ctx: MentorContext): boolean {
  const topics = side.tag !== undefined ? [side.tag] : side.mentioned;
  if (r.tags.slice(0, CENTRAL_TAGS).some((t) => topics.includes(t))) return true;
  const text = readingWords(r);
  const content = contentWords(words);
  if (content.length > 0 && content.every((w) => hasWord(text, w))) return true;
  // Or the side's tag by any of its spellings ("2pc" is named "two-phase commit" in a summary).
  const tag = side.tag === undefined ? undefined : ctx.catalog.tagById.get(side.tag);
  if (!tag) return false;
  const spaced = ` ${text.join(' ')} `;
  return [tag.label, ...tag.aliases].some((name) => {
    const phrase = tokenize(name).join(' ');
    return phrase.length > 0 && spaced.includes(` ${phrase} `);
  });
}

/** How many of a reading's first tags say what it is about (see isAbout). */
const CENTRAL_TAGS = 2;

/** The most words a side of a comparison that names no tag may have (see compare). */
const MAX_SIDE_WORDS = 4;

/** A reading opens a comparison as one on both sides only within this rank (0-based) on each side. */
const BOTH_RANK = 10;

/**
 * "optimistic vs pessimistic concurrency control", "sync vs async replication": a one-word side that is
 * no topic of its own shares the other side's head words ("optimistic concurrency control").
 */
function withSharedHead(sides: [string[], string[]], ctx: MentorContext): [string[], string[]] {
  const [a, b] = sides;
  const bare = (side: string[]) => side.length === 1 && ctx.tagFor(side) === undefined;
  if (bare(a) && b.length > 1) return [[a[0]!, ...b.slice(1)], b];
  if (bare(b) && a.length > 1) return [a, [b[0]!, ...a.slice(1)]];
  return sides;
}

/**
 * Keep readings of the asked kind, level and length. Nothing left: the unfiltered answer, with a note
 * saying so (an honest "no papers on this yet" beats an empty reply). Fewer than a page left: those,
 * then the best others up to a page, with `matched` saying where the filtered ones end.
 */
function applyFilters(
  outcome: SearchOutcome,
  filters: NonNullable<SearchOutcome['filters']>,
  ctx: MentorContext,
): SearchOutcome {
  const catalog = ctx.catalog;
  const keep = (r: Reading) => fits(r, filters);
  // "papers assigned in 6.824": a lecture's notes found for the words stand for the paper they assign.
  const riders = companionsByHost(catalog);
  // On a topic, a paper stands in for its notes only if it is on that topic too (not Bigtable for #gossip).
  const onTopic = (r: Reading) => outcome.tag === undefined || r.tags.includes(outcome.tag);
  const seen = new Set<Reading>();
  const hits: Hit[] = [];
  for (const h of outcome.hits)
    for (const r of keep(h.reading)
      ? [h.reading]
      : (riders.get(h.reading.id) ?? []).filter((c) => keep(c) && onTopic(c)))
      if (!seen.has(r)) {
        seen.add(r);
        hits.push(r === h.reading ? h : { reading: r, score: h.score });
      }
  if (hits.length >= ONE_PAGE || outcome.hits.length === hits.length) return { ...outcome, hits, filters };
  if (hits.length === 0) {
    // "I understand raft, what is harder": none of the topic's readings is advanced, its related
    // topics' are (Paxos, FLP), so those answer, as a thin topic's related readings do.
    // A level is the asker's own ("harder", "for a beginner"); a kind or a length only prefers, so the
    // topic's readings stay the answer to "short reads on exactly-once delivery".
    const related = filters.level !== undefined ? fittingOnRelated(outcome, keep, ctx) : { readings: [] };
    if (related.readings.length)
      return {
        ...outcome,
        hits: related.readings.map((reading, i) => ({ reading, score: related.readings.length - i })),
        filters,
        matched: 0,
        relatedFill: true,
        note: `None of the readings on #${related.topic} is ${describeFilters(filters)}; these on related topics are.`,
      };
    return { ...outcome, note: `None of these is ${describeFilters(filters)}; here is everything found.` };
  }
  // Fewer than a page pass: those first, then the best of the rest, as a mentor would add "see also";
  // the rest closest to the ask first ("advanced papers on transactions": other papers, then others).
  const others = outcome.hits
    .filter((h) => !keep(h.reading))
    .map((h, i) => ({ h, i, near: filtersMet(h.reading, filters) }))
    .sort((a, b) => b.near - a.near || a.i - b.i)
    .map(({ h }) => h);
  // The page is cut after companions fold (answerIntent): notes riding on the paper asked for leave
  // room for another line.
  return { ...outcome, hits: [...hits, ...others], filters, matched: hits.length };
}

/**
 * The readings of a topic's related tags (tags.json `related`, in order) that pass the filters: each
 * tag's start-here path first, then its other readings; round-robin over the tags, up to a page.
 */
function fittingOnRelated(
  outcome: SearchOutcome,
  keep: (r: Reading) => boolean,
  ctx: MentorContext,
): { topic?: string; readings: Reading[] } {
  // The topic: the tag named, or the one a question mentions ("i understand raft, what is harder").
  const id = outcome.tag ?? (outcome.mentioned.length === 1 ? outcome.mentioned[0] : undefined);
  const tag = id === undefined ? undefined : ctx.catalog.tagById.get(id);
  if (!tag) return { readings: [] };
  const lists = tag.related.map((t) => {
    const path = ctx.curriculum.path(t);
    const rest = ctx.catalog.readings.filter((r) => r.tags.includes(t) && !path.includes(r));
    return [...path, ...rest].filter((r) => keep(r) && !r.tags.includes(tag.id));
  });
  return { topic: tag.id, readings: roundRobin(lists, ONE_PAGE) };
}

/** For each of kind, level and length that was asked, whether the reading meets it. */
function filterChecks(r: Reading, filters: NonNullable<SearchOutcome['filters']>): boolean[] {
  const checks: boolean[] = [];
  if (filters.kind !== undefined) checks.push(r.kind === filters.kind);
  if (filters.level !== undefined) checks.push(r.level === filters.level);
  if (filters.maxMinutes !== undefined)
    checks.push(r.minutes !== undefined && r.minutes <= filters.maxMinutes);
  return checks;
}

/** How many of the asked kind, level and length the reading meets. */
function filtersMet(r: Reading, filters: NonNullable<SearchOutcome['filters']>): number {
  return filterChecks(r, filters).filter(Boolean).length;
}

/** Is the reading of the asked kind, level and length? */
function fits(r: Reading, filters: NonNullable<SearchOutcome['filters']>): boolean {
  return filterChecks(r, filters).every(Boolean);
}

const ridersByCatalog = new WeakMap<Catalog, Map<string, Reading[]>>();

/** Host id → the readings whose `companionOf` names it, in catalog order (built once per catalog). */
function companionsByHost(catalog: Catalog): Map<string, Reading[]> {
  let map = ridersByCatalog.get(catalog);
  if (!map) {
    map = new Map();
    for (const r of catalog.readings)
      for (const host of r.companionOf ?? []) map.set(host, [...(map.get(host) ?? []), r]);
    ridersByCatalog.set(catalog, map);
  }
  return map;
}

/** Results on one page of a reply (commands/render.ts PAGE_SIZE): a filtered list shorter than this is filled. */
const ONE_PAGE = 5;

/** "a paper", "an intro reading under 15 minutes". */
export function describeFilters(f: NonNullable<SearchOutcome['filters']>): string {
  const what = f.kind ?? 'reading';
  const level = f.level ? `${f.level} ` : '';
  const head = `${level}${what}`;
  // "notes" is already plural: "only notes", not "only a notes".
  const article = what === 'notes' ? '' : /^[aeiou]/.test(head) ? 'an ' : 'a ';
  return `${article}${head}${f.maxMinutes !== undefined ? ` under ${f.maxMinutes} minutes` : ''}`;
}
