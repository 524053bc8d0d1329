// Connection behaviour: HTTP mode signature checks, Socket Mode reconnects, rate limits, bad tokens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { FakeSlack } from './fake-slack.ts';
import { sectionTexts, startHarness } from './harness.ts';

const SECRET = 'test-signing-secret';

function sign(body: string, ts: number, secret = SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
}

async function post(port: number, body: string, headers: Record<string, string>): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
  });
}

test('HTTP mode: Slack request age: 4 minutes in the past or the future is accepted, 10 minutes ahead is refused (401)', async () => {
  const h = await startHarness({ mode: 'http' });
  try {
    const port = h.adapter.port!;
    const now = Math.floor(Date.now() / 1000);
    const signedRead = async (ts: number): Promise<{ status: number; id: string }> => {
      const id = randomUUID();
      const body = new URLSearchParams({
        team_id: 'T1',
        channel_id: 'C1',
        user_id: 'U1',
        command: '/read',
        text: 'raft',
        api_app_id: 'A1',
        response_url: h.fake.respondUrl(id),
        trigger_id: 't',
      }).toString();
      const res = await post(port, body, {
        'x-slack-request-timestamp': String(ts),
        'x-slack-signature': sign(body, ts),
      });
      await res.text();
      return { status: res.status, id };
    };
    for (const ts of [now - 4 * 60, now + 4 * 60]) {
      const { status, id } = await signedRead(ts);
      assert.equal(status, 200, `stamped ${ts - now} s from now`);
      await h.fake.waitForRespond(id);
    }
    assert.equal((await signedRead(now + 10 * 60)).status, 401);
    assert.equal((await signedRead(now - 10 * 60)).status, 401);
  } finally {
    await h.stop();
  }
});

test('HTTP mode: a signed slash command is answered; bad signatures and stale timestamps get 401; /healthz is up', async () => {
  const h = await startHarness({ mode: 'http' });
  try {
    const port = h.adapter.port!;
    assert.ok(port > 0);
    const id = randomUUID();
    const body = new URLSearchParams({
      token: 'legacy',
      team_id: 'T1',
      team_domain: 'fake',
      channel_id: 'C1',
      channel_name: 'general',
      user_id: 'U1',
      user_name: 'someone',
      command: '/read',
      text: 'consensus',
      api_app_id: 'A1',
      response_url: h.fake.respondUrl(id),
      trigger_id: 't1',
    }).toString();
    const now = Math.floor(Date.now() / 1000);

    const bad = await post(port, body, {
      'x-slack-request-timestamp': String(now),
      'x-slack-signature': sign(body, now, 'wrong-secret'),
    });
    assert.equal(bad.status, 401);
    await bad.text();
    const stale = now - 6 * 60;
    const old = await post(port, body, {
      'x-slack-request-timestamp': String(stale),
      'x-slack-signature': sign(body, stale),
    });
    assert.equal(old.status, 401);
    await old.text();
    // Slack's window is five minutes either way: 10 minutes in the future is refused too.
    const future = now + 10 * 60;
    const ahead = await post(port, body, {
      'x-slack-request-timestamp': String(future),
      'x-slack-signature': sign(body, future),
    });
    assert.equal(ahead.status, 401);
    await ahead.text();
    const tampered = await post(port, body.replace('consensus', 'paxos'), {
      'x-slack-request-timestamp': String(now),
      'x-slack-signature': sign(body, now),
    });
    assert.equal(tampered.status, 401);
    await tampered.text();
    assert.equal(h.fake.requests.filter((r) => r.kind === 'respond').length, 0);

    const ok = await post(port, body, {
      'x-slack-request-timestamp': String(now),
      'x-slack-signature': sign(body, now),
    });
    assert.equal(ok.status, 200);
    await ok.text();
    const answer = await h.fake.waitForRespond(id);
    assert.equal(answer.body.response_type, 'ephemeral');
    assert.match(sectionTexts(answer.body)[0]!, /Readings for #consensus/);

    // A signed button press (interactive payloads arrive as payload=<json>).
    // The list's Next button (each reading's Save and Done sit in rows of their own).
    const next = (answer.body.blocks as { type: string; elements?: { action_id: string }[] }[])
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.action_id.includes(':page:'))!.action_id;
    const pid = randomUUID();
    const payload = new URLSearchParams({
      payload: JSON.stringify({
        type: 'block_actions',
        team: { id: 'T1' },
        user: { id: 'U1', team_id: 'T1' },
        channel: { id: 'C1' },
        api_app_id: 'A1',
        token: 'legacy',
        container: { type: 'message', is_ephemeral: true },
        trigger_id: 't2',
        response_url: h.fake.respondUrl(pid),
        actions: [{ type: 'button', action_id: next, value: next, block_id: 'qr-buttons', action_ts: '1' }],
      }),
    }).toString();
    const pressed = await post(port, payload, {
      'x-slack-request-timestamp': String(now),
      'x-slack-signature': sign(payload, now),
    });
    assert.equal(pressed.status, 200);
    await pressed.text();
    const page2 = await h.fake.waitForRespond(pid);
    assert.equal(page2.body.replace_original, true);
    assert.match(sectionTexts(page2.body)[0]!, /page 2 of/);

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(health.status, 200);
    // The core's health handler, the same one the health server runs.
    assert.equal(((await health.json()) as { status: string }).status, 'ok');
  } finally {
    await h.stop();
  }
});

test('Socket Mode: when Slack drops the socket or asks to reconnect, Bolt reconnects via apps.connections.open and keeps answering', async () => {
  const h = await startHarness();
  try {
    assert.match(sectionTexts((await h.slash('/help', '')).body)[0]!, /Quorum Reads/);
    assert.equal(h.fake.connections, 1);

    await h.fake.dropSocket();
    await h.fake.connected();
    assert.equal(h.fake.connections, 2);
    assert.match(sectionTexts((await h.slash('/help', '')).body)[0]!, /Quorum Reads/);

    // Slack's own "disconnect" message (refresh_requested): the client closes and opens a new socket.
    const ws = await h.fake.connected();
    const closed = h.fake.socketClosed();
    ws.send(JSON.stringify({ type: 'disconnect', reason: 'refresh_requested' }));
    await closed;
    await h.fake.connected();
    assert.equal(h.fake.connections, 3);
    assert.match(sectionTexts((await h.slash('/read', 'paxos')).body)[0]!, /Readings for/);
    assert.equal(h.fake.calls('apps.connections.open').length, 3);

    // stop() resolves only after the socket is closed.
    await h.adapter.stop();
    await h.fake.socketClosed();
  } finally {
    await h.stop();
  }
});

test('a 429 with Retry-After is waited out and retried (production-style retries), then succeeds', async () => {
  const h = await startHarness({
    clientOptions: { retryConfig: { retries: 2, minTimeout: 0, maxTimeout: 0 } },
  });
  try {
    h.fake.on('views.publish', () => ({
      status: 429,
      headers: { 'retry-after': '1' },
      body: { ok: false, error: 'ratelimited' },
    }));
    const from = h.mark();
    await h.event({ type: 'app_home_opened', user: 'U1', channel: 'DU1', tab: 'home' });
    const second = await h.fake.waitFor(
      (r) => r.name === 'views.publish' && h.fake.calls('views.publish').length === 2,
      from,
    );
    assert.equal(h.fake.calls('views.publish').length, 2);
    assert.deepEqual(second.body.user_id, 'U1');
    assert.ok(!h.logs.some((l) => l.msg === 'slack: handler failed'));
  } finally {
    await h.stop();
  }
});

test('with retries off, a 429 is not retried: the failure is logged and nothing crashes', async () => {
  const h = await startHarness();
  try {
    h.fake.on('views.publish', () => ({
      status: 429,
      headers: { 'retry-after': '1' },
      body: { ok: false, error: 'ratelimited' },
    }));
    await h.event({ type: 'app_home_opened', user: 'U1', channel: 'DU1', tab: 'home' });
    const line = await h.waitLog((l) => l.msg === 'slack: handler failed' && l.event === 'app_home_opened');
    assert.match(String(line.err), /rate limit/i);
    assert.equal(h.fake.calls('views.publish').length, 1);
    // Still answering.
    assert.match(sectionTexts((await h.slash('/help', '')).body)[0]!, /Quorum Reads/);
  } finally {
    await h.stop();
  }
});

test('a rejected bot token makes start() throw a clear error instead of crashing; so does a bad app token', async () => {
  const fake = await FakeSlack.start();
  fake.on('auth.test', () => ({ ok: false, error: 'invalid_auth' }));
  const h = await startHarness({ fake, noStart: true });
  try {
    await assert.rejects(
      h.adapter.start(),
      /Slack rejected the bot token \(auth\.test: invalid_auth\)\. Check SLACK_BOT_TOKEN/,
    );
    assert.equal(fake.calls('apps.connections.open').length, 0);

    fake.on('apps.connections.open', () => ({ ok: false, error: 'invalid_auth' }));
    await assert.rejects(
      h.adapter.start(),
      /Socket Mode could not connect \(invalid_auth\)\. Check SLACK_APP_TOKEN/,
    );
    assert.equal(fake.connections, 0);
  } finally {
    await h.stop();
  }
});
