import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sectionTexts, startHarness, type Harness } from './harness.ts';

/** Issue 13, kinds 1 and 10, through Bolt's real slash-command path against the local fake. */
describe('Slack saves: entity-encoded text, one list per Enterprise Grid user', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.stop();
  });

  /** A slash command as Slack sends it, with the org id Enterprise Grid adds. */
  async function slash(
    command: string,
    text: string,
    who: { team: string; user: string; enterprise?: string },
  ) {
    const id = randomUUID();
    const from = h.fake.requests.length;
    await h.fake.send('slash_commands', {
      token: 'legacy',
      team_id: who.team,
      ...(who.enterprise ? { enterprise_id: who.enterprise, enterprise_name: 'Org' } : {}),
      team_domain: 'fake',
      channel_id: 'C1',
      channel_name: 'general',
      user_id: who.user,
      user_name: 'someone',
      command,
      text,
      api_app_id: 'A1',
      response_url: h.fake.respondUrl(id),
      trigger_id: `trigger-${id}`,
    });
    return sectionTexts((await h.fake.waitForRespond(id, from)).body).join('\n');
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
