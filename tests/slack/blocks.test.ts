import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  chunkText,
  escapeMrkdwn,
  replyBlocks,
  replyFallback,
  sanitizeUrl,
  slackLink,
  toMrkdwn,
} from '../../adapters/slack/blocks.ts';
import { baseReaction, messageSaveText } from '../../adapters/slack/messages.ts';
import { parseMention } from '../../src/chat/mention.ts';
import { reply, type ReadingView } from '../../src/reply.ts';

const reading = (over: Partial<ReadingView> = {}): ReadingView => ({
  id: 'r1',
  title: 'Raft',
  url: 'https://raft.github.io/',
  linkKind: 'link',
  tags: ['raft', 'consensus'],
  summary: 'Understandable consensus.',
  minutes: 12,
  author: 'Ongaro',
  actions: [{ id: 'qr:save:reading:r1', label: 'Save', style: 'secondary' }],
  ...over,
});

test('mrkdwn escaping neutralises every Slack mention form and keeps literal @here from pinging', () => {
  const out = escapeMrkdwn('<!channel> @here <@U123> <!subteam^S1|@team> <!everyone> a & b');
  assert.doesNotMatch(out, /<[!@#]/);
  assert.doesNotMatch(out, /@(here|channel|everyone)/);
  assert.match(out, /&lt;\u200b!channel&gt;/);
  assert.match(out, /a &amp; b/);
  // Idempotent on text the core already defused.
  assert.equal(escapeMrkdwn('@\u200bhere'), '@\u200bhere');
});

test('**bold** becomes *bold*, code stays, and markup inside stays escaped', () => {
  assert.equal(toMrkdwn('**Readings for #raft**: `x` <b>'), '*Readings for #raft*: `x` &lt;b&gt;');
});

test('links built by the adapter: url sanitised, title escaped, non-web urls dropped', () => {
  assert.equal(
    slackLink('https://a.example/x?a=1&b=2', 'A | B <c>'),
    '<https://a.example/x?a=1&amp;b=2|A ∣ B &lt;c&gt;>',
  );
  assert.equal(sanitizeUrl('https://a.example/p|q<r>'), 'https://a.example/p%7Cq%3Cr%3E');
  assert.equal(sanitizeUrl('javascript:alert(1)'), undefined);
  assert.equal(slackLink('javascript:alert(1)', 'T <!here>'), 'T &lt;\u200b!here&gt;');
});

test('a reply becomes a text section, one section per reading with Save accessory, and an actions row', () => {
  const r = reply('**Readings for #raft**: 2 found.', {
    readings: [
      reading(),
      reading({ id: 'r2', title: 'Paxos', linkKind: 'search', url: 'https://duckduckgo.com/?q=Paxos' }),
    ],
    buttons: [
      { id: 'qr:read:page:t:0', label: '◀ Prev', disabled: true },
      { id: 'qr:read:page:t:2', label: 'Next ▶' },
      { id: 'qr:read:share:t:1', label: 'Share', style: 'primary' },
    ],
  });
  const blocks = replyBlocks(r) as {
    type: string;
    text?: { text: string };
    accessory?: { action_id: string };
    elements?: { action_id: string; style?: string }[];
  }[];
  assert.deepEqual(
    blocks.map((b) => b.type),
    ['section', 'section', 'section', 'actions'],
  );
  assert.equal(blocks[0]!.text!.text, '*Readings for #raft*: 2 found.');
  assert.match(
    blocks[1]!.text!.text,
    /^1\. \*<https:\/\/raft\.github\.io\/\|Raft>\*\nOngaro · 12 min · `raft` `consensus`\nUnderstandable consensus\.$/,
  );
  assert.equal(blocks[1]!.accessory!.action_id, 'qr:save:reading:r1');
  assert.match(blocks[2]!.text!.text, /\(no verified link — web search\)/);
  // The disabled Prev is omitted: Block Kit buttons have no disabled state.
  assert.deepEqual(
    blocks[3]!.elements!.map((e) => e.action_id),
    ['qr:read:page:t:2', 'qr:read:share:t:1'],
  );
  assert.equal(blocks[3]!.elements![1]!.style, 'primary');
  assert.match(replyFallback(r), /^Readings for #raft: 2 found\.\n• Raft\n• Paxos$/);
});

test('a reading with several actions (Mark read, Remove) gets its own actions row instead of an accessory', () => {
  const r = reply('Your saves', {
    readings: [
      reading({
        actions: [
          { id: 'qr:mark:read:k1', label: 'Mark read', style: 'success' },
          { id: 'qr:unsave:item:k1', label: 'Remove', style: 'danger' },
        ],
      }),
    ],
  });
  const blocks = replyBlocks(r) as {
    type: string;
    accessory?: unknown;
    elements?: { action_id: string; style?: string }[];
  }[];
  assert.deepEqual(
    blocks.map((b) => b.type),
    ['section', 'section', 'actions'],
  );
  assert.equal(blocks[1]!.accessory, undefined);
  assert.deepEqual(
    blocks[2]!.elements!.map((e) => [e.action_id, e.style]),
    [
      ['qr:mark:read:k1', 'primary'],
      ['qr:unsave:item:k1', 'danger'],
    ],
  );
});

test('error replies get a warning marker; long text is split under the 3000-char section limit', () => {
  const r = reply('x'.repeat(10), { status: 'error' });
  assert.equal((replyBlocks(r)[0] as { text: { text: string } }).text.text, ':warning: xxxxxxxxxx');
  const long = Array.from({ length: 400 }, (_, i) => `\`tag-${i}\` (3)`).join(' · ');
  const chunks = chunkText(long);
  assert.ok(chunks.length > 1);
  assert.ok(chunks.every((c) => c.length <= 3000));
  assert.equal(chunks.join(' ').replace(/\s+/g, ' '), long.replace(/\s+/g, ' '));
});

test('message text for saving includes links only found in blocks or attachments', () => {
  const text = messageSaveText({
    text: 'see <https://a.example/x|this>',
    blocks: [
      {
        type: 'rich_text',
        elements: [
          {
            type: 'rich_text_section',
            elements: [
              { type: 'link', url: 'https://b.example/' },
              { type: 'link', url: 'https://a.example/x' },
            ],
          },
        ],
      },
    ],
    attachments: [{ from_url: 'https://c.example/' }],
  });
  assert.equal(text, 'see <https://a.example/x|this>\nhttps://b.example/\nhttps://c.example/');
});

test('mentions: bot mention stripped, "what should I read about" dropped, a leading command name routes to it', () => {
  const names = ['read', 'tags', 'help'];
  assert.deepEqual(parseMention('<@UBOT> what should I read about consensus?', names), {
    name: 'read',
    args: 'consensus',
  });
  assert.deepEqual(parseMention('<@UBOT|quorum> tags consist', names), { name: 'tags', args: 'consist' });
  assert.deepEqual(parseMention('<@UBOT>', names), { name: 'help', args: '' });
  assert.equal(baseReaction(':bookmark::skin-tone-2:'), 'bookmark');
});

/** Every `<` in mrkdwn opens markup that closes with `>` (no cut markup), and the text fits a section. */
function assertWholeMarkup(text: string): void {
  assert.ok(text.length <= 3000, `section is ${text.length} characters`);
  for (const m of text.matchAll(/</g))
    assert.ok(text.indexOf('>', m.index) > m.index, `unclosed < at ${m.index}`);
  assert.doesNotMatch(text, /&(?:a|am|amp|l|lt|g|gt)?…/, 'an entity was cut');
}

test('a saved link whose text passes 3,000 characters is cut in its label, never inside <url|label>', () => {
  const url = `https://example.org/long?q=${'a&b'.repeat(200)}`;
  const long = reading({
    title: `A & B ${'very long title '.repeat(250)}`,
    url,
    summary: 'summary & more '.repeat(200),
    saved: { id: 'abc12345', savedAt: '2026-01-01T00:00:00Z', read: false, note: 'note <&> '.repeat(100) },
  });
  const blocks = replyBlocks(reply('Your saves', { readings: [long, reading()] }));
  const texts = blocks.flatMap((b) => (b.type === 'section' && b.text ? [b.text.text] : []));
  for (const t of texts) assertWholeMarkup(t);
  const first = texts.find((t) => t.includes('example.org/long'))!;
  // The whole URL survives (entity-escaped), the label is what got cut.
  assert.ok(first.includes(`<${sanitizeUrl(url)}|A &amp; B very long title`));

  // A URL too long for any section is left out; the label is still shown.
  const huge = replyBlocks(
    reply('', { readings: [reading({ url: `https://example.org/${'x'.repeat(3100)}` })] }),
  );
  const t = (huge[0] as { text: { text: string } }).text.text;
  assertWholeMarkup(t);
  assert.match(t, /Raft/);

  // Long reply text is chunked without cutting an entity.
  for (const c of chunkText(`${'x'.repeat(2998)}&amp;${'y'.repeat(10)}`)) assertWholeMarkup(c);
});
