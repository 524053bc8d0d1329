import type { Command } from './types.ts';
import { reply } from '../reply.ts';
import { exportFiles } from '../saves/export.ts';

export const exportSaves: Command = {
  name: 'export',
  description: 'Download your saves as a browser bookmarks file and as JSON',
  usage: '/export',
  examples: ['/export'],
  options: [],
  slow: true,

  async run({ caller }, services) {
    const entries = await services.saves.list(caller);
    if (entries.length === 0)
      return reply('You have no saves to export yet. Save a link with `/save <link>`.');
    return reply(
      `Your ${entries.length} save${entries.length === 1 ? '' : 's'}: import the .html file into any browser's bookmarks; the .json has everything.`,
      { files: exportFiles(entries) },
    );
  },
};
