import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCatalog } from '../src/catalog/load.ts';
import { PhraseTypos } from '../src/search/phrase-typos.ts';
import { ReadingSearch } from '../src/search/reading-search.ts';

const phrases = new PhraseTypos([
  ['two', 'phase', 'commit'],
  ['two', 'phase', 'locking'],
  ['split', 'brain'],
  ['raft'],
]);
const known = new Set(['two', 'phase', 'commit', 'locking', 'split', 'brain', 'raft', 'lead', 'how']);
const fix = (q: string) => phrases.correct(q.split(' '), (w) => known.has(w)).join(' ');

test('a misspelt word is corrected when the rest of a topic phrase stands around it', () => {
  assert.equal(fix('how does two fase commit work'), 'how does two phase commit work');
  assert.equal(fix('two phase lockin'), 'two phase locking');
  assert.equal(fix('split braen'), 'split brain');
  // A correctly spelt English word only inside a phrase of three or more words.
  assert.equal(fix('tow phase commit'), 'two phase commit');
  assert.equal(fix('split brian'), 'split brain', 'not an English word');
});

test('no phrase around it, a partial phrase, or too many edits: the word stays', () => {
  assert.equal(fix('fase'), 'fase');
  assert.equal(fix('fase commit'), 'fase commit', 'two of three words is not the phrase');
  assert.equal(fix('two fase'), 'two fase');
  assert.equal(fix('two phase comet'), 'two phase commit');
  assert.equal(fix('two phase xyzzy'), 'two phase xyzzy', 'more than two edits from commit and locking');
  assert.equal(fix('split bran'), 'split bran', 'an English word in a two-word phrase');
  assert.equal(fix('lead raft'), 'lead raft', 'a one-word spelling is no phrase');
  const same = ['two', 'phase', 'commit'];
  assert.equal(
    phrases.correct(same, (w) => known.has(w)),
    same,
    'unchanged: the same array',
  );
});

test('/read reads "two fase commit" as the tag alias "two phase commit" and says so', () => {
  const search = ReadingSearch.create(loadCatalog('data'));
  const typo = search.search('two fase commit');
  assert.equal(typo.corrected, 'two phase commit');
  const right = search.search('two phase commit');
  assert.deepEqual(
    typo.hits.map((h) => h.reading.id),
    right.hits.map((h) => h.reading.id),
  );
  assert.equal(search.search('tow phase commit').corrected, 'two phase commit');
  assert.equal(search.search('fase').corrected, undefined);
});
