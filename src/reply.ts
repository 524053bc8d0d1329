import { defuseMentions } from './text/safe.ts';

/**
 * The plain reply model every command returns. Adapters render it (Discord embeds and components,
 * Slack Block Kit, console text); nothing here knows a platform.
 */

export interface ReadingView {
  id: string;
  title: string;
  /** Where the title links: the verified/cited link, or a labeled web-search link when we have none. */
  url: string;
  /** "link" for a verified or cited address; "search" when url is only a web search for the title. */
  linkKind: 'link' | 'search';
  tags: string[];
  summary: string;
  minutes?: number;
  author?: string;
  kind?: string;
  series?: { name: string; order: number };
  /**
   * Readings shown with this one rather than as results of their own: the paper a lecture's notes
   * assign, the reply to a post (catalog `companionOf`). Links only: no buttons, no summary.
   */
  companions?: CompanionView[];
  /** Buttons that act on this reading alone (Save). */
  actions?: Button[];
  /** Present on items of a user's saved list. */
  saved?: { id: string; savedAt: string; read: boolean; note?: string };
}

/** A companion reading on its host's line: "the paper: MapReduce (Dean, Ghemawat, OSDI 2004)". */
export interface CompanionView {
  id: string;
  title: string;
  url: string;
  linkKind: 'link' | 'search';
  kind: string;
  /** "Jeffrey Dean, Sanjay Ghemawat · OSDI 2004" when the catalog knows them. */
  byline?: string;
}

export interface Button {
  /** Opaque id the core understands when pressed: `qr:<action>:<args>` (≤ 100 chars for Discord). */
  id: string;
  label: string;
  style?: 'primary' | 'secondary' | 'success' | 'danger';
  disabled?: boolean;
}

export interface FileAttachment {
  name: string;
  contentType: string;
  content: string;
}

export interface PageInfo {
  /** 1-based page number. */
  page: number;
  pages: number;
  total: number;
  /** The number of this page's first reading in the whole list (1-based: page 2 of 5 a page starts at 6). */
  first: number;
}

/**
 * Where a reply goes, decided by the core so every platform places it the same way:
 * - `private`: only the person who asked sees it (Discord ephemeral, Slack ephemeral, a DM as fallback);
 * - `channel`: a new message everyone in the conversation sees (Share, tag of the day, mention answers);
 * - `update`: replaces the message whose button was pressed (paging); a platform that cannot edit
 *   shows it like `private`.
 */
export type Placement = 'private' | 'channel' | 'update';

export interface Reply {
  /** Short text above the readings; plain text with **bold** and `code` at most. */
  text: string;
  readings: ReadingView[];
  buttons: Button[];
  placement: Placement;
  files: FileAttachment[];
  page?: PageInfo;
  /** "error" replies are short, actionable and private; adapters may style them. */
  status: 'ok' | 'error';
}

export function reply(text: string, extra: Partial<Reply> = {}): Reply {
  return { text, readings: [], buttons: [], placement: 'private', files: [], status: 'ok', ...extra };
}

/** What every adapter says when a handler fails after the core answered or before it could. */
export const APOLOGY = 'Sorry, something went wrong on our side. Try again in a moment.';

/** The number shown beside reading `index` (0-based) of a reply: continues across pages. */
export function readingNumber(r: Pick<Reply, 'page'>, index: number): number {
  return (r.page?.first ?? 1) + index;
}

export function errorReply(text: string): Reply {
  return reply(text, { status: 'error', placement: 'private' });
}

/**
 * Everything user-visible leaves the core (command replies, tag-of-the-day posts) through here, so
 * nothing it returns can ping anyone, whatever the adapter does.
 */
export function defuseReply(r: Reply): Reply {
  return {
    ...r,
    text: defuseMentions(r.text),
    readings: r.readings.map((v) => ({
      ...v,
      title: defuseMentions(v.title),
      summary: defuseMentions(v.summary),
      tags: v.tags.map(defuseMentions),
      ...(v.saved
        ? { saved: { ...v.saved, ...(v.saved.note ? { note: defuseMentions(v.saved.note) } : {}) } }
        : {}),
    })),
    buttons: r.buttons.map((b) => ({ ...b, label: defuseMentions(b.label) })),
  };
}
