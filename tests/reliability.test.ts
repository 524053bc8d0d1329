import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { pino } from 'pino';
import { createCore } from '../src/core.ts';
import { redactPaths } from '../src/logger.ts';
import { caller, testConfig, testCore } from './helpers/core.ts';
import { PING, hostileText, visibleText } from './helpers/hostile.ts';
import { LOCAL_USER } from '../src/caller.ts';

const tmp = (p: string) => mkdtempSync(join(tmpdir(), p));

test('a corrupt catalog file stops start-up with the file and the problem, exit 1', () => {
  const catalog = tmp('qr-badcat-');
  cpSync('data', catalog, { recursive: true });
  writeFileSync(join(catalog, 'readings', 'jm-pinboard.json'), '{"readings": [ {"id": "x", ');
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, QR_CATALOG_DIR: catalog, QR_DATA_DIR: tmp('qr-data-'), QR_STORE_URL: 'memory://' },
    encoding: 'utf8',
    input: '',
  });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /jm-pinboard\.json: not valid JSON/);
  assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/, 'a stack trace is not a message');
});

test('a bad store URL stops start-up saying what is wrong', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, QR_DATA_DIR: tmp('qr-data-'), QR_STORE_URL: 'sqlite://relative/path.sqlite' },
    encoding: 'utf8',
    input: '',
  });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /QR_STORE_URL|sqlite/);
});

test('SIGTERM during a burst of saves: started commands finish, the store closes, exit 0, every confirmed save is kept', async (t) => {
  const dataDir = tmp('qr-sigterm-');
  const storeUrl = `sqlite://${join(dataDir, 'quorum.sqlite')}`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      ...process.env,
      QR_DATA_DIR: dataDir,
      QR_STORE_URL: storeUrl,
      QR_FETCH_TITLES: 'false',
      QR_RATE_COMMANDS: '10000',
      QR_RATE_SAVES: '10000',
      QR_LOG_FORMAT: 'json',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  let signalled = false;
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    // Signal once a few saves are confirmed, while more are queued behind them.
    if (!signalled && (out.match(/Saved /g)?.length ?? 0) >= 5) {
      signalled = true;
      child.kill('SIGTERM');
    }
  });
  for (let i = 0; i < 300; i++) child.stdin.write(`/save https://example.com/sigterm/${i}\n`);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  assert.ok(signalled, `no save was confirmed before the end: ${err.slice(-500)}`);
  assert.equal(code, 0, err.slice(-500));
  const confirmed = new Set(
    [...out.matchAll(/Saved (https:\/\/example\.com\/sigterm\/\d+)\./g)].map((m) => m[1]!),
  );
  assert.ok(confirmed.size >= 5);

  const core = await createCore({ config: testConfig({ QR_STORE_URL: storeUrl }) });
  const me = caller({ userId: LOCAL_USER }); // the console's default user
  const present = new Set<string>();
  for (let page = 1; ; page++) {
    const r = await core.run(me, `/saved page:${page}`);
    for (const v of r.readings) present.add(v.url);
    if (!r.page || page >= r.page.pages) break;
  }
  await core.close();
  for (const url of confirmed) assert.ok(present.has(url), `confirmed save lost: ${url}`);
  t.diagnostic(`SIGTERM: 300 queued, ${confirmed.size} confirmed, ${present.size} present after restart`);
});

test('logs at info carry no tokens, secrets or user message text', async () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const logger = pino({ level: 'info', redact: { paths: redactPaths, censor: '[redacted]' } }, sink);
  const config = testConfig({ DISCORD_TOKEN: 'MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs' });
  const core = await createCore({ config, logger });
  const secretText = 'my-private-question-about-raft-xyz';
  await core.run(caller(), `/read ${secretText}`);
  await core.run(caller(), `/save https://example.com/private-${secretText}`);
  await core.run(caller(), '/nosuchcommand secret-words');
  logger.info(
    { token: config.discord.token, config: { botToken: 'xoxb-123-abc' }, text: secretText },
    'probe',
  );
  await core.close();
  const all = lines.join('');
  assert.ok(lines.length >= 3, 'commands are logged');
  assert.doesNotMatch(all, /MTk4NjIyNDgzNDcxOTI1MjQ4|xoxb-123|private-question/);
  assert.match(all, /"command":"read"/);
});

test('property: every command, given hostile arguments, answers with a message or a result: no crash, no stack, no ping', async () => {
  const core = await testCore({ env: { QR_RATE_COMMANDS: '10000', QR_RATE_SAVES: '10000' } });
  const me = caller({ canManageChannel: false });
  const hostile = hostileText([
    'subscribe 25:99 Mars/Base',
    'subscribe 09:00 Europe/Berlin\u0000',
    '99999999999999999999',
    '-1',
  ]);
  const names = core.commands.map((c) => c.name);
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...names), hostile, async (name, args) => {
      const r = await core.runCommand(me, name, args);
      assert.ok(r.text.length > 0, `${name}: empty reply`);
      assert.doesNotMatch(r.text, /\bat .*\.ts:\d+|TypeError|ReferenceError/, `${name}: ${r.text}`);
      assert.doesNotMatch(
        r.text,
        /failed on our side/,
        `${name} crashed on ${JSON.stringify(args.slice(0, 80))}`,
      );
      for (const s of visibleText(r)) assert.doesNotMatch(s, PING, `${name}: ${s}`);
    }),
    { numRuns: 400 },
  );
  await core.close();
});
