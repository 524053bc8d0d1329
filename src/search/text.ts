import { createRequire } from 'node:module';
import { stemmer } from 'stemmer';
import type { Reading } from '../catalog/schema.ts';

/**
 * Tokenising shared by the index and the query side, so both see the same terms.
 * Words are split on anything that is not a letter, digit, `+` or `.` inside a number (6.824, tla+).
 */
export function tokenize(text: string): string[] {
  // "doesn't" is one word, "doesnt" (a stop word), not "doesn" and "t": a piece such as "doesn" is no
  // word and would be typo-corrected ("does t").
  return (
    foldText(text)
      .replace(/n['’]t\b/g, 'nt')
      .match(/[a-z0-9]+(?:\.[0-9]+)*\+?/g) ?? []
  );
}

/** Text as `tokenize` reads it: lower case, accents dropped ("Preguiça" → "preguica"). */
export function foldText(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '');
}

/** Words that carry no topic: question scaffolding and chat filler. */
export const STOP_WORDS = new Set(
  (
    'a an the and or but if of to in on at by for from with without into onto over under about as is are was were be ' +
    'been being am do does did doing done have has had having i me my we our you your it its this that these those ' +
    'there their they them what which who whom whose when where why how can could should would will shall may might ' +
    'must not no nor so than then too very just also any some all more most such only own same other each both few ' +
    'read reading readings recommend recommended recommendation recommendations suggest suggestion good best great ' +
    'something anything article articles post posts learn learning know understand explain explained explains ' +
    'want need please tell show give get find look looking like use used using work works thing things stuff ' +
    'between vs versus really actually honestly basically literally kinda sorta tbh btw imo lol bot hi hello hey yo ' +
    'thanks thank thx pls plz intro introduction ' +
    // Contractions typed without the apostrophe ("im new to raft", "dont get paxos").
    'im ive dont doesnt didnt isnt cant wont youre thats theres lets whats hows wheres whos ' +
    'hasnt havent wasnt werent arent shouldnt couldnt wouldnt aint ' +
    // Question frames that name no subject ("what happens when the network splits", "why does it matter").
    'happen happens happened happening matter matters ' +
    // Learner frames ("a beginner's guide to kafka", "tutorial on raft") and what is left of an
    // apostrophe's contraction once split ("beginner's" → beginner s, "don't" → don t).
    'guide guides tutorial tutorials resource resources material materials s t d ll re ve'
  ).split(' '),
);

/**
 * Stemmed, lower-cased term for the index and for queries, with British spellings read as American
 * ones first ("data centres" and "data centers", "synchronisation" and "synchronization" are one
 * term: the catalog's own texts use both); null drops the term.
 */
export function processTerm(term: string): string | null {
  const t = term.toLowerCase();
  if (t.length === 0) return null;
  return stemmer(americanSpelling(t));
}

/** A word's index term (processTerm), or the word itself when processTerm drops it. */
export function stemOf(word: string): string {
  return processTerm(word) ?? word;
}

let britishToAmerican: ReadonlyMap<string, string> | undefined;

/**
 * The American spelling of a British one ("centre" → "center", "behaviour" → "behavior"), from the
 * word list of american-british-english-translator (1,738 pairs); any other word as it is.
 */
export function americanSpelling(word: string): string {
  britishToAmerican ??= new Map(
    Object.entries(
      createRequire(import.meta.url)(
        'american-british-english-translator/data/british_spellings.json',
      ) as Record<string, string>,
    ),
  );
  return britishToAmerican.get(word) ?? word;
}

/** A word's UTF-16 code units, for editDistanceCodes. */
export function codesOf(word: string): Uint16Array {
  const out = new Uint16Array(word.length);
  for (let i = 0; i < word.length; i++) out[i] = word.charCodeAt(i);
  return out;
}

/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent transpositions: `paxso` → `paxos` is 1),
 * bounded: returns max + 1 as soon as the distance must exceed max.
 */
export function editDistance(a: string, b: string, max: number): number {
  const bc = codesOf(b);
  return editDistanceCodes(codesOf(a), bc, 0, bc.length, max);
}

/**
 * editDistance over code units: `a` against `b[from .. from + n)`. The corrector runs this for every
 * candidate word of a typo, over codes it extracted once: string methods such as charCodeAt get several
 * times slower in a process where any class extends String (as the Redis client's does).
 */
export function editDistanceCodes(
  a: Uint16Array,
  b: Uint16Array,
  from: number,
  n: number,
  max: number,
): number {
  if (Math.abs(a.length - n) > max) return max + 1;
  if (rows[0]!.length < n + 1) for (let k = 0; k < 3; k++) rows[k] = new Int32Array(2 * (n + 1));
  // Three reused rows: i-2, i-1 and i.
  let prev2 = rows[0]!;
  let prev = rows[1]!;
  let cur = rows[2]!;
  for (let j = 0; j <= n; j++) {
    prev2[j] = 0;
    prev[j] = j;
  }
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    const ai = a[i - 1]!;
    for (let j = 1; j <= n; j++) {
      const bj = b[from + j - 1]!;
      const cost = ai === bj ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && ai === b[from + j - 2] && a[i - 2] === bj) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return Math.min(prev[n]!, max + 1);
}

const rows: Int32Array[] = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/** How many typos we forgive in a word: none under 5 letters (too many false friends), then 1, then 2. */
export function typoBudget(word: string): number {
  if (word.length < 5) return 0;
  if (word.length < 9) return 1;
  return 2;
}

/**
 * Words that ask for a kind of reading rather than a topic ("papers about consensus", "a talk on raft",
 * "ddia notes on transactions"): the query reader filters by that kind (intent.ts), and the other words
 * name the topic. Values are catalog kinds (schema.ts `readingKinds`).
 */
export const KIND_WORDS: ReadonlyMap<string, 'paper' | 'talk' | 'thread' | 'book' | 'newsletter' | 'notes'> =
  new Map([
    ['paper', 'paper'],
    ['papers', 'paper'],
    ['whitepaper', 'paper'],
    ['whitepapers', 'paper'],
    ['talk', 'talk'],
    ['talks', 'talk'],
    ['video', 'talk'],
    ['videos', 'talk'],
    ['slides', 'talk'],
    ['thread', 'thread'],
    ['threads', 'thread'],
    ['discussion', 'thread'],
    ['discussions', 'thread'],
    ['book', 'book'],
    ['books', 'book'],
    ['newsletter', 'newsletter'],
    ['newsletters', 'newsletter'],
    ['notes', 'notes'],
  ]);

/**
 * The words a reading is known by: its title, the name readers know it by (`aka`) and, with
 * `withAuthors`, its authors' names; tokenized as queries are.
 */
export function nameWords(r: Pick<Reading, 'title' | 'aka' | 'authors'>, withAuthors = false): string[] {
  return tokenize(`${r.title} ${r.aka ?? ''} ${withAuthors ? (r.authors ?? []).join(' ') : ''}`);
}

/** The words of what a reading says it explains: its title (with aka), summary and `covers`. */
export function readingWords(r: Pick<Reading, 'title' | 'aka' | 'summary' | 'covers'>): string[] {
  return tokenize(`${r.title} ${r.aka ?? ''} ${r.summary} ${(r.covers ?? []).join(' ')}`);
}

/** Is `word` among `words`, as itself or its singular ("clocks" in a title saying "clock")? */
export function hasWord(words: readonly string[], word: string): boolean {
  return words.includes(word) || words.includes(word.replace(/s$/, ''));
}
