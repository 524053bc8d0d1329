import type { Catalog } from '../catalog/load.ts';
import { authorLine } from '../catalog/schema.ts';
import { oneLine } from '../commands/render.ts';
import type { Button, ReadingView } from '../reply.ts';
import { searchLinkFor } from '../text/safe.ts';
import type { SaveOutcome, SavedEntry } from './service.ts';

/** One save as the reply model shows it, with Mark read / Remove buttons. */
export function savedView(e: SavedEntry, catalog: Catalog, withActions = true): ReadingView {
  const reading = e.readingId ? catalog.byId.get(e.readingId) : undefined;
  const actions: Button[] = withActions
    ? [
        e.read
          ? { id: `qr:mark:unread:${e.key.slice(0, 16)}`, label: 'Mark unread', style: 'secondary' }
          : { id: `qr:mark:read:${e.key.slice(0, 16)}`, label: 'Mark read', style: 'success' },
        { id: `qr:unsave:item:${e.key.slice(0, 16)}`, label: 'Remove', style: 'danger' },
      ]
    : [];
  const view: ReadingView = {
    id: e.id,
    title: e.title,
    url: e.url || searchLinkFor(e.title),
    linkKind: e.url ? 'link' : 'search',
    tags: e.tags,
    summary: reading ? oneLine(reading.summary, 240) : '',
    saved: { id: e.id, savedAt: e.savedAt, read: e.read, ...(e.note ? { note: e.note } : {}) },
  };
  if (reading?.authors) view.author = authorLine(reading);
  if (reading?.minutes !== undefined) view.minutes = reading.minutes;
  if (reading) view.kind = reading.kind;
  if (actions.length) view.actions = actions;
  return view;
}

/** "Saved 2 links (1 from the catalog); already saved: …" */
export function describeOutcome(o: SaveOutcome): string {
  const lines: string[] = [];
  const fromCatalog = o.added.filter((e) => e.readingId).length;
  if (o.added.length) {
    const what = o.added.length === 1 ? `**${o.added[0]!.title}**` : `${o.added.length} links`;
    const cat = fromCatalog
      ? o.added.length === 1
        ? ' (from the catalog)'
        : ` (${fromCatalog} from the catalog)`
      : '';
    lines.push(`Saved ${what}${cat}. See \`/saved\`.`);
  }
  if (o.existing.length) {
    const which = o.existing.map((e) => `\`${e.id}\` ${e.url || e.title}`).join(', ');
    lines.push(o.added.length ? `Already saved: ${which}.` : `You already saved that: ${which}.`);
  }
  for (const r of o.rejected.slice(0, 5))
    lines.push(`Not saved: ${r.link.slice(0, 80)}: ${r.reason.replace(/[.!?]?$/, '.')}`);
  if (o.full)
    lines.push(
      'Your saved list is full. Remove some with `/unsave <id>` (ids are in `/saved`), after `/export` if you like.',
    );
  return lines.join('\n') || 'Nothing to save.';
}
