import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalog, CatalogError } from '../src/catalog/load.ts';
import type { Reading } from '../src/catalog/schema.ts';

const catalog = loadCatalog('data');
const papersFile = JSON.parse(readFileSync('data/readings/papers.json', 'utf8')) as {
  readings: Array<{ id: string }>;
};
const inPapersFile = new Set(papersFile.readings.map((r) => r.id));

function byId(id: string): Reading {
  const r = catalog.byId.get(id);
  assert.ok(r, `no reading "${id}"`);
  return r;
}

function relatedOf(r: Reading): Reading[] {
  return (r.related ?? []).map(byId);
}

/**
 * What each lecture of MIT 6.824's Spring 2020 schedule (nil.csail.mit.edu/6.824/2020/schedule.html,
 * the numbering the learning diary follows) assigns as its reading. Lecture 2 assigns the Go tour and
 * lecture 5 the Go memory model: web pages, not papers, so their notes have no paper to relate to.
 */
const assigned: Record<number, { kind: 'paper' | 'book'; title: RegExp } | 'no paper'> = {
  1: { kind: 'paper', title: /^MapReduce: Simplified Data Processing on Large Clusters$/ },
  2: 'no paper',
  3: { kind: 'paper', title: /^The Google File System$/ },
  4: { kind: 'paper', title: /Fault-Tolerant Virtual Machines/ },
  5: 'no paper',
  6: { kind: 'paper', title: /^In Search of an Understandable Consensus Algorithm/ },
  8: { kind: 'paper', title: /^ZooKeeper: Wait-free coordination/ },
  9: { kind: 'paper', title: /^Object Storage on CRAQ/ },
  10: { kind: 'paper', title: /^Amazon Aurora: Design Considerations/ },
  11: { kind: 'paper', title: /^Frangipani: A Scalable Distributed File System$/ },
  12: { kind: 'book', title: /Chapter 9: Atomicity/ },
  13: { kind: 'paper', title: /^Spanner: Google's Globally-Distributed Database$/ },
  14: { kind: 'paper', title: /^No compromises: distributed transactions/ },
  15: { kind: 'paper', title: /^Resilient Distributed Datasets/ },
  16: { kind: 'paper', title: /^Scaling Memcache at Facebook$/ },
  17: { kind: 'paper', title: /^Don't Settle for Eventual/ },
  18: { kind: 'paper', title: /^Certificate Transparency$/ },
  19: { kind: 'paper', title: /^Bitcoin: A Peer-to-Peer Electronic Cash System$/ },
  20: { kind: 'paper', title: /^Blockstack: A New Internet for Decentralized Applications$/ },
};

test('every MIT 6.824 lecture note relates to the reading its lecture assigns, and it relates back', () => {
  const notes = catalog.readings.filter((r) => r.series === 'mit-6.824');
  assert.ok(notes.length >= 19, `only ${notes.length} lecture notes`);
  for (const note of notes) {
    const want = assigned[note.order!];
    assert.ok(want, `${note.id}: lecture ${note.order} is missing from the table of assigned readings`);
    const papers = relatedOf(note).filter((r) => r.kind === 'paper' || r.kind === 'book');
    if (want === 'no paper') {
      assert.deepEqual(
        papers.map((r) => r.id),
        [],
        `${note.id}: its lecture assigned no paper`,
      );
      continue;
    }
    const match = papers.find((r) => r.kind === want.kind && want.title.test(r.title));
    assert.ok(match, `${note.id} does not relate to a ${want.kind} titled ${want.title}`);
    assert.ok(match.related?.includes(note.id), `${match.id} does not list ${note.id} back`);
  }
});

test('seed readings about a named paper and that paper list each other', () => {
  const pairs: Array<[string, RegExp]> = [
    ['a-decade-of-dynamo', /^Dynamo: Amazon's Highly Available Key-value Store$/],
    ['lamport-timestamps', /^Time, Clocks, and the Ordering of Events in a Distributed System$/],
    ['brief-tour-of-flp-impossibility', /^Impossibility of Distributed Consensus with One Faulty Process$/],
    ['notes-on-paxos', /^Paxos Made Simple$/],
    ['perspectives-on-the-cap-theorem', /^Brewer's Conjecture and the Feasibility of Consistent/],
    ['dynamodb-ten-years-later', /^Amazon DynamoDB: A Scalable, Predictably Performant/],
    ['bytegraph-graph-database-for-tiktok', /^ByteGraph: A High-Performance Distributed Graph Database/],
    ['mcrouter', /^Scaling Memcache at Facebook$/],
  ];
  for (const [readingId, title] of pairs) {
    const reading = byId(readingId);
    const paper = relatedOf(reading).find((r) => r.kind === 'paper' && title.test(r.title));
    assert.ok(paper, `${readingId} does not relate to a paper titled ${title}`);
    assert.ok(paper.related?.includes(readingId), `${paper.id} does not list ${readingId} back`);
  }
});

test('the catalog holds at least 30 papers, and papers.json adds no second copy of one', () => {
  const papers = catalog.readings.filter((r) => r.kind === 'paper');
  assert.ok(papers.length >= 30, `only ${papers.length} papers`);
  const titles = papers.map((p) => p.title.toLowerCase());
  assert.equal(new Set(titles).size, titles.length, 'two papers share a title');
  for (const id of ['raft-paper', 'spanner-paper']) assert.ok(!inPapersFile.has(id), id);
});

function assertPaperMetadata(p: Reading): void {
  assert.ok(p.authors && p.authors.length > 0, `${p.id}: no authors`);
  assert.ok(p.year !== undefined, `${p.id}: no year`);
  assert.ok(p.venue, `${p.id}: no venue`);
  assert.ok(p.metadataEvidence && p.metadataEvidence.length >= 40, `${p.id}: no metadataEvidence`);
  assert.ok(p.link.status === 'verified' || p.link.status === 'cited', `${p.id}: link ${p.link.status}`);
  assert.ok(p.link.evidence.length >= 40, `${p.id}: thin link evidence`);
  assert.ok(p.level, `${p.id}: no level`);
  if (p.minutes !== undefined)
    assert.match(p.minutesBasis ?? '', /^(stated|estimate): /, `${p.id}: minutes without a basis`);
}

test('every paper in papers.json has authors, year, venue, metadata evidence and a verified or cited link', () => {
  const added = catalog.readings.filter((r) => inPapersFile.has(r.id));
  assert.ok(added.filter((r) => r.kind === 'paper').length >= 18);
  for (const p of added) assertPaperMetadata(p);
});

test('every paper in the whole catalog has authors, year, venue, metadata evidence and a verified or cited link', () => {
  for (const p of catalog.readings.filter((r) => r.kind === 'paper')) assertPaperMetadata(p);
});

test('a paper whose note does not list it back is refused, naming the file and the entry', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qr-papers-'));
  cpSync('data', dir, { recursive: true });
  const path = join(dir, 'readings', 'learning-diary.json');
  const doc = JSON.parse(readFileSync(path, 'utf8')) as { readings: Array<Record<string, unknown>> };
  const note = doc.readings.find((r) => r.id === 'mit-6.824-lecture-03')!;
  delete note.related;
  writeFileSync(path, JSON.stringify(doc, null, 2));
  try {
    loadCatalog(dir);
    assert.fail('the catalog loaded with a one-way paper link');
  } catch (e) {
    assert.ok(e instanceof CatalogError, String(e));
    assert.ok(
      e.problems.some(
        (p) =>
          p.includes('papers.json') &&
          p.includes('"gfs-paper"') &&
          p.includes('related') &&
          p.includes('mit-6.824-lecture-03'),
      ),
      e.problems.join('\n'),
    );
  }
});
