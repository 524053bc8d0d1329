import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBot, type Bot } from './harness.ts';
import { member, USER, type FakeDiscord, type Recorded } from './fake-discord.ts';
import type { APIMessage } from 'discord-api-types/v10';
import type { Caller } from '../../src/caller.ts';

const who: Caller = {
  platform: 'discord',
  workspaceId: 'g',
  userId: 'u',
  channelId: 'c',
  canManageChannel: false,
};

interface Btn {
  custom_id: string;
  label: string;
  disabled: boolean;
}
const buttonsOf = (data: { components?: { components: Btn[] }[] }): Btn[] =>
  (data.components ?? []).flatMap((r) => r.components);

/** The message Discord would have created from an interaction's reply (so buttons can be pressed on it). */
function messageFrom(fake: FakeDiscord, cb: Recorded, interactionId: string): APIMessage {
  return fake.message(cb.body.data.content ?? '', {
    author: {
      id: '100000000000000001',
      username: 'Quorum',
      discriminator: '0',
      global_name: null,
      avatar: null,
      bot: true,
    },
    embeds: cb.body.data.embeds ?? [],
    components: cb.body.data.components ?? [],
    flags: cb.body.data.flags ?? 0,
    interaction_metadata: { id: interactionId, type: 2, user: USER, authorizing_integration_owners: {} },
  } as Partial<APIMessage>);
}

async function withBot(
  fn: (bot: Bot) => Promise<void>,
  opts: Parameters<typeof startBot>[0] = {},
): Promise<void> {
  const bot = await startBot(opts);
  try {
    await fn(bot);
  } finally {
    await bot.close();
  }
}

test("/read zookeeper: the paper rides on the lecture notes' embed as a masked link field (body valid per the OpenAPI spec)", () =>
  withBot(async (bot) => {
    const cb = await bot.fake.interact(bot.fake.slash('read', { topic: 'zookeeper' }));
    const embeds = cb.body.data.embeds as { title: string; fields: { name: string; value: string }[] }[];
    assert.match(embeds[0]!.title, /^1\. MIT 6\.824: Lecture 8 - ZooKeeper$/);
    const field = embeds[0]!.fields.find((f) => f.name === 'With the paper');
    assert.equal(
      field?.value,
      '📄 [ZooKeeper: Wait-free coordination for Internet-scale systems](https://pdos.csail.mit.edu/6.824/papers/zookeeper.pdf) — Hunt et al. · USENIX ATC 2010',
    );
    assert.ok(!embeds.some((e) => e.title.includes('Wait-free')), 'the paper has no embed of its own');
  }));

test('/read raft: ephemeral reply, one embed per reading with its title and link, Save 1..n buttons', () =>
  withBot(async (bot) => {
    const expected = await bot.core.runCommand(who, 'read', 'raft');
    assert.ok(expected.readings.length > 0);
    const i = bot.fake.slash('read', { topic: 'raft' });
    const cb = await bot.fake.interact(i);
    assert.equal(cb.body.type, 4, 'a direct message response (not deferred)');
    const data = cb.body.data;
    assert.equal(data.flags, 64, 'ephemeral: the reply is private');
    assert.match(data.content, /Readings for/);
    assert.equal(data.embeds.length, expected.readings.length);
    expected.readings.forEach((r, n) => {
      const e = data.embeds[n];
      assert.ok(e.title.startsWith(`${n + 1}. `), e.title);
      assert.ok(e.url.startsWith('http'), 'title links somewhere');
      if (r.linkKind === 'link') assert.equal(e.url, new URL(r.url).toString());
      else assert.match(e.description, /No verified link — the title links to a web search/);
      assert.ok(e.fields.some((f: { name: string }) => f.name === 'Tags'));
    });
    const saves = buttonsOf(data).filter((b) => b.label.startsWith('Save '));
    assert.deepEqual(
      saves.map((b) => b.label),
      expected.readings.map((_, n) => `Save ${n + 1}`),
    );
    assert.deepEqual(
      saves.map((b) => b.custom_id),
      expected.readings.map((r) => r.actions![0]!.id),
    );
    assert.deepEqual(data.allowed_mentions, { parse: [], replied_user: false });
  }));

test('autocomplete for /read topic answers the core suggestions (≤ 25, ≤ 100 chars)', () =>
  withBot(async (bot) => {
    const want = bot.core.suggest('read', 'topic', 'con');
    assert.ok(want.length > 0);
    const cb = await bot.fake.interact(bot.fake.autocomplete('read', 'topic', 'con'));
    assert.equal(cb.body.type, 8);
    assert.deepEqual(cb.body.data.choices, want.slice(0, 25));
    for (const c of cb.body.data.choices) assert.ok(c.name.length <= 100 && c.value.length <= 100);
  }));

test('paging: Next updates the message in place with page 2; Share posts page 2 publicly', () =>
  withBot(async (bot) => {
    const i = bot.fake.slash('read', { topic: 'consensus' });
    const cb = await bot.fake.interact(i);
    const next = buttonsOf(cb.body.data).find((b) => b.label.includes('Next'));
    assert.ok(next, 'consensus has more than one page');
    assert.equal(next.disabled, false);
    const msg = messageFrom(bot.fake, cb, i.id);

    const press = bot.fake.button(next.custom_id, msg);
    const upd = await bot.fake.interact(press);
    assert.equal(upd.body.type, 7, 'UPDATE_MESSAGE');
    assert.match(upd.body.data.content, /page 2 of/);
    const page2 = await bot.core.press(who, next.custom_id);
    assert.deepEqual(
      upd.body.data.embeds.map((e: { title: string }) =>
        e.title.replace(/^\d+\. /, '').replace(/\\(.)/g, '$1'),
      ),
      page2.readings.map((r) => r.title),
    );
    const prev = buttonsOf(upd.body.data).find((b) => b.label.includes('Prev'));
    assert.equal(prev?.disabled, false);

    const share = buttonsOf(upd.body.data).find((b) => b.label === 'Share');
    assert.ok(share);
    const shared = await bot.fake.interact(
      bot.fake.button(share.custom_id, messageFrom(bot.fake, upd, i.id)),
    );
    assert.equal(shared.body.type, 4);
    assert.equal(shared.body.data.flags ?? 0, 0, 'public, not ephemeral');
    assert.match(shared.body.data.content, /page 2 of/);
    assert.equal(
      buttonsOf(shared.body.data).filter((b) => !/^(Save|Done) /.test(b.label)).length,
      0,
      'a shared list has no paging buttons',
    );
  }));

test('Save button answers ephemerally with the core reply', () =>
  withBot(async (bot) => {
    const i = bot.fake.slash('read', { topic: 'raft' });
    const cb = await bot.fake.interact(i);
    const save = buttonsOf(cb.body.data).find((b) => b.label === 'Save 1');
    assert.ok(save);
    const expected = await bot.core.press({ ...who, userId: 'someone-else' }, save.custom_id);
    const res = await bot.fake.interact(bot.fake.button(save.custom_id, messageFrom(bot.fake, cb, i.id)));
    assert.equal(res.body.type, 4);
    assert.equal(res.body.data.flags, 64, 'only the presser sees it');
    assert.equal(res.body.data.content, expected.text.slice(0, 2000));
  }));

test('buttons expire: the original reply is edited with every button disabled; an expired cursor gets the core message', () =>
  withBot(
    async (bot) => {
      const i = bot.fake.slash('read', { topic: 'consensus' });
      const cb = await bot.fake.interact(i);
      const edit = await bot.fake.waitForRequest(
        (r) =>
          r.method === 'PATCH' && r.path === `/webhooks/100000000000000001/${i.token}/messages/@original`,
      );
      const before = buttonsOf(cb.body.data);
      const after = buttonsOf(edit.body);
      assert.deepEqual(
        after.map((b) => b.custom_id),
        before.map((b) => b.custom_id),
      );
      assert.ok(after.every((b) => b.disabled));

      // A press on a cursor the store no longer knows: the core's "expired" text, ephemeral, never a failure.
      const stale = bot.fake.button('qr:read:page:AAAAAAAAAAAA:2', messageFrom(bot.fake, cb, i.id));
      const res = await bot.fake.interact(stale);
      assert.equal(res.body.type, 4);
      assert.equal(res.body.data.flags, 64);
      assert.match(res.body.data.content, /expired/);
    },
    { buttonTimeoutMs: 1 },
  ));

test('nothing the bot sends can ping: allowed_mentions parse [] and no raw @everyone/role/user mentions', () =>
  withBot(
    async (bot) => {
      const i = bot.fake.slash('read', { topic: '@everyone <@&123> @here <@456> raft' });
      const cb = await bot.fake.interact(i);
      // Mentions are addressing, not words to search: the answer is about raft, and no mention is echoed.
      assert.match(cb.body.data.content, /#raft/, 'the mentions were not searched');
      assert.doesNotMatch(cb.body.data.content, /everyone|<@/);
      const share = buttonsOf(cb.body.data).find((b) => b.label === 'Share');
      if (share) await bot.fake.interact(bot.fake.button(share.custom_id, messageFrom(bot.fake, cb, i.id)));
      // A mention question echoes user text into a channel message too.
      bot.fake.guildCreate();
      const seen = bot.fake.requests.length;
      bot.fake.dispatch('MESSAGE_CREATE', {
        ...bot.fake.message('<@100000000000000001> @everyone <@&123> what about raft?'),
        guild_id: '200000000000000001',
        member: member(),
        mentions: [
          { id: '100000000000000001', username: 'Quorum', discriminator: '0', avatar: null, bot: true },
        ],
      });
      await bot.fake.waitForRequest(
        (r) => r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.path),
        seen,
      );

      const sent = bot.fake.requests.filter(
        (r) =>
          r.body && (r.body.content !== undefined || r.body.embeds || r.body.data?.content !== undefined),
      );
      assert.ok(sent.length >= 3);
      for (const r of sent) {
        const payload = r.body.data ?? r.body;
        assert.deepEqual(
          payload.allowed_mentions?.parse,
          [],
          `${r.method} ${r.path} disables mention parsing`,
        );
        const text = JSON.stringify(payload);
        assert.doesNotMatch(text, /@(everyone|here)/, `${r.method} ${r.path}`);
        assert.doesNotMatch(text, /<@[&!]?\d+>/, `${r.method} ${r.path}`);
      }
    },
    { env: { DISCORD_MESSAGE_CONTENT: 'true' } },
  ));

test('/read with the kind and level menus: the chosen values filter the list', () =>
  withBot(async (bot) => {
    const cb = await bot.fake.interact(bot.fake.slash('read', { topic: 'consensus', kind: 'kind:paper' }));
    assert.match(cb.body.data.content, /only a paper/);
    const expected = await bot.core.runCommand(who, 'read', 'consensus kind:paper');
    assert.ok(expected.readings.length > 0);
    assert.equal(cb.body.data.embeds.length, expected.readings.length);
  }));

test('Done under DDIA chapters 1–4 marks them read for the presser; /next ddia then says chapter 5', () =>
  withBot(async (bot) => {
    const i = bot.fake.slash('read', { topic: 'ddia' });
    const cb = await bot.fake.interact(i);
    const dones = buttonsOf(cb.body.data).filter((b) =>
      /^qr:done:reading:ddia-chapter-0[1-4]$/.test(b.custom_id),
    );
    assert.deepEqual(
      dones.map((b) => b.label),
      ['Done 2', 'Done 3', 'Done 4', 'Done 5'],
    );
    for (const b of dones) {
      const res = await bot.fake.interact(bot.fake.button(b.custom_id, messageFrom(bot.fake, cb, i.id)));
      assert.equal(res.body.data.flags, 64, 'only the presser sees it');
      assert.match(res.body.data.content, /as read/);
    }
    const next = await bot.fake.interact(bot.fake.slash('next', { path: 'ddia' }));
    assert.match(next.body.data.content, /4 of 11 read/);
    assert.match(next.body.data.content, /Next: \*\*Chapter 5 - Replication\*\*/);
    assert.match(next.body.data.embeds[0].title, /Chapter 5 - Replication/);
  }));
