import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const env = () => ({
  ...process.env,
  QR_DATA_DIR: mkdtempSync(join(tmpdir(), 'qr-cli-')),
  QR_STORE_URL: 'memory://',
});

test('read --json prints exactly one JSON line per query with the agreed fields', () => {
  const r = spawnSync('npm', ['run', '--silent', 'read', '--', '--json', 'raft', 'paxso', 'qzxwv-plonk'], {
    encoding: 'utf8',
    env: env(),
  });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 3);
  const [raft, paxos, none] = lines.map((l) => JSON.parse(l));
  assert.equal(raft.query, 'raft');
  assert.ok(raft.results.length > 0 && raft.results.length <= 10);
  for (const k of ['id', 'title', 'url', 'tags', 'score']) assert.ok(k in raft.results[0], k);
  assert.match(paxos.results[0].title, /Paxos/);
  assert.deepEqual(none.results, []);
});

test('cli runs one command through the core and prints the reply model with --json', () => {
  const r = spawnSync('npm', ['run', '--silent', 'cli', '--', '--json', '--user', 'u9', '/read raft'], {
    encoding: 'utf8',
    env: env(),
  });
  assert.equal(r.status, 0, r.stderr);
  const reply = JSON.parse(r.stdout);
  assert.equal(reply.status, 'ok');
  assert.ok(reply.readings.length > 0);
  const text = spawnSync('npm', ['run', '--silent', 'cli', '--', '/tags'], { encoding: 'utf8', env: env() });
  assert.match(text.stdout, /topics/);
  const bad = spawnSync('npm', ['run', '--silent', 'cli', '--', '/read'], { encoding: 'utf8', env: env() });
  assert.equal(bad.status, 1);
  assert.match(bad.stdout, /Give a topic/);
});

test('cli refuses an option it does not know, naming it, instead of running it as the command', () => {
  // Before: `--jsn "/help"` answered "Type a command like /read raft" (exit 1): the typo was the command.
  const r = spawnSync('npm', ['run', '--silent', 'cli', '--', '--jsn', '/help'], {
    encoding: 'utf8',
    env: env(),
  });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown option --jsn/);
  assert.match(r.stderr, /usage: npm run --silent cli -- \[--json\]/);
  assert.equal(r.stdout, '');
  // Words after the command are the command's, dashes and all.
  const read = spawnSync('npm', ['run', '--silent', 'cli', '--', '/read', '--raft'], {
    encoding: 'utf8',
    env: env(),
  });
  assert.doesNotMatch(read.stderr, /unknown option/);
});

test('cli: a paged reply says how to page in the next run (--press and the button id), and pressing it pages', () => {
  // The default store (SQLite in the data dir) keeps the page cursor between the two runs.
  const dataEnv = { ...process.env, QR_DATA_DIR: mkdtempSync(join(tmpdir(), 'qr-cli-pages-')) };
  delete (dataEnv as Record<string, string | undefined>).QR_STORE_URL;
  const first = spawnSync('npm', ['run', '--silent', 'cli', '--', '--user', 'pager', '/read consensus'], {
    encoding: 'utf8',
    env: dataEnv,
  });
  assert.equal(first.status, 0, first.stderr);
  // The console's "/next" would be the progress command in a new run: not offered here.
  assert.doesNotMatch(first.stdout, /\/next or \/prev/);
  const hint = /next page: --press '([^']+)'/.exec(first.stdout);
  assert.ok(hint, first.stdout.slice(-300));
  const second = spawnSync('npm', ['run', '--silent', 'cli', '--', '--user', 'pager', '--press', hint[1]!], {
    encoding: 'utf8',
    env: dataEnv,
  });
  assert.equal(second.status, 0, second.stderr);
  assert.match(second.stdout, /page 2 of \d+/);
  // A command and --press together: one would be ignored, so neither runs.
  const both = spawnSync('npm', ['run', '--silent', 'cli', '--', '--press', hint[1]!, '/read raft'], {
    encoding: 'utf8',
    env: dataEnv,
  });
  assert.equal(both.status, 2);
  assert.match(both.stderr, /either a command or --press, not both/);
  assert.match(second.stdout, /previous page: --press '/);
});
