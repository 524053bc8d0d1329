import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { extractLinks, normalizeUrl } from '../src/saves/urls.ts';

const norm = (u: string) => {
  const n = normalizeUrl(u);
  return n.ok ? n.url : `ERR ${n.reason}`;
};

test('normalizing links: case, IDN, default ports, fragments, tracking, trailing slash', () => {
  const table: Array<[string, string]> = [
    ['HTTPS://Example.COM:443/a/?utm_source=x&b=1#frag', 'https://example.com/a?b=1'],
    ['http://example.com:80/', 'http://example.com/'],
    ['http://example.com:8080/x', 'http://example.com:8080/x'],
    ['https://bücher.de/Pfad', 'https://xn--bcher-kva.de/Pfad'],
    ['https://a.com/x/', 'https://a.com/x'],
    ['https://a.com/x', 'https://a.com/x'],
    ['https://a.com', 'https://a.com/'],
    [
      'https://a.com/?fbclid=1&gclid=2&mc_cid=3&mc_eid=4&igshid=5&ref_src=6&yclid=7&msclkid=8&_hsenc=9',
      'https://a.com/',
    ],
    ['https://a.com/?b=2&a=1', 'https://a.com/?b=2&a=1'],
    ['https://en.wikipedia.org/wiki/Raft_(algorithm)', 'https://en.wikipedia.org/wiki/Raft_(algorithm)'],
  ];
  for (const [input, want] of table) assert.equal(norm(input), want, input);
});

test('refusing what cannot be saved, each with a short reason', () => {
  for (const bad of ['javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,hi', 'ftp://a.com/x'])
    assert.match(norm(bad), /^ERR Only http\(s\) links/, bad);
  assert.match(norm('not a url'), /^ERR .*not a link/);
  assert.match(norm('https://user:pass@a.com/'), /^ERR .*user name or password/);
  assert.match(norm(`https://a.com/${'x'.repeat(2100)}`), /^ERR .*2048/);
});

test('extracting links from chat messages: bare, Slack, Discord, markdown; trimmed and deduped', () => {
  const text =
    'see <https://a.com|x> <!channel> and https://b.com/x). [label](https://en.wikipedia.org/wiki/Raft_(algorithm)), ' +
    '<https://d.com> https://b.com/x, also (https://e.com/p). Done: https://f.com/q?x=1!';
  assert.deepEqual(extractLinks(text), [
    'https://a.com',
    'https://b.com/x',
    'https://en.wikipedia.org/wiki/Raft_(algorithm)',
    'https://d.com',
    'https://e.com/p',
    'https://f.com/q?x=1',
  ]);
  // A Slack label is never read as the link, even when it looks like one.
  assert.deepEqual(extractLinks('<https://evil.example|https://good.example>'), ['https://evil.example']);
  assert.deepEqual(extractLinks('no links here, javascript:alert(1)'), []);
});

test('property: normalizing never throws, is idempotent and never yields a non-http(s) URL', () => {
  const weird = fc.constantFrom(
    '\u200b',
    '\u202e',
    '\u0000',
    '\u0007',
    '\ufeff',
    'é',
    '😀',
    ' ',
    '#',
    '?',
    '%',
    '@',
    ':',
    '/',
    '(',
    ')',
  );
  const arb = fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.webUrl({ withQueryParameters: true, withFragments: true }),
    fc.tuple(fc.webUrl(), fc.array(weird, { maxLength: 8 })).map(([u, w]) => u + w.join('')),
    fc
      .tuple(
        fc.constantFrom('http://', 'https://', 'HTTP://', 'javascript:', 'file://'),
        fc.string({ unit: 'grapheme', maxLength: 100 }),
      )
      .map(([a, b]) => a + b),
  );
  fc.assert(
    fc.property(arb, (s) => {
      const a = normalizeUrl(s);
      if (!a.ok) return true;
      assert.match(a.url, /^https?:\/\//);
      const b = normalizeUrl(a.url);
      assert.ok(b.ok, `re-normalizing ${a.url} failed`);
      assert.equal(b.url, a.url);
      return true;
    }),
    { numRuns: 2000 },
  );
});

test('property: link extraction never throws and only returns http(s) links, on 10k-char unicode strings', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 10_000 }), fc.webUrl(), (noise, url) => {
      const links = extractLinks(`${noise} ${url} <${url}|x> <!channel>`);
      for (const l of links) assert.match(l, /^https?:\/\//i);
      assert.equal(new Set(links).size, links.length);
      return true;
    }),
    { numRuns: 200 },
  );
  const long = `${'\u202e'.repeat(5000)}https://a.com/x\u200b${'y'.repeat(5000)}`;
  assert.doesNotThrow(() => extractLinks(long));
  assert.ok(!normalizeUrl('x'.repeat(10_000)).ok);
});

test('link boundaries as markdown and linkify draw them (issue 13, kind 5)', () => {
  assert.deepEqual(extractLinks('see https://a.example/x?tags[]=raft&tags[]=paxos now'), [
    'https://a.example/x?tags[]=raft&tags[]=paxos',
  ]);
  assert.deepEqual(extractLinks('read https://a.example/p…'), ['https://a.example/p']);
  assert.deepEqual(extractLinks('リンク https://a.example/p。次'), ['https://a.example/p']);
  assert.deepEqual(extractLinks('（https://a.example/p）'), ['https://a.example/p']);
  assert.deepEqual(extractLinks('«https://a.example/q»'), ['https://a.example/q']);
  // A markdown link whose label looks like a link is one link: its target.
  assert.deepEqual(extractLinks('[https://evil.example/login](https://a.example/real)'), [
    'https://a.example/real',
  ]);
  // Code is not a link: inline code and fenced blocks are left out.
  assert.deepEqual(
    extractLinks('try `http://localhost:8080/admin` locally, docs at https://ok.example/docs'),
    ['https://ok.example/docs'],
  );
  assert.deepEqual(
    extractLinks(
      '```\ncurl http://localhost:8080/admin\n```\nand\n~~~\nhttps://x.example\n~~~\nhttps://b.example/y',
    ),
    ['https://b.example/y'],
  );
  // A Slack `<url|label>` inside markdown is still one link, its label ignored.
  assert.deepEqual(extractLinks('> quoted <https://a.example/s|https://evil.example> 1. item'), [
    'https://a.example/s',
  ]);
});

test('duplicates that normalize-url / ClearURLs-style rules treat as one page (issue 13, kind 7)', () => {
  const same: Array<[string, string]> = [
    ['https://a.example/%7Euser/p', 'https://a.example/~user/p'],
    ['https://a.example/caf%c3%a9', 'https://a.example/caf%C3%A9'],
    ['https://example.org./page', 'https://example.org/page'],
    ['https://shop.example/item?srsltid=AfmBOo', 'https://shop.example/item'],
    ['https://a.example/p?_gl=1*abc&id=3', 'https://a.example/p?id=3'],
    ['https://www.instagram.com/p/Cx/?igsh=MWQ1', 'https://www.instagram.com/p/Cx'],
    ['https://a.example/p?igsh=MWQ1', 'https://a.example/p'],
    ['https://a.example/p?mtm_campaign=x&mtm_source=y&q=1', 'https://a.example/p?q=1'],
    ['https://www.youtube.com/watch?v=abc123&si=track', 'https://www.youtube.com/watch?v=abc123'],
    ['https://youtu.be/abc123?si=track', 'https://youtu.be/abc123'],
    ['https://open.spotify.com/track/1?si=track', 'https://open.spotify.com/track/1'],
  ];
  for (const [a, b] of same) {
    assert.equal(norm(a), norm(b), `${a} and ${b} are one page`);
    assert.ok(!norm(a).startsWith('ERR'), a);
  }
  assert.equal(norm('https://a.example/%7Euser/caf%c3%a9'), 'https://a.example/~user/caf%C3%A9');
  assert.equal(norm('https://example.org./page'), 'https://example.org/page');
  // `si` is data elsewhere (a search index, a site id): kept.
  assert.equal(norm('https://docs.example/search?si=2'), 'https://docs.example/search?si=2');
  // Single-page-app routes name different pages; plain fragments do not.
  assert.equal(norm('https://spa.example/#/reading/raft'), 'https://spa.example/#/reading/raft');
  assert.equal(norm('https://spa.example/#!/reading/paxos'), 'https://spa.example/#!/reading/paxos');
  assert.notEqual(norm('https://spa.example/#/reading/raft'), norm('https://spa.example/#/reading/paxos'));
  assert.equal(norm('https://a.example/doc#section-2'), 'https://a.example/doc');
  // Reserved characters stay escaped: `%2F` is not `/`.
  assert.equal(norm('https://a.example/a%2fb'), 'https://a.example/a%2Fb');
});

test('a link wrapped in chat emphasis or a spoiler ends where the markup starts', () => {
  // Before: `||https://example.com/spoiler||` saved ".../spoiler||", `~~…~~` and `_…_` likewise:
  // linkify-it reads the link before the closing delimiter is seen as markup.
  assert.deepEqual(extractLinks('||https://example.com/spoiler||'), ['https://example.com/spoiler']);
  assert.deepEqual(extractLinks('see ~~https://example.com/strike~~ now'), ['https://example.com/strike']);
  assert.deepEqual(extractLinks('~https://example.com/slack-strike~'), ['https://example.com/slack-strike']);
  assert.deepEqual(extractLinks('_https://example.com/under_, ok'), ['https://example.com/under']);
  assert.deepEqual(extractLinks('(__https://example.com/a_b__)'), ['https://example.com/a_b']);
  assert.deepEqual(extractLinks('*https://example.com/star*'), ['https://example.com/star']);
  // A delimiter that is part of the link and not closing a wrapper stays.
  assert.deepEqual(extractLinks('https://example.com/snake_case_'), ['https://example.com/snake_case_']);
  assert.deepEqual(extractLinks('x_https://example.com/y_'), ['https://example.com/y_']);
});
