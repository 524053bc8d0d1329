import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { loadCatalog, CatalogError, tagCounts, tagUsage } from '../src/catalog/load.ts';
import { ReadingSearch } from '../src/search/reading-search.ts';

function copyOfData(): string {
  const dir = mkdtempSync(join(tmpdir(), 'qr-catalog-'));
  cpSync('data', dir, { recursive: true });
  return dir;
}

function editReadings(
  dir: string,
  file: string,
  edit: (readings: Array<Record<string, unknown>>) => void,
): void {
  const path = join(dir, 'readings', file);
  const doc = JSON.parse(readFileSync(path, 'utf8')) as { readings: Array<Record<string, unknown>> };
  edit(doc.readings);
  writeFileSync(path, JSON.stringify(doc, null, 2));
}

function problemsOf(dir: string): string[] {
  try {
    loadCatalog(dir);
  } catch (e) {
    assert.ok(e instanceof CatalogError, `expected a CatalogError, got ${String(e)}`);
    return e.problems;
  }
  assert.fail('the catalog loaded although it is invalid');
}

test('the real catalog validates: every seed reading, ids unique, tags known, series in order', () => {
  const c = loadCatalog('data');
  assert.ok(c.readings.length >= 125, `only ${c.readings.length} readings`);
  assert.equal(new Set(c.readings.map((r) => r.id)).size, c.readings.length);
  const linked = c.readings.filter((r) => r.link.status !== 'none');
  assert.ok(linked.length >= 60, `only ${linked.length} readings have a verified or cited link`);
  for (const r of linked) assert.ok(r.link.status !== 'none' && r.link.evidence.length >= 10, r.id);
  const lectures = c.readings.filter((r) => r.series === 'mit-6.824').sort((a, b) => a.order! - b.order!);
  assert.match(lectures[0]!.title, /Lecture 1 /);
  assert.ok(lectures.length >= 18);
  const ddia = c.readings.filter((r) => r.series === 'ddia');
  assert.ok(ddia.length >= 10);
});

test('the duplicated seed readings (Raft paper, non-blocking transactional atomicity) appear once', () => {
  const c = loadCatalog('data');
  const raft = c.readings.filter((r) => /understandable consensus algorithm/i.test(r.title));
  assert.equal(raft.length, 1);
  const nbta = c.readings.filter((r) => /non-blocking transactional atomicity/i.test(r.title));
  assert.equal(nbta.length, 1);
});

test('entries the seeds left untitled get descriptive titles that name the subject', () => {
  const titles = loadCatalog('data').readings.map((r) => r.title);
  for (const subject of ['Doorman', 'Consul', 'Blockade', 'Baquero'])
    assert.ok(
      titles.some((t) => t.includes(subject) && t.length > subject.length + 10),
      `no descriptive title for ${subject}`,
    );
});

test('noise seed tags are hidden from topics', () => {
  const c = loadCatalog('data');
  const shown = tagCounts(c).map((t) => t.tag.id);
  for (const noise of ['distcomp', 'toread', 'pdf', 'coding']) assert.ok(!shown.includes(noise), noise);
  assert.ok(c.hiddenTags.includes('via:*'));
});

test('a bad entry fails loudly with its file, id and field', () => {
  const dir = copyOfData();
  editReadings(dir, 'jm-pinboard.json', (rs) => {
    rs[0]!.tags = ['no-such-tag'];
    rs[1]!.title = '_Bad title_';
    (rs[2]!.link as Record<string, unknown>) = {
      status: 'verified',
      url: 'javascript:alert(1)',
      evidence: 'x'.repeat(20),
    };
  });
  const problems = problemsOf(dir);
  const first = JSON.parse(readFileSync(join(dir, 'readings', 'jm-pinboard.json'), 'utf8')).readings;
  assert.ok(
    problems.some((p) => p.includes(`"${first[0].id}"`) && p.includes('tags.0') && p.includes('no-such-tag')),
  );
  assert.ok(problems.some((p) => p.includes(`"${first[1].id}"`) && p.includes('title')));
  assert.ok(problems.some((p) => p.includes(`"${first[2].id}"`) && p.includes('link.url')));
});

test('duplicate ids and clashing series orders are refused', () => {
  const dir = copyOfData();
  editReadings(dir, 'learning-diary.json', (rs) => {
    const lectures = rs.filter((r) => r.series === 'mit-6.824');
    lectures[1]!.order = lectures[0]!.order;
    rs.push({ ...rs[0]! });
  });
  const problems = problemsOf(dir);
  assert.ok(problems.some((p) => p.includes('duplicate id')));
  assert.ok(problems.some((p) => p.includes('order:') && p.includes('also the order of')));
});

test('a corrupt or missing data file says which file and why', () => {
  const dir = copyOfData();
  writeFileSync(join(dir, 'tags.json'), '{ "tags": [ oops');
  assert.ok(problemsOf(dir).some((p) => p.includes('tags.json') && p.includes('not valid JSON')));
  const empty = mkdtempSync(join(tmpdir(), 'qr-catalog-'));
  assert.ok(problemsOf(empty).some((p) => p.includes('tags.json') && p.includes('cannot read')));
});

test('npm run catalog:check ends with the summary line, and fails on a bad catalog', () => {
  const ok = spawnSync(process.execPath, ['--import', 'tsx', 'src/catalog/check.ts'], { encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stderr);
  const last = ok.stdout.trim().split('\n').at(-1)!;
  assert.match(last, /^catalog: \d+ entries, \d+ tags, \d+ verified links, \d+ cited links, \d+ papers$/);

  const dir = copyOfData();
  editReadings(dir, 'distributed-bytes.json', (rs) => {
    rs[0]!.kind = 'podcast';
  });
  const bad = spawnSync(process.execPath, ['--import', 'tsx', 'src/catalog/check.ts', dir], {
    encoding: 'utf8',
  });
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /distributed-bytes\.json: entry "[^"]+" kind/);
});

test('a catalog that passed validation loads without re-validating, until any byte of it changes', () => {
  const dir = copyOfData();
  const cache = join(mkdtempSync(join(tmpdir(), 'qr-catcache-')), 'catalog-validated');
  const first = loadCatalog(dir, { validatedCachePath: cache });
  const again = loadCatalog(dir, { validatedCachePath: cache });
  assert.equal(again.hash, first.hash);
  assert.deepEqual(again.readings, first.readings);
  assert.deepEqual(again.tags, first.tags);
  assert.deepEqual([...again.tagAliases], [...first.tagAliases]);
  assert.deepEqual(again.series, first.series);
  // Any change is validated in full again: a bad entry still fails loudly despite the cache.
  editReadings(dir, 'jm-pinboard.json', (rs) => {
    rs[0]!.tags = ['no-such-tag'];
  });
  assert.throws(() => loadCatalog(dir, { validatedCachePath: cache }), CatalogError);
  // A forged cache line for other bytes changes nothing.
  writeFileSync(cache, '1:0000000000000000');
  assert.throws(() => loadCatalog(dir, { validatedCachePath: cache }), CatalogError);
});

test('honest vocabulary: every alias leads to its own tag, never to another system or topic', () => {
  const c = loadCatalog('data');
  const search = ReadingSearch.create(c);
  // The exact spellings, and the stemmed phrases /read matches ("partitions" once stemmed like
  // "partitioning" and sent DDIA's word for sharding to #network-partitions).
  for (const t of c.tags)
    for (const spelling of [t.label, ...t.aliases])
      assert.equal(search.tagFor(spelling), t.id, `${t.id}: "${spelling}"`);
  // Issue 16's cases: other systems are not aliases of Cassandra or ZooKeeper; BFT and partitioning
  // have topics of their own.
  for (const [word, wrong] of [
    ['bigtable', 'cassandra'],
    ['chubby', 'zookeeper'],
    ['etcd', 'zookeeper'],
    ['bft', 'security'],
    ['partitioning', 'network-partitions'],
  ] as const) {
    assert.notEqual(search.tagFor(word), wrong, word);
    assert.notEqual(c.tagAliases.get(word), wrong, word);
  }
  assert.equal(search.tagFor('bigtable'), undefined);
  assert.equal(search.tagFor('bft'), 'byzantine-fault-tolerance');
  assert.equal(search.tagFor('byzantine generals'), 'byzantine-fault-tolerance');
  assert.equal(search.tagFor('partitioning'), 'sharding');
  assert.equal(search.tagFor('network partition'), 'network-partitions');
  assert.equal(search.tagFor('partition tolerance'), 'network-partitions');
});

test('languages, course collections and learning resources are marked as not topics, and /tags counts skip them', () => {
  const c = loadCatalog('data');
  const kindOf = (id: string) => c.tagById.get(id)?.kind;
  for (const id of ['go', 'python', 'jvm']) assert.equal(kindOf(id), 'language', id);
  for (const id of ['ddia', 'mit-6.824']) assert.equal(kindOf(id), 'collection', id);
  assert.equal(kindOf('learning-resources'), 'meta');
  const shown = tagCounts(c).map((t) => t.tag.id);
  assert.ok((tagUsage(c).get('mit-6.824') ?? 0) >= 18, 'the collection has readings');
  for (const id of ['go', 'python', 'jvm', 'ddia', 'mit-6.824', 'learning-resources'])
    assert.ok(!shown.includes(id), `${id} is listed as a topic`);
  assert.ok(shown.includes('raft') && shown.includes('sharding'));
  assert.ok(tagCounts(c).every((t) => t.tag.kind === 'topic'));
});

test('every topic with 3 or more readings has a start-here path: 2-6 readings carrying the tag, intro → core → advanced', () => {
  const c = loadCatalog('data');
  const rank = { intro: 0, core: 1, advanced: 2 } as const;
  const usage = tagUsage(c);
  let checked = 0;
  for (const t of c.tags) {
    if (t.kind !== 'topic') {
      assert.deepEqual(t.startHere, [], `${t.id} is a ${t.kind}, not a topic: no path`);
      continue;
    }
    if ((usage.get(t.id) ?? 0) < 3) continue;
    checked++;
    // Until every reading has a level, a path can only use the leveled ones.
    const leveled = c.readings.filter((r) => r.level !== undefined && r.tags.includes(t.id)).length;
    // Two is enough where only two readings teach the topic (Raft: the 6.824 notes and the paper).
    assert.ok(
      t.startHere.length >= Math.min(2, leveled) && t.startHere.length <= 6,
      `#${t.id}: a path of ${t.startHere.length} (${leveled} leveled readings)`,
    );
    const ranks = t.startHere.map((id) => {
      const r = c.byId.get(id);
      assert.ok(
        r?.level && r.tags.includes(t.id),
        `#${t.id}: ${id} must exist, carry the tag and have a level`,
      );
      return rank[r.level];
    });
    assert.deepEqual(ranks, [...ranks].sort(), `#${t.id}: ${t.startHere.join(' → ')}`);
  }
  assert.ok(checked >= 50, `only ${checked} topics checked`);
  // The paths issue 16 names: Raft's paper follows the lecture notes; CAP starts with an introduction,
  // not a critique, and ends with the proof.
  const path = (id: string) => c.tagById.get(id)!.startHere;
  assert.ok(path('raft').indexOf('raft-paper') > path('raft').indexOf('mit-6.824-lectures-06-07'));
  assert.equal(c.byId.get(path('cap-theorem')[0]!)!.level, 'intro');
  assert.equal(path('cap-theorem').at(-1), 'gilbert-lynch-cap-proof');
  assert.ok(
    path('sharding').includes('ddia-chapter-06'),
    'DDIA’s partitioning chapter is on the sharding path',
  );
});

test('the curriculum fields are enforced, each problem named with its file, id and field', () => {
  const dir = copyOfData();
  editReadings(dir, 'papers.json', (rs) => {
    const paper = rs.find((r) => r.id === 'gfs-paper')!;
    delete paper.venue;
    delete paper.metadataEvidence;
    delete rs.find((r) => r.id === 'mapreduce-paper')!.level;
    const timed = rs.find((r) => r.id === 'frangipani-paper')!;
    timed.minutes = 20;
    delete timed.minutesBasis;
  });
  editReadings(dir, 'learning-diary.json', (rs) => {
    rs.find((r) => r.id === 'mit-6.824-lecture-03')!.related = ['no-such-reading'];
    rs.find((r) => r.id === 'mit-6.824-lecture-04')!.related = [];
  });
  const problems = problemsOf(dir);
  const has = (file: string, id: string, field: string) =>
    assert.ok(
      problems.some((p) => p.includes(file) && p.includes(`"${id}"`) && p.includes(field)),
      `expected a problem naming ${file}, ${id} and ${field}; got:\n${problems.join('\n')}`,
    );
  has('papers.json', 'gfs-paper', 'venue');
  has('papers.json', 'gfs-paper', 'metadataEvidence');
  has('papers.json', 'mapreduce-paper', 'level');
  has('papers.json', 'frangipani-paper', 'minutesBasis');
  // An entry that failed its schema is reported once, not again as "unknown" wherever it is named.
  assert.ok(!problems.some((p) => p.includes('unknown reading "mapreduce-paper"')), problems.join('\n'));
  has('learning-diary.json', 'mit-6.824-lecture-03', 'related.');
  // The fault-tolerant VM paper still lists lecture 4, which no longer lists it back.
  has('papers.json', 'vm-ft-paper', 'must list "vm-ft-paper"');
});

test('a start-here path out of level order or naming a reading without the tag is refused', () => {
  const dir = copyOfData();
  const path = join(dir, 'tags.json');
  const doc = JSON.parse(readFileSync(path, 'utf8')) as { tags: Array<Record<string, unknown>> };
  const raft = doc.tags.find((t) => t.id === 'raft')!;
  raft.startHere = ['raft-paper', 'mit-6.824-lecture-05', 'ddia-chapter-03'];
  writeFileSync(path, JSON.stringify(doc, null, 2));
  const problems = problemsOf(dir);
  assert.ok(problems.some((p) => p.includes('"raft"') && p.includes('startHere.1') && p.includes('harder')));
  assert.ok(
    problems.some((p) => p.includes('"raft"') && p.includes('startHere.2') && p.includes('does not carry')),
  );
});
