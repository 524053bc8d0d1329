import { readingKinds, readingLevels, type ReadingLevel } from '../catalog/schema.ts';
import { KIND_WORDS, STOP_WORDS } from './text.ts';

export type ReadingKind = (typeof readingKinds)[number];

/**
 * What a learner asks for besides a topic, read from the words of a `/read` query:
 * "where should I start with consensus?" (beginner), "raft vs paxos" (comparison), "what to read after
 * DDIA chapter 5" (what comes next), "short papers on clocks" (filters). The words left in `topic` are
 * the subject, searched as before.
 */
export interface LearnerIntent {
  /** "start", "intro", "beginner", "basics", "new to", "explain", "what is …": intro readings first. */
  beginner: boolean;
  /** "X vs Y", "difference between X and Y", "X or Y", "compare X and Y": each side's words. */
  compare?: [string[], string[]];
  /**
   * The comparison rests on a bare "or" ("kafka or rabbitmq?"), which also joins states ("is a node
   * dead or just slow"): it stands only if each side names a topic.
   */
  compareByOr?: boolean;
  /** "X vs Y for stream jobs": the words of the setting both sides are compared in. */
  compareSetting?: string[];
  /** "after X", "next after X": the words naming X, and words before "after" that scope it ("6.824 lecture"). */
  after?: { anchor: string[]; scope: string[]; topicLevel?: boolean };
  /** "what to read before X", "prerequisites for X": the words naming X (`after` is then unset). */
  before?: string[];
  /** "paper(s)", "talk(s)", … or `kind:paper`: only readings of this kind. */
  kind?: ReadingKind;
  /** "advanced", "deep dive" or `level:intro`: only readings of this level. */
  level?: ReadingLevel;
  /** "short" (15), "under 20 minutes", "< 10 min": only readings with a known time at most this. */
  maxMinutes?: number;
  /** The words that name the subject. */
  topic: string[];
}

/** Minutes a reading may take to count as "short" or "quick". */
export const SHORT_MINUTES = 15;

/** Single words saying the asker is new to the subject. */
const BEGINNER_WORDS = new Set([
  'start',
  'starting',
  'started',
  'begin',
  'beginning',
  'beginner',
  'beginners',
  'intro',
  'intros',
  'introduction',
  'introductions',
  'introductory',
  'basics',
  'basic',
  'fundamentals',
  'primer',
  'newbie',
  'novice',
  'eli5',
  'explain',
  'explained',
  'gentle',
  'overview',
  'understand',
  'simply',
  'dummies',
  'noob',
  'noobs',
  'newcomer',
  'newcomers',
  'layman',
  'laymans',
  '101',
  'junior',
  'easy',
  'easier',
  'easiest',
  'starter',
]);
/** Two-word runs saying the same ("new to raft", "what is paxos", "first steps"). */
const BEGINNER_PAIRS = new Set([
  'new to',
  'what is',
  'what are',
  'what s',
  'whats a',
  'first steps',
  'learn about',
  'getting into',
  'getting started',
  'get started',
  'crash course',
  'from scratch',
  'plain english',
  'high level',
  // "intro level article on sharding": the level word and "level" go together.
  'intro level',
  'introductory level',
  'beginner level',
  'entry level',
  'basic level',
  'in simple',
  'simple explanation',
  'simple terms',
  'explain like',
  'read first',
  'good first',
  'know nothing',
  'start with',
  'new here',
  'starting out',
]);

/**
 * Words that describe the asker, not the subject ("i'm a frontend dev", "a junior engineer"): dropped
 * from the topic of a beginner's question, so it gets the field's start rather than "no reading on
 * junior engineer".
 */
const ASKER_WORDS = new Set([
  'engineer',
  'engineers',
  'developer',
  'developers',
  'dev',
  'devs',
  'programmer',
  'student',
  'students',
  'frontend',
  'backend',
  'fullstack',
  'team',
  'manager',
  'me',
  'us',
  // "what to read first": when, not what about.
  'first',
]);

/** What follows "explain like" ("I'm five", "i am 5", "a five year old kid"): the asker, not the topic. */
const LIKE_FIVE_WORDS = new Set([
  'i',
  'im',
  'm',
  'am',
  'a',
  'five',
  '5',
  'year',
  'years',
  'old',
  'yo',
  'kid',
  'child',
]);

/** Words that only say how new the asker is when a beginner word follows ("total beginner", "complete newbie"). */
const INTENSIFIERS = new Set(['total', 'complete', 'absolute', 'pure', 'utter']);

const ADVANCED_WORDS = new Set(['advanced', 'deeper', 'expert', 'research', 'harder']);
const ADVANCED_PAIRS = new Set(['deep dive', 'in depth', 'go deeper', 'advanced level', 'expert level']);

/** Words around a comparison that are not either side ("what is the difference between"). */
const COMPARE_FILLER = new Set([
  'pick',
  'picking',
  'prefer',
  'choosing',
  'difference',
  'differences',
  'diff',
  'diffs',
  'differ',
  'compare',
  'compared',
  'comparing',
  'comparison',
  'contrast',
  'which',
  'better',
  'choose',
  'first',
  'different',
  'differs',
  'distinguish',
  'tradeoff',
  'tradeoffs',
]);

/** Words that only frame a what-comes-next question. */
const NEXT_FILLER = new Set([
  'next',
  'now',
  'here',
  've',
  'just',
  'already',
  'through',
  'comes',
  'come',
  'follow',
  'follows',
  'then',
  'continue',
  'done',
  'finished',
  'similar',
  'liked',
  'ok',
  'ive',
  'did',
  'ups',
  'up',
  'followups',
  'on',
]);

/**
 * `kind:paper` and `level:intro` written in the query (Slack and the console have no option fields):
 * taken out of the text and returned, with a message for a value that is not one of the choices.
 */
export function extractOptionWords(query: string): {
  rest: string;
  kind?: ReadingKind;
  level?: ReadingLevel;
  problem?: string;
} {
  const out: { rest: string; kind?: ReadingKind; level?: ReadingLevel; problem?: string } = { rest: query };
  out.rest = query.replace(/(?:^|\s)(kind|level):(\S*)/gi, (_m, name: string, raw: string) => {
    const value = raw.toLowerCase();
    if (name.toLowerCase() === 'kind') {
      if ((readingKinds as readonly string[]).includes(value)) out.kind = value as ReadingKind;
      else out.problem = `\`kind:${raw}\` is not a kind; use one of ${readingKinds.join(', ')}.`;
    } else if ((readingLevels as readonly string[]).includes(value)) out.level = value as ReadingLevel;
    else out.problem = `\`level:${raw}\` is not a level; use one of ${readingLevels.join(', ')}.`;
    return ' ';
  });
  // Mentions are addressing, not the subject: Discord <@id>, <@&role>, <#channel>; Slack <@U…>,
  // <!channel>, <!here>, <!subteam^…>; and a typed @everyone / @here / @channel.
  out.rest = out.rest
    .replace(/<[@#!][^>\s]*>/g, ' ')
    .replace(/(^|\s)@(everyone|here|channel)\b/gi, ' ')
    .trim();
  return out;
}

/** Drop a run of `n` words at `i` from `words` when `set` holds it (joined by a space). */
function pairAt(words: string[], i: number, set: ReadonlySet<string>): boolean {
  return i + 1 < words.length && set.has(`${words[i]} ${words[i + 1]}`);
}

/** Minutes from "under 20 minutes", "less than 10 min", "20 minute", "20min" (tokens: 20, min…). */
function minutesAt(words: string[], i: number): { minutes: number; used: number } | undefined {
  const unit = (w: string | undefined) => w !== undefined && /^(?:m|min|mins|minute|minutes)$/.test(w);
  const glued = /^(\d{1,3})(?:m|min|mins|minutes?)$/.exec(words[i] ?? '');
  if (glued) return { minutes: Number(glued[1]), used: 1 };
  if (/^\d{1,3}$/.test(words[i] ?? '') && unit(words[i + 1])) return { minutes: Number(words[i]), used: 2 };
  return undefined;
}

/**
 * Read a learner's intent from a query's (lower-cased, typo-corrected) words. Pure: the caller
 * decides which words name tags or series.
 */
export function parseIntent(words: readonly string[]): LearnerIntent {
  const intent: LearnerIntent = { beginner: false, topic: [] };
  let kept: string[] = [];
  const kinds = new Set<ReadingKind>();
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const time = minutesAt(words as string[], i);
    if (time) {
      intent.maxMinutes = time.minutes;
      // "under", "less than", "in" before the figure belong to it.
      while (kept.length && /^(?:under|less|than|in|within|below|max|at|most)$/.test(kept.at(-1)!))
        kept.pop();
      i += time.used - 1;
      continue;
    }
    if (w === 'short' || w === 'quick' || w === 'brief') {
      intent.maxMinutes = Math.min(intent.maxMinutes ?? SHORT_MINUTES, SHORT_MINUTES);
      continue;
    }
    // "explain raft like I'm five", "like im 5 what is a crdt": the asker is new, wherever it is said.
    if (w === 'like') {
      let k = i + 1;
      while (LIKE_FIVE_WORDS.has(words[k] ?? '')) k++;
      if (words.slice(i + 1, k).some((x) => x === 'five' || x === '5')) {
        intent.beginner = true;
        i = k - 1;
        continue;
      }
    }
    if (pairAt(words as string[], i, BEGINNER_PAIRS)) {
      // "what's next" and "what is after X" ask for a next step, not for an introduction.
      // "what's a good read on quorums" asks for a reading, not a definition ("what's a quorum").
      let k = i + 2;
      while (ARTICLES.has(words[k] ?? '')) k++;
      const then = words[k] ?? '';
      if (!NEXT_CUE_WORDS.has(then) && !(ASKING_WORDS.has(then) && /^what/.test(words[i]!)))
        intent.beginner = true;
      i++;
      // "explain like I'm five", "explain like a 5 year old": who the asker is, not what about.
      if (words[i] === 'like') while (LIKE_FIVE_WORDS.has(words[i + 1] ?? '')) i++;
      continue;
    }
    if (BEGINNER_WORDS.has(w)) {
      intent.beginner = true;
      continue;
    }
    if (INTENSIFIERS.has(w) && BEGINNER_WORDS.has(words[i + 1] ?? '')) continue;
    if (pairAt(words as string[], i, ADVANCED_PAIRS)) {
      intent.level = 'advanced';
      i++;
      continue;
    }
    if (ADVANCED_WORDS.has(w)) {
      intent.level = 'advanced';
      continue;
    }
    // Kind words (text.ts KIND_WORDS, shared with the ranking's kind preference) filter by kind,
    // unless negated ("an article, not a paper") or naming a group ("ddia book club").
    const kind = KIND_WORDS.get(w);
    if (kind) {
      if (!negated(words, i) && !GROUP_WORDS.has(words[i + 1] ?? '')) kinds.add(kind);
      continue;
    }
    kept.push(w);
  }
  // "the zookeeper paper and notes" asks for both kinds: no filter.
  if (kinds.size === 1) intent.kind = [...kinds][0]!;
  // "I understand raft, what is harder": asking for the harder level is no beginner's question.
  if (intent.level === 'advanced') intent.beginner = false;
  intent.topic = intent.beginner ? kept.filter((w) => !ASKER_WORDS.has(w)) : kept;
  kept = intent.topic;
  const before = splitBefore(kept);
  if (before) {
    intent.before = before;
    intent.topic = before;
    return intent;
  }
  const after = splitAfter(kept);
  if (after) {
    // "done with consensus, what topic next": the next topic, not the reading after one on it.
    // "read about consensus, good follow-ups?": what was read about is a topic, not one reading.
    const aboutAt = words.indexOf(after.anchor[0] ?? '') - 1;
    const topicLevel = words.some((w) => TOPIC_WORDS.has(w)) || (aboutAt >= 0 && words[aboutAt] === 'about');
    intent.after = topicLevel ? { ...after, topicLevel: true } : after;
    intent.topic = after.anchor;
    return intent;
  }
  const sides = splitComparison(kept);
  if (sides) {
    intent.compare = sides.sides;
    if (sides.setting) intent.compareSetting = sides.setting;
    if (sides.byOr) intent.compareByOr = true;
  }
  return intent;
}

/** Words that name data accesses in guarantees like "read after write" (read-your-writes). */
const ACCESS_WORDS = new Set(['read', 'reads', 'write', 'writes']);

/** Articles, skipped when looking for the word a negation or an "after" applies to. */
const ARTICLES = new Set(['a', 'an', 'the']);

/** Words after a kind word that make it a group of people, not a kind of reading ("book club"). */
const GROUP_WORDS = new Set(['club', 'group', 'circle']);

/** Is the word at `i` negated ("not a paper", "no videos", "without slides")? */
function negated(words: readonly string[], i: number): boolean {
  let j = i - 1;
  while (j >= 0 && ARTICLES.has(words[j]!)) j--;
  return j >= 0 && (words[j] === 'not' || words[j] === 'no' || words[j] === 'without');
}

/**
 * Words that say the learner has finished something: "I finished X, what next", "done with X, what now",
 * "I've read X, where to go from here", "got through X".
 */
const FINISHED = new Set(['finished', 'finish', 'completed', 'done', 'did', 'read', 'through']);

/** Words that make a what-next question ask for the next topic ("what topic next"). */
export const TOPIC_WORDS: ReadonlySet<string> = new Set([
  'topic',
  'topics',
  'subject',
  'subjects',
  'area',
  'areas',
]);

/** Words that make "next" a time ("next week"), not a next reading. */
const TIME_UNITS = new Set([
  'week',
  'month',
  'year',
  'day',
  'time',
  'sprint',
  'quarter',
  'weekend',
  'semester',
  'term',
]);

/** Does the question ask what comes next ("what next", "what now", "what follows", "from here")? */
function asksWhatNext(words: string[]): boolean {
  return words.some(
    (w, i) =>
      // "I finished ddia", "just done with chapter 5": a finished reading said first asks what follows.
      // "did" needs its subject first: "did raft fix paxos?" asks a question, "just did lecture 8" does not.
      (FINISHED.has(w) &&
        w !== 'read' &&
        i <= 3 &&
        !(w === 'did' && i === 0) &&
        words.slice(0, i).every((p) => FINISHER.has(p))) ||
      // "anything similar to the tail at scale?", "the tail at scale, anything similar?"
      w === 'similar' ||
      // "an interview next week" is a time, not a next reading.
      (w === 'next' && !TIME_UNITS.has(words[i + 1] ?? '')) ||
      // "what follows from the CAP theorem" asks for consequences, not for a next reading.
      (w === 'follows' && words[i + 1] !== 'from') ||
      // "good follow-ups?", "any follow up reading", "followups to the raft paper".
      w === 'followups' ||
      (w === 'follow' && (words[i + 1] === 'ups' || words[i + 1] === 'up')) ||
      ((w === 'now' || w === 'then') && (words[i - 1] === 'what' || words[i - 1] === 'where')) ||
      // "… now what?", "… then what?" at the end of the question.
      (w === 'what' && i === words.length - 1 && (words[i - 1] === 'now' || words[i - 1] === 'then')) ||
      (w === 'here' && words[i - 1] === 'from'),
  );
}

/**
 * A what-next or what-before question that names no reading ("what comes next", "I finished",
 * "what to read before"): the caller asks which reading, or points to /next.
 */
export function asksNextOfNothing(words: readonly string[]): boolean {
  const w = [...words];
  if (splitBefore(w) || splitAfter(w)) return false;
  const cue = asksWhatNext(w) || w.includes('before') || w.includes('after');
  const rest = w.filter(
    (x) =>
      !STOP_WORDS.has(x) &&
      !NEXT_FILLER.has(x) &&
      !FINISHED.has(x) &&
      !QUESTION_WORDS.has(x) &&
      !READING_FRAME.has(x) &&
      x !== 'before' &&
      x !== 'after',
  );
  return cue && rest.length === 0;
}

/** Words that may come before a finished-word that opens a question ("i've just finished …", "ok done with …"). */
const FINISHER = new Set(['i', 'ive', 'im', 'm', 've', 'we', 'just', 'ok', 'so', 'have', 'am', 'now']);

/** Words that, right after "what's", make it a what-next question. */
const NEXT_CUE_WORDS = new Set(['next', 'now', 'then', 'after']);

/** Words after "what's a" / "what are" that ask for a reading, not for a definition ("what's a good read on …"). */
const ASKING_WORDS = new Set([
  'good',
  'great',
  'nice',
  'decent',
  'solid',
  'classic',
  'recommended',
  'must',
  'few',
  'some',
]);

/** Words that start a clause: "after its lock expired" is a time, not a reading to follow. */
const CLAUSE_WORDS = new Set([
  'it',
  'its',
  'they',
  'their',
  'he',
  'she',
  'we',
  'you',
  'was',
  'were',
  'gets',
  'got',
]);
/**
 * Words before "after" that make it a reading order: "what to read after", "what comes after", "the
 * 6.824 lecture after zookeeper" (a series unit), "next after".
 */
const READING_FRAME = new Set([
  'whats',
  'read',
  'study',
  'learn',
  'comes',
  'come',
  'go',
  'continue',
  'tackle',
  'next',
  'lecture',
  'lectures',
  'chapter',
  'chapters',
  'part',
  'paper',
  'notes',
]);

/** Words after "after" that point back to a reading named earlier ("what's after that", "after this one"). */
const BACK_REFERENCES = new Set(['that', 'this', 'it', 'those', 'these', 'one']);

/** Question words that end an anchor: "after chain replication what should I read". */
const QUESTION_WORDS = new Set(['what', 'which', 'where', 'how', 'should', 'whats', 'wheres']);

/**
 * "what to read after ddia chapter 5" → anchor "ddia chapter 5"; "6.824 lecture after zookeeper" → scope
 * "6.824 lecture"; "I finished the zookeeper lecture, what comes next" → anchor "zookeeper lecture";
 * "I've read the dynamo paper, where to go from here" → anchor "dynamo paper". Not "stop a paused node
 * writing after its lock expired": a clause after "after" is a time.
 */
function splitAfter(words: string[]): { anchor: string[]; scope: string[] } | undefined {
  let at = words.indexOf('after');
  // "stale data after a write": "after" asks for a next reading only in a reading frame.
  if (at > 0 && !asksWhatNext(words) && !words.slice(0, at).some((w) => READING_FRAME.has(w))) at = -1;
  // "read after write consistency", "read after a write": a guarantee, not a reading order.
  const accessAfter = words.slice(at + 1).find((w) => !ARTICLES.has(w));
  if (at > 0 && ACCESS_WORDS.has(words[at - 1]!) && ACCESS_WORDS.has(accessAfter ?? '')) at = -1;
  if (at < 0 && asksWhatNext(words)) at = words.findIndex((w) => FINISHED.has(w));
  // "what follows ddia chapter 9": the reading is named after "follows"; "chapter 9, what follows": before.
  if (at < 0 && asksWhatNext(words)) at = words.findIndex((w) => w === 'follows' || w === 'similar');
  // "any follow-up reading for the raft paper": the reading is named after "follow up".
  if (at < 0 && asksWhatNext(words))
    at = words.findIndex(
      (w, i) => w === 'followups' || ((w === 'ups' || w === 'up') && words[i - 1] === 'follow'),
    );
  if (at < 0) return undefined;
  const end = words.findIndex((w, i) => i > at + 1 && QUESTION_WORDS.has(w));
  const following = words.slice(at + 1, end < 0 ? undefined : end);
  // "just did the zookeeper lecture, what's after that": "after that" points back to the reading named
  // before it.
  const pointsBack =
    words[at] === 'after' && following.length > 0 && following.every((w) => BACK_REFERENCES.has(w));
  if (!pointsBack && following.some((w) => CLAUSE_WORDS.has(w))) return undefined;
  const content = (ws: string[]) =>
    ws.filter((w) => !STOP_WORDS.has(w) && !NEXT_FILLER.has(w) && !FINISHED.has(w) && !QUESTION_WORDS.has(w));
  // "chapter 9 done, what follows": the finished reading comes before the finished-word.
  const named = content(following);
  const anchor = named.length
    ? named
    : words[at] === 'after' && !pointsBack
      ? []
      : content(words.slice(0, at));
  if (anchor.length === 0) return undefined;
  if (anchor !== named) return { anchor, scope: [] };
  const scope = words
    .slice(0, at)
    .filter((w) => !STOP_WORDS.has(w) && !NEXT_FILLER.has(w) && !FINISHED.has(w));
  return { anchor, scope };
}

/** Words that frame "before" as what to know first ("what should I know before spanner"). */
const KNOWING = new Set(['know', 'prepare']);

/** Words that ask what to read first to be ready for a reading. */
const PREREQUISITE = new Set(['prerequisite', 'prerequisites', 'prereq', 'prereqs', 'background']);

/**
 * "what to read before the spanner paper", "prerequisites for the raft paper", "background for
 * paxos made simple": the words naming the reading to prepare for. Not "stop writing before the lock
 * expires": "before" needs a reading frame before it, and a clause after it is a time.
 */
function splitBefore(words: string[]): string[] | undefined {
  let at = words.indexOf('before');
  if (at > 0 && !words.slice(0, at).some((w) => READING_FRAME.has(w) || KNOWING.has(w))) at = -1;
  if (at < 0) at = words.findIndex((w) => PREREQUISITE.has(w));
  if (at < 0) return undefined;
  const end = words.findIndex((w, i) => i > at + 1 && QUESTION_WORDS.has(w));
  const following = words.slice(at + 1, end < 0 ? undefined : end);
  if (following.some((w) => CLAUSE_WORDS.has(w))) return undefined;
  const anchor = following.filter((w) => !STOP_WORDS.has(w) && !NEXT_FILLER.has(w) && !QUESTION_WORDS.has(w));
  return anchor.length ? anchor : undefined;
}

/** The two sides of "x vs y", "difference between x and y", "compare x with y", "x or y". */
function splitComparison(
  words: string[],
): { sides: [string[], string[]]; setting?: string[]; byOr?: boolean } | undefined {
  const content = (ws: string[]) => ws.filter((w) => !STOP_WORDS.has(w) && !COMPARE_FILLER.has(w));
  const split = (at: number, byOr = false) => {
    // "storm versus spark streaming for realtime jobs": a clause after the second side ("for …", "in
    // …") is the setting of both, not part of the second one.
    const clause = words.findIndex((w, i) => i > at + 1 && SETTING_WORDS.has(w));
    // Kept as typed (stop words too, for the heading: "when you need something easy to teach"),
    // without the comparison's own framing words ("… for microservices, which one?").
    const setting =
      clause >= 0 ? words.slice(clause + 1).filter((w) => !COMPARE_FILLER.has(w) && w !== 'one') : [];
    const a = content(words.slice(0, at));
    const b = content(words.slice(at + 1, clause >= 0 ? clause : undefined));
    return a.length && b.length
      ? {
          sides: [a, b] as [string[], string[]],
          ...(setting.length ? { setting } : {}),
          ...(byOr ? { byOr } : {}),
        }
      : undefined;
  };
  const vs = words.findIndex((w) => w === 'vs' || w === 'versus' || w === 'v');
  if (vs >= 0) return split(vs);
  const framing = words.findIndex((w) => COMPARE_FILLER.has(w) && w !== 'first');
  if (framing >= 0) {
    // The sides are joined after the framing word ("compare X with Y", "how does X differ from Y",
    // "should I pick X or Y"), not by an earlier "to" of the asker's story ("my manager wants us to
    // pick a database …"); or before it when the framing closes the question ("X and Y, which is better").
    const joins = (w: string) => w === 'and' || w === 'with' || w === 'to' || w === 'or' || w === 'from';
    const after = words.findIndex((w, i) => i > framing && joins(w));
    const closing = framing >= words.length - 3;
    const before = closing
      ? words.findIndex((w, i) => i > 0 && i < framing && (w === 'and' || w === 'or'))
      : -1;
    const joiner = after >= 0 ? after : before;
    if (joiner >= 0) return split(joiner);
  }
  // "between X and Y" alone: "rumors between nodes to share membership" compares nothing.
  const between = words.indexOf('between');
  if (between >= 0) {
    const and = words.indexOf('and', between + 2);
    if (and >= 0) return split(and);
  }
  const or = words.indexOf('or');
  // "either all happen or none", "mapreduce or something newer": one side is no subject.
  if (or >= 0 && !words.includes('either') && !OR_NOT_A_SIDE.has(words[or + 1] ?? '')) return split(or, true);
  return undefined;
}

/** Words opening a clause that sets a comparison in a context ("X vs Y for stream jobs", "in practice"). */
const SETTING_WORDS = new Set(['for', 'in', 'when', 'under']);

/** Words after "or" that make it no comparison ("or none", "or something newer", "or not"). */
const OR_NOT_A_SIDE = new Set([
  'none',
  'not',
  'nothing',
  'something',
  'anything',
  'else',
  'so',
  'whatever',
  'other',
  'others',
  'more',
  'less',
  'two',
]);
