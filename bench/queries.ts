// Query sets shared by the latency benchmark and the result-equivalence check.
import { readFileSync } from 'node:fs';

/**
 * Where the shared eval file may be: next to the repository (a clone beside `shared/`), or two levels up
 * (a git worktree one folder below it). The first that exists is read.
 */
const PUBLIC_EVAL = [
  new URL('../../shared/eval/relevance.public.json', import.meta.url),
  new URL('../../../shared/eval/relevance.public.json', import.meta.url),
];

/** The queries of an eval file (`{ queries: [{ query }] }`), or none when it is absent. */
export function evalQueries(path: URL | string): string[] {
  try {
    const spec = JSON.parse(readFileSync(path, 'utf8')) as { queries: Array<{ query: string }> };
    return spec.queries.map((q) => q.query);
  } catch {
    return [];
  }
}

/** The public relevance queries (the eval's), when the shared eval file is present. */
export function publicEvalQueries(paths = PUBLIC_EVAL): string[] {
  for (const path of paths) {
    const queries = evalQueries(path);
    if (queries.length) return queries;
  }
  return [];
}

/** What users type into /read: tags, keywords, questions, typos, series, prefixes, nonsense. */
export const OWN_QUERIES = [
  // whole-query tags and aliases
  '#raft',
  'paxos',
  'consistent hashing',
  'leader election',
  'kafka',
  'eventual consistency',
  'linearizability',
  'CRDT',
  'mit-6.824',
  // keywords
  'dynamo',
  'spanner truetime',
  'vector clocks',
  'two phase commit',
  'byzantine',
  'gossip protocol membership',
  'bloom filter',
  'lsm tree compaction',
  // questions
  'how does raft elect a leader?',
  'what is the cap theorem and why does it matter',
  'why is exactly once delivery hard',
  'how do i shard a database',
  'what are crdts good for in collaborative editing',
  'how do distributed locks fail with redis',
  'can you recommend something on testing distributed systems with jepsen',
  // typos
  'paxso',
  'consensys',
  'linearizabilty',
  'eventual consistancy',
  'replicaton lag',
  'distribted transactions',
  'zookeper',
  'byzantin fault tolerance',
  'leadr electoin',
  // series
  'ddia',
  'designing data intensive applications',
  '6.824 lectures',
  'kleppmann',
  // prefixes while typing, authors
  'consen',
  'replicat',
  'Kyle Kingsbury',
  'Martin Kleppmann',
  // nonsense, empty-ish and long
  'xyzzy plugh',
  'qwertyuiop',
  'the and of',
  '???',
  'a very long question about how a distributed database keeps replicas consistent during network partitions and clock skew',
];

/** The benchmark's fixed mix: every query once per round. */
export function queryMix(): string[] {
  return [...publicEvalQueries(), ...OWN_QUERIES];
}
