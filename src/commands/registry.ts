import type { Command } from './types.ts';
import { read } from './read.ts';
import { tags } from './tags.ts';
import { help } from './help.ts';
import { tagoftheday } from './tagoftheday.ts';
import { save } from './save.ts';
import { saved } from './saved.ts';
import { unsave } from './unsave.ts';
import { mark } from './mark.ts';
import { tag } from './tag.ts';
import { exportSaves } from './export.ts';
import { next } from './next.ts';
import { done } from './done.ts';

/** Every command, in the order /help lists them. Adapters and deploy scripts read this list. */
export const commands: readonly Command[] = [
  read,
  next,
  done,
  tags,
  save,
  saved,
  mark,
  tag,
  unsave,
  exportSaves,
  tagoftheday,
  help,
];
