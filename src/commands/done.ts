import type { Command } from './types.ts';
import type { Services } from '../services.ts';
import type { Caller } from '../caller.ts';
import { errorReply, reply, type Reply } from '../reply.ts';
import { isProblem } from '../saves/service.ts';
import { checkArgument } from '../text/safe.ts';
import { allTracks, progressOn, readingsRead } from './progress.ts';

/** Mark a catalog reading read for `caller` and say what comes next on the track it belongs to. */
async function markDone(caller: Caller, readingId: string, services: Services): Promise<Reply> {
  const marked = await services.saves.markReadingRead(caller, readingId);
  if (isProblem(marked)) return errorReply(marked.message);
  const reading = services.catalog.byId.get(readingId)!;
  const read = await readingsRead(caller, services);
  const track = allTracks(services).find((t) => t.readings.includes(reading));
  const progress = track ? progressOn(track, read) : undefined;
  const where = progress
    ? ` **${progress.track.name}**: ${progress.read} of ${progress.track.readings.length} read.${
        progress.next ? ` Next: **${progress.next.title}**.` : ''
      }`
    : '';
  return reply(`Marked **${reading.title}** as read (kept in \`/saved\`).${where}`);
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
    const reading = exact ?? services.search.search(arg.value, { limit: 1 }).hits[0]?.reading;
    if (!reading)
      return errorReply(
        `No reading matches "${arg.value}". Find it with \`/read\` and press its Done button.`,
      );
    return markDone(caller, reading.id, services);
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
