import { test } from 'node:test';
import assert from 'node:assert/strict';
import { caller, testCore } from './helpers/core.ts';

test('saving from a chat message keeps its links only: the author words are not a note or tags', async () => {
  const core = await testCore();
  const me = caller({ platform: 'slack', workspaceId: 'T1', userId: 'U1' });
  const message =
    'great read #mustread on leases <https://example.org/leases|this post> and https://example.com/x, thoughts?';
  const r = await core.saveMessage(me, message);
  assert.equal(r.status, 'ok', r.text);
  const list = await core.run(me, '/saved');
  assert.equal(list.readings.length, 2);
  for (const v of list.readings) {
    assert.equal(v.saved?.note ?? '', '');
    assert.ok(!v.tags.includes('mustread'), 'a #word in someone else’s message became a tag');
  }
  // /save typed by the saver still takes their tags and note.
  await core.run(me, '/save https://example.net/y #leases check the fencing part');
  const typed = (await core.run(me, '/saved #leases')).readings;
  assert.equal(typed.length, 1);
  assert.match(typed[0]!.saved?.note ?? '', /fencing/);
  await core.close();
});

test('a message without links says so', async () => {
  const core = await testCore();
  const r = await core.saveMessage(caller(), 'no links here, just words');
  assert.equal(r.status, 'error');
  assert.match(r.text, /link/i);
  await core.close();
});
