// Real-shaped Discord payloads (issue 13): embeds, DMs after a restart, messages the bot cannot read,
// uploads over the interaction's attachment_size_limit. Every body is checked against Discord's
// OpenAPI spec by the fake.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { createDiscordAdapter } from '../../adapters/discord/index.ts';
import type { Caller } from '../../src/caller.ts';
import { testConfig } from '../helpers/core.ts';
import { startBot, type Bot } from './harness.ts';
import { BOT, CHANNEL_ID, GUILD_ID, USER, type Recorded } from './fake-discord.ts';

const me: Caller = {
  platform: 'discord',
  workspaceId: 'dm',
  userId: USER.id,
  channelId: 'x',
  canManageChannel: true,
};

const savedUrls = async (bot: Bot, workspaceId = 'dm'): Promise<string[]> =>
  (await bot.core.services.saves.list({ ...me, workspaceId })).map((e) => e.url);

/** The next message the bot sends into the user's DM channel. */
function nextDm(bot: Bot): Promise<Recorded> {
  const dm = bot.fake.dmChannelId();
  return bot.fake.waitForRequest(
    (r) => r.method === 'POST' && r.path === `/channels/${dm}/messages`,
    bot.fake.requests.length,
  );
}

test(
  '🔖 in a DM whose channel is not cached (after a restart) is handled, not dropped (discord.js issue 11486)',
  { timeout: 20_000 },
  async () => {
    const bot = await startBot({ tagOfTheDay: false });
    try {
      // Restart: a new client, with nothing cached, on the same fake Discord and core.
      await bot.adapter.stop();
      const restarted = createDiscordAdapter({
        core: bot.core,
        config: testConfig({ DISCORD_TOKEN: 'fake-token', DISCORD_APPLICATION_ID: BOT.id }),
        logger: pino({ level: 'silent' }),
        clientOptions: { rest: { api: bot.fake.api, retries: 0, offset: 0 } },
        tagOfTheDay: false,
      });
      await restarted.start();
      try {
        const dm = bot.fake.dmChannelId();
        assert.equal(restarted.client.channels.cache.has(dm), false);
        const msg = bot.fake.message(
          'for later https://www.the-paper-trail.org/post/2008-11-27-consensus-protocols-paxos/',
          {
            channel_id: dm,
          },
        );
        const answer = nextDm(bot);
        bot.fake.dmReactionAdd(msg.id, '🔖');
        const sent = await answer;
        assert.doesNotMatch(JSON.stringify(sent.body), /went wrong|can't|cannot/i);
        assert.ok((await savedUrls(bot)).some((u) => u.includes('the-paper-trail.org')));
      } finally {
        await restarted.stop();
      }
    } finally {
      await bot.fake.close();
      await bot.core.close();
    }
  },
);

test(
  "🔖 on a feed bot's post saves the links in its embeds (url, title, description, fields)",
  { timeout: 30_000 },
  async () => {
    const bot = await startBot({ tagOfTheDay: false });
    try {
      bot.fake.guildCreate();
      // The shape a feed (webhook) bot posts: no content, a rich embed.
      const post = bot.fake.message('', {
        author: {
          id: '700000000000000001',
          username: 'Feeds',
          discriminator: '0000',
          global_name: null,
          avatar: null,
          bot: true,
        },
        webhook_id: '700000000000000002',
        embeds: [
          {
            type: 'rich' as never,
            title: 'New on the blog: https://title.example.org/post',
            url: 'https://feeds.example.org/distsys/1',
            description:
              'Read [Paxos Made Simple](https://lamport.azurewebsites.net/pubs/paxos-simple.pdf) first.',
            fields: [{ name: 'Also', value: 'https://jepsen.io/analyses', inline: false }],
            author: { name: 'Feeds', url: 'https://feeds.example.org/' },
          },
        ],
      });
      const answer = nextDm(bot);
      bot.fake.reactionAdd(post.id, '🔖');
      const sent = await answer;
      assert.doesNotMatch(JSON.stringify(sent.body), /is not a link|no text I can read/);
      const urls = (await savedUrls(bot, GUILD_ID)).join(' ');
      for (const u of [
        'title.example.org/post',
        'feeds.example.org/distsys/1',
        'paxos-simple.pdf',
        'jepsen.io/analyses',
      ])
        assert.ok(urls.includes(u), `${u} in ${urls}`);
    } finally {
      await bot.close();
    }
  },
);

test("🔖 on the bot's own tag-of-the-day post saves its readings", { timeout: 30_000 }, async () => {
  const bot = await startBot({ tagOfTheDay: false });
  try {
    bot.fake.guildCreate();
    const r = await bot.core.runCommand({ ...me, workspaceId: GUILD_ID }, 'read', 'raft');
    const from = bot.fake.requests.length;
    await bot.adapter.post(CHANNEL_ID, { ...r, placement: 'channel' });
    const posted = await bot.fake.waitForRequest(
      (x) => x.method === 'POST' && x.path === `/channels/${CHANNEL_ID}/messages`,
      from,
    );
    const links = new Set((posted.body.embeds as { url?: string }[]).map((e) => e.url).filter(Boolean));
    assert.ok(links.size >= 2);
    const stored = [...bot.fake.messages.values()].find(
      (m) => m.author.id === BOT.id && m.channel_id === CHANNEL_ID,
    )!;
    const answer = nextDm(bot);
    bot.fake.reactionAdd(stored.id, '🔖');
    await answer;
    assert.equal((await savedUrls(bot, GUILD_ID)).length, links.size);
  } finally {
    await bot.close();
  }
});

test(
  '🔖 where the bot lacks access (403, code 50001) tells the person by DM what to do',
  { timeout: 30_000 },
  async () => {
    const bot = await startBot({ tagOfTheDay: false });
    try {
      bot.fake.guildCreate();
      const msg = bot.fake.message('https://jepsen.io/');
      bot.fake.noAccess.add(CHANNEL_ID);
      const answer = nextDm(bot);
      bot.fake.reactionAdd(msg.id, '🔖');
      const sent = await answer;
      assert.match(
        JSON.stringify(sent.body),
        /Missing Access.*View Channel.*Read Message History.*Save links/,
      );
      assert.deepEqual(await savedUrls(bot, GUILD_ID), []);
    } finally {
      await bot.close();
    }
  },
);

test(
  "/export over the interaction's attachment_size_limit is cut into parts sent in several messages, each within the limit",
  { timeout: 30_000 },
  async () => {
    const bot = await startBot({ tagOfTheDay: false });
    try {
      bot.fake.attachmentSizeLimit = 20_000;
      const links = Array.from({ length: 60 }, (_, i) => `https://example.org/${i}?q=${'z'.repeat(1000)}`);
      for (let i = 0; i < links.length; i += 20)
        await bot.core.services.saves.saveText(
          { ...me, workspaceId: GUILD_ID },
          links.slice(i, i + 20).join(' '),
        );
      const interaction = bot.fake.slash('export');
      const from = bot.fake.requests.length;
      await bot.fake.interact(interaction);

      // The deferred reply is edited with the first files; the rest follow up (POST to the webhook).
      await bot.fake.waitForRequest(
        (x) => x.method === 'PATCH' && x.path.endsWith('/messages/@original'),
        from,
      );
      const uploads = () => bot.fake.requestsFor(interaction).filter((x) => x.files.length > 0);
      const parts = Number(/comes in (\d+) parts/.exec(JSON.stringify(uploads()[0]!.body))?.[1]);
      assert.ok(parts >= 6, `${parts} parts`);
      while (uploads().flatMap((x) => x.files).length < parts)
        await bot.fake.waitForRequest((x) => x.files.length > 0, bot.fake.requests.length);
      for (const u of uploads()) {
        const total = u.files.reduce((n, f) => n + Buffer.byteLength(f.content), 0);
        assert.ok(total <= 20_000, `${u.method} ${u.path}: ${total} bytes`);
        assert.ok(u.files.length <= 10);
      }
      const html = uploads()
        .flatMap((x) => x.files)
        .filter((f) => f.name.endsWith('.html'));
      const hrefs = html.flatMap((f) =>
        [...f.content.matchAll(/HREF="https:\/\/example\.org\/(\d+)\?/g)].map((m) => m[1]),
      );
      assert.equal(new Set(hrefs).size, 60);
      // Follow-ups keep the reply's visibility (ephemeral).
      for (const u of uploads().filter((x) => x.method === 'POST')) assert.equal(u.body.flags, 64);
    } finally {
      await bot.close();
    }
  },
);

test(
  '🔖 on a forwarded message saves the links of the message it forwards (message_snapshots)',
  { timeout: 30_000 },
  async () => {
    const bot = await startBot({ tagOfTheDay: false });
    try {
      bot.fake.guildCreate();
      // A forward as Discord sends it: no content of its own, a FORWARD reference and a snapshot.
      const forward = bot.fake.message('', {
        message_reference: {
          type: 1,
          channel_id: CHANNEL_ID,
          message_id: '600000000000000001',
          guild_id: GUILD_ID,
        },
        message_snapshots: [
          {
            message: {
              type: 0,
              content: 'worth it: https://www.allthingsdistributed.com/2008/12/eventually_consistent.html',
              embeds: [{ type: 'rich' as never, url: 'https://queue.acm.org/detail.cfm?id=1466448' }],
              attachments: [],
              timestamp: new Date().toISOString(),
              edited_timestamp: null,
              mentions: [],
              mention_roles: [],
            },
          },
        ],
      });
      const answer = nextDm(bot);
      bot.fake.reactionAdd(forward.id, '🔖');
      await answer;
      const urls = (await savedUrls(bot, GUILD_ID)).join(' ');
      assert.ok(urls.includes('eventually_consistent'), urls);
      assert.ok(urls.includes('queue.acm.org'), urls);
    } finally {
      await bot.close();
    }
  },
);
