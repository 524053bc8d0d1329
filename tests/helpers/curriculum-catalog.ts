import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalog, type Catalog } from '../../src/catalog/load.ts';

type R = Record<string, unknown> & { id: string; title: string; tags: string[]; kind: string };

const reading = (r: R) => ({
  link: { status: 'verified', url: `https://example.org/${r.id}`, evidence: 'test catalog, no real page' },
  summary: `${r.title}: a reading in the test curriculum.`,
  sources: ['test'],
  ...(r.minutes !== undefined ? { minutesBasis: 'estimate: test catalog' } : {}),
  ...(r.kind === 'paper'
    ? {
        authors: ['A. Tester'],
        year: 2014,
        venue: 'Test Conference',
        metadataEvidence: 'test catalog, no real paper',
      }
    : {}),
  ...r,
});

/**
 * A small catalog with the curriculum fields (levels, start-here paths, series, related papers and
 * notes), written to a temp data dir and loaded through the real loader and its validation.
 */
export function curriculumCatalog(): { catalog: Catalog; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'qr-curriculum-'));
  mkdirSync(join(dir, 'readings'));
  const tag = (id: string, label: string, extra: Record<string, unknown> = {}) => ({
    id,
    label,
    description: `Readings on ${label}.`,
    ...extra,
  });
  writeFileSync(
    join(dir, 'tags.json'),
    JSON.stringify({
      tags: [
        tag('consensus', 'Consensus', {
          startHere: ['consensus-for-beginners', 'raft-notes', 'paxos-notes'],
        }),
        tag('raft', 'Raft'),
        tag('paxos', 'Paxos'),
        tag('replication', 'Replication'),
        tag('partitioning', 'Partitioning'),
        tag('linearizability', 'Linearizability'),
        tag('transactions', 'Transactions', { aliases: ['serializability'] }),
        tag('learning-resources', 'Learning resources', { kind: 'meta', startHere: ['young-bloods'] }),
        tag('sb', 'Systems Book notes', { kind: 'collection' }),
      ],
      hidden: ['distributed', 'systems'],
    }),
  );
  writeFileSync(
    join(dir, 'sources.json'),
    JSON.stringify({
      sources: [
        {
          id: 'test',
          name: 'Test list',
          kind: 'link-list',
          description: 'A list for tests.',
          seedFile: 'x.txt',
        },
      ],
      series: [{ id: 'sb', name: 'Systems Notes', aliases: ['systems notes', 'sbook'] }],
    }),
  );
  const chapter = (n: number, topic: string, tagId: string, extra: Record<string, unknown> = {}) =>
    reading({
      id: `sb-chapter-${n}`,
      title: `Chapter ${n} - ${topic}`,
      tags: ['sb', tagId],
      kind: 'notes',
      level: 'core',
      series: 'sb',
      order: n + 1,
      minutes: 20,
      ...extra,
    });
  const readings = [
    reading({
      id: 'sb-intro',
      title: 'Systems Book diary: introduction',
      tags: ['sb', 'learning-resources'],
      kind: 'notes',
      level: 'intro',
      series: 'sb',
      order: 1,
    }),
    chapter(1, 'Foundations', 'learning-resources'),
    chapter(2, 'Linearizability', 'linearizability'),
    chapter(3, 'Transactions', 'transactions'),
    chapter(4, 'Replication', 'replication', { related: ['replication-deep-dive'] }),
    chapter(5, 'Partitioning', 'partitioning'),
    reading({
      id: 'young-bloods',
      title: 'Notes for young engineers',
      tags: ['learning-resources'],
      kind: 'article',
      level: 'intro',
    }),
    reading({
      id: 'consensus-for-beginners',
      title: 'Consensus for beginners',
      tags: ['consensus'],
      kind: 'article',
      level: 'intro',
      minutes: 10,
    }),
    reading({
      id: 'raft-paper',
      title: 'In Search of an Understandable Consensus Algorithm',
      tags: ['raft', 'consensus'],
      kind: 'paper',
      level: 'core',
      related: ['raft-notes'],
      minutes: 60,
    }),
    reading({
      id: 'raft-notes',
      title: 'Raft lecture notes',
      tags: ['raft', 'consensus'],
      kind: 'notes',
      level: 'intro',
      related: ['raft-paper'],
      minutes: 12,
    }),
    reading({
      id: 'raft-thread',
      title: 'A forum thread about Raft',
      tags: ['raft'],
      kind: 'thread',
      level: 'core',
    }),
    reading({
      id: 'raft-talk',
      title: 'Raft in ten minutes',
      tags: ['raft'],
      kind: 'talk',
      level: 'intro',
      minutes: 10,
    }),
    reading({
      id: 'paxos-notes',
      title: 'Paxos notes',
      tags: ['paxos', 'consensus'],
      kind: 'notes',
      level: 'core',
    }),
    reading({
      id: 'paxos-paper',
      title: 'The Part-Time Parliament',
      tags: ['paxos', 'consensus'],
      kind: 'paper',
      level: 'advanced',
    }),
    reading({
      id: 'replication-deep-dive',
      title: 'Replication deep dive',
      tags: ['replication'],
      kind: 'article',
      level: 'advanced',
      related: ['sb-chapter-4'],
    }),
    reading({
      id: 'models-both',
      title: 'Linearizability versus serializability',
      summary: 'Defines linearizability and serializability side by side.',
      tags: ['linearizability', 'transactions'],
      kind: 'article',
      level: 'core',
    }),
    // Carries #linearizability and #transactions as side notes and names neither: no reading "on both".
    reading({
      id: 'ops-war-stories',
      title: 'War stories from running databases',
      summary: 'What went wrong in production, and the pager duty that followed.',
      tags: ['learning-resources', 'replication', 'linearizability', 'transactions'],
      kind: 'article',
      level: 'core',
    }),
    reading({
      id: 'cooking',
      title: 'Unrelated notes on bread',
      summary: 'Mentions consensus once in passing, and a bigtable.',
      tags: ['learning-resources'],
      kind: 'article',
      level: 'intro',
    }),
  ];
  writeFileSync(join(dir, 'readings', 'test.json'), JSON.stringify({ readings }));
  return { catalog: loadCatalog(dir), dir };
}
