import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CatalogError, loadCatalog, tagKey } from '../src/catalog/load.ts';
import { ReadingSearch } from '../src/search/reading-search.ts';
import { processTerm, tokenize } from '../src/search/text.ts';

const catalog = loadCatalog('data');
const search = ReadingSearch.create(catalog);

/** The key /read matches a spelling by: its words, stemmed (as ReadingSearch does). */
const stemKey = (spelling: string) =>
  tokenize(spelling)
    .map((w) => processTerm(w) ?? w)
    .join(' ');

/**
 * Questions as learners phrase them, with words no reading title uses: mechanism names, abbreviations,
 * symptoms and everyday paraphrases. Each names one topic; none is a tag's id or label on its own.
 */
const PARAPHRASES: ReadonlyArray<readonly [question: string, tag: string]> = [
  ['what do nodes do during a network split', 'network-partitions'],
  ['how does a database keep replicas up to date across data centres', 'replication'],
  ['geo-replication for users on several continents', 'replication'],
  ['three machines holding copies of data', 'replication'],
  ['replication lag makes a follower serve old values', 'replication'],
  ["guaranteeing read-your-writes for a user's own profile edits", 'consistency-models'],
  ['what strongly consistent reads cost', 'consistency-models'],
  ['replicas diverge for a while and converge later', 'eventual-consistency'],
  ['causally consistent storage for a social feed', 'causal-consistency'],
  ['state-based crdts for counting likes', 'crdts'],
  ['last writer wins silently drops concurrent writes', 'conflict-resolution'],
  ['version vectors to spot concurrent updates', 'conflict-resolution'],
  ['making a payment request safe to resend with an idempotency key', 'idempotence'],
  ['what is a sloppy quorum and when does hinted handoff kick in', 'dynamo'],
  ['how anti-entropy repairs replicas in a leaderless store', 'dynamo'],
  ['why serializable snapshot isolation aborts some transactions', 'snapshot-isolation'],
  ['dirty reads and lost updates', 'transactions'],
  ['preventing phantom reads in a booking system', 'transactions'],
  ['three-phase commit and why nobody uses it', 'distributed-transactions'],
  ['atomic commit when one participant crashes', 'distributed-transactions'],
  ['how do servers cope with clock drift', 'clocks'],
  ['why wall-clock time can jump backwards', 'clocks'],
  ['using a fencing token so an old lock holder cannot corrupt data', 'distributed-locking'],
  ['a distributed mutex built on leases', 'distributed-locking'],
  ['what is p95 latency and why the slowest requests matter', 'tail-latency'],
  ['how to spread load evenly over a pool of servers', 'load-balancing'],
  ['load shedding under overload', 'rate-limiting'],
  ['hot keys overloading a single shard', 'sharding'],
  ['choosing a partition key for a big table', 'sharding'],
  ['what a write-ahead log is for', 'storage-engines'],
  ['spotting a dead node with heartbeats', 'failure-detection'],
  ['what happens during failover when the primary crashes', 'fault-tolerance'],
  ['circuit breakers and exponential backoff for flaky dependencies', 'fault-tolerance'],
  ['planning for a regional outage', 'disaster-recovery'],
  ['how total order broadcast relates to agreeing on a log', 'consensus'],
  ['what problem does joint consensus solve in raft', 'raft'],
  ['how paxos acceptors reach a decision', 'paxos'],
  ['who becomes the new leader when the old one crashes', 'leader-election'],
  ["brewer's conjecture in practice", 'cap-theorem'],
  ['exactly once processing in a stream pipeline', 'exactly-once-delivery'],
  ['messages delivered twice by the broker', 'exactly-once-delivery'],
  ['dead letter queue for poison messages', 'message-queues'],
  ['backpressure when consumers are slower than producers', 'message-queues'],
  ['tumbling windows over event time', 'stream-processing'],
  ['cache stampede when a popular item expires', 'caching'],
  ['consumer groups and in-sync replicas', 'kafka'],
  ['race conditions and deadlocks with goroutines', 'concurrency'],
  ['mean time to recovery and error budgets', 'availability'],
  ['root cause analysis of a production incident', 'outages'],
  ['a distributed hash table for peer to peer lookups', 'key-value-stores'],
  ['graph queries with sparql', 'graph-databases'],
  ['pluscal for specifying a protocol', 'formal-methods'],
  ['the coordinated attack problem', 'impossibility-results'],
  ['erasure code for durable object storage', 'storage'],
  ['truetime and commit wait', 'spanner'],
  ['rdd lineage for recovery', 'spark'],
  ['the shuffle phase in hadoop', 'mapreduce'],
  ['nightly etl over the warehouse', 'batch-processing'],
  ['an api gateway in front of many services', 'microservices'],
  ['back-of-the-envelope estimation for an interview', 'system-design'],
  ['opentelemetry dashboards', 'observability'],
  ['what is rumor mongering', 'gossip'],
];

/**
 * Ordinary English that must not name a topic on its own (a question about "how much time" is not
 * about clocks, "the rest of" is not about REST). Includes words of multi-word aliases ("split" of
 * "network split", "copies" of "copies of data", "hot" of "hot key") and common words one typo away
 * from alias words ("stable"/"stale", "older"/"order", "weekly"/"weakly", "windows"/"windowing").
 */
const ORDINARY_WORDS = [
  ...['simple', 'time', 'order', 'data', 'system', 'state', 'log', 'logs', 'logging', 'rest'],
  ...['copy', 'copies', 'keep', 'sync', 'fast', 'slow', 'big', 'safe', 'cut', 'split', 'twice'],
  ...['agree', 'dead', 'hot', 'key', 'write', 'writes', 'cluster', 'node', 'nodes', 'server'],
  ...['request', 'value', 'update', 'problem', 'free', 'model', 'run', 'apply', 'restful'],
  ...['spread', 'stay', 'lost', 'old', 'new', 'first', 'last', 'table', 'range', 'single'],
  ...['shared', 'point', 'back', 'true', 'total', 'event', 'window', 'windows', 'phantom'],
  ...['authentic', 'question', 'stable', 'older', 'weekly', 'coming', 'though', 'react', 'struggles'],
  ...['restarting', 'multiverse', 'exception', 'promising', 'provided', 'changed', 'profile'],
  ...['algorithm', 'algorithms', 'services', 'jobs', 'production', 'speed', 'trust'],
];

test("learners' paraphrases are understood as the topic they name, and the first reading carries it", () => {
  assert.ok(PARAPHRASES.length >= 25, 'at least 25 paraphrases');
  assert.ok(new Set(PARAPHRASES.map(([, tag]) => tag)).size >= 15, 'covering at least 15 tags');
  const wrong: string[] = [];
  for (const [question, tag] of PARAPHRASES) {
    assert.ok(catalog.tagById.get(tag)?.kind === 'topic', `${tag} is a topic tag`);
    const outcome = search.search(question);
    const understood = outcome.tag === tag || outcome.mentioned.includes(tag);
    const first = outcome.hits[0]?.reading;
    if (!understood || !first?.tags.includes(tag))
      wrong.push(
        `"${question}" → tag ${outcome.tag ?? '-'}, mentioned [${outcome.mentioned.join(', ')}], ` +
          `first ${first?.id ?? 'none'} [${first?.tags.join(', ') ?? ''}] (want #${tag})`,
      );
  }
  assert.deepEqual(wrong, []);
});

test('no spelling belongs to two tags, written as is or once stemmed the way /read matches it', () => {
  const exact = new Map<string, string>();
  const stemmed = new Map<string, string>();
  const clashes: string[] = [];
  for (const t of catalog.tags)
    for (const spelling of [t.id, t.label, ...t.aliases]) {
      for (const [keys, key] of [
        [exact, tagKey(spelling)],
        [stemmed, stemKey(spelling)],
      ] as const) {
        const owner = keys.get(key);
        if (owner && owner !== t.id) clashes.push(`"${spelling}" (${key}): #${owner} and #${t.id}`);
        else keys.set(key, t.id);
      }
    }
  assert.deepEqual(clashes, []);
});

test('an alias another tag already spells is refused by the loader, naming both tags', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qr-vocab-'));
  cpSync('data', dir, { recursive: true });
  const path = join(dir, 'tags.json');
  const doc = JSON.parse(readFileSync(path, 'utf8')) as { tags: Array<{ id: string; aliases: string[] }> };
  doc.tags.find((t) => t.id === 'clocks')!.aliases.push('Sloppy Quorum');
  writeFileSync(path, JSON.stringify(doc, null, 2));
  assert.throws(
    () => loadCatalog(dir),
    (e: unknown) =>
      e instanceof CatalogError &&
      // Tags are read in file order, so whichever of the two comes later is the one named as the claimant.
      e.problems.some((p) => /"clocks"/.test(p) && /"dynamo"/.test(p) && /"sloppy quorum"/i.test(p)),
  );
});

test('ordinary English words name no topic, whether typed alone or typo-corrected first', () => {
  const named: string[] = [];
  for (const word of ORDINARY_WORDS) {
    const alone = search.tagFor(word);
    const outcome = search.search(word);
    if (alone || outcome.tag || outcome.mentioned.length)
      named.push(
        `"${word}" → ${alone ?? outcome.tag ?? outcome.mentioned.join(', ')}` +
          (outcome.corrected ? ` (corrected to "${outcome.corrected}")` : ''),
      );
  }
  assert.deepEqual(named, []);
  // Multi-word phrases built from them are fine: they name the concept.
  assert.equal(search.tagFor('network split'), 'network-partitions');
  assert.equal(search.tagFor('hot key'), 'sharding');
  assert.equal(search.tagFor('write-ahead log'), 'storage-engines');
  assert.equal(search.tagFor('clock drift'), 'clocks');
});

test('words that frame a question (kinds, what next, comparisons) are never typo-corrected into other words', () => {
  // "talks" was once corrected to "tasks" (a word of an alias), which lost the talk filter. A correction
  // that keeps the stem ("compared" → "compare") changes nothing the matcher or the intent reader sees.
  const framing = ['talks', 'papers', 'videos', 'threads', 'books', 'slides', 'newsletters'];
  framing.push('comes', 'finished', 'compared', 'difference', 'better', 'beginner', 'overview');
  const rewritten = framing.flatMap((w) => {
    const c = search.correctWord(w);
    return c && processTerm(c) !== processTerm(w) ? [`${w} → ${c}`] : [];
  });
  assert.deepEqual(rewritten, []);
  const talks = search.search('talks about stream processing');
  assert.equal(talks.corrected, undefined);
  const asked = talks.hits.slice(0, talks.matched ?? talks.hits.length);
  assert.ok(asked.length > 0 && asked.every((h) => h.reading.kind === 'talk'));
});
