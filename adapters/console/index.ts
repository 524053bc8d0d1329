import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Core } from '../../src/core.ts';
import { LOCAL_USER, type Caller } from '../../src/caller.ts';
import { isBrokenPipe, writeReplyFiles } from './files.ts';
import type { Reply } from '../../src/reply.ts';
import { renderText } from './render.ts';

export interface ConsoleOptions {
  input: Readable;
  output: Writable;
  color?: boolean;
  /** Default: the local user, whose list the one-shot CLI shares. */
  userId?: string;
  /** Where `/export` writes its files (default `./exports`); the paths are printed. */
  exportDir?: string;
  /** Run the tag-of-the-day scheduler, printing posts for the console channel (default true). */
  tagOfTheDay?: boolean;
}

/**
 * An interactive console: type `/read raft`, `/tags`, `/help`, mention the bot (`@bot help`), or
 * just type a topic or question (read as `/read`); `/next` and `/prev` press the last reply's paging
 * buttons; `/export` writes files to `exportDir` and prints their paths. Resolves when input ends
 * (Ctrl-D) or on `close()`.
 */
export function startConsole(core: Core, opts: ConsoleOptions): { done: Promise<void>; close(): void } {
  const caller: Caller = {
    platform: 'console',
    workspaceId: 'local',
    userId: opts.userId ?? LOCAL_USER,
    channelId: 'console',
    canManageChannel: true,
  };
  const rl = createInterface({ input: opts.input, output: opts.output, terminal: false });
  // The reader of our output went away (`npm start | head`): end the session quietly.
  let outputGone = false;
  opts.output.on('error', (e) => {
    if (!isBrokenPipe(e)) throw e;
    outputGone = true;
    rl.close();
  });
  const write = (s: string): void => {
    if (!outputGone) opts.output.write(`${s}\n`);
  };
  let last: Reply | undefined;
  let queue = Promise.resolve();

  write('Quorum Reads console. Try /read cap-theorem, /tags or /help. Ctrl-D to quit.');
  // `/tagoftheday subscribe` subscribes this console "channel"; its posts are printed here.
  const tod = core.services.tagOfTheDay;
  if (opts.tagOfTheDay !== false)
    tod.start({
      platforms: ['console'],
      post: async (sub, r) => {
        write(`\n[tag of the day for #${sub.channelId}]\n${renderText(r, { color: opts.color ?? false })}`);
      },
    });
  const prompt = (): void => {
    if (!outputGone) opts.output.write('> ');
  };
  prompt();

  async function handle(line: string): Promise<void> {
    const trimmed = line.trim();
    if (!trimmed) return;
    if (trimmed === '/quit' || trimmed === '/exit') {
      rl.close();
      return;
    }
    let r: Reply;
    const pageButton = (label: string) => last?.buttons.find((b) => b.label.includes(label) && !b.disabled);
    if (trimmed === '/next' && !pageButton('Next')) {
      // No list to page on: `/next` is the progress command ("DDIA: 4 of 11 read. Next: …").
      r = await core.run(caller, trimmed);
    } else if (trimmed === '/next' || trimmed === '/prev') {
      const label = trimmed === '/next' ? 'Next' : 'Prev';
      const button = pageButton(label);
      if (!button) {
        write(
          `Nothing to page: ${trimmed === '/next' ? 'this is the last page' : 'this is the first page'} or no list shown.`,
        );
        return;
      }
      r = await core.press(caller, button.id);
    } else if (trimmed === '/share') {
      const button = last?.buttons.find((b) => b.label === 'Share');
      if (!button) {
        write('Nothing to share yet.');
        return;
      }
      r = await core.press(caller, button.id);
    } else if (trimmed.startsWith('@')) {
      // "@bot help", "@bot what should I read about raft?": a mention, parsed by the core.
      r = await core.mention(caller, trimmed);
    } else {
      // Bare text is a topic or a question: answered as /read.
      r = await core.run(caller, trimmed.startsWith('/') ? trimmed : `/read ${trimmed}`);
    }
    if (r.buttons.length) last = r;
    write(renderText(r, { color: opts.color ?? false }));
    const paths = await writeReplyFiles(r.files, opts.exportDir ?? 'exports');
    for (const p of paths) write(`wrote ${p}`);
  }

  const done = new Promise<void>((resolve) => {
    rl.on('line', (line) => {
      queue = queue.then(() => handle(line)).then(prompt, prompt);
    });
    rl.on('close', () => {
      void queue.then(async () => {
        if (opts.tagOfTheDay !== false) await tod.stop();
        write('bye');
        resolve();
      });
    });
  });
  return { done, close: () => rl.close() };
}
