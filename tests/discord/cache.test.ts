import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Events, type Message } from 'discord.js';
import { startBot } from './harness.ts';
import { BOT, CHANNEL_ID, GUILD_ID, member, nextId } from './fake-discord.ts';

test('client caches stay bounded: no messages, a few members, message.member still resolves', async () => {
  const bot = await startBot({ env: { DISCORD_MESSAGE_CONTENT: 'true' } });
  try {
    const client = bot.adapter.client;
    const guildSeen = once(client, Events.GuildCreate);
    bot.fake.guildCreate();
    await guildSeen;
    const n = 1_100; // more authors than the 1,000 users kept
    const members: boolean[] = [];
    const all = new Promise<void>((resolve) =>
      client.on(Events.MessageCreate, (m: Message) => {
        // Read as the adapter reads it: synchronously, right after the event added the member.
        members.push(m.member !== null);
        if (members.length === n) resolve();
      }),
    );
    for (let i = 0; i < n; i++) {
      const author = {
        id: nextId(),
        username: `reader${i}`,
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
    await all;
    assert.deepEqual(members, Array(n).fill(true), 'message.member resolves for every message');
    const guild = client.guilds.cache.get(GUILD_ID)!;
    const channel = client.channels.cache.get(CHANNEL_ID) as { messages: { cache: Map<string, unknown> } };
    assert.equal(channel.messages.cache.size, 0, 'no channel messages cached');
    assert.ok(guild.members.cache.size <= 10, `${guild.members.cache.size} members cached in one guild`);
    assert.ok(client.users.cache.size <= 1_001, `${client.users.cache.size} users cached after ${n} authors`);
    assert.ok(client.users.cache.has(BOT.id), 'the bot keeps its own user');
  } finally {
    await bot.close();
  }
});
