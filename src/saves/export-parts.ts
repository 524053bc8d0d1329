/**
 * Export files cut to fit a platform's upload limit (Discord: the interaction's
 * `attachment_size_limit`; Slack: files.uploadV2's per-file limit). A bookmarks file is cut between
 * bookmarks (each part keeps the Netscape header and closing list, so each imports on its own); a
 * JSON export is cut between saves (each part is a complete document with `part` and `parts`).
 */
import type { FileAttachment } from '../reply.ts';

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

/** "quorum-reads-saves.html", 2, 3 → "quorum-reads-saves.part2-of-3.html". */
function partName(name: string, part: number, parts: number): string {
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  return `${stem}.part${part}-of-${parts}${ext}`;
}

/**
 * Pack items in order into groups whose rendered size stays ≤ max, by summing each item's own size
 * (its rendering alone, less the empty rendering) plus a separator; each group is then rendered once
 * and checked. Undefined if one item alone is over the limit.
 */
function pack<T>(
  items: T[],
  render: (group: T[]) => string,
  max: number,
  separator: number,
): T[][] | undefined {
  const empty = bytes(render([]));
  const groups: T[][] = [];
  let current: T[] = [];
  let size = empty;
  for (const item of items) {
    const own = bytes(render([item])) - empty;
    if (empty + own > max) return undefined;
    if (current.length && size + own + separator > max) {
      groups.push(current);
      current = [];
      size = empty;
    }
    size += own + (current.length ? separator : 0);
    current.push(item);
  }
  if (current.length) groups.push(current);
  return groups.every((g) => bytes(render(g)) <= max) ? groups : undefined;
}

/** Netscape bookmarks: header through `<DL><p>`, entries (a `<DT>` line and its `<DD>` lines), footer. */
function splitBookmarks(file: FileAttachment, max: number): FileAttachment[] | undefined {
  const lines = file.content.split('\n');
  const open = lines.findIndex((l) => l.trim() === '<DL><p>');
  const close = lines.findLastIndex((l) => l.trim() === '</DL><p>');
  if (open < 0 || close <= open) return undefined;
  const entries: string[][] = [];
  for (const line of lines.slice(open + 1, close)) {
    if (/^\s*<DT>/.test(line) || !entries.length) entries.push([line]);
    else entries.at(-1)!.push(line);
  }
  const head = lines.slice(0, open + 1);
  const foot = lines.slice(close);
  const render = (group: string[][]): string => [...head, ...group.flat(), ...foot].join('\n');
  const groups = pack(entries, render, max, 1);
  return groups?.map((g, i) => ({
    ...file,
    name: partName(file.name, i + 1, groups.length),
    content: render(g),
  }));
}

/** A JSON export `{ …, count, saves: [...] }`: each part has its own saves, count, part and parts. */
function splitJson(file: FileAttachment, max: number): FileAttachment[] | undefined {
  let doc: { saves?: unknown[]; [k: string]: unknown };
  try {
    doc = JSON.parse(file.content) as typeof doc;
  } catch {
    return undefined;
  }
  if (!Array.isArray(doc.saves)) return undefined;
  // Placeholder part numbers at their widest, so the real ones never make a part bigger.
  const width = String(doc.saves.length).length;
  const render = (group: unknown[], part = 10 ** width - 1, parts = part): string =>
    `${JSON.stringify({ ...doc, count: group.length, part, parts, saves: group }, null, 2)}\n`;
  const groups = pack(doc.saves, (g) => render(g), max, 2);
  return groups?.map((g, i) => ({
    ...file,
    name: partName(file.name, i + 1, groups.length),
    content: render(g, i + 1, groups.length),
  }));
}

/**
 * Files no bigger than `maxBytes` each: a file that fits is kept as it is; a bookmarks (.html) or
 * JSON export over the limit is cut into parts. Files that cannot be cut (one bookmark alone over the
 * limit, another format) come back in `tooLarge` with their size, for the adapter to explain.
 */
export function fitFiles(
  files: FileAttachment[],
  maxBytes: number,
): { files: FileAttachment[]; tooLarge: { name: string; bytes: number }[] } {
  const out: FileAttachment[] = [];
  const tooLarge: { name: string; bytes: number }[] = [];
  for (const f of files) {
    const size = bytes(f.content);
    if (size <= maxBytes) {
      out.push(f);
      continue;
    }
    const parts = f.name.endsWith('.html')
      ? splitBookmarks(f, maxBytes)
      : f.name.endsWith('.json')
        ? splitJson(f, maxBytes)
        : undefined;
    if (parts) out.push(...parts);
    else tooLarge.push({ name: f.name, bytes: size });
  }
  return { files: out, tooLarge };
}

/** "42.1 MB", or "20 KB" under a megabyte (decimal units, as Discord and Slack state their limits). */
export function sizeText(n: number): string {
  return n >= 1_000_000 ? `${(n / 1_000_000).toFixed(1)} MB` : `${Math.ceil(n / 1000)} KB`;
}
