import { readingNumber, type Reply } from '../../src/reply.ts';

/**
 * Terminal rendering of a reply: numbered readings with link, tags and a one-line summary. `pages`
 * says how paging is offered: by the interactive console's `/next` and `/prev` (default), or, for the
 * one-shot `npm run cli`, whose next run knows no last reply, by `--press` with the button's id.
 */
export function renderText(r: Reply, opts: { color?: boolean; pages?: 'console' | 'press' } = {}): string {
  const bold = (s: string) => (opts.color ? `\x1b[1m${s}\x1b[22m` : s);
  const dim = (s: string) => (opts.color ? `\x1b[2m${s}\x1b[22m` : s);
  const text = r.text.replace(/\*\*(.+?)\*\*/g, (_, s: string) => bold(s));
  const lines = [r.status === 'error' ? `! ${text}` : text];
  r.readings.forEach((v, i) => {
    const meta = [
      v.author,
      v.minutes ? `${v.minutes} min` : undefined,
      v.series ? `${v.series.name} #${v.series.order}` : undefined,
    ]
      .filter(Boolean)
      .join(', ');
    lines.push('');
    lines.push(
      `${String(readingNumber(r, i)).padStart(2)}. ${bold(v.title)}${meta ? dim(` (${meta})`) : ''}`,
    );
    lines.push(`    ${v.linkKind === 'search' ? 'no verified link; web search: ' : ''}${v.url}`);
    if (v.tags.length) lines.push(`    ${dim(v.tags.map((t) => `#${t}`).join(' '))}`);
    if (v.saved)
      lines.push(
        `    ${dim(`saved ${v.saved.savedAt.slice(0, 10)} · ${v.saved.read ? 'read' : 'unread'} · id ${v.saved.id}`)}${v.saved.note ? ` · ${v.saved.note}` : ''}`,
      );
    if (v.summary) lines.push(`    ${v.summary}`);
    for (const c of v.companions ?? [])
      lines.push(
        `    with the ${c.kind}: ${c.title}${c.byline ? dim(` (${c.byline})`) : ''} ${c.linkKind === 'search' ? 'web search: ' : ''}${c.url}`,
      );
  });
  const hints = r.buttons
    .filter((b) => !b.disabled)
    .map((b) => (opts.pages === 'press' ? pressHint(b.id, b.label) : consoleHint(b.id)))
    .filter((h): h is string => Boolean(h));
  if (hints.length) lines.push('', dim(`(${[...new Set(hints)].join(', ')})`));
  for (const f of r.files) lines.push('', `--- ${f.name} (${f.contentType}, ${f.content.length} bytes) ---`);
  return lines.join('\n');
}

/** Is the button a paging one (`qr:<command>:page:<token>:<page>`, page given)? */
function pagesTo(buttonId: string): boolean {
  const [, , action = '', , page = ''] = buttonId.split(':');
  return action === 'page' && page !== '';
}

function pressHint(buttonId: string, label: string): string | undefined {
  if (!pagesTo(buttonId)) return undefined;
  return `${label.toLowerCase().includes('prev') ? 'previous' : 'next'} page: --press '${buttonId}'`;
}

function consoleHint(buttonId: string): string | undefined {
  return pagesTo(buttonId) ? '/next or /prev to page' : undefined;
}
