import type { Command } from './types.ts';
import { errorReply, reply } from '../reply.ts';
import { isProblem } from '../saves/service.ts';

export const unsave: Command = {
  name: 'unsave',
  description: 'Remove a link from your saves',
  usage: '/unsave <id>   (the id is shown next to each save in /saved)',
  examples: ['/unsave 3f9a1c2e'],
  options: [{ name: 'id', description: 'The id shown in /saved', required: true }],

  async run({ caller, args }, services) {
    const removed = await services.saves.remove(caller, args);
    if (isProblem(removed)) return errorReply(removed.message);
    return reply(`Removed **${removed.title}** (\`${removed.id}\`) from your saves.`);
  },

  async press(action, args, input, services) {
    if (action !== 'item' || !args[0])
      return errorReply('That button is not known any more. Run `/saved` again.');
    return unsave.run({ ...input, args: args[0] }, services);
  },
};
