/**
 * What an @-mention of the bot asks, the same on every platform: "@bot help" runs `/help`, "@bot tags
 * consist" runs `/tags consist`, "@bot what should I read about consensus?" runs `/read consensus`.
 */

export interface MentionCommand {
  /** The command to run. */
  name: string;
  /** Its argument text. */
  args: string;
}

/**
 * User-mention markup: Slack `<@U123>` or `<@U123|name>`, Discord `<@123>` or `<@!123>` (see Slack's
 * "Formatting text for app surfaces" and Discord's "Message Formatting" reference), and a plain
 * leading `@name` as typed on the console.
 */
const MENTION_MARKUP = /<@!?[A-Z0-9]+(?:\|[^>]*)?>/gi;
const LEADING_AT_NAME = /^@\S+\s*/;

const QUESTION_PREFIX =
  /^(?:hey |hi |please )?(?:what|which)\s+(?:should|could|can|do|would)\s+i\s+read\s+(?:about|on|for|regarding)\s+/i;
const RECOMMEND_PREFIX =
  /^(?:recommend(?: me)?|suggest)\s+(?:something|readings?|papers?)?\s*(?:about|on)\s+/i;

/**
 * Parse a mention's text: mention markup removed; a leading command name (with or without `/`) runs
 * that command; anything else is a `/read` question with a leading "what should I read about" and
 * trailing punctuation dropped; an empty mention runs `/help`.
 */
export function parseMention(text: string, commandNames: readonly string[]): MentionCommand {
  const stripped = text.replace(MENTION_MARKUP, ' ').replace(/\s+/g, ' ').trim().replace(LEADING_AT_NAME, '');
  const first = /^\/?([a-z][a-z0-9-]*)\b\s*([\s\S]*)$/i.exec(stripped);
  if (first && commandNames.includes(first[1]!.toLowerCase())) {
    return { name: first[1]!.toLowerCase(), args: first[2] ?? '' };
  }
  const question = stripped
    .replace(QUESTION_PREFIX, '')
    .replace(RECOMMEND_PREFIX, '')
    .replace(/[?!.\s]+$/, '')
    .trim();
  if (!question) return { name: 'help', args: '' };
  return { name: 'read', args: question };
}
