import { LRUCache } from 'lru-cache';
import MiniSearch from 'minisearch';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { tagUsage, type Catalog } from '../catalog/load.ts';
import type { Reading, ReadingLevel, Series } from '../catalog/schema.ts';
import { Bm25Scorer, type MatchScores, type QueryTerm } from './bm25.ts';
import { CompactIndex } from './compact-index.ts';
import { BOOST, FIELDS, buildIndex, docFor, type IndexedDoc } from './documents.ts';
import { Curriculum } from './curriculum.ts';
import { isEnglishWord, isEverydayWord } from './english.ts';
import { PhraseTypos } from './phrase-typos.ts';
import { mendCompounds, type CompoundVocabulary } from './compounds.ts';
import { extractOptionWords, parseIntent, type ReadingKind } from './intent.ts';
import { answerIntent, type MentorContext, type SearchOutcome } from './mentor.ts';
import {
  TopK,
  idRanks,
  mentionWeight,
  selectBest,
  selectDense,
  type Lifts,
  type ListBuffers,
} from './scoreboard.ts';
import {
  KIND_WORDS,
  STOP_WORDS,
  codesOf,
  editDistance,
  editDistanceCodes,
  processTerm,
  stemOf,
  tokenize,
  typoBudget,
} from './text.ts';

const NONE = new Int32Array(0);

/** Lower-case letters and digits only, for "did you mean" comparisons. */
const letters = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '');

/** The three-letter runs of `s`. */
const trigrams = (s: string) =>
  new Set(Array.from({ length: Math.max(0, s.length - 2) }, (_, i) => s.slice(i, i + 3)));

/** Bump when indexing changes, so stale snapshots are rebuilt rather than loaded. */
const INDEX_VERSION = 7;

/** First letters typed for one another by sound (c/k, s/z, s for c): tried when no same-letter word fits. */
const SOUNDS_LIKE: ReadonlyMap<string, readonly string[]> = new Map([
  ['k', ['c']],
  ['c', ['k']],
  ['s', ['z', 'c']],
  ['z', ['s']],
]);

/** How much a tag's other spellings count next to the words the user typed. */
const EXPANSION_WEIGHT = 0.08;
/** Synonym terms a query may add at most (the largest tag has 18). */
const MAX_EXPANSION_TERMS = 24;

export type { Hit, SearchOutcome } from './mentor.ts';

export interface SearchOptions {
  /** Most results (default 50). */
  limit?: number;
  /** Only readings of this kind (the /read `kind` option; also `kind:paper` or "papers" in the text). */
  kind?: ReadingKind;
  /** Only readings of this level (the /read `level` option, or `level:intro`). */
  level?: ReadingLevel;
}

/**
 * Every raw word the catalog uses → in how many readings it names the topic (title, tags, author,
 * series). Words only found in summaries and `covers` map to 0: they are known (never "corrected") but are not
 * offered as corrections, which keeps plain English out (bread ↛ break) and topic words in (paxso → paxos).
 */
type Vocabulary = Map<string, number>;

/** Words before a language's everyday name that make it the language: "is go …", "in go", "using go". */
const LANGUAGE_CUES = new Set([
  'is',
  'in',
  'with',
  'using',
  'use',
  'learn',
  'learning',
  'about',
  'write',
  'writing',
]);
/** Words after a language's everyday name that make it the language: "go vs rust", "go or java". */
const COMPARED_WITH = new Set(['vs', 'versus', 'or']);

/** The kind word ("paper", "talk") one edit from a short word that is no word, with its first letter. */
function kindWordNear(word: string): string | undefined {
  if (word.length < 4) return undefined;
  for (const kind of KIND_WORDS.keys())
    if (kind[0] === word[0] && Math.abs(kind.length - word.length) <= 1 && editDistance(word, kind, 1) <= 1)
      return kind;
  return undefined;
}

/** Words that open a prepositional phrase: after an inverted name, they may extend its last noun. */
const PREPOSITIONS = new Set([
  'of',
  'in',
  'for',
  'on',
  'at',
  'with',
  'from',
  'to',
  'into',
  'onto',
  'by',
  'about',
  'over',
  'under',
  'before',
  'after',
  'inside',
  'across',
  'between',
  'during',
  'within',
  'without',
]);

/**
 * Does a run of words end its noun phrase, given the word after it? Not when a content word follows,
 * which the run's last word then describes ("slow machine learning", "nodes in virtual machines").
 */
function endsPhrase(next: string | undefined): boolean {
  return next === undefined || (STOP_WORDS.has(next) && !NOUN_STOP_WORDS.has(next));
}

/** Stop words that are nouns, so a word before them may describe them ("machine learning", "a raft guide"). */
const NOUN_STOP_WORDS = new Set(
  (
    'learning reading readings guide guides tutorial tutorials resource resources material materials ' +
    'article articles post posts thing things stuff intro introduction recommendation recommendations ' +
    'suggestion suggestions work'
  ).split(' '),
);

/**
 * The words joining an inverted two-word name: "versions of rows", "election of the leader" (keys
 * leave articles out, spellingKey, so "of the" is "of").
 */
const INVERTED_LINKS: ReadonlyArray<readonly string[]> = [['of'], ['for'], ['in']];

function buildVocabulary(docs: IndexedDoc[], catalog: Catalog): Vocabulary {
  const vocab: Vocabulary = new Map();
  for (const d of docs) {
    for (const w of new Set(tokenize(`${d.title} ${d.tags} ${d.author} ${d.series}`)))
      vocab.set(w, (vocab.get(w) ?? 0) + 1);
    for (const w of tokenize(`${d.summary} ${d.covers}`)) if (!vocab.has(w)) vocab.set(w, 0);
  }
  // Tag spellings are words users type even when no reading's text uses them.
  for (const t of catalog.tags)
    for (const w of tokenize([t.id, t.label, ...t.aliases].join(' '))) vocab.set(w, (vocab.get(w) ?? 0) + 1);
  return vocab;
}

/**
 * Titles alone, for autocomplete's prefix search. MiniSearch scores a title-only query from the title
 * field's own statistics (lengths, average, document count), all the same here as in the full index,
 * so results and their order are those the full index gave.
 */
function buildTitleIndex(readings: readonly Reading[]): MiniSearch<{ id: string; title: string }> {
  const index = new MiniSearch<{ id: string; title: string }>({
    fields: ['title'],
    storeFields: [],
    tokenize,
    processTerm,
    searchOptions: { boost: { title: BOOST.title }, combineWith: 'OR' },
  });
  index.addAll(readings.map((r) => ({ id: r.id, title: r.title })));
  return index;
}

/** Typo candidates of one length (see ReadingSearch.packedWords), by their `byLength` order. */
interface PackedWords {
  codes: Uint16Array;
  dfs: Int32Array;
  masks: Uint32Array;
}

/**
 * The letters a word uses, one bit per letter (a–z; digits and other code units share the other six
 * bits): a lower bound on edit distance costs two ANDs where the distance costs a table.
 */
function letterMask(codes: Uint16Array, from: number, n: number): number {
  let mask = 0;
  for (let k = from; k < from + n; k++) {
    const c = codes[k]!;
    mask |= 1 << (c >= 97 && c <= 122 ? c - 97 : 26 + (c % 6));
  }
  return mask;
}

/** Set bits of a 32-bit mask (the SWAR count). */
function bitCount(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/**
 * Can two words whose letter masks are `a` and `b` be fewer than `edits` edits apart? Each letter
 * (bit) one word has and the other lacks needs an edit of its own: a substitution or deletion changes
 * one letter of the first word, an insertion adds one letter to the second, a transposition changes no
 * letter set. So the bits only one side has, counted per side, bound the distance from below.
 */
function fewerEditsThan(a: number, b: number, edits: number): boolean {
  return bitCount(a & ~b) < edits && bitCount(b & ~a) < edits;
}

/** The index terms of a run of words, joined: the key of tag spellings and series names. */
const stemKey = (words: readonly string[]) => spellingKey(words.map(stemOf));

/** Articles, which a spelling and a question may use differently ("agree on an order", "… the order"). */
const ARTICLES: ReadonlySet<string> = new Set(['a', 'an', 'the'].map(stemOf));

/** The key a run of stems is matched by: its stems without articles, joined. */
function spellingKey(stems: readonly string[]): string {
  return stems.filter((s) => !ARTICLES.has(s)).join(' ');
}

/**
 * In an everyday phrasing of two or more words (tags.json `phrasings`), "server", "machine", "node"
 * and "replica" are one word: "one slow machine" is "a slow replica", "node is down" is "server is
 * down" (not "computer": "pick a computer" is buying one). A field's term keeps its noun ("virtual
 * nodes" is not "virtual machines", "read replica" not "read server"), and so does a word alone
 * ("replica" names replication, "node" nothing). The phrasing must end the phrase (endsPhrase).
 */
const NODE_STEMS: ReadonlySet<string> = new Set(['server', 'machine', 'node', 'replica'].map(stemOf));
const NODE_KEY = stemOf('node');

/**
 * The key a phrasing's run of stems is also found by (see NODE_STEMS): marked apart from spelling keys,
 * so it never matches a field term; undefined when the run has no such noun or one word.
 */
function phrasingKey(stems: readonly string[]): string | undefined {
  if (stems.length < 2 || !stems.some((s) => NODE_STEMS.has(s))) return undefined;
  return '~' + spellingKey(stems.map((s) => (NODE_STEMS.has(s) ? NODE_KEY : s)));
}

/**
 * `/read` search: tag and series understanding in front of a MiniSearch full-text index.
 * Ranking: readings carrying the tag the query names come first, ordered by text relevance; tags
 * mentioned inside a question lift the readings that carry them; everything else is BM25 text order.
 */
export class ReadingSearch {
  /** Stemmed alias words ("leader elect") → tag id, for spotting tags inside questions. */
  private readonly aliasStems = new Map<string, string>();
  private readonly maxAliasWords: number;
  /**
   * Two-word names said the other way round ("versions of rows"), by stem key; see invertedAt(). The
   * head is the name's second word ("versions" of "row versions"), flagged when it is everyday English.
   */
  private readonly inverted = new Map<string, { tag: string; everydayHead: boolean }>();
  /** One-word names of language tags that are everyday English words ("go"), by stem; see mentions(). */
  private readonly everydayLanguageNames: ReadonlySet<string>;
  /** Topic words and phrases, for words typed run together or split apart (compounds.ts). */
  private readonly compounds: CompoundVocabulary = {
    isTopicWord: (w) => this.isTopicWord(w),
    isKnown: (w) => this.vocabulary.has(w),
    isTopicPhrase: (ws) => this.aliasStems.has(stemKey(ws)),
  };
  /** Typos the rest of a multi-word tag spelling corrects ("two fase commit"). */
  private readonly phraseTypos: PhraseTypos;
  private readonly seriesKeys = new Map<string, Series>();
  /** The most words a series name (seriesKeys) has. */
  private maxSeriesWords = 1;
  private readonly byLength = new Map<number, string[]>();
  /** Tag id → readings carrying it, in catalog order (the catalog is immutable per process). */
  private readonly tagged = new Map<string, Int32Array>();
  /**
   * Tag id → per tagged reading (parallel to `tagged`) how central the tag is to it: 1 / (1 + the tag's
   * position in the reading's list), the first tag being what the reading is about.
   */
  private readonly taggedWeight = new Map<string, Float64Array>();
  /** Per-query lifted catalog positions and a flag per position (reused; see selectBest). */
  private lists: ListBuffers | undefined;
  /** Per-query tag centrality, by catalog position (reused; reset after each query). */
  private centralityBuf: Float64Array | undefined;
  /** Each reading's kind, by catalog position. */
  private readonly kinds: ReadonlyArray<string | undefined>;
  /**
   * Typo candidates bucketed by `${length}:${first letter}` and `${length}:${first two letters}`: their
   * indexes in `byLength` order, ascending, so the two buckets a word needs merge back into scan order.
   */
  private readonly byStart = new Map<string, Int32Array>();
  /** Per word length, the `byLength` words' code units back to back, reading counts, letter masks (lazy). */
  private readonly lengthCodes = new Map<number, PackedWords>();
  /** Catalog position → rank of its reading id, for ties in top-k selection; built on first use. */
  private idRank: Int32Array | undefined;
  /** MiniSearch over titles only, for autocomplete: built on first use. */
  private titles: MiniSearch<{ id: string; title: string }> | undefined;
  private popular: string[] | undefined;
  private spellingGrams:
    Array<{ id: string; spellings: Array<{ key: string; grams: Set<string> }> }> | undefined;
  private readonly seriesHits = new Map<string, Reading[]>();
  private readonly scorer: Bm25Scorer;

  private constructor(
    readonly catalog: Catalog,
    private readonly index: CompactIndex,
    private readonly vocabulary: Vocabulary,
  ) {
    this.scorer = new Bm25Scorer(index, FIELDS, BOOST, catalog.readings.length);
    this.kinds = catalog.readings.map((r) => r.kind);
    const hidden = new Set(catalog.hiddenTags);
    let maxWords = 1;
    const phrases: string[][] = [];
    for (const t of catalog.tags) {
      if (hidden.has(t.id)) continue;
      for (const spelling of [t.id, t.label, ...t.aliases]) {
        const words = tokenize(spelling);
        if (words.length === 0) continue;
        phrases.push(words);
        const key = stemKey(words);
        if (!this.aliasStems.has(key)) this.aliasStems.set(key, t.id);
        maxWords = Math.max(maxWords, words.length);
      }
      for (const phrasing of t.phrasings ?? []) {
        const key = phrasingKey(tokenize(phrasing).map(stemOf));
        if (key !== undefined && !this.aliasStems.has(key)) this.aliasStems.set(key, t.id);
      }
    }
    // A two-word name is also said the other way round with a preposition: "versions of rows" is
    // "row versions", "election of a leader" is "leader election". Exact spellings win a key.
    for (const t of catalog.tags) {
      if (hidden.has(t.id)) continue;
      for (const spelling of [t.label, ...t.aliases]) {
        const words = tokenize(spelling);
        if (words.length !== 2 || words.some((w) => STOP_WORDS.has(w) || /\d/.test(w))) continue;
        for (const link of INVERTED_LINKS) {
          const key = stemKey([words[1]!, ...link, words[0]!]);
          if (this.aliasStems.has(key) || this.inverted.has(key)) continue;
          this.inverted.set(key, { tag: t.id, everydayHead: isEverydayWord(words[1]!) });
          // Said with an article too ("election of a leader"): one word more in the run.
          maxWords = Math.max(maxWords, link.length + 3);
        }
      }
    }
    this.maxAliasWords = maxWords;
    this.everydayLanguageNames = new Set(
      catalog.tags
        .filter((t) => t.kind === 'language')
        .flatMap((t) => [t.id, t.label, ...t.aliases].map(tokenize))
        .filter((w) => w.length === 1 && isEverydayWord(w[0]!))
        .map((w) => stemOf(w[0]!)),
    );
    this.phraseTypos = new PhraseTypos(phrases);
    const tagged = new Map<string, number[]>();
    const weights = new Map<string, number[]>();
    // A course or series tag listed first (`mit-6.824`, `ddia`) says where a reading comes from, not what
    // it is about: subjects are counted from the first subject tag, and the collection tag itself is central.
    const seriesIds = new Set(catalog.series.map((s) => s.id));
    const collection = new Set(
      catalog.tags.filter((t) => t.kind !== 'topic' || seriesIds.has(t.id)).map((t) => t.id),
    );
    catalog.readings.forEach((r, i) => {
      let pos = 0;
      for (const t of r.tags) {
        const weight = collection.has(t) ? 1 : 1 / (1 + pos++);
        const list = tagged.get(t);
        if (list) list.push(i);
        else tagged.set(t, [i]);
        const at = weights.get(t);
        if (at) at.push(weight);
        else weights.set(t, [weight]);
      }
    });
    for (const [t, list] of tagged) this.tagged.set(t, Int32Array.from(list));
    for (const [t, list] of weights) this.taggedWeight.set(t, Float64Array.from(list));
    for (const s of catalog.series)
      for (const spelling of [s.id, s.name, ...s.aliases]) {
        const key = tokenize(spelling);
        this.seriesKeys.set(key.join(' '), s);
        this.maxSeriesWords = Math.max(this.maxSeriesWords, key.length);
      }
    for (const [w, df] of vocabulary) {
      if (df === 0) continue;
      const list = this.byLength.get(w.length) ?? [];
      list.push(w);
      this.byLength.set(w.length, list);
    }
    const starts = new Map<string, number[]>();
    for (const [len, list] of this.byLength)
      list.forEach((w, order) => {
        for (const key of [`${len}:${w[0]}`, `${len}:${w.slice(0, 2)}`]) {
          const b = starts.get(key);
          if (b) b.push(order);
          else starts.set(key, [order]);
        }
      });
    for (const [key, orders] of starts) this.byStart.set(key, Int32Array.from(orders));
  }

  /**
   * Build the index with MiniSearch and keep its compact form, or load that from `snapshotPath` (a binary
   * file, see compact-index.ts; older JSON snapshots there fail its magic check and are rebuilt) when it
   * was written for this catalog, index version and list of indexed fields (a snapshot of other fields
   * would be read with the wrong field ids).
   */
  static create(catalog: Catalog, opts: { snapshotPath?: string } = {}): ReadingSearch {
    const path = opts.snapshotPath;
    if (path) {
      try {
        const snap = CompactIndex.load(
          path,
          (meta) =>
            meta.version === INDEX_VERSION &&
            meta.fields === FIELDS.join(' ') &&
            meta.catalog === catalog.hash &&
            meta.readings === catalog.readings.length,
        );
        if (snap) {
          const vocabulary: Vocabulary = new Map();
          snap.words.forEach((w, i) => vocabulary.set(w, snap.dfs[i]!));
          return new ReadingSearch(catalog, snap.index, vocabulary);
        }
      } catch {
        // Missing or unreadable snapshot: rebuild below and write a fresh one.
      }
    }
    const docs = catalog.readings.map((r) => docFor(r, catalog));
    const index = buildIndex(docs);
    const vocabulary = buildVocabulary(docs, catalog);
    const at = new Map(catalog.readings.map((r, i) => [r.id, i]));
    const compact = CompactIndex.fromMiniSearch(index, (id) => at.get(id) ?? -1, catalog.readings.length);
    if (path) {
      try {
        mkdirSync(dirname(path), { recursive: true });
        const tmp = `${path}.${process.pid}.tmp`;
        const meta = {
          version: INDEX_VERSION,
          fields: FIELDS.join(' '),
          catalog: catalog.hash,
          readings: catalog.readings.length,
        };
        writeFileSync(
          tmp,
          compact.serialize(meta, [...vocabulary.keys()], Int32Array.from(vocabulary.values())),
        );
        renameSync(tmp, path);
      } catch {
        // A read-only data dir only costs start-up time; search works the same.
      }
    }
    return new ReadingSearch(catalog, compact, vocabulary);
  }

  /**
   * The known word closest to `word` within its typo budget; most common wins ties. Candidates are the
   * topic words of each nearby length in vocabulary scan order (ties keep the first), limited by first
   * letters: typos rarely hit the first letter, and allowing it invites false friends (draft → raft),
   * so a candidate starts with `word`'s first letter or with its first two letters swapped. A common
   * English word is never corrected (english.ts). Two bucket look-ups merged by scan position instead of
   * a filter over every word of that length. A first letter that sounds like another ("kassandra",
   * "zookeper" typed "sookeeper") is tried as that letter when nothing else fits.
   */
  correctWord(word: string): string | undefined {
    if (this.vocabulary.has(word) || STOP_WORDS.has(word) || /\d/.test(word)) return undefined;
    // A correctly spelt English word is not a typo of a catalog word ("route" of "router").
    if (isEnglishWord(word)) return undefined;
    // Words too short for a typo budget are still near misses of a kind word ("papr", "tlak"): a
    // closed list of a few words, each one edit away with the same first letter.
    if (typoBudget(word) === 0) return kindWordNear(word);
    const fixed = this.closestWord(word);
    if (fixed) return fixed;
    for (const first of SOUNDS_LIKE.get(word[0]!) ?? []) {
      const respelt = first + word.slice(1);
      if ((this.vocabulary.get(respelt) ?? 0) > 0) return respelt;
      const near = this.closestWord(respelt);
      if (near) return near;
    }
    return undefined;
  }

  /** correctWord's search: the closest topic word within the typo budget, first letters as described there. */
  private closestWord(word: string): string | undefined {
    const budget = typoBudget(word);
    const a = codesOf(word);
    const aMask = letterMask(a, 0, a.length);
    let best: string | undefined;
    let bestDist = budget + 1;
    let bestDf = 0;
    for (let len = word.length - budget; len <= word.length + budget; len++) {
      const list = this.byLength.get(len);
      if (!list) continue;
      const packed = this.packedWords(len, list);
      const same = this.byStart.get(`${len}:${word[0]}`) ?? NONE;
      const swapped =
        (word.length > 1 && word[1] !== word[0] && this.byStart.get(`${len}:${word[1]}${word[0]}`)) || NONE;
      let i = 0;
      let j = 0;
      while (i < same.length || j < swapped.length) {
        const order =
          j >= swapped.length || (i < same.length && same[i]! < swapped[j]!) ? same[i++]! : swapped[j++]!;
        // A candidate over budget never wins (see fewerEditsThan): skip most of them before the distance.
        if (!fewerEditsThan(aMask, packed.masks[order]!, budget + 1)) continue;
        const d = editDistanceCodes(a, packed.codes, order * len, len, budget);
        const df = packed.dfs[order]!;
        if (d < bestDist || (d === bestDist && df > bestDf)) {
          best = list[order];
          bestDist = d;
          bestDf = df;
        }
      }
    }
    return bestDist <= budget ? best : undefined;
  }

  /**
   * The words of length `len` as code units back to back, their reading counts and letter masks (see
   * letterMask): built on first use.
   */
  private packedWords(len: number, list: string[]): PackedWords {
    let packed = this.lengthCodes.get(len);
    if (!packed) {
      const codes = new Uint16Array(len * list.length);
      list.forEach((w, order) => {
        for (let k = 0; k < len; k++) codes[order * len + k] = w.charCodeAt(k);
      });
      const masks = Uint32Array.from(list, (_w, order) => letterMask(codes, order * len, len));
      packed = { codes, dfs: Int32Array.from(list, (w) => this.vocabulary.get(w) ?? 0), masks };
      this.lengthCodes.set(len, packed);
    }
    return packed;
  }

  /** The tag a whole phrase names (id, label or alias; plural or not), if any. */
  tagFor(phrase: string): string | undefined {
    const words = tokenize(phrase.replace(/^#/, ''));
    if (words.length === 0) return undefined;
    return this.spelledBy(words.map(stemOf));
  }

  /**
   * The tag whose two-word name the run says the other way round ("versions of rows", "election of a
   * leader"), when the run ends its noun phrase: not when a noun follows, which its last word then
   * describes ("nodes in virtual machines", "processing in data centers"); and a run whose head is an
   * everyday word ("requests", "wait", "policy") also not before another preposition ("requests for
   * backup of my database", "wait for commit before flushing").
   */
  private invertedAt(
    words: readonly string[],
    stems: readonly string[],
    i: number,
    n: number,
  ): string | undefined {
    if (n < 3) return undefined;
    const found = this.inverted.get(spellingKey(stems.slice(i, i + n)));
    if (!found) return undefined;
    const next = words[i + n];
    if (!endsPhrase(next)) return undefined;
    return found.everydayHead && next !== undefined && PREPOSITIONS.has(next) ? undefined : found.tag;
  }

  /** The tag a run of stems spells: a spelling as is, else a phrasing with its node nouns as one. */
  private spelledBy(stems: readonly string[]): string | undefined {
    return this.aliasStems.get(spellingKey(stems)) ?? this.phrasingFor(stems);
  }

  /** The tag whose everyday phrasing the run says with another node noun (phrasingKey). */
  private phrasingFor(stems: readonly string[]): string | undefined {
    const key = phrasingKey(stems);
    return key === undefined ? undefined : this.aliasStems.get(key);
  }

  /** A word of a title, tag, author or series, or one whose stem is a one-word tag spelling. */
  private isTopicWord(word: string): boolean {
    return (this.vocabulary.get(word) ?? 0) > 0 || this.aliasStems.has(stemKey([word]));
  }

  private seriesFor(words: string[]): Series | undefined {
    const filler = new Set([
      'list',
      'assigned',
      'syllabus',
      'schedule',
      'series',
      'lecture',
      'lectures',
      'chapter',
      'chapters',
      'notes',
      'book',
      'course',
      'all',
    ]);
    const core = words.filter((w) => !filler.has(w) && !STOP_WORDS.has(w));
    return this.seriesKeys.get(core.join(' ')) ?? this.seriesKeys.get(words.join(' '));
  }

  /** Tags named by runs of words inside a longer query, longest runs first, without overlaps. */
  private mentionedTags(words: string[]): string[] {
    return this.mentions(words).tags;
  }

  /** mentionedTags, and how many of the words (stop words aside) name them. */
  private mentions(words: readonly string[]): {
    tags: string[];
    naming: number;
    perTag: number[];
    /** Positions of a language's everyday name read as the verb ("go wrong"): no search word either. */
    verbs: number[];
  } {
    const found: string[] = [];
    const verbs: number[] = [];
    // How many of the words (stop words aside) name each tag found, in `found` order.
    const perTag: number[] = [];
    const used = new Array<boolean>(words.length).fill(false);
    // Each word is in up to maxAliasWords runs: stem it once (stemKey of a run joins these).
    const stems = words.map(stemOf);
    for (let n = Math.min(this.maxAliasWords, words.length); n >= 1; n--) {
      for (let i = 0; i + n <= words.length; i++) {
        if (used.slice(i, i + n).some(Boolean)) continue;
        if (n === 1 && STOP_WORDS.has(words[i]!)) continue;
        const run = stems.slice(i, i + n);
        const tag =
          this.aliasStems.get(spellingKey(run)) ??
          (endsPhrase(words[i + n]) ? this.phrasingFor(run) : undefined) ??
          this.invertedAt(words, stems, i, n);
        // "go" in "how can locks go wrong" is the verb: inside a question, a language whose name is an
        // everyday word is named by its other spellings ("golang", "go language"), or first ("new to
        // go, …": the frame read off), or after a word that makes it a thing ("is go good for …",
        // "writing it in go", "go vs rust").
        if (
          n === 1 &&
          tag !== undefined &&
          this.everydayLanguageNames.has(stems[i]!) &&
          // "going", "goes": a verb whatever comes before; the bare name, by the words around it.
          (stems[i] !== words[i] ||
            (i > 0 && !LANGUAGE_CUES.has(words[i - 1]!) && !COMPARED_WITH.has(words[i + 1] ?? '')))
        ) {
          verbs.push(i);
          continue;
        }
        if (tag) {
          if (!found.includes(tag)) {
            found.push(tag);
            perTag.push(0);
          }
          const at = found.indexOf(tag);
          for (let k = i; k < i + n; k++) {
            used[k] = true;
            if (!STOP_WORDS.has(words[k]!)) perTag[at]! += 1;
          }
        }
      }
    }
    const naming = words.filter((w, k) => used[k] && !STOP_WORDS.has(w)).length;
    return { tags: found, naming, perTag, verbs };
  }

  /**
   * The text part of a query as MiniSearch's `search()` takes it: BM25 over the query's content words,
   * plus (at a fraction of the weight) the other spellings of the tags the query names (a reading about
   * "realtime computation" is about stream processing), with the per-term `prefix` and `boostTerm`
   * rules; `fuzzy` stays off (typos are corrected before). Undefined when no content word is left.
   */
  textQuery(
    words: string[],
    tags: string[],
  ):
    | {
        text: string;
        prefix: (term: string, i: number) => boolean;
        boostTerm: (term: string, i: number) => number;
        /** The stem of each word of `text`. */
        stems: ReadonlyMap<string, string>;
      }
    | undefined {
    const terms = words.filter((w) => !STOP_WORDS.has(w));
    if (terms.length === 0) return undefined;
    // Each word's stem, for queryTerms as well: stemming is most of building a query's terms.
    const stems = new Map(terms.map((t) => [t, stemOf(t)]));
    const own = new Set(stems.values());
    const expansion = new Set<string>();
    for (const id of tags)
      for (const [w, stem] of this.expansionOf(id))
        if (!own.has(stem)) {
          expansion.add(w);
          stems.set(w, stem);
        }
    // A question naming several tags would add every synonym of each (60+ terms, each a long postings
    // list at low weight); the first tags' synonyms are enough. One tag never has more than this.
    const bounded = [...expansion].slice(0, MAX_EXPANSION_TERMS);
    const typed = terms[terms.length - 1]!;
    const completable = !this.vocabulary.has(typed) && !isEnglishWord(typed);
    const all = [...terms, ...bounded];
    return {
      stems,
      text: all.join(' '),
      // Only an unknown last word of what the user typed is completed as a prefix ("consen"). The word
      // as typed decides, not its stem (MiniSearch passes the stem): "replicating" is a whole word, its
      // stem "replic" is not, and a whole English word is not the start of another ("bread", "breadth").
      prefix: (term, i) => i === terms.length - 1 && term.length >= 4 && completable,
      boostTerm: (_term, i) => (i < terms.length ? 1 : EXPANSION_WEIGHT),
    };
  }

  /**
   * The text part of /read: every reading's score by catalog position for `textQuery(words, tags)`, the
   * numbers MiniSearch's `search()` gives (see Bm25Scorer.score; buffers reused by the next call).
   */
  textMatches(words: string[], tags: string[]): MatchScores | undefined {
    const terms = this.queryTerms(words, tags);
    return terms && this.scorer.score(terms);
  }

  private queryTerms(words: string[], tags: string[]): QueryTerm[] | undefined {
    const q = this.textQuery(words, tags);
    if (!q) return undefined;
    return tokenize(q.text).map((w, i) => {
      const term = q.stems.get(w) ?? stemOf(w);
      return { term, prefix: q.prefix(term, i), boost: q.boostTerm(term, i) };
    });
  }

  /** Tag id → its label's and aliases' words other than stop words, with their stems (built on first use). */
  private readonly expansions = new Map<string, ReadonlyArray<readonly [string, string]>>();

  /** The words a tag adds to a query that names it (see textQuery), each with its stem. */
  private expansionOf(id: string): ReadonlyArray<readonly [string, string]> {
    let words = this.expansions.get(id);
    if (!words) {
      const tag = this.catalog.tagById.get(id);
      // The field's spellings only: a learner's phrasing ("node is down") is no synonym to search for.
      const phrasings = new Set(tag?.phrasings ?? []);
      words = tag
        ? tokenize([tag.label, ...tag.aliases.filter((a) => !phrasings.has(a))].join(' '))
            .filter((w) => !STOP_WORDS.has(w))
            .map((w) => [w, stemOf(w)] as const)
        : [];
      this.expansions.set(id, words);
    }
    return words;
  }

  /** How many recent outcomes an instance made from now on keeps (0: none). */
  static cacheSize = 512;
  private readonly cache =
    ReadingSearch.cacheSize > 0
      ? new LRUCache<string, SearchOutcome>({ max: ReadingSearch.cacheSize })
      : undefined;
  /** False bypasses the outcome cache (benchmarks measuring uncached latency). */
  useCache = true;

  /**
   * An outcome depends only on the query's words and the limit (the catalog is immutable per process),
   * so recent outcomes are kept in a small LRU: paging buttons and popular topics re-run the same query.
   * Callers get their own copies of the outcome's arrays.
   */
  search(query: string, opts: SearchOptions = {}): SearchOutcome {
    const limit = opts.limit ?? 50;
    const written = extractOptionWords(query);
    const filters = { kind: opts.kind ?? written.kind, level: opts.level ?? written.level };
    const rawWords = tokenize(written.rest.replace(/^#/, ''));
    if (!this.cache || !this.useCache) return this.answer(rawWords, limit, filters);
    const key = `${limit} ${filters.kind ?? ''} ${filters.level ?? ''} ${rawWords.join(' ')}`;
    let outcome = this.cache.get(key);
    if (!outcome) {
      outcome = this.answer(rawWords, limit, filters);
      this.cache.set(key, outcome);
    }
    return {
      ...outcome,
      mentioned: [...outcome.mentioned],
      hits: outcome.hits.map((h) => ({ ...h })),
      didYouMean: [...outcome.didYouMean],
    };
  }

  /** Correct typos, read the learner's intent, and let the mentor layer order what `rankWords` finds. */
  private answer(
    rawWords: string[],
    limit: number,
    filters: { kind?: ReadingKind | undefined; level?: ReadingLevel | undefined },
  ): SearchOutcome {
    const empty: SearchOutcome = { mode: 'empty', mentioned: [], hits: [], didYouMean: [] };
    if (rawWords.length === 0) return { ...empty, didYouMean: this.popularTags(5) };
    const mended = mendCompounds(rawWords, this.compounds);
    const single = mended.map((w) => this.correctWord(w) ?? w);
    const words = [...this.phraseTypos.correct(single, (w) => (this.vocabulary.get(w) ?? 0) > 0)];
    const corrected = words.join(' ') !== rawWords.join(' ') ? words.join(' ') : undefined;
    const intent = parseIntent(words);
    if (filters.kind) intent.kind = filters.kind;
    if (filters.level) intent.level = filters.level;
    return answerIntent(intent, this.mentorContext(), limit, corrected);
  }

  private mentor: MentorContext | undefined;

  /**
   * The mentor layer's view of this search, for one answer. Its `rank` remembers what it ranked during
   * that answer: a what-next question ranks its anchor's words and then its anchor's topic, often the
   * same words ("next after the raft paper"), and the ranking is a pure function of words and limit.
   * Outcomes are shared between the callers of one answer, which read them and build new ones.
   */
  private mentorContext(): MentorContext {
    const base = this.baseMentorContext();
    const ranked = new Map<string, SearchOutcome>();
    return {
      ...base,
      rank: (words, limit) => {
        const key = `${limit} ${words.join(' ')}`;
        let outcome = ranked.get(key);
        if (!outcome) {
          outcome = base.rank(words, limit);
          ranked.set(key, outcome);
        }
        return outcome;
      },
    };
  }

  private baseMentorContext(): MentorContext {
    this.mentor ??= {
      catalog: this.catalog,
      curriculum: this.curriculumView,
      rank: (words, limit) => this.rankWords(words, limit),
      rankLiteral: (words, limit) => this.rankWords(words, limit, true),
      tagFor: (words) => this.spelledBy(words.map(stemOf)),
      seriesIn: (words) => this.seriesIn(words),
      isTopicWord: (w) => this.isTopicWord(w),
      isTagWord: (w) => this.tagWords().has(w),
      naming: (words, tag) => {
        const { tags, perTag } = this.mentions(words);
        const at = tags.indexOf(tag);
        return at < 0 ? 0 : perTag[at]!;
      },
      isIndexed: (w) => this.vocabulary.has(w) || this.index.lookup(stemOf(w)) >= 0,
      suggestTags: (q, n) => this.suggestTags(q, n),
    };
    return this.mentor;
  }

  private tagWordSet: ReadonlySet<string> | undefined;

  /** The words of tags' ids, labels and field aliases (everyday phrasings aside), built once. */
  private tagWords(): ReadonlySet<string> {
    this.tagWordSet ??= new Set(
      this.catalog.tags.flatMap((t) => {
        const phrasings = new Set(t.phrasings ?? []);
        return [t.id, t.label, ...t.aliases.filter((a) => !phrasings.has(a))].flatMap(tokenize);
      }),
    );
    return this.tagWordSet;
  }

  private curriculum: Curriculum | undefined;

  /** The catalog as a curriculum (paths, series places, related readings); built on first use. */
  get curriculumView(): Curriculum {
    return (this.curriculum ??= new Curriculum(this.catalog));
  }

  /** The longest run of `words` naming a series, and the words around it. */
  seriesIn(words: string[]): { series: Series; rest: string[] } | undefined {
    // Runs no longer than the longest series name: a 10,000-character question is thousands of words.
    for (let n = Math.min(words.length, this.maxSeriesWords); n >= 1; n--)
      for (let i = 0; i + n <= words.length; i++) {
        const series = this.seriesKeys.get(words.slice(i, i + n).join(' '));
        if (series) return { series, rest: [...words.slice(0, i), ...words.slice(i + n)] };
      }
    return undefined;
  }

  /** The tag, series and BM25 ranking of corrected words: best `limit` first. */
  private rankWords(words: string[], limit: number, literal = false): SearchOutcome {
    const empty: SearchOutcome = { mode: 'empty', mentioned: [], hits: [], didYouMean: [] };
    // "what should I read?" says nothing about a topic: offer the popular ones.
    const content = words.filter((w) => !STOP_WORDS.has(w));
    if (content.length === 0) return { ...empty, didYouMean: this.popularTags(5) };

    const series = this.seriesFor(words);
    if (series) {
      const hits = this.seriesReadings(series)
        .slice(0, limit)
        .map((reading, i) => ({ reading, score: 1000 - i }));
      return { mode: 'series', series, mentioned: [], hits, didYouMean: [] };
    }

    // "what is linearizability?" names a tag as much as "linearizability" does.
    // "papers about consensus": the kind word asks for papers; the topic is what remains.
    const topical = content.filter((w) => !KIND_WORDS.has(w));
    const kind = content.map((w) => KIND_WORDS.get(w)).find((k) => k !== undefined);
    // Literal: the words themselves, no tag ("chain replication" against "primary backup", both #replication).
    const wholeTag = literal
      ? undefined
      : (this.spelledBy(words.map(stemOf)) ??
        this.spelledBy(content.map(stemOf)) ??
        (topical.length && topical.length < content.length
          ? this.spelledBy(topical.map(stemOf))
          : undefined));
    const spoken = wholeTag || literal ? undefined : this.mentions(words);
    // "what happens if we lose a whole region": every topic word is in one spelling of one tag (a
    // phrasing with "a" inside, which the content words alone do not spell): the question names it.
    const tag =
      wholeTag ??
      (spoken?.tags.length === 1 && topical.length > 0 && spoken.naming >= topical.length
        ? spoken.tags[0]
        : undefined);
    // "mit distributed systems course" names the series' tag: the series, in order, as its name would.
    const tagSeries = tag === undefined ? undefined : this.catalog.series.find((s) => s.id === tag);
    if (tagSeries) {
      const hits = this.seriesReadings(tagSeries)
        .slice(0, limit)
        .map((reading, i) => ({ reading, score: 1000 - i }));
      return { mode: 'series', series: tagSeries, mentioned: [], hits, didYouMean: [] };
    }
    const named = tag ? undefined : spoken;
    const mentioned = tag ? [tag] : (named?.tags ?? []);
    // Tags lend their synonyms only when they name a quarter of the question or more. MiniSearch multiplies
    // a score by how many query terms matched, synonyms included, so a tag named by one word of "recompute
    // lost data instead of replicating it" would put every replication reading above the one on lineage.
    const lending = !named || 4 * named.naming >= topical.length ? mentioned : [];
    // A verb spelled like a language ("retries go wrong") searches no title about that language.
    const searched = spoken?.verbs.length ? words.filter((_, k) => !spoken.verbs.includes(k)) : words;
    const text = this.textMatches(searched, lending);
    const best = new TopK(Math.max(1, limit), (this.idRank ??= idRanks(this.catalog.readings)));
    // Tags are listed most-central first (data/README): the first tag is what the reading is about.
    // A reading's centrality sums 1 / (1 + the tag's position) over the tags named, tag by tag in
    // `mentioned` order (tags are unique per reading): the additions scanning its tags would make.
    const n = this.catalog.readings.length;
    const cent = (this.centralityBuf ??= new Float64Array(n));
    const lifts: Lifts = {
      cent,
      tag: tag !== undefined,
      named: mentioned.length,
      mention: mentionWeight(named?.naming ?? 0, topical.length),
      kind,
      kinds: this.kinds,
    };
    if (!tag && text?.count && !text.docs && this.taggedCount(mentioned) > n / 4) {
      // Tags inside a question lifting a large part of the catalog, words matching most of it: one pass
      // over every reading costs less than listing the lifted ones (measured at 100k).
      const maxCentrality = this.addCentrality(mentioned, cent);
      selectDense(best, text, lifts, maxCentrality);
      cent.fill(0);
    } else {
      // The lifted readings as a list, first; then the other text matches while one can still enter.
      // One slot more than readings: listLifted writes a slot past the last reading it keeps.
      const lists = (this.lists ??= { lifted: new Int32Array(n + 1), isLifted: new Uint8Array(n) });
      selectBest(best, text, lifts, lists, this.listLifted(mentioned, cent, lists.lifted));
    }
    const hits = best.sorted().map(({ doc, score }) => ({ reading: this.catalog.readings[doc]!, score }));
    const mode = tag ? 'tag' : 'text';
    if (hits.length === 0)
      return { mode, mentioned, hits: [], didYouMean: this.suggestTags(words.join(' '), 5) };
    return { mode, tag, mentioned, hits: hits.slice(0, limit), didYouMean: [] };
  }

  /**
   * Add each named tag's centrality weights into `cent`, listing in `lifted` the readings touched for the
   * first time; returns how many.
   */
  private listLifted(mentioned: string[], cent: Float64Array, lifted: Int32Array): number {
    let count = 0;
    for (const t of mentioned) {
      const list = this.tagged.get(t);
      const weight = this.taggedWeight.get(t);
      if (!list || !weight) continue;
      // A reading is new when its centrality is still 0 (weights are positive). Every reading takes the
      // next slot and only a new one keeps it: with several tags, a branch on it mispredicts often.
      for (let k = 0; k < list.length; k++) {
        const i = list[k]!;
        const c = cent[i]!;
        lifted[count] = i;
        count += c === 0 ? 1 : 0;
        cent[i] = c + weight[k]!;
      }
    }
    return count;
  }

  /** How many (reading, tag) pairs the tags have: an upper bound on how many readings they lift. */
  private taggedCount(tags: string[]): number {
    let count = 0;
    for (const t of tags) count += this.tagged.get(t)?.length ?? 0;
    return count;
  }

  /** Add each named tag's centrality weights into `cent`; returns the largest centrality. */
  private addCentrality(mentioned: string[], cent: Float64Array): number {
    let most = 0;
    for (const t of mentioned) {
      const list = this.tagged.get(t);
      const weight = this.taggedWeight.get(t);
      if (!list || !weight) continue;
      for (let k = 0; k < list.length; k++) {
        const i = list[k]!;
        const c = cent[i]! + weight[k]!;
        cent[i] = c;
        if (c > most) most = c;
      }
    }
    return most;
  }

  /** A series in order, then readings only tagged with it; computed once per series. */
  private seriesReadings(series: Series): Reading[] {
    let list = this.seriesHits.get(series.id);
    if (!list) {
      const inSeries = this.catalog.readings
        .filter((r) => r.series === series.id)
        .sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
      const seen = new Set(inSeries.map((r) => r.id));
      const tagged = Array.from(this.tagged.get(series.id) ?? [], (i) => this.catalog.readings[i]!).filter(
        (r) => !seen.has(r.id),
      );
      list = [...inSeries, ...tagged];
      this.seriesHits.set(series.id, list);
    }
    return list;
  }

  /** Most-read topics, for empty queries and "did you mean". */
  popularTags(n: number): string[] {
    this.popular ??= this.rankTags();
    return this.popular.slice(0, n);
  }

  private rankTags(): string[] {
    const hidden = new Set(this.catalog.hiddenTags);
    return [...tagUsage(this.catalog).entries()]
      .filter(([t]) => !hidden.has(t))
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([t]) => t);
  }

  /** Tags whose spellings are closest to the query (prefix, then shared letters), for "did you mean". */
  suggestTags(query: string, n: number): string[] {
    const q = letters(query);
    if (q.length < 2) return this.popularTags(n);
    const qg = trigrams(q);
    const scored: Array<[string, number]> = [];
    for (const { id, spellings } of this.tagSpellings()) {
      let best = 0;
      for (const { key, grams } of spellings) {
        if (key.startsWith(q) || q.startsWith(key)) best = Math.max(best, 1);
        let shared = 0;
        for (const g of qg) if (grams.has(g)) shared++;
        best = Math.max(best, shared / Math.max(1, Math.min(qg.size, grams.size) + 1));
      }
      if (best >= 0.5) scored.push([id, best]);
    }
    scored.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const out = scored.slice(0, n).map(([id]) => id);
    return out.length ? out : this.popularTags(n);
  }

  /**
   * Every visible tag's spellings as letters and their trigrams, built once: rebuilding them on each
   * query that found nothing cost 1.7 ms, more than a whole search of the real catalog.
   */
  private tagSpellings(): Array<{ id: string; spellings: Array<{ key: string; grams: Set<string> }> }> {
    if (this.spellingGrams) return this.spellingGrams;
    const hidden = new Set(this.catalog.hiddenTags);
    this.spellingGrams = this.catalog.tags
      .filter((t) => !hidden.has(t.id))
      .map((t) => ({
        id: t.id,
        spellings: [t.id, t.label, ...t.aliases].map((s) => {
          const key = letters(s);
          return { key, grams: trigrams(key) };
        }),
      }));
    return this.spellingGrams;
  }

  /** Autocomplete: tags first (id/label/alias prefix), then titles; at most `n` (Discord allows 25). */
  complete(partial: string, n = 25): Array<{ name: string; value: string }> {
    const q = partial.toLowerCase().trim().replace(/^#/, '');
    const out: Array<{ name: string; value: string }> = [];
    const seen = new Set<string>();
    const counts = tagUsage(this.catalog);
    const hidden = new Set(this.catalog.hiddenTags);
    const tags = this.catalog.tags
      .filter((t) => !hidden.has(t.id) && (counts.get(t.id) ?? 0) > 0)
      .filter((t) => q === '' || [t.id, t.label, ...t.aliases].some((s) => s.toLowerCase().startsWith(q)))
      .sort((a, b) => (counts.get(b.id) ?? 0) - (counts.get(a.id) ?? 0));
    for (const t of tags) {
      if (out.length >= n) break;
      out.push({ name: `#${t.id} (${counts.get(t.id)} readings)`, value: t.id });
      seen.add(t.id);
    }
    if (q.length >= 2 && out.length < n) {
      const words = tokenize(q);
      this.titles ??= buildTitleIndex(this.catalog.readings);
      const results = this.titles.search(words.join(' '), {
        prefix: true,
        fields: ['title'],
        combineWith: 'AND',
      });
      for (const r of results) {
        if (out.length >= n) break;
        const reading = this.catalog.byId.get(r.id as string);
        if (!reading || seen.has(reading.title)) continue;
        seen.add(reading.title);
        out.push({ name: reading.title.slice(0, 100), value: reading.title.slice(0, 100) });
      }
    }
    return out;
  }
}
