import type { Caller } from '../caller.ts';
import type { Reading } from '../catalog/schema.ts';
import type { Services } from '../services.ts';
import { tokenize } from '../search/text.ts';

/** An ordered list a learner works through: a series in reading order, or a topic's start-here path. */
export interface Track {
  /** "Designing Data-Intensive Applications", "#consensus". */
  name: string;
  readings: readonly Reading[];
}

export interface Progress {
  track: Track;
  read: number;
  /** The reading after the furthest one read (so skipping an overview does not hold a learner back). */
  next?: Reading;
}

/** Words that may sit around a series name without changing it ("the ddia notes", "6.824 lectures"). */
const FILLER = new Set([
  'the',
  'series',
  'notes',
  'book',
  'course',
  'lectures',
  'lecture',
  'chapters',
  'chapter',
]);

/** The series or topic path `text` names, or undefined. */
export function trackFor(text: string, services: Services): Track | undefined {
  const words = tokenize(text.replace(/^#/, ''));
  if (words.length === 0) return undefined;
  const cur = services.search.curriculumView;
  const named = services.search.seriesIn(words);
  if (named && named.rest.every((w) => FILLER.has(w)))
    return { name: named.series.name, readings: cur.series(named.series.id) };
  const tag = services.search.tagFor(text);
  if (!tag) return undefined;
  const path = cur.path(tag);
  // A topic without a curated path: its readings as /read ranks them (the tag's own readings only).
  const readings = path.length
    ? path
    : services.search
        .search(tag, { limit: 10 })
        .hits.map((h) => h.reading)
        .filter((r) => r.tags.includes(tag));
  return { name: `#${tag}`, readings };
}

/** Which catalog readings this person has marked read (Done, or /mark on a save of a catalog link). */
export async function readingsRead(caller: Caller, services: Services): Promise<Set<string>> {
  const saves = await services.saves.list(caller);
  return new Set(saves.filter((s) => s.read && s.readingId).map((s) => s.readingId!));
}

/** How far along a track someone is, and what to read next. */
export function progressOn(track: Track, read: ReadonlySet<string>): Progress {
  const list = track.readings;
  let furthest = -1;
  list.forEach((r, i) => {
    if (read.has(r.id)) furthest = i;
  });
  const count = list.filter((r) => read.has(r.id)).length;
  const after = list.slice(furthest + 1).find((r) => !read.has(r.id));
  // At the end with gaps: the first gap after where the reader started (an overview skipped before
  // the first reading read stays skipped), then anything left.
  const first = list.findIndex((r) => read.has(r.id));
  const gap = list.slice(first + 1).find((r) => !read.has(r.id));
  const next = after ?? gap ?? list.find((r) => !read.has(r.id));
  return { track, read: count, ...(next ? { next } : {}) };
}

/** Every series and every topic with a start-here path: where /next looks when given nothing. */
export function allTracks(services: Services): Track[] {
  const cur = services.search.curriculumView;
  const tracks: Track[] = services.catalog.series.map((s) => ({ name: s.name, readings: cur.series(s.id) }));
  for (const t of services.catalog.tags)
    if (t.startHere.length) tracks.push({ name: `#${t.id}`, readings: cur.path(t.id) });
  return tracks;
}
