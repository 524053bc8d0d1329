import { isEnglishWord } from './english.ts';
import { STOP_WORDS } from './text.ts';

/** What the compound rules need to know about words: is it a topic word, is it a topic phrase. */
export interface CompoundVocabulary {
  /** A word of a title, tag, author or series (text.ts tokens), or a one-word tag spelling. */
  isTopicWord(word: string): boolean;
  /** Does any catalog text (summaries and covers too) use the word? Such a word is never split. */
  isKnown(word: string): boolean;
  /** Is `words` a whole multi-word tag spelling ("eventual consistency")? */
  isTopicPhrase(words: readonly string[]): boolean;
}

/** The shortest part a run-together word is split into. */
const MIN_PART = 3;

/**
 * Words typed run together or split apart: "eventualconsistency" is "eventual consistency", "zoo
 * keeper" is "zookeeper". A word no catalog text uses ("backend" is used) nor English has is split
 * where both parts are topic words,
 * preferring a split that spells a tag phrase; two neighbours whose join is a topic word are joined
 * when one of them alone is not a topic word ("map reduce", both topic words, stays as typed: the tag
 * alias reads it). Returns the same array when nothing changes.
 */
export function mendCompounds(words: readonly string[], vocab: CompoundVocabulary): readonly string[] {
  let changed = false;
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const next = words[i + 1];
    if (next !== undefined && joins(w, next, vocab)) {
      out.push(w + next);
      i++;
      changed = true;
      continue;
    }
    const parts = splitOf(w, vocab);
    if (parts) {
      out.push(...parts);
      changed = true;
      continue;
    }
    out.push(w);
  }
  return changed ? out : words;
}

function joins(a: string, b: string, vocab: CompoundVocabulary): boolean {
  if (STOP_WORDS.has(a) || STOP_WORDS.has(b) || /\d/.test(a + b)) return false;
  return vocab.isTopicWord(a + b) && !(vocab.isTopicWord(a) && vocab.isTopicWord(b));
}

/** The two topic words `word` runs together, if it is not a word of its own. */
function splitOf(word: string, vocab: CompoundVocabulary): [string, string] | undefined {
  if (word.length < 2 * MIN_PART || /\d/.test(word) || STOP_WORDS.has(word)) return undefined;
  if (vocab.isKnown(word) || vocab.isTopicWord(word) || isEnglishWord(word)) return undefined;
  let best: [string, string] | undefined;
  for (let at = MIN_PART; at <= word.length - MIN_PART; at++) {
    const pair: [string, string] = [word.slice(0, at), word.slice(at)];
    if (!pair.every((p) => vocab.isTopicWord(p) || isEnglishWord(p))) continue;
    if (vocab.isTopicPhrase(pair)) return pair;
    // Otherwise both parts must be topic words; the first such split wins (the longer tail).
    if (!best && pair.every((p) => vocab.isTopicWord(p))) best = pair;
  }
  return best;
}
