// Issue 15 (one shard in 2,500 guilds under 250 MB): the client runs without the Guilds intent, so it
// caches no guild, channel, role or permission overwrite. What that puts at risk is tested here: a 🔖
// and an @mention in a guild channel the client never received GUILD_CREATE for are still answered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BOT, CHANNEL_ID, GUILD_ID, USER, member, nextId } from './fake-discord.ts';
import { startBot } from './harness.ts';

test(
  'no Guilds intent: GUILD_CREATE never arrives, a flood of guild messages caches nothing, and the bot keeps its own user',
  { timeout: 30_000 },
  async () => {
    const bot = await startBot({ env: { DISCORD_MESSAGE_CONTENT: 'true' }, tagOfTheDay: false });
    try {
      const identify = bot.fake.gatewayReceived.find((p) => p.op === 2)!.d as { intents: number };
      assert.equal(identify.intents & 1, 0, 'Guilds intent not requested');
      const client = bot.adapter.client;
      bot.fake.guildCreate(); // dropped by the fake, as Discord does for a session without the intent
      const n = 1_100;
      for (let i = 0; i < n; i++) {
        const author = {
          id: nextId(),
          username: `r${i}`,
          discriminator: '0',
          global_name: null,
          avatar: null,
        };
        bot.fake.dispatch('MESSAGE_CREATE', {
          ...bot.fake.message(`message ${i} about raft`, { author }),
          guild_id: GUILD_ID,
          member: member({ roles: [] }),
        });
      }
      // A mention after the flood: once it is answered, every message before it was handled.
      const question = bot.fake.message(`<@${BOT.id}> raft`, { mentions: [BOT] });
      const answered = bot.fake.waitForRequest(
        (r) => r.method === 'POST' && r.path === `/channels/${CHANNEL_ID}/messages`,
        bot.fake.requests.length,
      );
      bot.fake.dispatch('MESSAGE_CREATE', { ...question, guild_id: GUILD_ID, member: member() });
      await answered;
      assert.equal(client.guilds.cache.size, 0, 'no guilds cached');
      assert.equal(client.channels.cache.size, 0, 'no channels cached');
      assert.ok(client.users.cache.size <= 1_001, `${client.users.cache.size} users cached`);
      assert.ok(client.users.cache.has(BOT.id), 'the bot keeps its own user');
    } finally {
      await bot.close();
    }
  },
);

test(
  '🔖 in a guild channel the client never received GUILD_CREATE for saves under that guild and confirms by DM',
  { timeout: 30_000 },
  async () => {
    const bot = await startBot({ tagOfTheDay: false });
    try {
      const msg = bot.fake.message('read https://raft.github.io/raft.pdf before Friday');
      const dm = bot.fake.waitForRequest(
        (r) => r.method === 'POST' && r.path === `/channels/${bot.fake.dmChannelId()}/messages`,
        bot.fake.requests.length,
      );
      bot.fake.reactionAdd(msg.id, '🔖');
      const sent = await dm;
      assert.doesNotMatch(JSON.stringify(sent.body), /went wrong|can't|cannot/i);
      const saved = await bot.core.services.saves.list({
        platform: 'discord',
        workspaceId: GUILD_ID,
        userId: USER.id,
        channelId: CHANNEL_ID,
        canManageChannel: false,
      });
      assert.deepEqual(
        saved.map((e) => e.url),
        ['https://raft.github.io/raft.pdf'],
      );
      assert.equal(bot.adapter.client.guilds.cache.size, 0);
    } finally {
      await bot.close();
    }
  },
);

test(
  '@mention asking to subscribe in a guild is refused as managers-only (no roles cached to read Manage Channels from)',
  { timeout: 30_000 },
  async () => {
    const bot = await startBot({ env: { DISCORD_MESSAGE_CONTENT: 'true' }, tagOfTheDay: false });
    try {
      const question = bot.fake.message(`<@${BOT.id}> tagoftheday subscribe`, { mentions: [BOT] });
      const dm = bot.fake.waitForRequest(
        (r) => r.method === 'POST' && r.path === `/channels/${bot.fake.dmChannelId()}/messages`,
        bot.fake.requests.length,
      );
      bot.fake.dispatch('MESSAGE_CREATE', { ...question, guild_id: GUILD_ID, member: member() });
      const sent = await dm;
      assert.match(JSON.stringify(sent.body), /Only people who can manage this channel/);
    } finally {
      await bot.close();
    }
  },
);
