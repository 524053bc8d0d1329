import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadCatalog } from '../src/catalog/load.ts';
import { fetchTitle, isForbiddenAddress } from '../src/net/safe-fetch.ts';
import { SavesService } from '../src/saves/service.ts';
import { openStore } from '../src/store/open.ts';
import { caller } from './helpers/core.ts';

async function serve(
  handler: Parameters<typeof createServer>[1],
): Promise<{ server: Server; port: number; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    handler!(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as AddressInfo).port, hits };
}

const page = (html: string) => (_req: unknown, res: import('node:http').ServerResponse) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(html);
};

test('title fetch reads og:title/<title> from an allowlisted local server, entities decoded and cleaned', async () => {
  const { server, port } = await serve(
    page('<html><head><title>Raft &amp; Paxos\u202e\n  compared</title></head><body>x</body></html>'),
  );
  const r = await fetchTitle(`http://127.0.0.1:${port}/p`, {
    timeoutMs: 2000,
    allowHosts: [`127.0.0.1:${port}`],
  });
  assert.deepEqual(r, { ok: true, title: 'Raft & Paxos compared', url: `http://127.0.0.1:${port}/p` });
  server.close();
});

test('without the allowlist, 127.0.0.1 is refused before any connection', async () => {
  const { server, port, hits } = await serve(page('<title>secret</title>'));
  const r = await fetchTitle(`http://127.0.0.1:${port}/`, { timeoutMs: 2000 });
  assert.equal(r.ok, false);
  assert.equal(hits.length, 0);
  server.close();
});

test('SSRF: internal names and addresses are refused without connecting', async () => {
  for (const url of [
    'http://localhost:1/',
    'http://10.0.0.1/',
    'http://169.254.169.254/latest/meta-data/',
    'http://100.64.0.1/',
    'http://[::1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://0.0.0.0/',
    'http://192.168.1.1/',
    'http://172.16.0.1/',
    'http://224.0.0.1/',
    'http://[fc00::1]/',
    'http://[fe80::1]/',
    'http://metadata.google.internal/',
  ]) {
    const r = await fetchTitle(url, { timeoutMs: 1000 });
    assert.equal(r.ok, false, url);
    if (!r.ok) assert.match(r.reason, /internal name|private or reserved/, url);
  }
  assert.equal(isForbiddenAddress('93.184.215.14'), false);
  assert.equal(isForbiddenAddress('2606:4700::1111'), false);
});

test('SSRF: a redirect to a non-allowlisted loopback port is refused at that hop', async () => {
  const inner = await serve(page('<title>internal</title>'));
  const outer = await serve((_req, res) => {
    res.writeHead(302, { location: `http://127.0.0.1:${inner.port}/admin` });
    res.end();
  });
  const r = await fetchTitle(`http://127.0.0.1:${outer.port}/`, {
    timeoutMs: 2000,
    allowHosts: [`127.0.0.1:${outer.port}`],
  });
  assert.equal(r.ok, false);
  assert.equal(inner.hits.length, 0);
  inner.server.close();
  outer.server.close();
});

test('redirects are followed at most 3 times', async () => {
  const s = await serve((req, res) => {
    const n = Number(req.url?.slice(1) || 0);
    if (n < 10) {
      res.writeHead(301, { location: `/${n + 1}` });
      res.end();
    } else page('<title>end</title>')(req, res);
  });
  const opts = { timeoutMs: 2000, allowHosts: [`127.0.0.1:${s.port}`] };
  assert.deepEqual(await fetchTitle(`http://127.0.0.1:${s.port}/7`, opts), {
    ok: true,
    title: 'end',
    url: `http://127.0.0.1:${s.port}/10`,
  });
  const far = await fetchTitle(`http://127.0.0.1:${s.port}/0`, opts);
  assert.equal(far.ok, false);
  if (!far.ok) assert.match(far.reason, /more than 3 redirects/);
  s.server.close();
});

test('only the first 1 MB is read, non-HTML is skipped, and a slow server times out', async () => {
  const big = await serve((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.write(`<html><head><!--${'x'.repeat(2 * 1024 * 1024)}-->`);
    res.end('<title>too late</title></head></html>');
  });
  const capped = await fetchTitle(`http://127.0.0.1:${big.port}/`, {
    timeoutMs: 3000,
    allowHosts: [`127.0.0.1:${big.port}`],
  });
  assert.equal(capped.ok, false);
  if (!capped.ok) assert.match(capped.reason, /first 1048576 bytes/);
  big.server.close();

  const json = await serve((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"title":"no"}');
  });
  const notHtml = await fetchTitle(`http://127.0.0.1:${json.port}/`, {
    timeoutMs: 2000,
    allowHosts: [`127.0.0.1:${json.port}`],
  });
  assert.equal(notHtml.ok, false);
  json.server.close();

  const slow = await serve((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.write('<html><head>'); // never finishes
  });
  const timed = await fetchTitle(`http://127.0.0.1:${slow.port}/`, {
    timeoutMs: 300,
    allowHosts: [`127.0.0.1:${slow.port}`],
  });
  assert.equal(timed.ok, false);
  if (!timed.ok) assert.match(timed.reason, /timed out/);
  slow.server.closeAllConnections();
  slow.server.close();
});

test('a save fetches the title when it can, and still saves with the URL as title when it cannot', async () => {
  const s = await serve(
    page('<head><meta property="og:title" content="Chain Replication"><title>x</title></head>'),
  );
  const store = await openStore('memory://');
  const catalog = loadCatalog('data');
  const allowed = new SavesService(store, catalog, {
    fetch: { timeoutMs: 2000, allowHosts: [`127.0.0.1:${s.port}`] },
  });
  const r = await allowed.saveText(caller(), `http://127.0.0.1:${s.port}/cr`);
  assert.ok('added' in r);
  assert.equal(r.added[0]!.title, 'Chain Replication');
  const refused = new SavesService(store, catalog, { fetch: { timeoutMs: 2000 } });
  const r2 = await refused.saveText(caller({ userId: 'u2' }), `http://127.0.0.1:${s.port}/cr`);
  assert.ok('added' in r2);
  assert.equal(r2.added[0]!.title, `http://127.0.0.1:${s.port}/cr`);
  s.server.close();
  await store.close();
});

test('a page in another declared encoding is decoded with it (issue 13, kind 8)', async () => {
  const latin1 = (s: string) => Buffer.from(s, 'latin1');
  const bodies: Record<string, { type: string; body: Buffer }> = {
    // <meta charset>, no charset in the header.
    '/meta': {
      type: 'text/html',
      body: latin1('<html><head><meta charset="windows-1252"><title>Café Réplication</title></head></html>'),
    },
    // The older http-equiv form, after a long comment (still inside the 1024-byte prescan).
    '/equiv': {
      type: 'text/html',
      body: latin1(
        `<!-- ${'x'.repeat(700)} --><meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">` +
          '<title>Café Réplication</title>',
      ),
    },
    // The header wins over the page.
    '/header': {
      type: 'text/html; charset=iso-8859-1',
      body: latin1('<meta charset="utf-8"><title>Café Réplication</title>'),
    },
    // Shift_JIS, split across chunks by the server.
    '/sjis': {
      type: 'text/html',
      body: Buffer.concat([
        Buffer.from('<meta charset="shift_jis"><title>'),
        Buffer.from([0x83, 0x89, 0x83, 0x74, 0x83, 0x67]), // ラフト
        Buffer.from('</title>'),
      ]),
    },
    '/plain': { type: 'text/html', body: Buffer.from('<title>Café Réplication</title>') },
  };
  const { server, port } = await serve((req, res) => {
    const b = bodies[req.url ?? '']!;
    res.writeHead(200, { 'content-type': b.type });
    // Byte by byte for the first bytes: the encoding must be found across chunk boundaries.
    for (let i = 0; i < 40; i++) res.write(b.body.subarray(i, i + 1));
    res.end(b.body.subarray(40));
  });
  const opts = { timeoutMs: 2000, allowHosts: [`127.0.0.1:${port}`] };
  for (const path of ['/meta', '/equiv', '/header', '/plain']) {
    const r = await fetchTitle(`http://127.0.0.1:${port}${path}`, opts);
    assert.ok(r.ok, path);
    assert.equal(r.title, 'Café Réplication', path);
  }
  const sjis = await fetchTitle(`http://127.0.0.1:${port}/sjis`, opts);
  assert.ok(sjis.ok && sjis.title === 'ラフト', JSON.stringify(sjis));
  server.close();
});
