// Saving from chat (shortcut, reaction), App Home, @-mentions, tag of the day and the no-ping guarantee.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testCore } from '../helpers/core.ts';
import { CHANNEL, USER, sectionTexts, startHarness, strings, type Harness } from './harness.ts';

const PINGS = '<!channel> @here <@U123> <!subteam^S1> <!everyone> @channel';

/** Nothing we sent may contain a mention form Slack would turn into a ping. */
function assertNoPings(h: Harness, from: number): void {
  const sent = h.fake.requests.slice(from).filter((r) => r.kind === 'respond' || r.kind === 'api');
  for (const r of sent) {
    for (const { path, value } of strings(r.body)) {
      assert.doesNotMatch(value, /<[!@#]/, `${r.name} ${path}: ${value.slice(0, 120)}`);
      assert.doesNotMatch(value, /@(here|channel|everyone)\b/i, `${r.name} ${path}: ${value.slice(0, 120)}`);
    }
  }
}

describe('saving from chat', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.stop();
  });

  test('the "Save links" message shortcut saves the message links for the user and confirms ephemerally', async () => {
    const from = h.mark();
    await h.shortcut({
      ts: '1700000001.000100',
      text: 'read <https://raft.github.io/|the raft site> and https://jepsen.io/',
      user: 'U9',
    });
    const eph = await h.fake.waitForApi('chat.postEphemeral', from);
    assert.equal(eph.body.user, USER);
    assert.equal(eph.body.channel, CHANNEL);
    assert.doesNotMatch(JSON.stringify(eph.body), /There is no/);
    const saved = await h.core.runCommand(
      { platform: 'slack', workspaceId: 'T1', userId: USER, channelId: CHANNEL, canManageChannel: false },
      'saved',
      '',
    );
    assert.ok(saved.readings.some((v) => v.url.includes('raft.github.io')));
  });

  test('when postEphemeral is refused (bot not in channel) the shortcut answers through its response_url', async () => {
    const from = h.mark();
    h.fake.on('chat.postEphemeral', () => ({ ok: false, error: 'not_in_channel' }));
    await h.shortcut({ ts: '1700000002.000100', text: 'https://jepsen.io/' });
    const r = await h.fake.waitFor((x) => x.kind === 'respond', from);
    assert.equal(r.body.response_type, 'ephemeral');
  });

  test(`reacting with the save reaction fetches the message (history, or replies for a thread reply) and confirms ephemerally`, async () => {
    const top = h.fake.addMessage('C7', {
      text: 'Great post <https://www.allthingsdistributed.com/|AWD>',
      user: 'U9',
    });
    let from = h.mark();
    await h.event({
      type: 'reaction_added',
      user: USER,
      reaction: 'bookmark',
      item: { type: 'message', channel: 'C7', ts: top.ts },
      item_user: 'U9',
      event_ts: '1.2',
    });
    let eph = await h.fake.waitForApi('chat.postEphemeral', from);
    const history = h.fake.calls('conversations.history').at(-1)!;
    assert.equal(history.body.channel, 'C7');
    assert.equal(eph.body.channel, 'C7');
    assert.equal(eph.body.user, USER);

    const reply = h.fake.addMessage('C7', {
      text: 'and <https://jepsen.io/analyses|this>',
      thread_ts: top.ts,
      user: 'U9',
    });
    from = h.mark();
    await h.event({
      type: 'reaction_added',
      user: USER,
      reaction: 'bookmark::skin-tone-3',
      item: { type: 'message', channel: 'C7', ts: reply.ts },
      event_ts: '1.3',
    });
    eph = await h.fake.waitForApi('chat.postEphemeral', from);
    assert.ok(h.fake.calls('conversations.replies').length >= 1);
    assert.doesNotMatch(JSON.stringify(eph.body), /There is no|can't read/);
  });

  test('other reactions are ignored; an unreadable message gets an explanation', async () => {
    const from = h.mark();
    await h.event({
      type: 'reaction_added',
      user: USER,
      reaction: 'thumbsup',
      item: { type: 'message', channel: 'C7', ts: '1.1' },
      event_ts: '1.4',
    });
    // Then an unreadable one: the fake has no message with this ts.
    h.fake.on('conversations.history', () => ({ ok: false, error: 'not_in_channel' }));
    await h.event({
      type: 'reaction_added',
      user: USER,
      reaction: 'bookmark',
      item: { type: 'message', channel: 'C8', ts: '9.9' },
      event_ts: '1.5',
    });
    const eph = await h.fake.waitForApi('chat.postEphemeral', from);
    assert.equal(eph.body.channel, 'C8');
    assert.match(JSON.stringify(eph.body), /can't read that message/);
    // The thumbsup event (delivered first) caused no Slack call of its own.
    assert.equal(
      h.fake
        .calls('conversations.history')
        .filter((r) => h.fake.requests.indexOf(r) >= from && r.body.channel === 'C7').length,
      0,
    );
  });

  test('a redelivered event (same event_id) is handled once', async () => {
    const msg = h.fake.addMessage('C9', { text: 'https://jepsen.io/' });
    const from = h.mark();
    const event = {
      type: 'reaction_added',
      user: USER,
      reaction: 'bookmark',
      item: { type: 'message', channel: 'C9', ts: msg.ts },
      event_ts: '1.6',
    };
    await h.event(event, { event_id: 'EvSAME' });
    await h.fake.waitForApi('chat.postEphemeral', from);
    await h.event(event, { event_id: 'EvSAME', retry_attempt: 1, retry_reason: 'timeout' });
    await h.waitLog((l) => l.msg === 'slack: duplicate event ignored' && l.eventId === 'EvSAME');
    const since = h.fake.requests.slice(from);
    assert.equal(since.filter((r) => r.name === 'conversations.history').length, 1);
    assert.equal(since.filter((r) => r.name === 'chat.postEphemeral').length, 1);
  });
});

describe('App Home and mentions', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.stop();
  });

  test('opening the Home tab publishes usage for every command and the latest saves (or help)', async () => {
    const from = h.mark();
    await h.event({ type: 'app_home_opened', user: USER, channel: 'DU1', tab: 'home' });
    const pub = await h.fake.waitForApi('views.publish', from);
    assert.equal(pub.body.user_id, USER);
    const view = pub.body.view as { type: string; blocks: { type: string; text?: { text: string } }[] };
    assert.equal(view.type, 'home');
    const text = view.blocks.map((b) => b.text?.text ?? '').join('\n');
    for (const c of h.core.commands) assert.ok(text.includes(`/${c.name}`), `home mentions /${c.name}`);
    assert.match(text, /Your latest saves/);
    // The Messages tab does not republish.
    const n = h.fake.calls('views.publish').length;
    await h.event({ type: 'app_home_opened', user: USER, channel: 'DU1', tab: 'messages' });
    await h.event({ type: 'app_home_opened', user: 'U2', channel: 'DU2', tab: 'home' });
    await h.fake.waitFor((r) => r.name === 'views.publish' && r.body.user_id === 'U2', from);
    assert.equal(h.fake.calls('views.publish').length, n + 1);
  });

  test('buttons pressed in the Home tab (no response_url) act and republish the Home view', async () => {
    await h.slash('/save', 'https://jepsen.io/analyses #testing', { user: 'UHOME' });
    let from = h.mark();
    await h.event({ type: 'app_home_opened', user: 'UHOME', channel: 'DUHOME', tab: 'home' });
    const first = await h.fake.waitForApi('views.publish', from);
    type View = { blocks: { type: string; text?: { text: string }; elements?: { action_id: string }[] }[] };
    const view = first.body.view as View;
    assert.ok(view.blocks.some((b) => b.text?.text.includes('jepsen.io')));
    const markRead = view.blocks
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.action_id.startsWith('qr:mark:read:'));
    assert.ok(markRead, 'the saved item has a Mark read button');

    from = h.mark();
    await h.fake.send('interactive', {
      type: 'block_actions',
      team: { id: 'T1' },
      user: { id: 'UHOME', team_id: 'T1' },
      api_app_id: 'A1',
      token: 'legacy',
      container: { type: 'view', view_id: 'V1' },
      view: { id: 'V1', type: 'home', blocks: [] },
      trigger_id: 't',
      actions: [
        {
          type: 'button',
          action_id: markRead.action_id,
          value: markRead.action_id,
          block_id: 'b',
          action_ts: '1',
        },
      ],
    });
    const again = await h.fake.waitForApi('views.publish', from);
    assert.equal(again.body.user_id, 'UHOME');
    const blocks = (again.body.view as View).blocks;
    assert.ok(
      blocks.flatMap((b) => b.elements ?? []).some((e) => e.action_id.startsWith('qr:mark:unread:')),
      'now shown as read',
    );
  });

  test('"@Quorum what should I read about consensus?" is answered with /read results in the thread', async () => {
    const from = h.mark();
    await h.event({
      type: 'app_mention',
      user: USER,
      channel: 'C5',
      ts: '1700000100.000100',
      text: '<@UBOT> what should I read about consensus?',
    });
    const post = await h.fake.waitForApi('chat.postMessage', from);
    assert.equal(post.body.channel, 'C5');
    assert.equal(post.body.thread_ts, '1700000100.000100');
    assert.equal(String(post.body.unfurl_links), 'false');
    const texts = sectionTexts(post.body);
    assert.match(texts[0]!, /Readings for/);
    assert.ok(texts.some((t) => /<https?:\/\//.test(t)));
    // No paging buttons in a shared thread answer.
    const ids = (post.body.blocks as { elements?: { action_id: string }[] }[]).flatMap(
      (b) => b.elements?.map((e) => e.action_id) ?? [],
    );
    assert.ok(!ids.some((id) => /^qr:read:(?:page|share):/.test(id)), ids.join(' '));
  });
});

describe('nothing the bot sends can ping', () => {
  test('mentions fed as a query, a message to save, a mention and a reaction come back escaped everywhere', async () => {
    const h = await startHarness();
    try {
      const from = h.mark();
      await h.slash('/read', PINGS);
      await h.slash('/tags', PINGS);
      await h.slash(`/read`, `raft ${PINGS}`);
      await h.shortcut({ ts: '1700000003.000100', text: `${PINGS} https://jepsen.io/` });
      await h.fake.waitForApi('chat.postEphemeral', from);
      const msg = h.fake.addMessage('C3', { text: `${PINGS} <https://raft.github.io/|${PINGS}>` });
      const before = h.mark();
      await h.event({
        type: 'reaction_added',
        user: USER,
        reaction: 'bookmark',
        item: { type: 'message', channel: 'C3', ts: msg.ts },
        event_ts: '2.1',
      });
      await h.fake.waitForApi('chat.postEphemeral', before);
      const m = h.mark();
      await h.event({
        type: 'app_mention',
        user: USER,
        channel: 'C5',
        ts: '1700000200.000100',
        text: `<@UBOT> ${PINGS}`,
      });
      // Mentions are not searched, so a mention of nothing but pings gets the "give a topic" error,
      // which Slack shows to the asker alone (an ephemeral in the thread).
      const answer = await h.fake.waitFor(
        (r) => r.kind === 'api' && (r.name === 'chat.postMessage' || r.name === 'chat.postEphemeral'),
        m,
      );
      assert.equal(answer.name, 'chat.postEphemeral');
      assert.ok(h.fake.requests.slice(from).filter((r) => r.kind === 'respond').length >= 3);
      assertNoPings(h, from);
    } finally {
      await h.stop();
    }
  });
});

describe('tag of the day', () => {
  test('the scheduler posts through the adapter: chat.postMessage with blocks to the channel, no unfurls; a server error is a failure to retry after a backoff', async () => {
    let now = Date.parse('2025-03-03T08:00:00Z');
    const core = await testCore({ clock: { now: () => now }, env: { SLACK_ADMIN_USER_IDS: 'UADM' } });
    const h = await startHarness({ core, env: { SLACK_ADMIN_USER_IDS: 'UADM' } });
    try {
      const sub = await h.slash('/tagoftheday', 'subscribe 09:00 UTC', { user: 'UADM', channel: 'CDAILY' });
      assert.doesNotMatch(sectionTexts(sub.body).join('\n'), /Only people/);
      assert.ok(h.adapter.poster.platforms?.includes('slack'));

      now = Date.parse('2025-03-03T09:01:00Z');
      h.fake.on('chat.postMessage', () => ({ ok: false, error: 'fatal_error' }));
      const failed = await core.services.tagOfTheDay.tick(h.adapter.poster, now);
      assert.equal(failed.posted.length, 0);
      assert.equal(failed.failed.length, 1);

      now += 61_000; // the first retry waits a minute
      const from = h.mark();
      const ok = await core.services.tagOfTheDay.tick(h.adapter.poster, now);
      assert.equal(ok.posted.length, 1);
      const post = h.fake
        .calls('chat.postMessage')
        .filter((r) => h.fake.requests.indexOf(r) >= from && r.body.channel === 'CDAILY');
      assert.equal(post.length, 1);
      assert.equal(String(post[0]!.body.unfurl_links), 'false');
      assert.equal(String(post[0]!.body.unfurl_media), 'false');
      const texts = sectionTexts(post[0]!.body);
      assert.match(texts[0]!, /^\*Tag of the day: /);
      assert.ok(texts.slice(1).every((x) => /^\d\. \*<https?:/.test(x) || /^\*<https?:/.test(x)));
    } finally {
      await h.stop();
    }
  });
});
