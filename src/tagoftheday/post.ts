import type { Catalog } from '../catalog/load.ts';
import { readingView } from '../commands/render.ts';
import { reply, type Reply } from '../reply.ts';
import type { ReadingSearch } from '../search/reading-search.ts';
import { defuseMentions } from '../text/safe.ts';

export const READINGS_PER_POST = 3;

/**
 * The daily post for `tag`: its label and one-line description, the 3 best readings exactly as
 * `/read <tag>` ranks them, and a pointer to the rest. Public; nothing in it can ping anyone.
 */
export function buildPost(tagId: string, catalog: Catalog, search: ReadingSearch): Reply {
  const tag = catalog.tagById.get(tagId);
  const label = tag?.label ?? tagId;
  const description = tag?.description ?? '';
  const hits = search.search(tagId).hits.slice(0, READINGS_PER_POST);
  const readings = hits.map((h) => readingView(h.reading, catalog));
  const lines = [
    `**Tag of the day: ${label}** (\`${tagId}\`)`,
    ...(description ? [description] : []),
    `More: \`/read ${tagId}\``,
  ];
  return defuse(reply(lines.join('\n'), { readings, private: false }));
}

/**
 * Posts leave through the scheduler, not through the core's command path, so they get the same
 * mention defusing here.
 */
export function defuse(r: Reply): Reply {
  return {
    ...r,
    text: defuseMentions(r.text),
    readings: r.readings.map((v) => ({
      ...v,
      title: defuseMentions(v.title),
      summary: defuseMentions(v.summary),
      tags: v.tags.map(defuseMentions),
    })),
    buttons: r.buttons.map((b) => ({ ...b, label: defuseMentions(b.label) })),
  };
}
