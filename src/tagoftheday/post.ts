import type { Catalog } from '../catalog/load.ts';
import { readingView } from '../commands/render.ts';
import { defuseReply, reply, type Reply } from '../reply.ts';
import type { ReadingSearch } from '../search/reading-search.ts';

export const READINGS_PER_POST = 3;

/**
 * The daily post for `tag`: its label and one-line description, the 3 best lines exactly as
 * `/read <tag>` ranks them (a line may carry a companion: the paper beside its notes), and a pointer
 * to the rest. Public; nothing in it can ping anyone.
 */
export function buildPost(tagId: string, catalog: Catalog, search: ReadingSearch): Reply {
  const tag = catalog.tagById.get(tagId);
  const label = tag?.label ?? tagId;
  const description = tag?.description ?? '';
  const hits = search.search(tagId).hits.slice(0, READINGS_PER_POST);
  // A paper shown beside its notes rides on their line here too (see withCompanions).
  const readings = hits.map((h) => readingView(h.reading, catalog, [], h.companions));
  const lines = [
    `**Tag of the day: ${label}** (\`${tagId}\`)`,
    ...(description ? [description] : []),
    `More: \`/read ${tagId}\``,
  ];
  // Posts leave through the scheduler, not the command path: defuse them the same way.
  return defuseReply(reply(lines.join('\n'), { readings, placement: 'channel' }));
}
