import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { startConsole } from '../adapters/console/index.ts';
import { testCore } from './helpers/core.ts';

/** Type `lines` into a console session on a fresh core, then Ctrl-D; returns everything it printed. */
async function consoleSession(lines: string[]): Promise<string> {
  const core = await testCore();
  const input = new PassThrough();
  const output = new PassThrough();
  let seen = '';
  output.on('data', (d: Buffer) => (seen += d.toString()));
  const session = startConsole(core, { input, output });
  for (const line of lines) input.write(`${line}\n`);
  input.end();
  await session.done;
  await core.close();
  return seen;
}

test('console round trip: /read, /next, /tags, /help, then Ctrl-D ends the session', async () => {
  const seen = await consoleSession(['/read cap-theorem', '/next', '/tags', '/help']);
  assert.match(seen, /Readings for #cap-theorem.*page 1 of/);
  assert.match(seen, / 1\. .*CAP|CP/);
  assert.match(seen, /page 2 of/);
  assert.match(seen, / 6\. /, 'page 2 numbers continue from page 1');
  assert.match(seen, /topics/);
  assert.match(seen, /\/read <topic>/);
  assert.match(seen, /bye/);
});

test('/prev on the first page and /next with nothing shown explain themselves', async () => {
  const seen = await consoleSession(['/next', '/read raft', '/prev']);
  assert.match(seen, /Nothing to page/);
  assert.equal(seen.match(/Nothing to page/g)?.length, 2);
});

test('npm start with no credentials opens the console and answers /read cap-theorem', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'qr-start-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, QR_DATA_DIR: dataDir, QR_STORE_URL: 'memory://', QR_LOG_FORMAT: 'json' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  child.stdin.write('/read cap-theorem\n');
  child.stdin.end();
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  assert.equal(code, 0, err);
  assert.match(out, /Quorum Reads console/);
  assert.match(out, /Readings for #cap-theorem/);
  assert.match(out, /CAP/);
});
