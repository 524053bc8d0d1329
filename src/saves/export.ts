import type { FileAttachment } from '../reply.ts';
import type { SavedEntry } from './service.ts';

export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** Netscape bookmark file (what browsers import), every value HTML-escaped. */
export function bookmarksHtml(entries: SavedEntry[]): string {
  const lines = [
    '<!DOCTYPE NETSCAPE-Bookmark-file-1>',
    '<!-- This is an automatically generated file. It will be read and overwritten. DO NOT EDIT! -->',
    '<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">',
    '<TITLE>Quorum Reads saves</TITLE>',
    '<H1>Quorum Reads saves</H1>',
    '<DL><p>',
  ];
  for (const e of entries) {
    const added = Math.floor(Date.parse(e.savedAt) / 1000) || 0;
    const href = /^https?:\/\//.test(e.url) ? e.url : '';
    lines.push(
      `    <DT><A HREF="${escapeHtml(href)}" ADD_DATE="${added}" TAGS="${escapeHtml(e.tags.join(','))}">${escapeHtml(e.title)}</A>`,
    );
    if (e.note) lines.push(`    <DD>${escapeHtml(e.note)}`);
  }
  lines.push('</DL><p>', '');
  return lines.join('\n');
}

export function savesJson(entries: SavedEntry[]): string {
  return `${JSON.stringify(
    {
      exportedBy: 'Quorum Reads',
      count: entries.length,
      saves: entries.map((e) => ({
        id: e.id,
        url: e.url,
        title: e.title,
        tags: e.tags,
        note: e.note ?? null,
        savedAt: e.savedAt,
        read: e.read,
        readingId: e.readingId ?? null,
      })),
    },
    null,
    2,
  )}\n`;
}

export function exportFiles(entries: SavedEntry[]): FileAttachment[] {
  return [
    {
      name: 'quorum-reads-saves.html',
      contentType: 'text/html; charset=utf-8',
      content: bookmarksHtml(entries),
    },
    { name: 'quorum-reads-saves.json', contentType: 'application/json', content: savesJson(entries) },
  ];
}
