import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCatalog } from '../src/catalog/load.ts';
import { mendCompounds, type CompoundVocabulary } from '../src/search/compounds.ts';
import { ReadingSearch } from '../src/search/reading-search.ts';

const topic = new Set([
  'eventual',
  'consistency',
  'zookeeper',
  'map',
  'reduce',
  'mapreduce',
  'leader',
  'election',
]);
const vocab: CompoundVocabulary = {
  isTopicWord: (w) => topic.has(w),
  isKnown: (w) => topic.has(w) || w === 'backend',
  isTopicPhrase: (ws) => ['eventual consistency', 'leader election'].includes(ws.join(' ')),
};
const mend = (q: string) => mendCompounds(q.split(' '), vocab).join(' ');

test('a word typed run together is split where both parts are topic words, a tag phrase first', () => {
  assert.equal(mend('eventualconsistency'), 'eventual consistency');
  assert.equal(mend('what is leaderelection'), 'what is leader election');
  assert.equal(mend('zookeeper'), 'zookeeper', 'a topic word of its own');
  assert.equal(mend('keepers'), 'keepers', 'an English word of its own');
  assert.equal(mend('mapzzz'), 'mapzzz', 'a part that is no word');
  assert.equal(mend('backend'), 'backend', 'a word the catalog uses');
});

test('two neighbours are joined when the join is a topic word and one of them alone is not', () => {
  assert.equal(mend('zoo keeper paper'), 'zookeeper paper');
  assert.equal(mend('map reduce'), 'map reduce', 'both topic words: the alias reads them');
  assert.equal(mend('the zoo'), 'the zoo');
  const same = ['map', 'reduce'];
  assert.equal(mendCompounds(same, vocab), same, 'unchanged: the same array');
});

test('/read says how it read a run-together or split word, and answers as for the right spelling', () => {
  const search = ReadingSearch.create(loadCatalog('data'));
  for (const [typed, meant] of [
    ['eventualconsistency', 'eventual consistency'],
    ['zoo keeper', 'zookeeper'],
    ['splitbrain', 'split brain'],
  ] as const) {
    const got = search.search(typed);
    assert.equal(got.corrected, meant);
    assert.deepEqual(
      got.hits.map((h) => h.reading.id),
      search.search(meant).hits.map((h) => h.reading.id),
      typed,
    );
  }
});
