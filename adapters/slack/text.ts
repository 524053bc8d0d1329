/**
 * Slack encodes three characters in every text it hands over (messages, mentions, shortcuts, slash
 * commands): `&` as `&amp;`, `<` as `&lt;`, `>` as `&gt;`, so that `<…>` is left for its own
 * control sequences (links `<url|label>`, mentions `<@U…>`). Source: Slack API docs, "Formatting
 * text for app surfaces" → "Escaping text".
 */

/**
 * Undo Slack's entity encoding: `&lt;` → `<`, `&gt;` → `>`, `&amp;` → `&` (last, so `&amp;lt;`
 * stays the literal text `&lt;`). No other entity is touched: Slack encodes only these three.
 */
export function decodeSlackText(text: string): string {
  return text.replace(/&(lt|gt|amp);/g, (_m, name: string) =>
    name === 'lt' ? '<' : name === 'gt' ? '>' : '&',
  );
}

/** Slack's own encoding of text it sends, the inverse of `decodeSlackText` (for fakes and tests). */
export function encodeSlackText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The Enterprise Grid organization an Events API envelope names (`enterprise_id`), if any. */
export function enterpriseOf(body: unknown): string | undefined {
  const id = (body as { enterprise_id?: unknown } | undefined)?.enterprise_id;
  return typeof id === 'string' && id ? id : undefined;
}
