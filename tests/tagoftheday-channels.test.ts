// Issue 14, fault 5: channels the bot cannot post in, through the real discord.js and Bolt code paths
// against the local fakes, which answer with the platforms' documented error shapes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBot } from './discord/harness.ts';
import { CHANNEL_ID, GUILD_ID, USER } from './discord/fake-discord.ts';
import { sectionTexts, startHarness } from './slack/harness.ts';
import type { Subscription } from '../src/tagoftheday/service.ts';

const MANAGE_CHANNELS = String(1 << 4);
const discordRef = { platform: 'discord' as const, workspaceId: GUILD_ID, channelId: CHANNEL_ID };

test('Discord: subscribe is refused with what to do when app_permissions lack Send Messages or Embed Links', async () => {
  const bot = await startBot({ tagOfTheDay: false });
  try {
    const viewOnly = String(1 << 10);
    const r = await bot.fake.interact(
      bot.fake.slash(
        'tagoftheday',
        {},
        { sub: 'subscribe', permissions: MANAGE_CHANNELS, appPermissions: viewOnly },
      ),
    );
    const text = String(r.body.data.content);
    assert.match(text, /missing Send Messages, Embed Links/);
    assert.match(text, /\/tagoftheday subscribe/);
    assert.equal(await bot.core.services.tagOfTheDay.get(discordRef), undefined);
    // In a thread, Send Messages in Threads is what counts. The shard caches no guild, so the adapter
    // reads the channel's type over REST.
    const inThread = await bot.fake.interact(
      bot.fake.slash(
        'tagoftheday',
        {},
        {
          sub: 'subscribe',
          permissions: MANAGE_CHANNELS,
          thread: true,
          appPermissions: String((1n << 10n) | (1n << 11n) | (1n << 14n)),
        },
      ),
    );
    assert.match(String(inThread.body.data.content), /thread: I'm missing Send Messages in Threads/);
  } finally {
    await bot.close();
  }
});

for (const [status, code, message] of [
  [403, 50013, 'Missing Permissions'],
  [403, 50001, 'Missing Access'],
  [400, 50083, 'Thread is archived'],
] as const)
  test(`Discord: a ${code} on post pauses the subscription, DMs the subscriber once, and status says why`, async () => {
    const bot = await startBot({ tagOfTheDay: false });
    try {
      const tod = bot.core.services.tagOfTheDay;
      await bot.fake.interact(
        bot.fake.slash(
          'tagoftheday',
          { time: '09:00', timezone: 'UTC' },
          { sub: 'subscribe', permissions: MANAGE_CHANNELS },
        ),
      );
      const sub = (await tod.get(discordRef)) as Subscription;
      assert.ok(sub, 'subscribed');
      const posts = () =>
        bot.fake.requests.filter((q) => q.method === 'POST' && q.path === `/channels/${CHANNEL_ID}/messages`);
      bot.fake.failNext((q) => q.method === 'POST' && q.path === `/channels/${CHANNEL_ID}/messages`, {
        status,
        body: { message, code },
      });
      const due = tod.nextPostAt(sub, Date.now()) + 60_000;
      const first = await tod.tick(bot.adapter.poster, due);
      assert.deepEqual(first.failed, [`discord:${GUILD_ID}:${CHANNEL_ID}`]);
      for (let m = 1; m <= 30; m++) await tod.tick(bot.adapter.poster, due + m * 60_000);
      assert.equal(posts().length, 1, 'no retry every minute');
      const paused = (await tod.get(discordRef))!;
      assert.equal(paused.paused?.code, String(code));
      // The subscriber is told in a DM (POST /users/@me/channels, then a message in that DM).
      const open = await bot.fake.waitForRequest(
        (q) => q.method === 'POST' && q.path === '/users/@me/channels',
      );
      assert.equal(open.body.recipient_id, USER.id);
      const dm = await bot.fake.waitForRequest(
        (q) => q.method === 'POST' && /^\/channels\/9\d+\/messages$/.test(q.path),
      );
      assert.match(dm.body.content, /\/tagoftheday subscribe/);
      assert.deepEqual(dm.body.allowed_mentions.parse, []);
      const shown = await bot.fake.interact(bot.fake.slash('tagoftheday', {}, { sub: 'status' }));
      assert.match(String(shown.body.data.content), new RegExp(`paused.*${code}`, 's'));
      // Fixed: subscribing again resumes.
      await bot.fake.interact(
        bot.fake.slash('tagoftheday', {}, { sub: 'subscribe', permissions: MANAGE_CHANNELS }),
      );
      assert.equal((await tod.get(discordRef))!.paused, undefined);
    } finally {
      await bot.close();
    }
  });

test('Discord: a 503 on post is transient: retried with backoff, not paused', async () => {
  const bot = await startBot({ tagOfTheDay: false, retries: 0 });
  try {
    const tod = bot.core.services.tagOfTheDay;
    await bot.fake.interact(
      bot.fake.slash(
        'tagoftheday',
        { time: '09:00', timezone: 'UTC' },
        { sub: 'subscribe', permissions: MANAGE_CHANNELS },
      ),
    );
    const sub = (await tod.get(discordRef))!;
    bot.fake.failNext((q) => q.method === 'POST' && q.path === `/channels/${CHANNEL_ID}/messages`, {
      status: 503,
      body: { message: 'Service Unavailable', code: 0 },
    });
    const due = tod.nextPostAt(sub, Date.now()) + 60_000;
    assert.equal((await tod.tick(bot.adapter.poster, due)).failed.length, 1);
    const after = (await tod.get(discordRef))!;
    assert.equal(after.paused, undefined);
    assert.equal(after.retry?.attempts, 1);
    assert.equal(
      (await tod.tick(bot.adapter.poster, due + 30_000)).posted.length,
      0,
      'waits out the backoff',
    );
    assert.equal((await tod.tick(bot.adapter.poster, due + 61_000)).posted.length, 1);
  } finally {
    await bot.close();
  }
});

test('Slack: subscribe checks conversations.info: archived, DMs between people and private channels without the bot are refused', async () => {
  const h = await startHarness();
  try {
    h.fake.users.set('UADMIN', { is_admin: true });
    const say = async (channel: string) =>
      sectionTexts(
        (await h.slash('/tagoftheday', 'subscribe 09:00 UTC', { user: 'UADMIN', channel })).body,
      ).join('\n');
    h.fake.channels.set('CARCH', { is_archived: true });
    assert.match(await say('CARCH'), /archived/);
    h.fake.channels.set('GPRIV', null); // private, bot not a member: invisible to it
    assert.match(await say('GPRIV'), /\/invite @Quorum Reads/);
    h.fake.channels.set('DPEOPLE', null); // a DM between two people: the bot cannot see it
    assert.match(await say('DPEOPLE'), /DMs between people can't get a tag of the day/);
    h.fake.channels.set('GMPIM', { is_mpim: true, is_channel: false, is_private: true, is_member: false });
    assert.match(await say('GMPIM'), /Group DMs between people/);
    for (const ch of ['CARCH', 'GPRIV', 'DPEOPLE', 'GMPIM'])
      assert.equal(
        await h.core.services.tagOfTheDay.get({ platform: 'slack', workspaceId: 'T1', channelId: ch }),
        undefined,
      );
    assert.match(await say('COPEN'), /every day at/);
  } finally {
    await h.stop();
  }
});

test('Slack: is_archived on chat.postMessage pauses the subscription and tells the subscriber (ephemeral, else DM)', async () => {
  const h = await startHarness();
  try {
    h.fake.users.set('UADMIN', { is_admin: true });
    await h.slash('/tagoftheday', 'subscribe 09:00 UTC', { user: 'UADMIN', channel: 'CLATER' });
    const tod = h.core.services.tagOfTheDay;
    const ref = { platform: 'slack' as const, workspaceId: 'T1', channelId: 'CLATER' };
    const sub = (await tod.get(ref))!;
    h.fake.channels.set('CLATER', { is_archived: true }); // archived after subscribing
    const due = tod.nextPostAt(sub, Date.now()) + 60_000;
    for (let m = 0; m < 60; m++) await tod.tick(h.adapter.poster, due + m * 60_000);
    const posts = h.fake.calls('chat.postMessage').filter((c) => c.body.channel === 'CLATER');
    assert.equal(posts.length, 1, 'one failed call, not one a minute');
    assert.equal((await tod.get(ref))!.paused?.code, 'is_archived');
    const told = [...h.fake.calls('chat.postEphemeral'), ...h.fake.calls('chat.postMessage')].filter(
      (c) => c.body.user === 'UADMIN' || c.body.channel === 'UADMIN',
    );
    assert.equal(told.length, 1);
    assert.match(String(told[0]!.body.text), /archived/);
    const status = sectionTexts((await h.slash('/tagoftheday', 'status', { channel: 'CLATER' })).body).join(
      '\n',
    );
    assert.match(status, /paused/);
    assert.match(status, /is_archived/);
  } finally {
    await h.stop();
  }
});
