import type { Command } from './types.ts';
import { errorReply, reply } from '../reply.ts';
import { isProblem } from '../saves/service.ts';

/** `/mark <id>` marks a save read (`/read` stays the search command); `/mark <id> unread` undoes it. */
export const mark: Command = {
  name: 'mark',
  description: 'Mark one of your saves as read (or unread)',
  usage: '/mark <id> [unread]   (marks the save read; add "unread" to undo; ids are in /saved)',
  examples: ['/mark 3f9a1c2e', '/mark 3f9a1c2e unread'],
  options: [
    { name: 'id', description: 'The id shown in /saved', required: true },
    { name: 'state', description: '"read" (default) or "unread"' },
  ],

  async run({ caller, args }, services) {
    const [id = '', state = 'read', ...extra] = args.trim().split(/\s+/);
    if (!id) return errorReply('Give the id of a save, like `/mark 3f9a1c2e`. Ids are in `/saved`.');
    if (extra.length || !/^(read|unread)$/i.test(state))
      return errorReply('Use `/mark <id>` to mark a save read, or `/mark <id> unread`.');
    const read = state.toLowerCase() === 'read';
    const changed = await services.saves.change(caller, id, (item) => ({ ...item, read }));
    if (isProblem(changed)) return errorReply(changed.message);
    return reply(`Marked **${changed.title}** (\`${changed.id}\`) as ${read ? 'read' : 'unread'}.`);
  },

  async press(action, args, input, services) {
    if ((action !== 'read' && action !== 'unread') || !args[0])
      return errorReply('That button is not known any more. Run `/saved` again.');
    return mark.run({ ...input, args: `${args[0]} ${action}` }, services);
  },
};
