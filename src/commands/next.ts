import type { Command } from './types.ts';
import type { Services } from '../services.ts';
import { errorReply, reply, type Reply } from '../reply.ts';
import { checkArgument } from '../text/safe.ts';
import { readingView } from './render.ts';
import { readingActions } from './read.ts';
import { allTracks, progressOn, readingsRead, trackFor, type Progress } from './progress.ts';

/** "Designing Data-Intensive Applications: 4 of 11 read. Next: …", with the next reading and its paper or notes. */
export function progressReply(p: Progress, services: Services): Reply {
  const { track, read, next } = p;
  const where = `**${track.name}**: ${read} of ${track.readings.length} read.`;
  if (!next) return reply(`${where} You have read all of it. Try \`/read\` on a related topic.`);
  const withIt = services.search.curriculumView.related(next).slice(0, 2);
  const views = [next, ...withIt].map((r) => readingView(r, services.catalog, readingActions(r.id)));
  const also = withIt.length ? ` With it: ${withIt.map((r) => `**${r.title}**`).join(', ')}.` : '';
  return reply(`${where} Next: **${next.title}**.${also} Press Done when you have read it.`, {
    readings: views,
  });
}

export const next: Command = {
  name: 'next',
  description: 'Where you are in a series or topic, and what to read next',
  usage: '/next [series or topic]',
  examples: ['/next ddia', '/next 6.824', '/next consensus', '/next'],
  options: [
    { name: 'path', description: 'A series (ddia, 6.824) or a topic', rest: true, autocomplete: true },
  ],

  async run({ caller, args }, services) {
    const arg = checkArgument(args, 'series or topic', { required: false, max: 100 });
    if (!arg.ok) return errorReply(arg.message);
    const read = await readingsRead(caller, services);
    if (arg.value) {
      const track = trackFor(arg.value, services);
      if (!track || track.readings.length === 0)
        return errorReply(
          `"${arg.value}" is not a series or a topic with a reading path. Try \`/next ddia\`, \`/next 6.824\` or a topic from \`/tags\`.`,
        );
      return progressReply(progressOn(track, read), services);
    }
    // No argument: the track with the most readings done, or where a newcomer starts.
    const started = allTracks(services)
      .map((t) => progressOn(t, read))
      .filter((p) => p.read > 0 && p.next)
      .sort((a, b) => b.read - a.read);
    if (started[0]) return progressReply(started[0], services);
    const start = services.search.curriculumView.fieldStart();
    return progressReply(progressOn({ name: 'Where to start', readings: start }, read), services);
  },

  autocomplete(_option, partial, services) {
    const q = partial.toLowerCase().trim();
    const series = services.catalog.series
      .filter((s) => !q || [s.id, s.name, ...s.aliases].some((x) => x.toLowerCase().startsWith(q)))
      .map((s) => ({ name: s.name, value: s.id }));
    return [...series, ...services.search.complete(partial, 25).filter((c) => c.name.startsWith('#'))].slice(
      0,
      25,
    );
  },
};
