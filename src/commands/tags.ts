import type { Command } from './types.ts';
import { reply } from '../reply.ts';
import { tagCounts } from '../catalog/load.ts';
import { checkArgument } from '../text/safe.ts';

export const tags: Command = {
  name: 'tags',
  description: 'List the topics with how many readings each has',
  usage: '/tags [filter]',
  examples: ['/tags', '/tags consist'],
  options: [{ name: 'filter', description: 'Only topics containing this text', rest: true }],

  async run({ args }, services) {
    const filter = checkArgument(args, 'filter', { required: false, max: 60 });
    if (!filter.ok) return reply(filter.message, { status: 'error' });
    const q = filter.value.toLowerCase().replace(/^#/, '');
    const all = tagCounts(services.catalog).filter(
      ({ tag }) =>
        !q ||
        tag.id.includes(q) ||
        tag.label.toLowerCase().includes(q) ||
        tag.aliases.some((a) => a.includes(q)),
    );
    if (all.length === 0) return reply(`No topic matches "${filter.value}". Try \`/tags\` for all of them.`);
    const lines = all.map(({ tag, count }) => `\`${tag.id}\` (${count})`);
    return reply(`**${all.length} topics** (readings each). Use \`/read <topic>\`:\n${lines.join(' · ')}`);
  },
};
