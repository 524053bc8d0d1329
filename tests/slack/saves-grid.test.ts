import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sectionTexts, startHarness, type Harness, type Who } from './harness.ts';

/** Issue 13, kinds 1 and 10, through Bolt's real slash-command path against the local fake. */
describe('Slack saves: entity-encoded text, one list per Enterprise Grid user', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.stop();
  });

  /** A slash command as Slack sends it (with the org id Enterprise Grid adds); the reply's section text. */
  async function slash(command: string, text: string, who: Partial<Who>) {
    return sectionTexts((await h.slash(command, text, who)).body).join('\n');
  }

  test('/save of a link Slack sent as &amp; stores and confirms the real link', async () => {
    // Typed as plain text; the fake delivers it as Slack does (`&amp;` inside the link).
    const said = await slash('/save', 'watch <https://www.youtube.com/watch?v=abc123&t=42s>', {
      team: 'T1',
      user: 'UENC',
    });
    // Slack mrkdwn escapes `&` once in what the bot sends: `&amp;t=42s`, never `&amp;amp;t=42s`.
    assert.match(said, /watch\?v=abc123&amp;t=42s/);
    assert.ok(!said.includes('&amp;amp;'), said);
    const list = await h.core.run(
      { platform: 'slack', workspaceId: 'T1', userId: 'UENC', channelId: 'C1', canManageChannel: false },
      '/saved',
    );
    assert.equal(list.readings[0]!.url, 'https://www.youtube.com/watch?v=abc123&t=42s');
  });

  test('an Enterprise Grid user has one list in every workspace of the organization', async () => {
    await slash('/save', 'https://grid.example/a', { team: 'T1', user: 'W1', enterprise: 'E1' });
    const elsewhere = await slash('/saved', '', { team: 'T2', user: 'W1', enterprise: 'E1' });
    assert.match(elsewhere, /grid\.example\/a/);
    // Without an organization, workspaces keep separate lists.
    const plain = await slash('/saved', '', { team: 'T3', user: 'W1' });
    assert.match(plain, /no saves yet/);
  });
});
