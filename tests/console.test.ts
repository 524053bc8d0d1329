import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
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

test('/read zookeeper in the console: the paper the lecture assigns is printed under the lecture notes', async () => {
  const seen = await consoleSession(['/read zookeeper']);
  assert.match(
    seen,
    / 1\. MIT 6\.824: Lecture 8 - ZooKeeper[^\n]*\n(?: {4}[^\n]*\n)*? {4}with the paper: ZooKeeper: Wait-free coordination for Internet-scale systems \(Hunt et al\. · USENIX ATC 2010\) https:\/\/pdos\.csail\.mit\.edu\/6\.824\/papers\/zookeeper\.pdf/,
  );
});

test('/prev on the first page explains itself; /next with no list to page is the progress command', async () => {
  const seen = await consoleSession(['/next', '/read raft', '/prev']);
  assert.equal(seen.match(/Nothing to page/g)?.length, 1);
  // The core's /next with no argument and nothing read yet: where to start.
  const progress = await consoleSession(['/next']);
  assert.doesNotMatch(progress, /Nothing to page/);
  assert.match(progress, /read|start/i);
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

test('bare text is answered as /read (issue 13, kind 17)', async () => {
  const seen = await consoleSession(['raft', 'how does raft elect a leader?']);
  assert.ok(!/Type a command/.test(seen), seen);
  assert.ok(!/not a command|Unknown command/i.test(seen), seen);
  assert.equal(seen.match(/^ 1\. /gm)?.length, 2, seen);
  assert.match(seen, /Raft/);
});

test('/export writes its files to a printed path (issue 13, kind 17)', async () => {
  const core = await testCore();
  const exportDir = mkdtempSync(join(tmpdir(), 'qr-export-'));
  const input = new PassThrough();
  const output = new PassThrough();
  let seen = '';
  output.on('data', (d: Buffer) => (seen += d.toString()));
  const session = startConsole(core, { input, output, exportDir, tagOfTheDay: false });
  input.end('/save https://a.example/x #raft\n/export\n');
  await session.done;
  await core.close();
  const paths = [...seen.matchAll(/^wrote (.+)$/gm)].map((m) => m[1]!);
  assert.equal(paths.length, 2, seen);
  const html = paths.find((p) => p.endsWith('.html'))!;
  assert.ok(html.startsWith(exportDir));
  assert.match(
    readFileSync(html, 'utf8'),
    /^<!DOCTYPE NETSCAPE-Bookmark-file-1>[\s\S]*https:\/\/a\.example\/x/,
  );
  const json = JSON.parse(
    readFileSync(
      paths.find((p) => p.endsWith('.json'))!,
      'utf8',
    ),
  ) as { count: number };
  assert.equal(json.count, 1);
});

test('the console and the one-shot CLI use the same local user by default (issue 13, kind 17)', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'qr-local-'));
  const storeUrl = `sqlite://${join(dataDir, 'quorum.sqlite')}`;
  const env = { ...process.env, QR_DATA_DIR: dataDir, QR_STORE_URL: storeUrl };
  const cli = spawnSync('npm', ['run', '--silent', 'cli', '--', '/save https://a.example/from-cli'], {
    encoding: 'utf8',
    env,
  });
  assert.equal(cli.status, 0, cli.stderr);
  const core = await testCore({ env: { QR_STORE_URL: storeUrl } });
  const input = new PassThrough();
  const output = new PassThrough();
  let seen = '';
  output.on('data', (d: Buffer) => (seen += d.toString()));
  const session = startConsole(core, { input, output, tagOfTheDay: false });
  input.end('/saved\n');
  await session.done;
  await core.close();
  assert.match(seen, /https:\/\/a\.example\/from-cli/);
});

test('npm start | head: a closed output pipe ends the console quietly, no EPIPE crash (issue 13, kind 17)', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'qr-epipe-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, QR_DATA_DIR: dataDir, QR_STORE_URL: 'memory://', QR_LOG_FORMAT: 'json' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  // Like `head -1`: read the first line, then close the pipe.
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  child.stdout.destroy();
  // Enough output to hit the closed pipe, then end input.
  for (let i = 0; i < 20; i++) child.stdin.write('/tags\n');
  child.stdin.end();
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  assert.equal(code, 0, err);
  assert.ok(!/EPIPE|Unhandled|Error/.test(err), err);
});

test('console: /done marks DDIA chapters 1–4 read, /next ddia says chapter 5 is next', async () => {
  const seen = await consoleSession([
    '/done ddia-chapter-01',
    '/done ddia-chapter-02',
    '/done Chapter 3 - Storage and Retrieval',
    '/done ddia-chapter-04',
    '/next ddia',
    '/saved',
  ]);
  assert.match(seen, /Marked \*?\*?Chapter 3 - Storage and Retrieval/);
  assert.match(
    seen,
    /Designing Data-Intensive Applications.*: 4 of 11 read\. Next: .*Chapter 5 - Replication/,
  );
  assert.match(seen, /Your saves.*: 4 \(0 unread\)/);
});
