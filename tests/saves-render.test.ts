import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderReply } from '../adapters/discord/render.ts';
import { replyMessage } from '../adapters/slack/blocks.ts';
import { renderText } from '../adapters/console/render.ts';
import { caller, testCore } from './helpers/core.ts';
import type { Core } from '../src/core.ts';
import type { Reply } from '../src/reply.ts';

const PHISH = '[Verify your account](https://evil.example/phish)';
/** A markdown masked link that Discord would render: `[label](url)` not preceded by a backslash. */
const MASKED = /(?<!\\)\[[^\]\n]*\]\([^)\n]*\)/;

async function savedWithTitle(core: Core, title: string): Promise<{ confirm: Reply; list: Reply }> {
  const me = caller();
  // The fetched title is what the page said; stored as the save's title.
  const saved = await core.services.saves.saveText(me, 'https://a.example/p', { note: PHISH });
  assert.ok('added' in saved);
  await core.services.saves.change(me, saved.added[0]!.key, (i) => ({ ...i, title }));
  const confirm = await core.run(me, `/mark ${saved.added[0]!.id}`);
  return { confirm, list: await core.run(me, '/saved') };
}

test('untrusted titles and notes cannot become masked links on Discord (issue 13, kind 8)', async () => {
  const core = await testCore();
  const { confirm, list } = await savedWithTitle(core, PHISH);
  assert.ok(confirm.text.includes(PHISH), 'the core keeps the title as the page gave it');
  for (const r of [confirm, list]) {
    const d = renderReply(r);
    assert.ok(!MASKED.test(d.content), d.content);
    for (const e of d.embeds) {
      const texts = [e.title ?? '', e.description ?? '', ...(e.fields ?? []).map((f) => f.value)];
      for (const t of texts) assert.ok(!MASKED.test(t), t);
    }
  }
  // The title text is still all there for the reader.
  const title = renderReply(list).embeds[0]!.title!;
  assert.match(title, /Verify your account/);
  assert.match(title, /evil\.example\/phish/);
  await core.close();
});

test('untrusted text cannot form Slack links or mentions in mrkdwn (issue 13, kind 8)', async () => {
  const core = await testCore();
  const { list } = await savedWithTitle(core, '<https://evil.example|Bank> <!channel> & *bold*');
  const m = replyMessage(list);
  const json = JSON.stringify(m.blocks);
  assert.ok(!json.includes('<https://evil.example'), json);
  assert.ok(!json.includes('<!channel>'), json);
  assert.match(json, /&lt;https:\/\/evil.example∣Bank&gt;/);
  // The console prints text as text.
  assert.match(renderText(list), /<https:\/\/evil.example\|Bank>/);
  await core.close();
});
