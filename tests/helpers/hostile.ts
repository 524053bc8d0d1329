import fc from 'fast-check';
import type { Reply } from '../../src/reply.ts';

/** Anything that would ping on Discord or Slack if it reached a message as is. */
export const PING = /@(everyone|here|channel)\b|<@[!&]?\d+>|<!(channel|here|everyone)>|<!subteam/i;

/** Every string a reply shows a user. */
export function visibleText(r: Reply): string[] {
  return [
    r.text,
    ...r.buttons.map((b) => b.label),
    ...r.readings.flatMap((v) => [v.title, v.summary, ...v.tags, v.saved?.note ?? '']),
  ];
}

/** Arguments a hostile or careless user might type: random unicode, huge, control and mention-laden text. */
export function hostileText(extra: string[] = []): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.string({ minLength: 10_000, maxLength: 10_000 }),
    fc.constantFrom(
      '@everyone',
      '\u202e@everyone',
      '<@&123>',
      '<!channel> https://example.com',
      '<https://a.example|<!here>>',
      '\u202e\u200b#tag',
      'ra\u200bft',
      '**[x](javascript:alert(1))**',
      '`',
      ...extra,
    ),
  );
}
