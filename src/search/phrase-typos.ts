import { isEnglishWord } from './english.ts';
import { STOP_WORDS, editDistance, typoBudget } from './text.ts';

/** One multi-word topic spelling ("two phase commit") and where a word sits in it. */
interface PhraseSlot {
  phrase: readonly string[];
  at: number;
}

/**
 * Typos corrected by the phrase around them: in "two fase commit" the other words of the tag alias
 * "two phase commit" are there, so "fase" is "phase", although a four-letter word alone is too short
 * to correct (text.ts typoBudget) and could be "fast" or "case" as well. The rest of the phrase is the
 * evidence a lone word lacks; it must match exactly, and the misspelt word must be within
 * `phraseBudget` edits. A correctly spelt English word is only corrected inside a phrase of three words
 * or more ("tow phase commit"), where the two other words rule out chance.
 */
export class PhraseTypos {
  private readonly slots = new Map<string, PhraseSlot[]>();

  /** `phrases`: the tokenized multi-word spellings of tags (labels and aliases); shorter ones are ignored. */
  constructor(phrases: Iterable<readonly string[]>) {
    for (const phrase of phrases) {
      if (phrase.length < 2) continue;
      phrase.forEach((w, at) => {
        const list = this.slots.get(w);
        if (list) list.push({ phrase, at });
        else this.slots.set(w, [{ phrase, at }]);
      });
    }
  }

  /**
   * `words` with each word that is not a topic word (`isKnown` says false) replaced by the phrase word
   * its neighbours call for, if one does. Returns the same array when nothing changes.
   */
  correct(words: readonly string[], isKnown: (word: string) => boolean): readonly string[] {
    let out: string[] | undefined;
    words.forEach((w, i) => {
      if (isKnown(w) || STOP_WORDS.has(w) || w.length < 3 || /\d/.test(w)) return;
      const fix = this.fixAt(words, i);
      if (fix) (out ??= [...words])[i] = fix;
    });
    return out ?? words;
  }

  /** The phrase word at `i` that the words around it spell out with it, if any. */
  private fixAt(words: readonly string[], i: number): string | undefined {
    const w = words[i]!;
    const english = isEnglishWord(w);
    for (const j of [i - 1, i + 1]) {
      const neighbour = words[j];
      if (neighbour === undefined) continue;
      for (const { phrase, at } of this.slots.get(neighbour) ?? []) {
        const k = at + (i - j);
        const start = i - k;
        if (k < 0 || k >= phrase.length || start < 0 || start + phrase.length > words.length) continue;
        if (english && phrase.length < 3) continue;
        if (!phrase.every((p, m) => m === k || words[start + m] === p)) continue;
        const want = phrase[k]!;
        const budget = phraseBudget(w, phrase.length);
        if (want !== w && editDistance(w, want, budget) <= budget) return want;
      }
    }
    return undefined;
  }
}

/**
 * Edits allowed to a word inside a phrase: one more than alone (text.ts typoBudget), at least one and at
 * most two, when two other words confirm the phrase ("fase" → "phase" is two edits); a word under four
 * letters gets one.
 */
function phraseBudget(word: string, phraseLength: number): number {
  if (word.length < 4) return 1;
  const alone = Math.max(1, typoBudget(word));
  return Math.min(2, phraseLength >= 3 ? alone + 1 : alone);
}
