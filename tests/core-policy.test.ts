// Policy decided once in the core and seen the same through every real adapter: @-mentions, the
// numbering of paged readings, and Slack event retries handled once.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import type { APIMessage } from 'discord-api-types/v10';
import { startConsole } from '../adapters/console/index.ts';
import type { Core } from '../src/core.ts';
import { testCore } from './helpers/core.ts';
import { startBot } from './discord/harness.ts';
import {
  BOT,
  CHANNEL_ID,
  GUILD_ID,
  member,
  USER as DISCORD_USER,
  type Recorded,
} from './discord/fake-discord.ts';
import { sectionTexts, startHarness } from './slack/harness.ts';

/** Type `lines` into a console session, then Ctrl-D; returns everything it printed. */
async function consoleSession(core: Core, lines: string[]): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let seen = '';
  output.on('data', (d: Buffer) => (seen += d.toString()));
  const session = startConsole(core, { input, output, tagOfTheDay: false });
  for (const line of lines) input.write(`${line}\n`);
  input.end();
  await session.done;
  return seen;
}

/** The first line of the core's /help text, which every platform's help reply starts with. */
const HELP_INTRO = /Quorum Reads\W+recommends readings on distributed systems/;

describe('"@bot help" runs /help on every platform', () => {
  test('Discord: a mention saying "help" is answered with the help reply, not /read help', async () => {
    const bot = await startBot({ env: { DISCORD_MESSAGE_CONTENT: 'true' } });
    try {
      bot.fake.guildCreate();
      const asked = bot.fake.message(`<@${BOT.id}> help`, { mentions: [BOT] });
      bot.fake.dispatch('MESSAGE_CREATE', {
        ...asked,
        guild_id: GUILD_ID,
        member: member({ permissions: '0' }),
      });
      const sent = await bot.fake.waitForRequest(
        (r) => r.method === 'POST' && r.path === `/channels/${CHANNEL_ID}/messages`,
      );
      const text = [
        sent.body.content ?? '',
        ...(sent.body.embeds ?? []).map((e: { description?: string }) => e.description ?? ''),
      ].join('\n');
      assert.match(text, HELP_INTRO);
      assert.match(text, /\/read <topic>/);
      assert.doesNotMatch(text, /Readings for/);
      assert.equal(sent.body.message_reference.message_id, asked.id, 'answered as a reply to the mention');
    } finally {
      await bot.close();
    }
  });

  test('Slack: an app_mention saying "help" is answered in the thread with the help reply', async () => {
    const h = await startHarness();
    try {
      const from = h.mark();
      await h.event({
        type: 'app_mention',
        user: 'U1',
        channel: 'C7',
        ts: '1700000200.000100',
        text: '<@UBOT> help',
      });
      const post = await h.fake.waitForApi('chat.postMessage', from);
      assert.equal(post.body.thread_ts, '1700000200.000100');
      const text = sectionTexts(post.body).join('\n');
      assert.match(text, HELP_INTRO);
      assert.doesNotMatch(text, /Readings for/);
    } finally {
      await h.stop();
    }
  });

  test('console: "@bot help" prints the help reply', async () => {
    const core = await testCore();
    try {
      const seen = await consoleSession(core, ['@bot help', '@bot what should I read about consensus?']);
      assert.match(seen, HELP_INTRO);
      assert.match(seen, /Readings for "consensus"|Readings for #consensus/);
    } finally {
      await core.close();
    }
  });
});

describe('page 2 of /read consensus numbers its readings 6–10 on every platform', () => {
  test('Discord: embed titles and Save buttons on page 2 start at 6', async () => {
    const bot = await startBot();
    try {
      const i = bot.fake.slash('read', { topic: 'consensus' });
      const cb = await bot.fake.interact(i);
      const next = buttonsOf(cb).find((b) => b.label.includes('Next'));
      assert.ok(next, 'consensus has more than one page');
      const message = bot.fake.message(cb.body.data.content ?? '', {
        author: BOT,
        embeds: cb.body.data.embeds ?? [],
        components: cb.body.data.components ?? [],
        flags: cb.body.data.flags ?? 0,
        interaction_metadata: { id: i.id, type: 2, user: DISCORD_USER, authorizing_integration_owners: {} },
      } satisfies Partial<APIMessage>);
      const upd = await bot.fake.interact(bot.fake.button(next.custom_id, message));
      const titles = (upd.body.data.embeds as { title: string }[]).map((e) =>
        Number(/^(\d+)\. /.exec(e.title)?.[1]),
      );
      assert.deepEqual(titles, [6, 7, 8, 9, 10]);
      const saves = buttonsOf(upd).filter((b) => b.label.startsWith('Save'));
      assert.deepEqual(
        saves.map((b) => b.label),
        ['Save 6', 'Save 7', 'Save 8', 'Save 9', 'Save 10'],
      );
    } finally {
      await bot.close();
    }
  });

  test('Slack: the Next button replaces the message with readings numbered 6–10', async () => {
    const h = await startHarness();
    try {
      const { body } = await h.slash('/read', 'consensus');
      const actions = (
        body.blocks as { type: string; elements?: { action_id: string; text: { text: string } }[] }[]
      ).flatMap((b) => b.elements ?? []);
      const next = actions.find((a) => a.text.text.includes('Next'));
      assert.ok(next, 'consensus has more than one page');
      const page2 = await h.press(next.action_id);
      assert.equal(page2.replace_original, true, 'the page replaces the message the button was on');
      const numbers = sectionTexts(page2)
        .map((t) => /^(\d+)\. /.exec(t)?.[1])
        .filter(Boolean)
        .map(Number);
      assert.deepEqual(numbers, [6, 7, 8, 9, 10]);
    } finally {
      await h.stop();
    }
  });

  test('console: /next prints readings numbered 6–10', async () => {
    const core = await testCore();
    try {
      const seen = await consoleSession(core, ['/read consensus', '/next']);
      const page2 = seen.slice(seen.lastIndexOf('page 2 of'));
      const numbers = [...page2.matchAll(/^\s*(\d+)\. /gm)].map((m) => Number(m[1]));
      assert.deepEqual(numbers, [6, 7, 8, 9, 10]);
    } finally {
      await core.close();
    }
  });
});

test('Slack: an event delivered twice with the same event_id (a retry) is answered once', async () => {
  const h = await startHarness();
  try {
    const event = {
      type: 'app_mention',
      user: 'U1',
      channel: 'C9',
      ts: '1700000300.000100',
      text: '<@UBOT> tags',
    };
    const from = h.mark();
    await h.event(event, { event_id: 'EvRETRY0001' });
    await h.fake.waitForApi('chat.postMessage', from);
    await h.event(event, { event_id: 'EvRETRY0001' });
    await h.waitLog((l) => /duplicate event ignored/.test(String(l.msg)));
    const posts = h.fake.calls('chat.postMessage').filter((c) => c.body.channel === 'C9');
    assert.equal(posts.length, 1);
  } finally {
    await h.stop();
  }
});

function buttonsOf(cb: Recorded): { custom_id: string; label: string }[] {
  const rows = (cb.body.data.components ?? []) as { components: { custom_id: string; label: string }[] }[];
  return rows.flatMap((r) => r.components);
}
