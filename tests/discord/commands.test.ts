import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startBot } from './harness.ts';
import { APP_ID, BOT, CHANNEL_ID, FakeDiscord, GUILD_ID, member, USER } from './fake-discord.ts';
import { buildCommandData, SAVE_LINKS_MENU } from '../../adapters/discord/commands.ts';
import { deployCommands, DeployError } from '../../adapters/discord/deploy-commands.ts';
import { commands } from '../../src/commands/registry.ts';
import type { Core } from '../../src/core.ts';
import type { Caller } from '../../src/caller.ts';

type Opt = {
  type: number;
  name: string;
  description: string;
  required?: boolean;
  autocomplete?: boolean;
  options?: Opt[];
};

test('buildCommandData: every core command, generically (string options, autocomplete, subcommands, Discord limits)', () => {
  const data = buildCommandData(commands) as {
    type: number;
    name: string;
    description?: string;
    options?: Opt[];
  }[];
  const slash = data.filter((d) => d.type === 1);
  assert.deepEqual(
    slash.map((d) => d.name),
    commands.map((c) => c.name),
  );
  const read = slash.find((d) => d.name === 'read')!;
  assert.deepEqual(
    read.options!.map((o) => [o.type, o.name, o.required, o.autocomplete]),
    [
      [3, 'topic', true, true],
      [3, 'kind', false, undefined],
      [3, 'level', false, undefined],
    ],
  );
  // kind and level are menus whose values are the words the core reads ("kind:paper").
  const kind = read.options!.find((o) => o.name === 'kind') as Opt & {
    choices?: { name: string; value: string }[];
  };
  assert.ok(kind.choices!.some((c) => c.name === 'paper' && c.value === 'kind:paper'));
  const level = read.options!.find((o) => o.name === 'level') as Opt & {
    choices?: { name: string; value: string }[];
  };
  assert.deepEqual(
    level.choices!.map((c) => c.value),
    ['level:intro', 'level:core', 'level:advanced'],
  );
  for (const c of commands) {
    const d = slash.find((x) => x.name === c.name)!;
    assert.ok(d.description!.length >= 1 && d.description!.length <= 100);
    if (c.subcommands?.length) {
      assert.deepEqual(
        d.options!.map((o) => [o.type, o.name]),
        c.subcommands.map((s) => [1, s.name]),
      );
    }
    const lists = [d.options ?? [], ...(d.options ?? []).map((o) => o.options ?? [])];
    for (const list of lists) {
      const firstOptional = list.findIndex((o) => o.type === 3 && !o.required);
      if (firstOptional >= 0)
        assert.ok(
          list.slice(firstOptional).every((o) => !o.required),
          `${c.name}: required options come first`,
        );
      for (const o of list) assert.ok(o.name.length <= 32 && o.description.length <= 100);
    }
  }
  const menu = data.find((d) => d.type === 3);
  assert.equal(
    Boolean(menu),
    commands.some((c) => c.name === 'save'),
    '"Save links" menu exactly when the save command exists',
  );
  if (menu) assert.equal(menu.name, SAVE_LINKS_MENU);

  // A command added later appears without touching the adapter.
  const extra = buildCommandData([
    ...commands,
    {
      name: 'demo',
      description: 'x'.repeat(150),
      usage: '/demo',
      examples: [],
      options: [
        { name: 'opt', description: 'optional first' },
        { name: 'req', description: 'required second', required: true },
      ],
      run: () => Promise.reject(new Error('unused')),
    },
  ]) as { name: string; description: string; options: Opt[] }[];
  const demo = extra.find((d) => d.name === 'demo')!;
  assert.equal(demo.description.length, 100);
  assert.deepEqual(
    demo.options.map((o) => o.name),
    ['req', 'opt'],
  );
});

test('npm run discord:deploy registers the same command data (guild for development, else global) and says what it did', async () => {
  const fake = await FakeDiscord.start();
  try {
    const guild = await deployCommands({
      token: 't',
      applicationId: APP_ID,
      guildId: GUILD_ID,
      api: fake.api,
    });
    const put = fake.requests.find((r) => r.method === 'PUT')!;
    assert.equal(put.path, `/applications/${APP_ID}/guilds/${GUILD_ID}/commands`);
    assert.deepEqual(put.body, JSON.parse(JSON.stringify(buildCommandData(commands))));
    assert.match(
      guild,
      new RegExp(
        `Registered ${commands.length + (commands.some((c) => c.name === 'save') ? 1 : 0)} commands in guild ${GUILD_ID}`,
      ),
    );
    assert.match(guild, /\/read/);
    const global = await deployCommands({ token: 't', applicationId: APP_ID, api: fake.api });
    assert.ok(fake.requests.some((r) => r.method === 'PUT' && r.path === `/applications/${APP_ID}/commands`));
    assert.match(global, /globally/);
  } finally {
    await fake.close();
  }
  await assert.rejects(deployCommands({ token: undefined, applicationId: undefined }), (e: unknown) => {
    assert.ok(e instanceof DeployError);
    assert.match(e.message, /DISCORD_TOKEN/);
    assert.match(e.message, /DISCORD_APPLICATION_ID/);
    return true;
  });
  const cli = spawnSync(process.execPath, ['--import', 'tsx', 'adapters/discord/deploy-commands.ts'], {
    env: { PATH: process.env.PATH ?? '' },
    encoding: 'utf8',
  });
  assert.equal(cli.status, 2);
  assert.match(cli.stderr, /needs DISCORD_TOKEN/);
});

type Call = { caller: Caller; name: string; args: string };
const spy =
  (calls: Call[]) =>
  (core: Core): Core => ({
    ...core,
    runCommand: (caller, name, args) => {
      calls.push({ caller, name, args });
      return core.runCommand(caller, name, args);
    },
    mention: (caller, text) => {
      calls.push({ caller, name: 'mention', args: text });
      return core.mention(caller, text);
    },
  });

test('subcommands: the adapter passes "subname opt1 opt2" in declared order, and the caller from the interaction', async () => {
  const calls: Call[] = [];
  const bot = await startBot({ wrapCore: spy(calls) });
  try {
    const withSub = commands.find((c) => c.subcommands?.some((s) => s.options.length >= 2));
    assert.ok(withSub, 'some command has a subcommand with two options');
    const sub = withSub.subcommands!.find((s) => s.options.length >= 2)!;
    const values = Object.fromEntries(sub.options.map((o, n) => [o.name, n === 0 ? '09:30' : 'UTC']));
    // Options arrive in reverse order; the adapter must restore the declared order.
    const reversed = Object.fromEntries(Object.entries(values).reverse());
    await bot.fake.interact(
      bot.fake.slash(withSub.name, reversed, { sub: sub.name, permissions: String(1 << 4), locale: 'de' }),
    );
    assert.equal(calls.length, 1);
    assert.equal(calls[0]!.name, withSub.name);
    assert.equal(calls[0]!.args, `${sub.name} ${Object.values(values).join(' ')}`);
    const { channelAccess, ...plain } = calls[0]!.caller;
    assert.equal(typeof channelAccess, 'function', 'subscribe can ask whether the bot may post here');
    assert.deepEqual(plain, {
      platform: 'discord',
      workspaceId: GUILD_ID,
      userId: USER.id,
      channelId: CHANNEL_ID,
      canManageChannel: true,
      locale: 'de',
    });
    await bot.fake.interact(bot.fake.slash('read', { topic: 'raft' }, { permissions: '0' }));
    assert.equal(calls[1]!.caller.canManageChannel, false, 'no Manage Channels');
    await bot.fake.interact(bot.fake.slash('read', { topic: 'raft' }, { guild: false }));
    assert.equal(calls[2]!.caller.workspaceId, 'dm');
    assert.equal(calls[2]!.caller.canManageChannel, true, 'a DM is yours to manage');
  } finally {
    await bot.close();
  }
});

test('@mention question with the Message Content intent: answered with /read results for the question', async () => {
  const calls: Call[] = [];
  const bot = await startBot({ env: { DISCORD_MESSAGE_CONTENT: 'true' }, wrapCore: spy(calls) });
  try {
    const identify = bot.fake.gatewayReceived.find((p) => p.op === 2)!.d as { intents: number };
    assert.ok(identify.intents & (1 << 15), 'MessageContent requested');
    assert.ok(identify.intents & (1 << 9), 'GuildMessages requested');
    bot.fake.guildCreate();
    const question = bot.fake.message(`<@${BOT.id}> what should I read about consensus?`, {
      mentions: [BOT],
    });
    bot.fake.dispatch('MESSAGE_CREATE', {
      ...question,
      guild_id: GUILD_ID,
      member: member({ permissions: '0' }),
    });
    const sent = await bot.fake.waitForRequest(
      (r) => r.method === 'POST' && r.path === `/channels/${CHANNEL_ID}/messages`,
    );
    assert.deepEqual(
      calls.map((c) => [c.name, c.args]),
      [['mention', `<@${BOT.id}> what should I read about consensus?`]],
    );
    assert.deepEqual(bot.core.parseMention(calls[0]!.args), { name: 'read', args: 'consensus' });
    assert.equal(sent.body.message_reference.message_id, question.id);
    assert.ok(sent.body.embeds.length > 0);
    assert.deepEqual(sent.body.allowed_mentions, { parse: [], replied_user: false });
  } finally {
    await bot.close();
  }
});

test('without the Message Content intent: not requested, logged once at info, mentions are left alone', async () => {
  const bot = await startBot();
  try {
    const identify = bot.fake.gatewayReceived.find((p) => p.op === 2)!.d as { intents: number };
    assert.equal(identify.intents & (1 << 15), 0);
    assert.equal(identify.intents & (1 << 9), 0);
    // GuildMessageReactions, DirectMessages, DirectMessageReactions; no Guilds (issue 15: the shard
    // caches no guilds, channels or roles; tests/discord/cache.test.ts).
    assert.equal(identify.intents, (1 << 10) | (1 << 12) | (1 << 13));
    const off = bot.logs.filter((l) => /mention questions are off/.test(String(l.msg)));
    assert.equal(off.length, 1);
    assert.equal(off[0]!.level, 30);
  } finally {
    await bot.close();
  }
});

test('tag of the day: a subscribed channel gets the post as an embed message, through the adapter poster', async () => {
  const bot = await startBot({ tagOfTheDay: false });
  try {
    const tod = bot.core.services.tagOfTheDay;
    const sub = await bot.fake.interact(
      bot.fake.slash('tagoftheday', {}, { sub: 'subscribe', permissions: String(1 << 4) }),
    );
    assert.equal(sub.body.type, 4);
    const ref = { platform: 'discord' as const, workspaceId: GUILD_ID, channelId: CHANNEL_ID };
    const stored = await tod.get(ref);
    assert.ok(stored, `subscribed: ${sub.body.data.content}`);
    const due = tod.nextPostAt(stored, Date.now()) + 60_000;
    const result = await tod.tick(bot.adapter.poster, due);
    assert.equal(result.posted.length, 1, JSON.stringify({ result, logs: bot.logs.slice(-3), stored }));
    const post = await bot.fake.waitForRequest(
      (r) => r.method === 'POST' && r.path === `/channels/${CHANNEL_ID}/messages`,
    );
    assert.match(post.body.content, /Tag of the day/);
    assert.ok(post.body.embeds.length >= 1 && post.body.embeds.length <= 10);
    assert.deepEqual(post.body.allowed_mentions.parse, []);
    // Same day again: the claim in the store stops a second post.
    const again = await tod.tick(bot.adapter.poster, due + 1000);
    assert.equal(again.posted.length, 0);
  } finally {
    await bot.close();
  }
});

test('sharded launch refuses a store the shard processes cannot share', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'adapters/discord/shard.ts'], {
    env: {
      PATH: process.env.PATH ?? '',
      DISCORD_TOKEN: 'x',
      QR_STORE_URL: 'memory://',
      QR_LOG_LEVEL: 'silent',
    },
    encoding: 'utf8',
  });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /QR_STORE_URL=redis:\/\//);
});
