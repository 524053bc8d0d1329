/**
 * Text hygiene shared by every command and adapter: strip what should never reach users or logs,
 * and defuse anything that could ping people.
 */

// C0/C1 controls except tab/newline, bidi overrides/isolates, and zero-width characters.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const BIDI_AND_ZERO_WIDTH = /[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

export const MAX_ARGUMENT_LENGTH = 200;

export type ArgumentProblem = { ok: false; message: string } | { ok: true; value: string };

/** Validate one free-text command argument (a topic, a query). */
export function checkArgument(
  raw: string,
  what: string,
  opts: { max?: number; required?: boolean } = {},
): ArgumentProblem {
  const max = opts.max ?? MAX_ARGUMENT_LENGTH;
  if (CONTROL.test(raw))
    return { ok: false, message: `The ${what} contains control characters; type it as plain text.` };
  const value = raw.replace(BIDI_AND_ZERO_WIDTH, '').replace(/\s+/g, ' ').trim();
  if (opts.required !== false && value.length === 0) return { ok: false, message: `Give a ${what}.` };
  if (value.length > max)
    return { ok: false, message: `The ${what} is ${value.length} characters long; keep it under ${max}.` };
  return { ok: true, value };
}

const ZWSP = '\u200b';

/**
 * Make text unable to ping on either platform, while keeping it readable: `@everyone`, `@here`,
 * Discord `<@id>`, `<@&role>`, `<#channel>` and Slack `<!channel>`, `<!here>`, `<@U…>`, `<!subteam^…>`.
 * Adapters also send with mentions disabled; this is the second lock.
 */
export function defuseMentions(text: string): string {
  return text.replace(/@(everyone|here|channel)/gi, `@${ZWSP}$1`).replace(/<(@[!&]?|#|!)/g, `<${ZWSP}$1`);
}

/** Remove control, bidi and zero-width characters and collapse whitespace (titles, tags, notes). */
export function cleanText(text: string, max = 500): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').replace(BIDI_AND_ZERO_WIDTH, '');
  const collapsed = cleaned.replace(/\s+/g, ' ').trim();
  return collapsed.length > max ? `${collapsed.slice(0, max - 1)}…` : collapsed;
}

/** A labeled web-search link for a reading we have no verified address for. */
export function searchLinkFor(title: string): string {
  return `https://duckduckgo.com/?q=${encodeURIComponent(title)}`;
}
