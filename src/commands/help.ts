import type { Command } from './types.ts';
import { reply } from '../reply.ts';

export const help: Command = {
  name: 'help',
  description: 'How to use Quorum Reads',
  usage: '/help',
  examples: ['/help'],
  options: [],

  async run(_input, services) {
    const lines = services.commands.map(
      (c) => `\`${c.usage}\`: ${c.description}. e.g. \`${c.examples[0] ?? c.usage}\``,
    );
    return reply(
      [
        '**Quorum Reads** recommends readings on distributed systems.',
        ...lines,
        'Readings without a verified link show a labeled web-search link instead.',
      ].join('\n'),
    );
  },
};
