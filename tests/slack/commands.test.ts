// Slash commands and buttons over Socket Mode: real Bolt, real core, fake Slack on 127.0.0.1.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Core } from '../../src/core.ts';
import { testCore } from '../helpers/core.ts';
import { sectionTexts, startHarness, type Harness } from './harness.ts';

type Block = {
  type: string;
  text?: { text: string };
  accessory?: { action_id: string; value: string };
  elements?: { action_id: string; value: string; text: { text: string } }[];
};
const blocksOf = (body: Record<string, unknown>) => (body.blocks ?? []) as Block[];
const actionIds = (body: Record<string, unknown>) =>
  blocksOf(body).flatMap((b) => b.elements?.map((e) => e.action_id) ?? []);

/** The numbered reading sections of a list reply. */
const readingSections = (body: Record<string, unknown>) =>
  blocksOf(body).filter((b) => b.type === 'section' && /^\d+\. /.test(b.text?.text ?? ''));
/** Per-reading buttons (Save, Done) sit in a row under each reading. */
const READING_ACTION = /^qr:(?:save|done):reading:/;
/** The list's own buttons (paging, Share), without the per-reading ones. */
const listIds = (body: Record<string, unknown>) => actionIds(body).filter((id) => !READING_ACTION.test(id));

describe('slash commands', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.stop();
  });

  test('/read consensus: acked at once, then an ephemeral Block Kit answer with linked titles, Save and Done under each', async () => {
    const { ack, body } = await h.slash('/read', 'consensus');
    assert.deepEqual(ack, {}); // empty ack: the answer goes to response_url
    assert.equal(body.response_type, 'ephemeral');
    assert.equal(body.unfurl_links, false);
    const texts = sectionTexts(body);
    assert.match(texts[0]!, /^\*Readings for #consensus\*: \d+ found, page 1 of \d+\.$/);
    const readings = readingSections(body);
    assert.equal(readings.length, 5);
    for (const b of readings) assert.match(b.text!.text, /^\d\. \*<https?:\/\/[^|<>\s]+\|[^<>]+>\*/);
    const perReading = actionIds(body).filter((id) => READING_ACTION.test(id));
    assert.equal(perReading.filter((id) => id.startsWith('qr:save:reading:')).length, 5);
    assert.equal(perReading.filter((id) => id.startsWith('qr:done:reading:')).length, 5);
    assert.ok(readings.some((b) => b.text!.text.includes('`consensus`')));
    // Prev is disabled on page 1, so only Next and Share are shown.
    const ids = listIds(body);
    assert.equal(ids.length, 2);
    assert.match(ids[0]!, /^qr:read:page:[\w-]+:2$/);
    assert.match(ids[1]!, /^qr:read:share:[\w-]+:1$/);
    assert.equal(typeof body.text, 'string');
  });

  test("/read zookeeper: the paper the lecture assigns is linked on the lecture notes' section, not a section of its own", async () => {
    const { body } = await h.slash('/read', 'zookeeper');
    const readings = readingSections(body).map((b) => b.text!.text);
    assert.match(readings[0]!, /Lecture 8 - ZooKeeper/);
    assert.match(
      readings[0]!,
      /\n:page_facing_up: With the paper: <https:\/\/pdos\.csail\.mit\.edu\/6\.824\/papers\/zookeeper\.pdf\|ZooKeeper: Wait-free coordination for Internet-scale systems> \(Hunt et al\. · USENIX ATC 2010\)/,
    );
    assert.equal(readings.filter((t) => t.includes('Wait-free coordination')).length, 1);
  });

  test('/tags lists topics in mrkdwn sections under the size limit', async () => {
    const { body } = await h.slash('/tags', '');
    const texts = sectionTexts(body);
    assert.match(texts[0]!, /^\*\d+ topics\*/);
    assert.ok(texts.join('\n').includes('`raft` ('));
    assert.ok(texts.every((t) => t.length <= 3000));
  });

  test('/help lists every core command', async () => {
    const { body } = await h.slash('/help', '');
    const text = sectionTexts(body).join('\n');
    for (const c of h.core.commands) assert.ok(text.includes(`/${c.name}`), `help mentions /${c.name}`);
  });

  test('every core command is routed generically (no unknown-command answers)', async () => {
    for (const c of h.core.commands) {
      const { body } = await h.slash(`/${c.name}`, '');
      assert.doesNotMatch(sectionTexts(body).join('\n'), /There is no/, `/${c.name}`);
    }
  });

  test('/tagoftheday needs a channel manager: Slack workspace admins (users.info) and SLACK_ADMIN_USER_IDS', async () => {
    h.fake.users.set('UPLAIN', { is_admin: false });
    h.fake.users.set('UADMIN', { is_admin: true, tz: 'Europe/Berlin' });
    const denied = await h.slash('/tagoftheday', 'subscribe 09:00', { user: 'UPLAIN', channel: 'CTOD1' });
    assert.match(sectionTexts(denied.body).join('\n'), /Only people who can manage this channel/);
    const allowed = await h.slash('/tagoftheday', 'subscribe 09:00', { user: 'UADMIN', channel: 'CTOD1' });
    assert.doesNotMatch(sectionTexts(allowed.body).join('\n'), /Only people who can manage/);
    const status = await h.slash('/tagoftheday', 'status', { user: 'UPLAIN', channel: 'CTOD1' });
    assert.match(sectionTexts(status.body).join('\n'), /Europe\/Berlin/); // the zone users.info reported
    const preview = await h.slash('/tagoftheday', 'preview', { channel: 'CTOD1' });
    assert.ok(blocksOf(preview.body).some((b) => b.text?.text.includes('<http')));
  });

  test('users.info is called only for commands that read admin status or time zone', async () => {
    const infoFor = (user: string) =>
      h.fake.calls('users.info').filter((c) => (c.body as { user?: string }).user === user).length;
    await h.slash('/read', 'raft', { user: 'UNEWREADER' });
    await h.slash('/save', 'https://example.com/new-reader #raft', { user: 'UNEWREADER' });
    assert.equal(infoFor('UNEWREADER'), 0, '/read and /save need no profile');
    await h.slash('/tagoftheday', 'status', { user: 'UNEWREADER', channel: 'CINFO' });
    assert.equal(infoFor('UNEWREADER'), 1, '/tagoftheday reads admin status and zone');
    await h.slash('/quorum', 'tagoftheday status', { user: 'UNEWREADER', channel: 'CINFO' });
    assert.equal(infoFor('UNEWREADER'), 1, 'then the cached profile serves');
  });

  test('an unknown slash command gets a short ephemeral pointer to /help', async () => {
    const { body } = await h.slash('/nosuch', 'x');
    assert.equal(body.response_type, 'ephemeral');
    assert.match(sectionTexts(body)[0]!, /There is no `\/nosuch` command/);
  });
});

describe('buttons', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.stop();
  });

  test('Next replaces the ephemeral list with page 2; Share posts the page to the channel without buttons', async () => {
    const { body } = await h.slash('/read', 'consensus');
    const next = actionIds(body).find((id) => id.includes(':page:'))!;
    const page2 = await h.press(next);
    assert.equal(page2.replace_original, true);
    assert.equal(page2.response_type, 'ephemeral');
    assert.match(sectionTexts(page2)[0]!, /page 2 of/);
    assert.match(readingSections(page2)[0]!.text!.text, /^6\. /);
    const ids2 = listIds(page2);
    assert.equal(ids2.filter((id) => id.includes(':page:')).length, 2); // Prev and Next

    const share = ids2.find((id) => id.includes(':share:'))!;
    const shared = await h.press(share);
    assert.equal(shared.response_type, 'in_channel');
    assert.equal(shared.replace_original, false);
    assert.equal(listIds(shared).length, 0);
    assert.match(sectionTexts(shared)[0]!, /page 2 of/);
  });

  test('an expired paging token answers with a new ephemeral message and keeps the list', async () => {
    const out = await h.press('qr:read:page:nosuchtoken:2');
    assert.equal(out.response_type, 'ephemeral');
    assert.equal(out.replace_original, false);
    assert.match(sectionTexts(out)[0]!, /expired/);
  });

  test('the Save button on a reading saves it for the presser, ephemerally', async () => {
    const { body } = await h.slash('/read', 'raft');
    const save = actionIds(body).find((id) => id.startsWith('qr:save:reading:'))!;
    const out = await h.press(save);
    assert.equal(out.response_type, 'ephemeral');
    assert.equal(out.replace_original, false);
    assert.doesNotMatch(sectionTexts(out)[0]!, /no longer supported|failed/);
  });
});

describe('progress', () => {
  test('Done under DDIA chapters 1–4, then /next ddia says 4 of 11 read and chapter 5 is next', async () => {
    const h = await startHarness();
    try {
      const { body } = await h.slash('/read', 'ddia');
      const dones = actionIds(body).filter((id) => /^qr:done:reading:ddia-chapter-0[1-4]$/.test(id));
      assert.equal(dones.length, 4);
      for (const id of dones) assert.match(sectionTexts(await h.press(id))[0]!, /as read/);
      const next = await h.slash('/next', 'ddia');
      const text = sectionTexts(next.body).join('\n');
      assert.match(text, /4 of 11 read/);
      assert.match(text, /Next: \*Chapter 5 - Replication\*/);
      // Another person's progress is their own.
      const other = await h.slash('/next', 'ddia', { user: 'U2' });
      assert.match(sectionTexts(other.body).join('\n'), /0 of 11 read/);
    } finally {
      await h.stop();
    }
  });
});

describe('failures and files', () => {
  test('a handler error becomes a short ephemeral apology and one structured error log line', async () => {
    const real = await testCore();
    const core: Core = {
      ...real,
      runCommand: (caller, name, args) =>
        name === 'read'
          ? Promise.reject(new Error('boom xoxb-secret-123'))
          : real.runCommand(caller, name, args),
    };
    const h = await startHarness({ core });
    try {
      const { ack, body } = await h.slash('/read', 'raft');
      assert.deepEqual(ack, {});
      assert.equal(body.response_type, 'ephemeral');
      assert.match(String(body.text), /^Sorry, something went wrong/);
      const line = h.logs.find((l) => l.msg === 'slack: handler failed');
      assert.ok(line);
      assert.equal(line.level, 50);
      assert.equal(line.command, 'read');
      assert.equal(line.event, 'command');
      assert.match(String(line.err), /boom/);
      assert.doesNotMatch(JSON.stringify(h.logs), /xoxb-secret/);
    } finally {
      await h.stop();
    }
  });

  test('/export: Reply.files are uploaded with files.uploadV2 to the user DM; a failed upload is explained in the reply', async () => {
    const h = await startHarness();
    try {
      const empty = await h.slash('/export', '', { user: 'UEXP' });
      assert.equal(h.fake.calls('files.completeUploadExternal').length, 0);
      assert.match(sectionTexts(empty.body).join('\n'), /no saves/);

      await h.slash('/save', 'https://raft.github.io/ #raft', { user: 'UEXP' });
      const { body } = await h.slash('/export', '', { user: 'UEXP' });
      assert.equal(h.fake.calls('conversations.open').at(-1)!.body.users, 'UEXP');
      const complete = h.fake.calls('files.completeUploadExternal');
      assert.equal(complete.length, 1);
      assert.equal(complete[0]!.body.channel_id, 'DUEXP');
      const uploads = h.fake.requests.filter((r) => r.kind === 'upload');
      assert.equal(uploads.length, (complete[0]!.body.files as unknown[]).length);
      assert.ok(uploads.some((u) => u.raw.includes('raft.github.io')));
      assert.equal(body.response_type, 'ephemeral');
      assert.match(sectionTexts(body).join('\n'), /Sent `[^`]+`.* to your direct messages/);

      h.fake.on('files.getUploadURLExternal', () => ({ ok: false, error: 'missing_scope' }));
      const failed = await h.slash('/export', '', { user: 'UEXP' });
      assert.match(
        sectionTexts(failed.body).join('\n'),
        /couldn't upload the files to your DMs \(missing_scope\)/,
      );
    } finally {
      await h.stop();
    }
  });
});
