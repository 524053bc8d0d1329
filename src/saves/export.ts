import type { FileAttachment } from '../reply.ts';
import { searchLinkFor } from '../text/safe.ts';
import type { SavedEntry } from './service.ts';

export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** Where a save's bookmark points: its link, or (a catalog reading without one) a web search for its title. */
export function bookmarkHref(e: SavedEntry): { href: string; kind: 'link' | 'search' } {
  if (/^https?:\/\//.test(e.url)) return { href: e.url, kind: 'link' };
  return { href: searchLinkFor(e.title), kind: 'search' };
}

/**
 * Netscape bookmark file (what browsers, Pinboard and linkding import), every value HTML-escaped.
 * Unread saves carry `TOREAD="1"` (Pinboard's and linkding's read-later flag); `TAGS` is
 * comma-separated; the note is the `<DD>` description. A reading without a verified link points
 * at a web search for its title, and its description says so: no bookmark has an empty `HREF`.
 */
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
    const { href, kind } = bookmarkHref(e);
    const toRead = e.read ? '' : ' TOREAD="1"';
    lines.push(
      `    <DT><A HREF="${escapeHtml(href)}" ADD_DATE="${added}"${toRead} TAGS="${escapeHtml(e.tags.join(','))}">${escapeHtml(e.title)}</A>`,
    );
    const about = [kind === 'search' ? SEARCH_NOTE : '', e.note ?? ''].filter(Boolean).join(' ');
    if (about) lines.push(`    <DD>${escapeHtml(about)}`);
  }
  lines.push('</DL><p>', '');
  return lines.join('\n');
}

const SEARCH_NOTE = '(No verified link: this bookmark is a web search for the title.)';

export function savesJson(entries: SavedEntry[]): string {
  return `${JSON.stringify(
    {
      exportedBy: 'Quorum Reads',
      count: entries.length,
      saves: entries.map((e) => ({
        id: e.id,
        url: e.url,
        ...(e.url ? {} : { searchUrl: bookmarkHref(e).href }),
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
