/**
 * Helpers for reading Slack messages: the text a "save" should see (message text plus links that only
 * live in blocks or attachments) and the save reaction's name.
 */

interface RichElement {
  type?: string;
  url?: string;
  elements?: RichElement[];
}

export interface SlackMessageLike {
  text?: string;
  blocks?: unknown[];
  attachments?: { from_url?: string; original_url?: string; title_link?: string }[];
}

function collectBlockLinks(nodes: unknown, out: string[]): void {
  if (!Array.isArray(nodes)) return;
  for (const node of nodes as RichElement[]) {
    if (!node || typeof node !== 'object') continue;
    if (node.type === 'link' && typeof node.url === 'string') out.push(node.url);
    if (node.elements) collectBlockLinks(node.elements, out);
  }
}

/** The message text plus any link found only in its blocks or attachments (one per line). */
export function messageSaveText(m: SlackMessageLike): string {
  const text = m.text ?? '';
  const extra: string[] = [];
  collectBlockLinks(m.blocks, extra);
  for (const a of m.attachments ?? []) {
    for (const u of [a.from_url, a.original_url, a.title_link]) if (typeof u === 'string') extra.push(u);
  }
  const missing = [...new Set(extra)].filter((u) => /^https?:\/\//i.test(u) && !text.includes(u));
  return [text, ...missing].filter(Boolean).join('\n');
}

/** The reaction name without a skin-tone suffix or colons: ":bookmark::skin-tone-2:" → "bookmark". */
export function baseReaction(name: string): string {
  return name.replace(/^:|:$/g, '').split('::')[0]!.toLowerCase();
}
