import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openStore } from '../src/store/open.ts';
import { caller, testCore } from './helpers/core.ts';
import { startRedis } from './helpers/redis.ts';
import { needRedis } from './store-helpers.ts';

test('a user over the command limit is told to slow down; others are not affected; tokens come back', async () => {
  let now = 1_000_000;
  const core = await testCore({
    env: { QR_RATE_COMMANDS: '3', QR_RATE_WINDOW_SECONDS: '60' },
    clock: { now: () => now },
  });
  const me = caller();
  for (let i = 0; i < 3; i++) assert.equal((await core.run(me, '/saved')).status, 'ok');
  const limited = await core.run(me, '/saved');
  assert.equal(limited.text, 'Slow down: try again in 20 s.');
  assert.equal(limited.placement, 'private');
  assert.equal((await core.run(caller({ userId: 'other' }), '/saved')).status, 'ok');
  now += 20_000;
  assert.equal((await core.run(me, '/saved')).status, 'ok');
  await core.close();
});

test('saves also count against the saves bucket', async () => {
  const core = await testCore({ env: { QR_RATE_SAVES: '2' } });
  const me = caller();
  assert.match((await core.run(me, '/save https://r.example/1')).text, /Saved/);
  assert.match((await core.run(me, '/save https://r.example/2')).text, /Saved/);
  assert.match((await core.run(me, '/save https://r.example/3')).text, /^Slow down: try again in \d+ s\.$/);
  assert.equal((await core.run(me, '/saved')).status, 'ok');
  await core.close();
});

test('the limit is shared by two store clients on one Redis', async (t) => {
  if (!needRedis(t)) return;
  const redis = await startRedis();
  const env = { QR_RATE_COMMANDS: '4' };
  const a = await testCore({ env, store: await openStore(redis.url) });
  const b = await testCore({ env, store: await openStore(redis.url) });
  const me = caller();
  const replies = [];
  for (let i = 0; i < 6; i++) replies.push(await (i % 2 ? a : b).run(me, '/help'));
  assert.equal(replies.filter((r) => r.text.startsWith('Slow down')).length, 2);
  await a.close();
  await b.close();
  await redis.stop();
});
