import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBot } from './harness.ts';
import { BOT, CHANNEL_ID, GUILD_ID, USER } from './fake-discord.ts';
import type { Core } from '../../src/core.ts';
import type { Caller } from '../../src/caller.ts';

const TEXT = 'Worth a read: https://raft.github.io/ and https://example.org/paxos-made-simple.pdf';
/** The fake's user in its guild channel, as the core sees them, to read or seed their list directly. */
const FAKE_USER: Caller = {
  platform: 'discord',
  workspaceId: GUILD_ID,
  userId: USER.id,
  channelId: CHANNEL_ID,
  canManageChannel: false,
};

type Call = { caller: Caller; name: string; args: string };
/** Record what reaches the core (a spy on the core, not on the adapter). */
function spy(calls: Call[]) {
  return (core: Core): Core => ({
    ...core,
    runCommand: (caller, name, args) => {
      calls.push({ caller, name, args });
      return core.runCommand(caller, name, args);
    },
    // Saving from a message is the links-only save entry point; record it under the "save" name.
    saveMessage: (caller, text) => {
      calls.push({ caller, name: 'save', args: text });
      return core.saveMessage(caller, text);
    },
  });
}

test('"Save links" message menu: sends the target message text to save for the user, answers ephemerally', async () => {
  const calls: Call[] = [];
  const bot = await startBot({ wrapCore: spy(calls) });
  try {
    const target = bot.fake.message(TEXT, { author: { ...USER, id: '400000000000000099', username: 'bob' } });
    const cb = await bot.fake.interact(bot.fake.contextMenu('Save links', target));
    assert.equal(cb.body.type, 4);
    assert.equal(cb.body.data.flags, 64, 'only the saver sees the confirmation');
    assert.deepEqual(
      calls.map((c) => [c.name, c.args, c.caller.userId, c.caller.workspaceId]),
      [['save', TEXT, USER.id, GUILD_ID]],
    );
    assert.deepEqual(cb.body.data.allowed_mentions.parse, []);
  } finally {
    await bot.close();
  }
});

test('"Save links" saves every link in the message', async () => {
  const bot = await startBot();
  try {
    const cb = await bot.fake.interact(bot.fake.contextMenu('Save links', bot.fake.message(TEXT)));
    assert.doesNotMatch(cb.body.data.content, /no `\/save` command/i);
    const list = await bot.core.runCommand(FAKE_USER, 'saved', '');
    const shown = JSON.stringify(list);
    assert.match(shown, /raft\.github\.io/);
    assert.match(shown, /paxos-made-simple/);
  } finally {
    await bot.close();
  }
});

test('🔖 reaction: fetches the partial message, saves its links for the reacting user, confirms by DM; other emoji are ignored', async () => {
  const calls: Call[] = [];
  const bot = await startBot({ wrapCore: spy(calls) });
  try {
    bot.fake.guildCreate();
    const target = bot.fake.message(TEXT);
    const react = (name: string) => bot.fake.reactionAdd(target.id, name);
    react('👍');
    react('🔖');
    const dm = await bot.fake.waitForRequest((r) => r.method === 'POST' && r.path === '/users/@me/channels');
    assert.equal(dm.body.recipient_id, USER.id);
    const sent = await bot.fake.waitForRequest(
      (r) => r.method === 'POST' && /^\/channels\/9\d+\/messages$/.test(r.path),
    );
    assert.ok(sent.body.content.length > 0);
    assert.deepEqual(sent.body.allowed_mentions.parse, []);
    assert.ok(
      bot.fake.requests.some(
        (r) => r.method === 'GET' && r.path === `/channels/${CHANNEL_ID}/messages/${target.id}`,
      ),
      'partial message fetched',
    );
    assert.deepEqual(
      calls.map((c) => [c.name, c.args, c.caller.userId]),
      [['save', TEXT, USER.id]],
      'only the 🔖 reaction saved',
    );
  } finally {
    await bot.close();
  }
});

test('reaction save with DMs closed: logged at info, the bot carries on', async () => {
  const bot = await startBot({ env: { DISCORD_SAVE_EMOJI: '📌' } });
  try {
    bot.fake.guildCreate();
    bot.fake.dmsClosed = true;
    const target = bot.fake.message(TEXT);
    bot.fake.reactionAdd(target.id, '📌');
    const line = await bot.waitForLog((l) => l.event === 'dm_failed');
    assert.equal(line.level, 30);
    assert.equal(line.code, 50007);
    // Still answering afterwards.
    const cb = await bot.fake.interact(bot.fake.slash('read', { topic: 'raft' }));
    assert.equal(cb.body.type, 4);
  } finally {
    await bot.close();
  }
});

test('reactions by the bot itself are ignored', async () => {
  const calls: Call[] = [];
  const bot = await startBot({ wrapCore: spy(calls) });
  try {
    bot.fake.guildCreate();
    const target = bot.fake.message(TEXT);
    bot.fake.reactionAdd(target.id, '🔖', BOT);
    bot.fake.reactionAdd(target.id, '🔖', USER);
    await bot.fake.waitForRequest((r) => r.method === 'POST' && /^\/channels\/9\d+\/messages$/.test(r.path));
    assert.deepEqual(
      calls.map((c) => c.caller.userId),
      [USER.id],
    );
  } finally {
    await bot.close();
  }
});

test('/export (a slow command): deferred at once, then the files arrive as attachments on the edited reply', async () => {
  const bot = await startBot();
  try {
    await bot.core.runCommand(FAKE_USER, 'save', 'https://raft.github.io/');
    const i = bot.fake.slash('export');
    const cb = await bot.fake.interact(i);
    assert.equal(cb.body.type, 5, 'slow commands defer before running');
    assert.equal(cb.body.data.flags, 64);
    const edit = await bot.fake.waitForRequest((r) => r.method === 'PATCH' && r.path.includes(i.token));
    assert.ok(
      edit.files.length >= 1,
      JSON.stringify(bot.logs.filter((l) => Number(l.level) >= 40)).slice(0, 1500),
    );
    assert.ok(edit.files.some((f) => f.content.includes('raft.github.io')));
    assert.deepEqual(edit.files.map((f) => f.name.replace(/^.*\./, '')).sort(), ['html', 'json']);
    assert.equal(edit.body.attachments.length, edit.files.length);
    assert.deepEqual(edit.body.allowed_mentions.parse, []);
  } finally {
    await bot.close();
  }
});
