import type { Command, CommandInput } from './types.ts';
import type { Services } from '../services.ts';
import { errorReply, reply, type Button, type Reply } from '../reply.ts';
import { readingKinds, readingLevels } from '../catalog/schema.ts';
import { asksNextOfNothing, extractOptionWords } from '../search/intent.ts';
import { foldText, tokenize } from '../search/text.ts';
import { describeFilters, type SearchOutcome } from '../search/mentor.ts';
import { checkArgument } from '../text/safe.ts';
import { PAGE_SIZE, pageCount, pageInfo, pagingButtons, readingView } from './render.ts';

const EXPIRED = 'These buttons have expired. Run `/read` again.';

/** The buttons under each reading: Save it, or mark it Done (read) for the person who presses. */
export function readingActions(readingId: string): Button[] {
  return [
    { id: `qr:save:reading:${readingId}`, label: 'Save', style: 'secondary' },
    { id: `qr:done:reading:${readingId}`, label: 'Done', style: 'success' },
  ];
}

/**
 * The query as the search read it (its words, lower-cased): what the heading echoes, so markup or a
 * mention typed into the query ("**x**", "||spoiler||", "<!channel>") is never rendered by a platform.
 */
function echo(query: string): string {
  // The search's tokens (search/text.ts `tokenize`), keeping an apostrophe inside a word ("i'm", not
  // "i m"): no platform's markup uses it.
  const words = foldText(extractOptionWords(query).rest).match(
    /[a-z0-9]+(?:['’][a-z0-9]+)*(?:\.[0-9]+)*\+?/g,
  );
  return (words ?? []).join(' ').replace(/’/g, "'");
}

/** The sentence above the list: what was understood, how many really match, and the page. */
function heading(
  outcome: SearchOutcome,
  query: string,
  page: number,
  pages: number,
  isTag: (side: string) => boolean,
): string {
  // A side read as a tag shows as one ("kafka or rabbitmq": "kafka" vs #message-queues), words as typed.
  const side = (s: string) => (isTag(s) ? `#${s}` : `"${s}"`);
  const about =
    outcome.mode === 'compare' && outcome.sides
      ? `${outcome.sides.map(side).join(' vs ')}${outcome.setting ? ` for "${outcome.setting.join(' ')}"` : ''} (readings on both first)`
      : outcome.mode === 'start'
        ? 'where to start'
        : outcome.mode === 'next' && outcome.anchor
          ? `what comes after "${outcome.anchor.title}"`
          : outcome.mode === 'before' && outcome.anchor
            ? `what to read before "${outcome.anchor.title}"`
            : outcome.mode === 'series' && outcome.series
              ? `${outcome.series.name}, in order`
              : outcome.tag
                ? `#${outcome.tag}`
                : `"${echo(query)}"`;
  const fixed =
    outcome.corrected && outcome.mode !== 'series' ? ` (showing results for "${outcome.corrected}")` : '';
  const only = outcome.filters ? `, only ${describeFilters(outcome.filters)}` : '';
  const found = outcome.matched ?? outcome.hits.length;
  const others = outcome.hits.length - found;
  const then =
    others <= 0
      ? ''
      : outcome.relatedFill
        ? `, then ${others} on related topics`
        : `, then ${others} other${others > 1 ? 's' : ''} on it`;
  const count = `${found} found${then}${pages > 1 ? `, page ${page} of ${pages}` : ''}`;
  const head = `**Readings for ${about}**${fixed}${only}: ${count}.`;
  if (outcome.missing) {
    const closest = outcome.didYouMean.map((t) => `\`${t}\``).join(', ');
    return `No reading on **${outcome.missing}** yet; closest topics: ${closest}. Readings that mention it: ${count}.`;
  }
  return outcome.note ? `${outcome.note}\n${head}` : head;
}

/** Render page `page` of the results for `query`; `token` is the cursor the buttons carry. */
function renderPage(services: Services, query: string, page: number, token: string, shared: boolean): Reply {
  const outcome = services.search.search(query);
  if (outcome.hits.length === 0) {
    const tags = outcome.didYouMean.map((t) => `\`${t}\``).join(', ');
    const fixed = outcome.corrected ? ` (read as "${outcome.corrected}")` : '';
    const only = outcome.filters ? ` that is ${describeFilters(outcome.filters)}` : '';
    const yet = outcome.missing ? `: no reading on **${outcome.missing}** yet` : '';
    const guess = tags ? ` Did you mean: ${tags}?` : '';
    return reply(
      `Nothing found for "${echo(query)}"${fixed}${only}${yet}.${guess} Try \`/tags\` for all topics.`,
    );
  }
  const pages = pageCount(outcome.hits.length);
  const p = Math.min(Math.max(1, page), pages);
  const slice = outcome.hits.slice((p - 1) * PAGE_SIZE, p * PAGE_SIZE);
  const readings = slice.map((h) =>
    readingView(h.reading, services.catalog, readingActions(h.reading.id), h.companions),
  );
  const buttons = shared
    ? []
    : [
        ...pagingButtons('read', token, p, pages),
        { id: `qr:read:share:${token}:${p}`, label: 'Share', style: 'primary' as const },
      ];
  const isTag = (id: string) => services.catalog.tagById.has(id);
  return reply(heading(outcome, query, p, pages, isTag), {
    readings,
    buttons,
    placement: shared ? 'channel' : 'private',
    page: pageInfo(p, pages, outcome.hits.length),
  });
}

export const read: Command = {
  name: 'read',
  description: 'Find the best readings on a topic: a tag, a keyword or a question',
  usage: '/read <topic> [kind:paper] [level:intro]',
  examples: [
    '/read cap-theorem',
    '/read raft',
    '/read how does raft elect a leader?',
    '/read where should I start with consensus?',
    '/read linearizability vs serializability',
    '/read what comes after ddia chapter 5',
    '/read short papers on clocks',
    '/read ddia',
  ],
  options: [
    {
      name: 'topic',
      description: 'A tag, keyword or question',
      required: true,
      autocomplete: true,
      rest: true,
    },
    {
      name: 'kind',
      description: 'Only this kind of reading',
      // The value is what a Slack or console user types: the adapters join option values into the text.
      choices: readingKinds.map((k) => ({ name: k, value: `kind:${k}` })),
    },
    {
      name: 'level',
      description: 'Only readings at this level',
      choices: readingLevels.map((l) => ({ name: l, value: `level:${l}` })),
    },
  ],

  async run({ args }: CommandInput, services: Services) {
    const topic = checkArgument(args, 'topic');
    if (!topic.ok)
      return errorReply(`${topic.message} For example: \`/read cap-theorem\` or \`/read raft\`.`);
    const options = extractOptionWords(topic.value);
    if (options.problem) return errorReply(options.problem);
    if (!options.rest)
      return errorReply('Give a topic, like `/read raft kind:paper` or `/read consensus level:intro`.');
    if (/^<?https?:\/\/\S+>?$/i.test(options.rest))
      return errorReply(
        'That is a link: `/save <link>` keeps it in your list; `/read` takes a topic or a question.',
      );
    if (tokenize(options.rest).length === 0)
      return errorReply('Give a topic in words, like `/read raft` or `/read where should I start?`.');
    // "/read help" asks how the bot works, not for readings that mention help.
    if (/^(help|commands|usage|\?)( me| please| pls)?[.!?]*$/i.test(options.rest.trim()))
      return reply(
        '`/help` lists the commands. `/read` takes a topic, a keyword or a question: `/read raft`, `/read where should I start?`, `/read raft vs paxos`.',
      );
    if (asksNextOfNothing(tokenize(options.rest)))
      return reply(
        'Which reading? Name it: `/read after ddia chapter 5`, `/read what to read before the raft paper`. `/next` says where you are in a series and what comes next.',
      );
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
