import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exportFiles } from '../src/saves/export.ts';
import { fitFiles } from '../src/saves/export-parts.ts';
import type { SavedEntry } from '../src/saves/service.ts';

/** 5,000 saves with ~4 KB links: the 42 MB export (HTML and JSON together). */
function longSaves(n = 5000): SavedEntry[] {
  return Array.from({ length: n }, (_, i) => ({
    id: i.toString(16).padStart(8, '0'),
    key: i.toString(16).padStart(32, '0'),
    url: `https://example.org/${i}?q=${'x'.repeat(4200)}`,
    title: `Reading ${i}`,
    tags: ['raft'],
    ...(i % 2 ? { note: `note ${i}` } : {}),
    savedAt: '2026-01-01T00:00:00.000Z',
    read: i % 3 === 0,
  }));
}

test('a 42 MB export is cut into parts under a 10 MB limit; every save is in exactly one part, each part parses', () => {
  const files = exportFiles(longSaves());
  const total = files.reduce((n, f) => n + Buffer.byteLength(f.content), 0);
  assert.ok(total > 42_000_000, `export is ${total} bytes`);
  const { files: parts, tooLarge } = fitFiles(files, 10_000_000);
  assert.deepEqual(tooLarge, []);
  for (const p of parts) assert.ok(Buffer.byteLength(p.content) <= 10_000_000, `${p.name} fits`);
  const html = parts.filter((p) => p.name.endsWith('.html'));
  const json = parts.filter((p) => p.name.endsWith('.json'));
  assert.ok(html.length >= 2 && json.length >= 2);
  assert.match(html[0]!.name, /^quorum-reads-saves\.part1-of-\d+\.html$/);
  for (const p of html) {
    assert.match(p.content, /^<!DOCTYPE NETSCAPE-Bookmark-file-1>/);
    assert.match(p.content, /<\/DL><p>\n$/);
  }
  const hrefs = html.flatMap((p) =>
    [...p.content.matchAll(/HREF="https:\/\/example\.org\/(\d+)\?/g)].map((m) => m[1]),
  );
  assert.equal(new Set(hrefs).size, 5000);
  assert.equal(hrefs.length, 5000);
  const saves = json.flatMap((p) => {
    const doc = JSON.parse(p.content) as { count: number; parts: number; saves: unknown[] };
    assert.equal(doc.count, doc.saves.length);
    assert.equal(doc.parts, json.length);
    return doc.saves;
  });
  assert.equal(saves.length, 5000);
});

test('files under the limit are kept whole; a single bookmark over the limit is reported, not cut', () => {
  const small = exportFiles(longSaves(2));
  assert.deepEqual(fitFiles(small, 10_000_000).files, small);
  const { files, tooLarge } = fitFiles(small, 3000);
  assert.deepEqual(files, []);
  assert.deepEqual(
    tooLarge.map((t) => t.name),
    ['quorum-reads-saves.html', 'quorum-reads-saves.json'],
  );
});
