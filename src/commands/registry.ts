import type { Command } from './types.ts';
import { read } from './read.ts';
import { tags } from './tags.ts';
import { help } from './help.ts';

/** Every command, in the order /help lists them. Adapters and deploy scripts read this list. */
export const commands: readonly Command[] = [read, tags, help];
