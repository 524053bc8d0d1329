import type { Command, CommandInput } from './types.ts';
import type { Services } from '../services.ts';
import { errorReply, reply, type Reply } from '../reply.ts';
import { checkArgument } from '../text/safe.ts';
import { PAGE_SIZE, pageCount, pageInfo, pagingButtons, readingView } from './render.ts';

const EXPIRED = 'These buttons have expired. Run `/read` again.';

/** Render page `page` of the results for `query`; `token` is the cursor the buttons carry. */
function renderPage(services: Services, query: string, page: number, token: string, shared: boolean): Reply {
  const outcome = services.search.search(query);
  if (outcome.hits.length === 0) {
    const tags = outcome.didYouMean.map((t) => `\`${t}\``).join(', ');
    const fixed = outcome.corrected ? ` (read as "${outcome.corrected}")` : '';
    return reply(
      `Nothing found for "${query}"${fixed}. Did you mean: ${tags}? Try \`/tags\` for all topics.`,
    );
  }
  const pages = pageCount(outcome.hits.length);
  const p = Math.min(Math.max(1, page), pages);
  const slice = outcome.hits.slice((p - 1) * PAGE_SIZE, p * PAGE_SIZE);
  const readings = slice.map((h) =>
    readingView(h.reading, services.catalog, [
      { id: `qr:save:reading:${h.reading.id}`, label: 'Save', style: 'secondary' },
    ]),
  );
  const about =
    outcome.mode === 'series' && outcome.series
      ? `${outcome.series.name}, in order`
      : outcome.tag
        ? `#${outcome.tag}`
        : `"${outcome.corrected ?? query}"`;
  const fixed =
    outcome.corrected && outcome.mode !== 'series' ? ` (showing results for "${outcome.corrected}")` : '';
  const text = `**Readings for ${about}**${fixed}: ${outcome.hits.length} found${pages > 1 ? `, page ${p} of ${pages}` : ''}.`;
  const buttons = shared
    ? []
    : [
        ...pagingButtons('read', token, p, pages),
        { id: `qr:read:share:${token}:${p}`, label: 'Share', style: 'primary' as const },
      ];
  return reply(text, {
    readings,
    buttons,
    placement: shared ? 'channel' : 'private',
    page: pageInfo(p, pages, outcome.hits.length),
  });
}

export const read: Command = {
  name: 'read',
  description: 'Find the best readings on a topic: a tag, a keyword or a question',
  usage: '/read <topic>',
  examples: ['/read cap-theorem', '/read raft', '/read how does raft elect a leader?', '/read ddia'],
  options: [
    {
      name: 'topic',
      description: 'A tag, keyword or question',
      required: true,
      autocomplete: true,
      rest: true,
    },
  ],

  async run({ args }: CommandInput, services: Services) {
    const topic = checkArgument(args, 'topic');
    if (!topic.ok)
      return errorReply(`${topic.message} For example: \`/read cap-theorem\` or \`/read raft\`.`);
    const token = await services.cursors.put({ q: topic.value });
    return renderPage(services, topic.value, 1, token, false);
  },

  async press(action, args, _input, services) {
    const [token = '', pageText = '1'] = args;
    const state = await services.cursors.get(token);
    if (!state?.q) return errorReply(EXPIRED);
    const page = Number.parseInt(pageText, 10);
    if (!Number.isInteger(page) || page < 1) return errorReply('That page does not exist.');
    if (action === 'page') return renderPage(services, state.q, page, token, false);
    if (action === 'share') return renderPage(services, state.q, page, token, true);
    return errorReply('That button is not known any more. Run `/read` again.');
  },

  autocomplete(_option, partial, services) {
    return services.search.complete(partial, 25);
  },
};
