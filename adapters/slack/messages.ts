/**
 * Helpers for reading Slack messages: the text a "save" should see and the save reaction's name.
 * A message keeps links in several places (Slack API docs, "Formatting text for app surfaces",
 * "Rich text blocks", "Reference: secondary message attachments"): its `text`, rich_text `link`
 * elements, mrkdwn in section, context and header blocks, and attachments (`title_link`, `from_url`,
 * `original_url`, `text`, `pretext`, `fallback`, field values). Feed bots and our own tag-of-the-day
 * post put their links only in blocks or attachments.
 */
import { decodeSlackText } from './text.ts';

interface BlockNode {
  type?: string;
  url?: string;
  text?: string | { type?: string; text?: string };
  fields?: { type?: string; text?: string }[];
  elements?: BlockNode[];
}

interface Attachment {
  from_url?: string;
  original_url?: string;
  title_link?: string;
  text?: string;
  pretext?: string;
  fallback?: string;
  fields?: { value?: string }[];
  blocks?: unknown[];
}

export interface SlackMessageLike {
  ts?: string;
  /** Set on every message in a thread (the parent's ts). */
  thread_ts?: string;
  text?: string;
  blocks?: unknown[];
  attachments?: Attachment[];
}

/** Texts and link URLs in blocks, depth first: rich_text link elements, mrkdwn and plain texts. */
function collectBlockTexts(nodes: unknown, out: string[]): void {
  if (!Array.isArray(nodes)) return;
  for (const node of nodes as BlockNode[]) {
    if (!node || typeof node !== 'object') continue;
    if (node.type === 'link' && typeof node.url === 'string') out.push(node.url);
    // mrkdwn composition objects arrive encoded like message text; rich_text `text` elements do not.
    if (typeof node.text === 'object' && typeof node.text?.text === 'string') {
      out.push(node.text.type === 'mrkdwn' ? decodeSlackText(node.text.text) : node.text.text);
    } else if (node.type === 'mrkdwn' && typeof node.text === 'string') out.push(decodeSlackText(node.text));
    for (const f of node.fields ?? []) if (typeof f.text === 'string') out.push(decodeSlackText(f.text));
    if (node.elements) collectBlockTexts(node.elements, out);
  }
}

function collectAttachmentTexts(attachments: Attachment[] | undefined, out: string[]): void {
  for (const a of attachments ?? []) {
    for (const u of [a.title_link, a.from_url, a.original_url]) if (typeof u === 'string') out.push(u);
    for (const t of [a.pretext, a.text, a.fallback]) if (typeof t === 'string') out.push(decodeSlackText(t));
    for (const f of a.fields ?? []) if (typeof f.value === 'string') out.push(decodeSlackText(f.value));
    collectBlockTexts(a.blocks, out);
  }
}

/**
 * The text a save reads: the message text (decoded), then every other text that carries a link
 * (block and attachment texts, link URLs), one per line, each only if the message text does not
 * already contain it. Texts without a link are dropped, so a label is never read as a note.
 */
export function messageSaveText(m: SlackMessageLike): string {
  const text = decodeSlackText(m.text ?? '');
  const extra: string[] = [];
  collectBlockTexts(m.blocks, extra);
  collectAttachmentTexts(m.attachments, extra);
  const withLinks = [...new Set(extra)].filter((t) => /https?:\/\//i.test(t) && !text.includes(t.trim()));
  return [text, ...withLinks].filter((t) => t.trim()).join('\n');
}

/** The thread a message is a reply in (its parent's ts), or undefined for a top-level message or a parent. */
export function replyThread(m: SlackMessageLike): string | undefined {
  return m.thread_ts && m.thread_ts !== m.ts ? m.thread_ts : undefined;
}

/** The reaction name without a skin-tone suffix or colons: ":bookmark::skin-tone-2:" → "bookmark". */
export function baseReaction(name: string): string {
  return name.replace(/^:|:$/g, '').split('::')[0]!.toLowerCase();
}
