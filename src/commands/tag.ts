import type { Command } from './types.ts';
import { errorReply, reply } from '../reply.ts';
import { isProblem, MAX_TAG_LENGTH, MAX_TAGS, parseTag } from '../saves/service.ts';

export const tag: Command = {
  name: 'tag',
  description: 'Set the tags of one of your saves',
  usage: '/tag <id> #tag …   (replaces the tags; /tag <id> with no tags clears them)',
  examples: ['/tag 3f9a1c2e #raft #consensus'],
  options: [
    { name: 'id', description: 'The id shown in /saved', required: true },
    { name: 'tags', description: '#tags separated by spaces', rest: true },
  ],

  async run({ caller, args }, services) {
    const [id = '', ...words] = args.trim().split(/\s+/);
    if (!id) return errorReply('Give the id of a save and its tags, like `/tag 3f9a1c2e #raft`.');
    const tags: string[] = [];
    for (const w of words) {
      const t = parseTag(w);
      if (!t)
        return errorReply(
          `"${w.slice(0, 40)}" is not a tag: use letters, digits and dashes, up to ${MAX_TAG_LENGTH} characters.`,
        );
      if (!tags.includes(t)) tags.push(t);
    }
    if (tags.length > MAX_TAGS) return errorReply(`Give at most ${MAX_TAGS} tags.`);
    const changed = await services.saves.change(caller, id, (item) => ({ ...item, tags }));
    if (isProblem(changed)) return errorReply(changed.message);
    const shown = tags.length ? tags.map((t) => `#${t}`).join(' ') : 'no tags';
    return reply(`**${changed.title}** (\`${changed.id}\`) now has ${shown}.`);
  },
};
