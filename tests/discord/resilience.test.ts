import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBot } from './harness.ts';
import { APP_ID, type Recorded } from './fake-discord.ts';
import { APOLOGY } from '../../src/reply.ts';

const isCallback = (r: Recorded): boolean => r.method === 'POST' && r.path.endsWith('/callback');

/** Send `/read raft` and wait for two interaction callbacks: the one the fake fails and the next. */
async function twoReplyAttempts(bot: Awaited<ReturnType<typeof startBot>>) {
  const i = bot.fake.slash('read', { topic: 'raft' });
  const seen = bot.fake.requests.length;
  bot.fake.dispatch('INTERACTION_CREATE', i);
  const first = await bot.fake.waitForRequest(isCallback, seen);
  const second = await bot.fake.waitForRequest((r) => isCallback(r) && r !== first, seen);
  return { first, second };
}

test('slow path: with deferAfterMs 0 the bot defers (ephemeral) first, then edits the original with the answer', async () => {
  const bot = await startBot({ deferAfterMs: 0 });
  try {
    const i = bot.fake.slash('read', { topic: 'raft' });
    const cb = await bot.fake.interact(i);
    assert.equal(cb.body.type, 5, 'DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE');
    assert.equal(cb.body.data.flags, 64);
    const edit = await bot.fake.waitForRequest(
      (r) => r.method === 'PATCH' && r.path === `/webhooks/${APP_ID}/${i.token}/messages/@original`,
    );
    assert.match(edit.body.content, /Readings for/);
    assert.ok(edit.body.embeds.length > 0);
    assert.deepEqual(edit.body.allowed_mentions.parse, []);
  } finally {
    await bot.close();
  }
});

test('a core answer slower than the grace period is deferred, then the original is edited (the test holds the core)', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const bot = await startBot({
    deferAfterMs: 5,
    wrapCore: (core) => ({
      ...core,
      // Held until the test has seen the defer: slower than any grace period.
      runCommand: async (c, n, a) => {
        await gate;
        return core.runCommand(c, n, a);
      },
    }),
  });
  try {
    const i = bot.fake.slash('read', { topic: 'raft' });
    const cb = await bot.fake.interact(i);
    assert.equal(cb.body.type, 5);
    release();
    const edit = await bot.fake.waitForRequest((r) => r.method === 'PATCH' && r.path.includes(i.token));
    assert.ok(edit.body.embeds.length > 0);
  } finally {
    await bot.close();
  }
});

test('429 with retry_after on the reply: discord.js waits and retries, the user gets the answer; the rate limit is logged', async () => {
  const bot = await startBot();
  try {
    bot.fake.failNext(isCallback, {
      status: 429,
      body: { message: 'You are being rate limited.', retry_after: 0.02, global: false },
      headers: { 'retry-after': '0.02', 'x-ratelimit-scope': 'user' },
    });
    const { first, second } = await twoReplyAttempts(bot);
    assert.deepEqual(second.body, first.body, 'the same reply, retried');
    assert.ok(second.body.data.embeds.length > 0);
    const line = await bot.waitForLog((l) => l.event === 'rate_limited');
    assert.equal(line.level, 40);
  } finally {
    await bot.close();
  }
});

test('5xx on the reply with retries 1: retried by discord.js and delivered', async () => {
  const bot = await startBot({ retries: 1 });
  try {
    bot.fake.failNext(isCallback, { status: 502, body: { message: 'Bad Gateway', code: 0 } });
    const { second } = await twoReplyAttempts(bot);
    assert.equal(second.body.type, 4);
    assert.ok(second.body.data.embeds.length > 0);
  } finally {
    await bot.close();
  }
});

test('5xx on the reply with retries 0: a structured error log line, and the user still gets an (ephemeral) answer', async () => {
  const bot = await startBot({ retries: 0 });
  try {
    bot.fake.failNext(isCallback, { status: 500, body: { message: 'Internal Server Error', code: 0 } });
    const { second } = await twoReplyAttempts(bot);
    assert.equal(second.body.type, 4);
    assert.equal(second.body.data.flags, 64);
    assert.equal(second.body.data.content, APOLOGY);
    const line = await bot.waitForLog((l) => l.event === 'interaction_failed');
    assert.equal(line.level, 50);
    assert.equal(line.status, 500);
    assert.equal(line.kind, 'read');
    assert.doesNotMatch(String(line.route), /tok-/, 'the interaction token is not logged');
  } finally {
    await bot.close();
  }
});

test('a handler error becomes a short ephemeral apology (no stack trace) and an error log line', async () => {
  const bot = await startBot({
    wrapCore: (core) => ({
      ...core,
      runCommand: () => Promise.reject(new Error('kaboom at /srv/secret/path.ts:12')),
    }),
  });
  try {
    const cb = await bot.fake.interact(bot.fake.slash('tags'));
    assert.equal(cb.body.type, 4);
    assert.equal(cb.body.data.flags, 64);
    assert.equal(cb.body.data.content, APOLOGY);
    assert.doesNotMatch(JSON.stringify(cb.body), /kaboom|secret|\.ts:/);
    const line = await bot.waitForLog((l) => l.event === 'interaction_failed');
    assert.match(String(line.err), /kaboom/);
  } finally {
    await bot.close();
  }
});

test('gateway reconnect: resumable close → RESUME; resume refused (INVALID_SESSION) → re-IDENTIFY; the bot keeps answering', async () => {
  const bot = await startBot();
  try {
    const resume = bot.fake.waitForGateway(6);
    bot.fake.disconnect(4000);
    const r = (await resume).d as { session_id: string; seq: number };
    assert.equal(r.session_id, 'session-1');
    let cb = await bot.fake.interact(bot.fake.slash('read', { topic: 'raft' }));
    assert.equal(cb.body.type, 4);

    // The session is gone on Discord's side: RESUME is refused with INVALID_SESSION → a new IDENTIFY.
    const identify = bot.fake.waitForGateway(2);
    bot.fake.rejectResume = true;
    bot.fake.disconnect(4000);
    await identify;
    cb = await bot.fake.interact(bot.fake.slash('read', { topic: 'paxos' }));
    assert.equal(cb.body.type, 4);
    assert.ok(cb.body.data.embeds.length > 0);
  } finally {
    await bot.close();
  }
});

test('slow button presses: deferUpdate first; paging then edits the message, Save answers with an ephemeral follow-up', async () => {
  const bot = await startBot({ deferAfterMs: 0 });
  try {
    const i = bot.fake.slash('read', { topic: 'consensus' });
    await bot.fake.interact(i);
    const first = await bot.fake.waitForRequest((r) => r.method === 'PATCH' && r.path.includes(i.token));
    const buttons = (
      first.body.components as { components: { custom_id: string; label: string }[] }[]
    ).flatMap((r) => r.components);
    const msg = bot.fake.message(first.body.content, {
      embeds: first.body.embeds,
      components: first.body.components,
      flags: 64,
    });

    const next = bot.fake.button(buttons.find((b) => b.label.includes('Next'))!.custom_id, msg);
    const cb = await bot.fake.interact(next);
    assert.equal(cb.body.type, 6, 'DEFERRED_UPDATE_MESSAGE');
    const edit = await bot.fake.waitForRequest(
      (r) => r.method === 'PATCH' && r.path === `/webhooks/${APP_ID}/${next.token}/messages/@original`,
    );
    assert.match(edit.body.content, /page 2 of/);

    const save = bot.fake.button(buttons.find((b) => b.label === 'Save 1')!.custom_id, msg);
    const cb2 = await bot.fake.interact(save);
    assert.equal(cb2.body.type, 6);
    const follow = await bot.fake.waitForRequest(
      (r) => r.method === 'POST' && r.path === `/webhooks/${APP_ID}/${save.token}`,
    );
    assert.equal(follow.body.flags, 64);
    assert.ok(follow.body.content.length > 0);
  } finally {
    await bot.close();
  }
});
