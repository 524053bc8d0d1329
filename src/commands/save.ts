import type { Command } from './types.ts';
import type { Services } from '../services.ts';
import { errorReply, reply, type Reply } from '../reply.ts';
import { describeOutcome, savedView } from '../saves/render.ts';
import { isProblem, parseTagsAndNote, type SaveOutcome, type SaveProblem } from '../saves/service.ts';
import { textAroundLinks } from '../saves/urls.ts';

function answer(o: SaveOutcome | SaveProblem, services: Services): Reply {
  if (isProblem(o)) return errorReply(o.message);
  const text = describeOutcome(o);
  const views = [...o.added, ...o.existing].slice(0, 5).map((e) => savedView(e, services.catalog));
  return o.added.length === 0 && o.existing.length === 0
    ? errorReply(text)
    : reply(text, { readings: views });
}

/**
 * Save every link in someone's chat message (🔖 reaction, "Save links" menu). Only the links: the
 * message's other words are the author's, not a note or tags from the person saving.
 */
export async function saveFromMessage(
  services: Services,
  caller: Parameters<Command['run']>[0]['caller'],
  text: string,
): Promise<Reply> {
  return answer(await services.saves.saveText(caller, text, { from: 'message' }), services);
}

export const save: Command = {
  name: 'save',
  description: 'Save a link (or every link in a message) to your private reading list',
  usage: '/save <link or message> [#tag …] [note]',
  examples: [
    '/save https://raft.github.io/raft.pdf #raft read before Friday',
    '/save <a whole message with links>',
  ],
  options: [
    {
      name: 'link',
      description: 'A link, or text containing links; #tags and a note may follow',
      required: true,
      rest: true,
    },
  ],
  slow: true,

  async run({ caller, args }, services) {
    if (!args.trim())
      return errorReply('Give a link to save, like `/save https://raft.github.io/raft.pdf #raft`.');
    // Everything that is not a link is tags (#word) and the note.
    const extra = parseTagsAndNote(textAroundLinks(args));
    if (isProblem(extra)) return errorReply(extra.message);
    return answer(await services.saves.saveText(caller, args, extra), services);
  },

  async press(action, args, { caller }, services) {
    if (action === 'reading' && args[0])
      return answer(await services.saves.saveReading(caller, args[0]), services);
    return errorReply('That button is not known any more. Run `/read` again.');
  },
};
