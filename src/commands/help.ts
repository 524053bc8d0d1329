import type { Command } from './types.ts';
import { reply } from '../reply.ts';
import { helpLines, helpModel } from './help-model.ts';

export const help: Command = {
  name: 'help',
  description: 'How to use Quorum Reads',
  usage: '/help',
  examples: ['/help'],
  options: [],

  async run(_input, services) {
    const model = helpModel(services.commands);
    return reply([model.intro, ...helpLines(model), model.footnote].join('\n'));
  },
};
