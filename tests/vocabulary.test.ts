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
 * Questions from learners who do not know the field's term and describe the idea in everyday words
 * ("declare a node dead" for failure detection, "a noisy neighbor" for shuffle sharding, "compensating
 * actions" for sagas). Each names one topic through an everyday phrasing among its aliases.
 */
const EVERYDAY: ReadonlyArray<readonly [question: string, tag: string]> = [
  ['mark a node dead when it stops answering heartbeats', 'failure-detection'],
  ['how do the other nodes find out which machines are alive', 'failure-detection'],
  ['how does a database lay out its data on disk', 'storage-engines'],
  ['how nodes tell each other about cluster membership', 'gossip'],
  ['how to spread information between nodes in a big cluster', 'gossip'],
  ['keep a noisy neighbor from taking down everyone else', 'sharding'],
  ['split data across machines by customer id', 'sharding'],
  ['compensating actions when an order workflow fails', 'distributed-transactions'],
  ['transactions across microservices', 'distributed-transactions'],
  ['is it safe to retry a payment call', 'idempotence'],
  ['which write wins when two people edit the same record', 'conflict-resolution'],
  ['clocks out of sync between two servers', 'clocks'],
  ['what to do when nodes cannot reach each other', 'network-partitions'],
  ['staying always available during an upgrade', 'availability'],
  ['what if we lose a whole region', 'disaster-recovery'],
  ['prove the algorithm correct before writing code', 'formal-methods'],
  ['inject faults to find bugs before users do', 'testing'],
  ['compromised nodes sending bad messages', 'byzantine-fault-tolerance'],
  ['getting machines to agree on one value', 'consensus'],
  ['elect a leader among three servers', 'leader-election'],
  ['sacrifice consistency when the network fails', 'cap-theorem'],
  ['replicas catch up after a while', 'eventual-consistency'],
  ['seeing a reply before the original message', 'causal-consistency'],
  ['documents that merge automatically for collaborative editing', 'crdts'],
  ['transfer money between two accounts', 'transactions'],
  ['deliver each message once', 'exactly-once-delivery'],
  ['removing a single point of failure', 'fault-tolerance'],
  ['handle more traffic as the user base grows', 'scalability'],
  ['spread requests over backends', 'load-balancing'],
  ['limit requests from one client', 'rate-limiting'],
  ['how services find each other', 'service-discovery'],
  ['a lock across machines', 'distributed-locking'],
  ['handle events as they arrive', 'stream-processing'],
  ['crunching huge datasets offline', 'batch-processing'],
  ['recompute lost data after a worker dies', 'spark'],
  ['occasional slow requests at scale', 'tail-latency'],
  ['keep data in memory to avoid hitting the database', 'caching'],
  ['trace a request across services', 'observability'],
  ['how to break up a monolith', 'microservices'],
  ['recurring jobs on a cluster', 'scheduling'],
  ['messages arrive out of order', 'networking'],
  ['our production went down for hours', 'outages'],
  ['see my own changes right after saving', 'consistency-models'],
  ['read the latest value from any replica', 'linearizability'],
  ['a frozen copy of the database for a long report', 'snapshot-isolation'],
  ['concurrent transactions on the same row', 'concurrency-control'],
  ['slow consumers falling behind', 'message-queues'],
  ['storing a social graph', 'graph-databases'],
  ['cost of coordination between replicas', 'coordination'],
  ['friends of friends queries', 'graph-databases'],
  ['keeping data private on untrusted servers', 'security'],
  ['digital money without a bank', 'bitcoin'],
  ['smart contracts', 'blockchain'],
  ['turn objects into bytes', 'serialization'],
  ['count unique visitors cheaply', 'data-structures'],
  ['train models on many gpus', 'machine-learning'],
  ['two threads touching shared variables', 'concurrency'],
  ['rent servers instead of buying', 'cloud'],
  ['files across machines', 'file-systems'],
  ['store photos durably', 'storage'],
  ['write to any replica', 'dynamo'],
  ['a table without a schema', 'nosql'],
  ['how do we declare a node dead', 'failure-detection'],
  ['why does my replica serve outdated data', 'eventual-consistency'],
  ['encode messages with protobuf', 'serialization'],
  ['servers spreading rumours about each other', 'gossip'],
];

/**
 * Questions that use a word or phrase close to an everyday phrasing but mean something else, each with
 * the tag it must not name: "nodes that lie on a ring" is about placement, not Byzantine nodes; "spend
 * twice as much" is not double spending; "simulate network failures" is testing, not a partition.
 */
const FALSE_FRIENDS: ReadonlyArray<readonly [question: string, notTag: string]> = [
  ['nodes that lie on a hash ring', 'byzantine-fault-tolerance'],
  ['we spend twice as much on servers', 'bitcoin'],
  ['is the stream always on time', 'availability'],
  ['add a field to a table', 'serialization'],
  ['a single copy of the data with no backups', 'linearizability'],
  ['what went wrong in my raft implementation', 'outages'],
  ['speed up reads with an index', 'caching'],
  ['simulate network failures in tests', 'network-partitions'],
  ['single leader replication', 'leader-election'],
  ['the cause of the outage', 'causal-consistency'],
  ['split a shard in two', 'network-partitions'],
  ['answer the question about raft', 'causal-consistency'],
  ['the consumer group fell behind', 'replication'],
  ['set membership with a bloom filter', 'gossip'],
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
  // Words of everyday phrasings ("stopped responding", "noisy neighbor", "lose a region").
  ...['alive', 'responding', 'noisy', 'neighbor', 'instantly', 'latest', 'frozen', 'earlier', 'steps'],
  ...['purpose', 'edits', 'simultaneous', 'overwrite', 'effect', 'cause', 'membership', 'information'],
  ...['lie', 'lying', 'compromised', 'reach', 'connectivity', 'wrong', 'growth', 'handle', 'users'],
  ...['photos', 'money', 'bank', 'paged', 'recurring', 'datasets', 'disk', 'charge', 'sacrifice', 'spend'],
];

/** The questions /read does not understand as their tag, or whose first reading does not carry it. */
function misread(cases: ReadonlyArray<readonly [question: string, tag: string]>): string[] {
  const wrong: string[] = [];
  for (const [question, tag] of cases) {
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
  return wrong;
}

/** The questions /read reads as naming a tag they must not name (false friends of a rule). */
function falselyNamed(cases: ReadonlyArray<readonly [question: string, notTag: string]>): string[] {
  return cases
    .filter(([question, notTag]) => search.search(question).mentioned.includes(notTag))
    .map(([question, notTag]) => `${question} → #${notTag}`);
}

test("learners' paraphrases are understood as the topic they name, and the first reading carries it", () => {
  assert.ok(PARAPHRASES.length >= 25, 'at least 25 paraphrases');
  assert.ok(new Set(PARAPHRASES.map(([, tag]) => tag)).size >= 15, 'covering at least 15 tags');
  assert.deepEqual(misread(PARAPHRASES), []);
});

test('questions in everyday words, without the term, reach the topic they describe', () => {
  assert.ok(new Set(EVERYDAY.map(([, tag]) => tag)).size >= 50, 'covering at least 50 tags');
  assert.deepEqual(misread(EVERYDAY), []);
  // Matching is on stemmed runs of words, stop words included: plurals and verb forms match ...
  assert.equal(search.tagFor('splitting data across servers'), 'sharding');
  assert.equal(search.tagFor('nodes agreeing'), 'consensus');
  // ... and a phrase two tags could claim went to the more specific one.
  assert.equal(search.tagFor('simulate network failures'), 'testing');
  assert.equal(search.tagFor('map keys to servers'), 'consistent-hashing');
});

test('phrases close to an everyday phrasing do not name its topic', () => {
  const named = FALSE_FRIENDS.flatMap(([question, notTag]) => {
    const outcome = search.search(question);
    return outcome.tag === notTag || outcome.mentioned.includes(notTag)
      ? [
          `"${question}" → #${notTag} (tag ${outcome.tag ?? '-'}, mentioned [${outcome.mentioned.join(', ')}])`,
        ]
      : [];
  });
  assert.deepEqual(named, []);
});

test('no alias is read as a comparison, which would split it into two sides that match nothing', () => {
  // intent.ts reads "x or y", "x vs y" and "x versus y" as two subjects to compare ("raft or paxos"), so
  // an alias such as "consistency or availability" could never match as typed.
  const compared = catalog.tags.flatMap((t) =>
    t.aliases.filter((a) => search.search(a).mode === 'compare').map((a) => `#${t.id}: "${a}"`),
  );
  assert.deepEqual(compared, []);
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
  // A short misspelt kind word, too short for the typo budget, is still that kind word.
  assert.equal(search.correctWord('papr'), 'paper');
  assert.equal(search.correctWord('tlak'), 'talk');
  assert.deepEqual(search.search('raft papr').filters, { kind: 'paper' });
  // Not an English word, nor one too far from every kind word.
  assert.equal(search.correctWord('tall'), undefined);
  assert.equal(search.correctWord('pxyz'), undefined);
});

test("phrasings name a topic but do not widen the query: only the field's spellings are synonyms", () => {
  const tag = catalog.tagById.get('failure-detection')!;
  assert.ok(tag.phrasings.includes('stopped responding'));
  // Loaded into aliases, so the phrasing names the topic...
  assert.equal(search.tagFor('stopped responding'), 'failure-detection');
  // ...but only the label's and the field aliases' words join a query that names the tag.
  const widened = search.textQuery(['alive'], ['failure-detection'])!.text.split(' ');
  assert.ok(widened.includes('heartbeat'), widened.join(' '));
  assert.ok(!widened.includes('responding'), widened.join(' '));
});

test('articles do not matter inside a spelling: "agree on the order" is the phrasing "agree on an order"', () => {
  assert.equal(search.tagFor('agree on the order'), 'consensus');
  assert.equal(search.tagFor('agree on order'), 'consensus');
  assert.ok(search.search('how do replicas agree on the order of writes').mentioned.includes('consensus'));
  // A phrasing typed alone is the topic in plain words, not a narrower idea: its path leads, as for
  // "consensus".
  const path = search.catalog.tagById.get('consensus')!.startHere!;
  assert.equal(search.search('agree on the order').hits[0]!.reading.id, path[0]);
  assert.equal(search.search('how do servers agree').hits[0]!.reading.id, path[0]);
  // An article alone names nothing.
  assert.equal(search.tagFor('the'), undefined);
});

test('a two-word name said the other way round, joined by "of", "for" or "in", names the same topic', () => {
  // Built from the spellings (reading-search.ts INVERTED_LINKS), not listed: every two-word name has it.
  const inverted: ReadonlyArray<readonly [question: string, tag: string]> = [
    ['how does the election of a leader work', 'leader-election'],
    ['detection of failures in a big cluster', 'failure-detection'],
    ['partitioning of data across many machines', 'sharding'],
    ['skew of clocks between servers', 'clocks'],
    ['keeping several versions of rows so reads never wait', 'snapshot-isolation'],
  ];
  assert.deepEqual(misread(inverted), []);
  // Not when a noun follows, which the run's last word then describes, nor, for an everyday head
  // word, before another preposition: these name no topic by inversion.
  assert.deepEqual(
    falselyNamed([
      ['running kafka nodes in virtual machines', 'consistent-hashing'],
      ['processing in data centers', 'batch-processing'],
      ['requests for backup of my postgres database', 'tail-latency'],
      ['does postgres wait for commit before flushing the wal', 'spanner'],
      ['policy for eviction of tenants', 'caching'],
      ['variables in conditions in bash', 'concurrency'],
    ]),
    [],
  );
  // A spelling typed as is keeps its own tag: the inversion never takes a key a spelling has.
  const taken = catalog.tags
    .filter((t) => !catalog.hiddenTags.includes(t.id))
    .flatMap((t) => t.aliases.filter((a) => search.tagFor(a) !== t.id).map((a) => `#${t.id}: "${a}"`));
  assert.deepEqual(taken, []);
});

test('inside an everyday phrasing, server, machine, node and replica are one word; a field term keeps its noun', () => {
  const sameIdea: ReadonlyArray<readonly [question: string, tag: string]> = [
    ['what does cassandra do about a slow replica', 'tail-latency'],
    ['a slow node in the cluster drags every request', 'tail-latency'],
    ['how do you tell that a machine is down', 'failure-detection'],
    ['what happens when the replica is dead', 'failure-detection'],
  ];
  assert.deepEqual(misread(sameIdea), []);
  // A field term keeps its noun: "virtual machine" is not "virtual nodes" (#consistent-hashing).
  assert.ok(
    !search.search('a backup virtual machine that takes over').mentioned.includes('consistent-hashing'),
  );
  // The phrasing must end the phrase: "slow machine learning" is about machine learning; a computer
  // is bought, not balanced.
  assert.deepEqual(
    falselyNamed([
      ['slow machine learning pipelines in python', 'tail-latency'],
      ['help me pick a computer for programming', 'load-balancing'],
      ['the slowest computer ever built', 'tail-latency'],
    ]),
    [],
  );
  assert.equal(search.tagFor('virtual nodes'), 'consistent-hashing');
  assert.equal(search.tagFor('virtual machines'), undefined);
  assert.equal(search.tagFor('replica'), 'replication');
  assert.equal(search.tagFor('node'), undefined);
  assert.equal(search.tagFor('server'), undefined);
});

test('a language named by an everyday word ("go") is named inside a question only by an unambiguous spelling', () => {
  for (const q of [
    'what can go wrong with a lock service',
    'where do I go from here with raft',
    'go deeper on paxos',
  ])
    assert.ok(!search.search(q).mentioned.includes('go'), q);
  // The verb is no search word either: no Go notes for a question about retries.
  const retries = search.search('why retries go wrong').hits.slice(0, 3);
  assert.ok(!retries.some((h) => h.reading.tags.includes('go')), retries.map((h) => h.reading.id).join(' '));
  // An inflected form is always the verb ("what is going on with raft").
  assert.ok(!search.search('what is going on with raft').mentioned.includes('go'));
  for (const q of [
    'concurrency in go',
    'golang rpc for the labs',
    'learning go for 6.824',
    // The bare name after a word that makes it a thing, or compared.
    'is go good for building distributed systems',
    // First once the frame is read off ("new to …").
    'new to go, picking it up for a course',
  ])
    assert.ok(search.search(q).mentioned.includes('go') || search.search(q).tag === 'go', q);
  // Compared: "rust" has no readings, so the question is answered as one, naming go.
  assert.ok(search.search('go vs rust for a key value store').mentioned.includes('go'));
  // Typed alone it is the tag.
  assert.equal(search.search('go').tag, 'go');
});
