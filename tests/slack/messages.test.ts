// Real-shaped Slack payloads (issue 13): entity-encoded text, links in blocks and attachments, thread
// replies, channels the bot cannot read, Enterprise Grid. Each fixture follows the shape of Slack's
// documented examples (Events API reaction_added, message_action shortcuts, conversations.replies).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Caller } from '../../src/caller.ts';
import { CHANNEL, TEAM, USER, sectionTexts, startHarness, type Harness } from './harness.ts';
import { slackEncode } from './fake-slack.ts';

const me: Caller = {
  platform: 'slack',
  workspaceId: TEAM,
  userId: USER,
  channelId: CHANNEL,
  canManageChannel: false,
};

async function savedUrls(h: Harness): Promise<string[]> {
  return (await h.core.services.saves.list(me)).map((e) => e.url);
}

/** React with 🔖 to `ts` in `channel`; resolves with the first ephemeral or DM the bot sends after. */
async function react(h: Harness, channel: string, ts: string) {
  const from = h.mark();
  await h.event({
    type: 'reaction_added',
    user: USER,
    reaction: 'bookmark',
    item: { type: 'message', channel, ts },
    item_user: 'U9',
    event_ts: `${Date.now()}.000001`,
  });
  return h.fake.waitFor(
    (r) => r.kind === 'api' && (r.name === 'chat.postEphemeral' || r.name === 'chat.postMessage'),
    from,
  );
}

describe('Slack text encoding (kind 1)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.stop();
  });

  test('the fake encodes like Slack: &, <, > as entities outside its own <…> markup', () => {
    assert.equal(
      slackEncode('a < b & c > d <https://x.example/?a=1&b=2|x & y> <@U1>'),
      'a &lt; b &amp; c &gt; d <https://x.example/?a=1&amp;b=2|x &amp; y> <@U1>',
    );
  });

  test('saving `watch <https://www.youtube.com/watch?v=abc123&t=42s>` stores &t=42s and echoes it encoded once', async () => {
    const from = h.mark();
    await h.shortcut({
      ts: '1700000101.000100',
      text: 'watch <https://www.youtube.com/watch?v=abc123&t=42s>',
    });
    const eph = await h.fake.waitForApi('chat.postEphemeral', from);
    const urls = await savedUrls(h);
    const saved = urls.find((u) => u.includes('abc123'));
    assert.ok(saved, `saved: ${urls.join(' ')}`);
    assert.match(saved, /v=abc123&t=42s/);
    assert.doesNotMatch(saved, /&amp;/);
    const sent = JSON.stringify(eph.body);
    assert.doesNotMatch(sent, /&amp;amp;/);
    // Echoed as mrkdwn, the & is encoded exactly once (Slack decodes it back to &t=42s).
    assert.match(sent, /v=abc123&amp;t=42s/);
  });

  test('a slash command, a mention and a reaction target are decoded before parsing', async () => {
    const r = await h.slash('/save', 'https://jepsen.io/analyses?a=1&b=2 #jepsen');
    assert.doesNotMatch(JSON.stringify(r.body), /&amp;amp;|:warning:/);
    assert.ok((await savedUrls(h)).some((u) => /a=1&b=2/.test(u)));

    const msg = h.fake.addMessage('C21', { text: 'R&D <https://example.org/r?x=1&y=2|R&D notes>' });
    await react(h, 'C21', msg.ts);
    assert.ok((await savedUrls(h)).some((u) => /x=1&y=2/.test(u)));

    const m = h.mark();
    await h.event({
      type: 'app_mention',
      user: USER,
      channel: 'C22',
      ts: '1700000300.000100',
      text: '<@UBOT> raft & paxos',
    });
    const post = await h.fake.waitForApi('chat.postMessage', m);
    assert.doesNotMatch(JSON.stringify(post.body), /&amp;amp;/);
  });
});

describe('links in blocks and attachments (kind 2)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.stop();
  });

  test("🔖 on a feed bot's post saves the links in its attachments and blocks", async () => {
    // The shape an RSS app posts: no text of its own, a legacy attachment and a rich_text block.
    const post = h.fake.addMessage('C31', {
      type: 'message',
      subtype: 'bot_message',
      bot_id: 'B0FEED',
      text: '',
      attachments: [
        {
          fallback: 'Paxos Made Simple',
          title: 'Paxos Made Simple',
          title_link: 'https://lamport.azurewebsites.net/pubs/paxos-simple.pdf',
          text: 'Also see <https://www.microsoft.com/en-us/research/publication/part-time-parliament/|The Part-Time Parliament>',
          from_url: 'https://feeds.example.org/distsys',
        },
      ],
      blocks: [
        {
          type: 'rich_text',
          block_id: 'f1',
          elements: [
            {
              type: 'rich_text_section',
              elements: [
                { type: 'text', text: 'New: ' },
                {
                  type: 'link',
                  url: 'https://raft.github.io/raft.pdf',
                  text: 'In Search of an Understandable Consensus Algorithm',
                },
              ],
            },
          ],
        },
        { type: 'section', text: { type: 'mrkdwn', text: 'Via <https://jepsen.io/analyses|Jepsen>' } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'from <https://aphyr.com/posts|aphyr>' }] },
      ],
    } as never);
    const answer = await react(h, 'C31', post.ts);
    assert.doesNotMatch(JSON.stringify(answer.body), /is not a link|no link/i);
    const urls = (await savedUrls(h)).join(' ');
    for (const u of [
      'paxos-simple.pdf',
      'part-time-parliament',
      'raft.github.io/raft.pdf',
      'jepsen.io/analyses',
      'aphyr.com/posts',
      'feeds.example.org',
    ])
      assert.ok(urls.includes(u), `${u} in ${urls}`);
  });

  test("🔖 on the bot's own tag-of-the-day post saves its readings' links", async () => {
    const before = (await h.core.services.saves.list(me)).length;
    const reply = await h.core.runCommand(me, 'read', 'raft');
    const from = h.mark();
    await h.adapter.post('C32', { ...reply, placement: 'channel' });
    const sent = await h.fake.waitForApi('chat.postMessage', from);
    const links = sectionTexts(sent.body).flatMap((t) =>
      [...t.matchAll(/<(https?:[^|>]+)\|/g)].map((m) => m[1]!),
    );
    assert.ok(links.length >= 2);
    // Slack stores the bot's message as posted: text is the fallback (titles only), links in blocks.
    const msg = h.fake.addMessage('C32', {
      bot_id: 'BBOT',
      text: String(sent.body.text),
      blocks: sent.body.blocks as unknown[],
    });
    const answer = await react(h, 'C32', msg.ts);
    assert.doesNotMatch(JSON.stringify(answer.body), /is not a link|no link/i);
    // Every reading the post links is saved once (as its link, or as the catalog reading it is).
    const saved = await h.core.services.saves.list(me);
    assert.equal(saved.length - before, new Set(links).size);
  });
});

describe('threads (kind 9)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.stop();
  });

  test('🔖 on a thread reply saves that reply (not the parent) and answers in the thread', async () => {
    const parent = h.fake.addMessage('C41', {
      text: 'Reading group thread <https://parent.example.org/p>',
      reply_count: 2,
    } as never);
    h.fake.addMessage('C41', { text: 'first <https://first.example.org/r1>', thread_ts: parent.ts });
    const second = h.fake.addMessage('C41', {
      text: 'second <https://second.example.org/r2>',
      thread_ts: parent.ts,
    });
    // conversations.replies returns the parent first, as Slack does.
    const replies = await h.adapter.app.client.conversations.replies({
      channel: 'C41',
      ts: second.ts,
      limit: 1,
    });
    assert.equal(replies.messages?.[0]?.ts, parent.ts);

    const answer = await react(h, 'C41', second.ts);
    assert.equal(answer.name, 'chat.postEphemeral');
    assert.equal(answer.body.thread_ts, parent.ts);
    const urls = (await savedUrls(h)).join(' ');
    assert.ok(urls.includes('second.example.org'));
    assert.ok(!urls.includes('parent.example.org'));
    assert.ok(!urls.includes('first.example.org'));
  });

  test('the "Save links" shortcut on a thread reply answers in the thread, never at the channel root', async () => {
    const from = h.mark();
    await h.shortcut({
      ts: '1700000500.000300',
      thread_ts: '1700000500.000100',
      text: 'https://thread.example.org/x',
    });
    const eph = await h.fake.waitForApi('chat.postEphemeral', from);
    assert.equal(eph.body.thread_ts, '1700000500.000100');
    assert.equal(
      h.fake.calls('chat.postMessage').filter((r) => h.fake.requests.indexOf(r) >= from).length,
      0,
    );
  });
});

describe('messages the bot cannot read (kind 12)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.stop();
  });

  for (const [error, setUp] of [
    ['not_in_channel', (x: Harness) => x.fake.channels.set('C51', { is_member: false })],
    ['channel_not_found', (x: Harness) => x.fake.channels.set('C51', null)],
  ] as const) {
    test(`${error}: the person gets a DM saying how to fix it (ephemeral is refused there too)`, async () => {
      h.fake.channels.delete('C51');
      const msg = h.fake.addMessage('C51', { text: 'https://jepsen.io/' });
      setUp(h);
      const from = h.mark();
      const answer = await react(h, 'C51', msg.ts);
      const dm =
        answer.name === 'chat.postMessage' ? answer : await h.fake.waitForApi('chat.postMessage', from);
      assert.equal(dm.body.channel, USER);
      assert.match(JSON.stringify(dm.body), /not in that conversation.*\/invite @Quorum/);
    });
  }

  test('when only reading fails (a private channel the bot left), the explanation is ephemeral in place', async () => {
    h.fake.channels.delete('C51');
    h.fake.on('conversations.history', () => ({ ok: false, error: 'not_in_channel' }));
    const answer = await react(h, 'C52', '1700000600.000100');
    assert.equal(answer.name, 'chat.postEphemeral');
    assert.equal(answer.body.channel, 'C52');
    assert.match(JSON.stringify(answer.body), /Save links/);
  });
});

describe('Enterprise Grid and DMs (payload fixtures)', () => {
  test('an org-wide install: events with enterprise_id, shortcuts with team null; saves work and answer in place', async () => {
    const h = await startHarness();
    try {
      const msg = h.fake.addMessage('C61', { text: 'https://jepsen.io/consistency' });
      let from = h.mark();
      await h.event(
        {
          type: 'reaction_added',
          user: 'W123',
          reaction: 'bookmark',
          item: { type: 'message', channel: 'C61', ts: msg.ts },
          event_ts: '1.1',
        },
        {
          enterprise_id: 'E0GRID',
          is_ext_shared_channel: false,
          authorizations: [
            {
              enterprise_id: 'E0GRID',
              team_id: null,
              user_id: 'UBOT',
              is_bot: true,
              is_enterprise_install: true,
            },
          ],
        },
      );
      const eph = await h.fake.waitForApi('chat.postEphemeral', from);
      assert.equal(eph.body.user, 'W123');
      assert.doesNotMatch(JSON.stringify(eph.body), /:warning:/);

      from = h.mark();
      await h.fake.send('interactive', {
        type: 'message_action',
        callback_id: 'save_links',
        token: 'legacy',
        trigger_id: 't-grid',
        team: null,
        enterprise: { id: 'E0GRID', name: 'Grid Org' },
        is_enterprise_install: true,
        user: { id: 'W123', team_id: 'T1', name: 'someone' },
        channel: { id: 'C61', name: 'general' },
        message_ts: msg.ts,
        message: { type: 'message', ts: msg.ts, text: 'https://jepsen.io/analyses' },
        response_url: h.fake.respondUrl(),
      });
      const again = await h.fake.waitForApi('chat.postEphemeral', from);
      assert.equal(again.body.user, 'W123');
      assert.doesNotMatch(JSON.stringify(again.body), /:warning:/);
    } finally {
      await h.stop();
    }
  });

  test('🔖 in a DM with the bot (channel D…) is read from the DM history and answered there', async () => {
    const h = await startHarness();
    try {
      const msg = h.fake.addMessage('D0DM', {
        text: 'for later <https://www.the-paper-trail.org/>',
        user: USER,
      });
      const answer = await react(h, 'D0DM', msg.ts);
      assert.equal(answer.body.channel, 'D0DM');
      assert.ok((await savedUrls(h)).some((u) => u.includes('the-paper-trail.org')));
    } finally {
      await h.stop();
    }
  });
});

describe('export sizes (kind 13)', () => {
  /** Save `n` links of ~1 KB through the core, 20 per message (the per-message cap). */
  async function saveMany(h: Harness, n: number): Promise<void> {
    const links = Array.from({ length: n }, (_, i) => `https://example.org/${i}?q=${'z'.repeat(1000)}`);
    for (let i = 0; i < links.length; i += 20)
      await h.core.services.saves.saveText(me, links.slice(i, i + 20).join(' '));
  }

  test('/export over the upload limit is cut into parts that each fit; the reply lists them', async () => {
    const h = await startHarness({ maxUploadBytes: 20_000 });
    try {
      h.fake.maxFileBytes = 20_000;
      await saveMany(h, 60);
      const from = h.mark();
      const { body } = await h.slash('/export', '');
      const uploads = h.fake
        .calls('files.getUploadURLExternal')
        .filter((r) => h.fake.requests.indexOf(r) >= from);
      assert.ok(uploads.length >= 6, `${uploads.length} uploads`);
      for (const u of uploads)
        assert.ok(
          Number(u.body.length) <= 20_000,
          `${String(u.body.filename)} is ${String(u.body.length)} bytes`,
        );
      assert.ok(uploads.some((u) => /part1-of-\d+\.html$/.test(String(u.body.filename))));
      const text = sectionTexts(body).join('\n');
      assert.match(text, /Sent .*part1-of-\d+\.html.*direct messages/);
      assert.doesNotMatch(text, /couldn't|:warning:/);
    } finally {
      await h.stop();
    }
  });

  test('a workspace that restricts large uploads (file_upload_size_restricted) is told what to do', async () => {
    const h = await startHarness();
    try {
      h.fake.maxFileBytes = 5_000;
      await saveMany(h, 20);
      const { body } = await h.slash('/export', '');
      const text = sectionTexts(body).join('\n');
      assert.match(text, /restricts uploads of large files.*Ask a workspace admin/);
    } finally {
      await h.stop();
    }
  });
});
