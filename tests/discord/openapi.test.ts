import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REST } from 'discord.js';
import { Routes } from 'discord-api-types/v10';
import { requestBodyProblems } from './openapi.ts';
import { FakeDiscord, CHANNEL_ID } from './fake-discord.ts';

test("Discord's OpenAPI spec: an embed title over 256 characters is invalid, a plain message is valid", () => {
  const route = `/channels/${CHANNEL_ID}/messages`;
  assert.deepEqual(
    requestBodyProblems('POST', route, { content: 'hi', allowed_mentions: { parse: [] } }),
    [],
  );
  const problems = requestBodyProblems('POST', route, { embeds: [{ title: 'x'.repeat(257) }] });
  assert.equal(problems.length, 1);
  assert.match(problems[0]!, /\/embeds\/0\/title must NOT have more than 256 characters/);
  assert.match(
    requestBodyProblems('POST', '/interactions/1/tok/callback', {
      type: 4,
      data: { content: 'x'.repeat(2001) },
    }).join('\n'),
    /content/,
  );
});

test('the fake Discord answers an invalid body with 400 / 50035 and fails on close', async () => {
  const fake = await FakeDiscord.start();
  const rest = new REST({ api: fake.api, retries: 0 }).setToken('fake-token');
  await assert.rejects(
    rest.post(Routes.channelMessages(CHANNEL_ID), { body: { embeds: [{ title: 'x'.repeat(300) }] } }),
    (e: { status?: number; code?: number }) => e.status === 400 && e.code === 50035,
  );
  await assert.rejects(fake.close(), /embeds\/0\/title/);
});
