/**
 * Reply → Slack Block Kit. Everything that reaches Slack as mrkdwn goes through `escapeMrkdwn`, so
 * no text from users or the catalog can form a mention (`<!channel>`, `<@U…>`, `<!subteam^…>`) or a
 * link; the only `<…>` sequences in what we send are the links built here by `slackLink`.
 */
import type { types } from '@slack/bolt';
import {
  readingNumber,
  type Button,
  type CompanionView,
  type Reply,
  type ReadingView,
} from '../../src/reply.ts';
import { defuseMentions } from '../../src/text/safe.ts';

type KnownBlock = types.KnownBlock;
type SlackButton = types.Button;

/** Slack caps: section text 3000, plain_text button label 75, action_id 255, value 2000, 50 blocks per message. */
export const LIMITS = {
  sectionText: 3000,
  buttonText: 75,
  actionId: 255,
  value: 2000,
  messageBlocks: 50,
  homeBlocks: 100,
};

/** Slack mrkdwn escaping (the three characters Slack decodes) plus the core's mention defusing. */
export function escapeMrkdwn(text: string): string {
  return defuseMentions(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Reply text (plain with **bold** and `code`) → Slack mrkdwn (*bold*), escaped. */
export function toMrkdwn(text: string): string {
  return escapeMrkdwn(text).replace(/\*\*([^*\n]+?)\*\*/g, '*$1*');
}

/** Plain text for notifications and fallbacks: escaped, markdown markers dropped. */
export function toPlain(text: string): string {
  return escapeMrkdwn(text).replace(/\*\*([^*\n]+?)\*\*/g, '$1');
}

/**
 * A URL safe to put inside `<…|…>`: http(s) only, no whitespace or control characters, and `|`, `<`,
 * `>` percent-encoded (`&` entity-escaped; Slack decodes it back). Undefined if it is not a web URL.
 */
export function sanitizeUrl(raw: string): string | undefined {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return undefined;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
  const href = u.href
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0020\u007f-\u009f]/g, (c) => encodeURIComponent(c))
    .replace(/\|/g, '%7C')
    .replace(/</g, '%3C')
    .replace(/>/g, '%3E');
  return href.replace(/&/g, '&amp;');
}

/**
 * `<url|label>` with the label escaped (`|` turned into a look-alike so it cannot end the url part).
 * With `max`, the label is cut to fit (never the markup); a URL too long to fit at all is left out
 * and the label shown alone.
 */
export function slackLink(url: string, label: string, max = Infinity): string {
  const safeLabel = escapeMrkdwn(label).replace(/\|/g, '∣').replace(/\n/g, ' ');
  const safeUrl = sanitizeUrl(url);
  if (!safeUrl) return cutMrkdwn(safeLabel, max);
  const room = max - safeUrl.length - 3;
  if (room < 1) return cutMrkdwn(safeLabel, max);
  return `<${safeUrl}|${cutMrkdwn(safeLabel, room)}>`;
}

/**
 * The longest end ≤ `at` that is not inside Slack markup (`<…>`) or an entity (`&amp;`), so a cut
 * there leaves valid mrkdwn (Slack API docs, "Formatting text for app surfaces").
 */
export function safeCutIndex(text: string, at: number): number {
  let end = Math.min(at, text.length);
  const open = text.lastIndexOf('<', end - 1);
  if (open >= 0 && text.indexOf('>', open) >= end) end = open;
  const amp = text.lastIndexOf('&', end - 1);
  if (amp >= 0 && end - amp <= 6 && !text.slice(amp, end).includes(';')) end = amp;
  // Never split a UTF-16 surrogate pair.
  if (end > 0 && /[\uD800-\uDBFF]/.test(text[end - 1]!)) end -= 1;
  return end;
}

/** Mrkdwn cut to at most `max` characters with `…`, never inside markup or an entity. */
export function cutMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, safeCutIndex(text, max - 1))}…`;
}

/** Split long mrkdwn into ≤ 3000-char pieces at line (or ` · `) boundaries. */
export function chunkText(text: string, max = LIMITS.sectionText): string[] {
  if (text.length <= max) return [text];
  const chunks: string[] = [];
  let current = '';
  const pieces = text.split(/(?<=\n)|(?<= · )/);
  for (const piece of pieces) {
    if (current.length + piece.length > max && current) {
      chunks.push(current);
      current = '';
    }
    let p = piece;
    while (p.length > max) {
      // Cut before any markup or entity that would straddle the limit (at worst, mid-text).
      const end = safeCutIndex(p, max) || max;
      chunks.push(p.slice(0, end));
      p = p.slice(end);
    }
    current += p;
  }
  if (current) chunks.push(current);
  return chunks.map((c) => c.trim()).filter(Boolean);
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** A Block Kit button for a core button (ids longer than Slack allows are not rendered). */
export function slackButton(b: Button): SlackButton | undefined {
  if (b.id.length > LIMITS.actionId) return undefined;
  const button: SlackButton = {
    type: 'button',
    action_id: b.id,
    value: b.id,
    text: { type: 'plain_text', text: truncate(defuseMentions(b.label), LIMITS.buttonText), emoji: true },
  };
  if (b.style === 'primary' || b.style === 'success') button.style = 'primary';
  if (b.style === 'danger') button.style = 'danger';
  return button;
}

/** The mrkdwn of one reading: linked title, meta line, summary, saved info. */
export function readingMrkdwn(v: ReadingView, index?: number): string {
  const num = index === undefined ? '' : `${index}. `;
  const searchNote = v.linkKind === 'search' ? ' _(no verified link — web search)_' : '';
  // The title line always fits: its label is cut, never its <url|label> markup.
  const title = `${num}*${slackLink(v.url, v.title, LIMITS.sectionText - num.length - searchNote.length - 3)}*${searchNote}`;
  const meta = [
    v.author ? escapeMrkdwn(v.author) : undefined,
    v.minutes ? `${v.minutes} min` : undefined,
    v.series ? `${escapeMrkdwn(v.series.name)} #${v.series.order}` : undefined,
    v.tags.length ? v.tags.map((t) => `\`${escapeMrkdwn(t)}\``).join(' ') : undefined,
  ].filter(Boolean);
  const lines = [title];
  if (meta.length) lines.push(meta.join(' · '));
  if (v.saved) {
    const s = v.saved;
    lines.push(
      `_saved ${escapeMrkdwn(s.savedAt.slice(0, 10))} · ${s.read ? 'read' : 'unread'} · id \`${escapeMrkdwn(s.id)}\`_` +
        (s.note ? ` · ${escapeMrkdwn(s.note)}` : ''),
    );
  }
  if (v.summary) lines.push(escapeMrkdwn(v.summary));
  for (const c of v.companions ?? []) lines.push(companionMrkdwn(c));
  return cutMrkdwn(lines.join('\n'), LIMITS.sectionText);
}

/** "With the paper: <url|title> (Dean, Ghemawat · OSDI 2004)", on its host's section. */
function companionMrkdwn(c: CompanionView): string {
  const search = c.linkKind === 'search' ? ' _(web search)_' : '';
  const byline = c.byline ? ` (${escapeMrkdwn(c.byline)})` : '';
  return `:page_facing_up: With the ${escapeMrkdwn(c.kind)}: ${slackLink(c.url, c.title, 300)}${search}${byline}`;
}

export interface RenderOptions {
  /** Drop the reply-level buttons (paging/share), e.g. in a thread answer or a shared post. */
  withoutButtons?: boolean;
  /** Drop the per-reading action buttons. */
  withoutReadingActions?: boolean;
  /** Block budget (50 for messages, 100 for views). */
  maxBlocks?: number;
}

/** The blocks of a reply: text section(s), one section per reading (Save as accessory), an actions row. */
export function replyBlocks(r: Reply, opts: RenderOptions = {}): KnownBlock[] {
  const max = opts.maxBlocks ?? LIMITS.messageBlocks;
  const blocks: KnownBlock[] = [];
  const text = (r.status === 'error' ? ':warning: ' : '') + toMrkdwn(r.text);
  if (r.text.trim()) {
    for (const chunk of chunkText(text))
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text: chunk } });
  }
  r.readings.forEach((v, i) => {
    const section: types.SectionBlock = {
      type: 'section',
      block_id: truncate(`reading:${v.id}:${i}`, 255),
      text: {
        type: 'mrkdwn',
        text: readingMrkdwn(v, r.readings.length > 1 ? readingNumber(r, i) : undefined),
      },
    };
    const actions = opts.withoutReadingActions
      ? []
      : (v.actions ?? [])
          .filter((a) => !a.disabled)
          .map(slackButton)
          .filter((b): b is SlackButton => b !== undefined);
    // One action (Save) fits as the section's accessory; several (Mark read, Remove) get a row below.
    if (actions.length === 1) section.accessory = actions[0]!;
    blocks.push(section);
    if (actions.length > 1) {
      blocks.push({
        type: 'actions',
        block_id: truncate(`actions:${v.id}:${i}`, 255),
        elements: actions.slice(0, 25),
      });
    }
  });
  const buttons = opts.withoutButtons
    ? []
    : r.buttons
        .filter((b) => !b.disabled)
        .map(slackButton)
        .filter((b): b is SlackButton => b !== undefined);
  // Block Kit rejects duplicate action_ids in one block.
  const unique = buttons.filter((b, i) => buttons.findIndex((o) => o.action_id === b.action_id) === i);
  if (unique.length) blocks.push({ type: 'actions', block_id: 'qr-buttons', elements: unique.slice(0, 25) });
  if (blocks.length > max) {
    const keep = blocks.slice(0, max - 1);
    keep.push({ type: 'context', elements: [{ type: 'mrkdwn', text: '_(more not shown)_' }] });
    return keep;
  }
  return blocks;
}

/** The notification / fallback text of a reply (Slack shows it where blocks cannot be shown). */
export function replyFallback(r: Reply): string {
  const head = toPlain(r.text.split('\n')[0] ?? '');
  const titles = r.readings.map((v) => `• ${toPlain(v.title)}`);
  return truncate([head, ...titles].filter(Boolean).join('\n') || 'Quorum Reads', 3000);
}

/** A message body (for chat.postMessage / respond) from a reply. */
export function replyMessage(r: Reply, opts: RenderOptions = {}): { text: string; blocks: KnownBlock[] } {
  return { text: replyFallback(r), blocks: replyBlocks(r, opts) };
}
