import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { FileAttachment } from '../../src/reply.ts';

/**
 * Write a reply's files (an `/export`) into `dir`, each name prefixed with the time so a second
 * export never overwrites the first. Returns the absolute paths written.
 */
export async function writeReplyFiles(
  files: FileAttachment[],
  dir: string,
  now = new Date(),
): Promise<string[]> {
  if (files.length === 0) return [];
  const at = now.toISOString().replace(/[:.]/g, '-');
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  for (const f of files) {
    // Names come from the core ("quorum-reads-saves.html"); keep only safe characters anyway.
    const path = resolve(join(dir, `${at}-${f.name.replace(/[^\w.-]/g, '_')}`));
    await writeFile(path, f.content, 'utf8');
    paths.push(path);
  }
  return paths;
}

/** True for the error a write gets when the reader of a pipe went away (`npm start | head`). */
export function isBrokenPipe(e: unknown): boolean {
  return (e as NodeJS.ErrnoException | undefined)?.code === 'EPIPE';
}
