import type { Command } from './types.ts';
import type { Services } from '../services.ts';
import type { Caller } from '../caller.ts';
import { errorReply, reply, type Reply } from '../reply.ts';
import { isProblem } from '../saves/service.ts';
import { checkArgument } from '../text/safe.ts';
import type { Reading } from '../catalog/schema.ts';
import { STOP_WORDS, nameWords, tokenize } from '../search/text.ts';
import { allTracks, progressOn, readingsRead } from './progress.ts';

/** Mark a catalog reading read for `caller` and say what comes next on the track it belongs to. */
async function markDone(caller: Caller, readingId: string, services: Services): Promise<Reply> {
  const read = await readingsRead(caller, services);
  const already = read.has(readingId);
  const marked = await services.saves.markReadingRead(caller, readingId);
  if (isProblem(marked)) return errorReply(marked.message);
  // What the person had read, plus this one: no second pass over their saves.
  read.add(readingId);
  const reading = services.catalog.byId.get(readingId)!;
  const track = allTracks(services).find((t) => t.readings.includes(reading));
  const progress = track ? progressOn(track, read) : undefined;
  const where = progress
    ? ` **${progress.track.name}**: ${progress.read} of ${progress.track.readings.length} read.${
        progress.next ? ` Next: **${progress.next.title}**.` : ''
      }`
    : '';
  const what = already
    ? `**${reading.title}** was already marked read`
    : `Marked **${reading.title}** as read`;
  return reply(`${what} (kept in \`/saved\`).${where}`);
}

/** Are all `words` in the reading's title, the name it is known by, or its authors? */
function namesReading(words: readonly string[], r: Reading): boolean {
  const own = nameWords(r, true);
  return words.every((w) => own.includes(w));
}

/** `/done <reading>`: what the Done button does, for typing (the console has no buttons). */
export const done: Command = {
  name: 'done',
  description: 'Mark a reading as read, for your progress in /next',
  usage: '/done <reading id or title>',
  examples: ['/done ddia-chapter-05', '/done In Search of an Understandable Consensus Algorithm'],
  options: [
    { name: 'reading', description: 'A reading id or title', required: true, autocomplete: true, rest: true },
  ],

  async run({ caller, args }, services) {
    const arg = checkArgument(args, 'reading');
    if (!arg.ok) return errorReply(`${arg.message} For example: \`/done ddia-chapter-05\`.`);
    const exact =
      services.catalog.byId.get(arg.value.toLowerCase()) ??
      services.catalog.readings.find((r) => r.title.toLowerCase() === arg.value.toLowerCase());
    if (exact) return markDone(caller, exact.id, services);
    // Typed words mark a reading only when they name exactly one: "/done consensus" must not mark
    // whichever reading ranks first.
    const words = tokenize(arg.value).filter((w) => !STOP_WORDS.has(w));
    const named = words.length ? services.catalog.readings.filter((r) => namesReading(words, r)) : [];
    if (named.length === 1) return markDone(caller, named[0]!.id, services);
    const options = (
      named.length ? named : services.search.search(arg.value, { limit: 5 }).hits.map((h) => h.reading)
    )
      .slice(0, 5)
      .map((r) => `\`${r.id}\` (${r.title})`)
      .join(', ');
    const which = named.length ? `${named.length} readings match` : 'No reading has all of';
    return errorReply(
      `${which} "${tokenize(arg.value).join(' ')}". Give its id${options ? `: ${options}` : ''}, or press Done under it in \`/read\`.`,
    );
  },

  async press(action, args, { caller }, services) {
    if (action !== 'reading' || !args[0] || !services.catalog.byId.has(args[0]))
      return errorReply('That reading is no longer in the catalog. Run `/read` again.');
    return markDone(caller, args[0], services);
  },

  autocomplete(_option, partial, services) {
    return services.search.complete(partial, 25).filter((c) => !c.name.startsWith('#'));
  },
};
