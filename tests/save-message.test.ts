import { test } from 'node:test';
import assert from 'node:assert/strict';
import { messageSaveText } from '../adapters/slack/messages.ts';
import { decodeSlackText, encodeSlackText } from '../adapters/slack/text.ts';
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

test('Slack text is entity-decoded before links are read or echoed (issue 13, kind 1)', async () => {
  assert.equal(decodeSlackText('a &amp;lt; b &lt;&gt; &amp;amp;'), 'a &lt; b <> &amp;');
  assert.equal(decodeSlackText('&quot;kept&quot; &#39;'), '&quot;kept&quot; &#39;');
  for (const s of ['x & y <z>', '&amp;', '<https://a.example/?a=1&b=2|A & B>'])
    assert.equal(decodeSlackText(encodeSlackText(s)), s);

  const core = await testCore();
  const me = caller({ platform: 'slack', workspaceId: 'T1', userId: 'U1' });
  // As Slack sends the message `watch https://www.youtube.com/watch?v=abc123&t=42s`.
  const sent = { text: 'watch <https://www.youtube.com/watch?v=abc123&amp;t=42s>' };
  const r = await core.saveMessage(me, messageSaveText(sent));
  assert.equal(r.status, 'ok', r.text);
  const [saved] = (await core.run(me, '/saved')).readings;
  assert.equal(saved!.url, 'https://www.youtube.com/watch?v=abc123&t=42s');
  assert.ok(!r.text.includes('&amp;'), r.text);
  await core.close();
});
