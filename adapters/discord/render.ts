/**
 * Reply → Discord message payload: text as content, one embed per reading, buttons in action rows,
 * files as attachments. Everything is clipped to Discord's limits and sent with mentions disabled.
 */
import {
  AttachmentBuilder,
  ButtonStyle,
  ComponentType,
  escapeMarkdown,
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIEmbed,
  type APIEmbedField,
} from 'discord.js';
import {
  readingNumber,
  type Button,
  type CompanionView,
  type Reply,
  type ReadingView,
} from '../../src/reply.ts';
import { defuseMentions } from '../../src/text/safe.ts';

/** Discord's documented limits. */
export const LIMITS = {
  content: 2000,
  embeds: 10,
  embedTotal: 6000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  rows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  customId: 100,
  files: 10,
} as const;

const COLOR_OK = 0x5865f2;
const COLOR_ERROR = 0xed4245;

export const NO_MENTIONS = { parse: [] as never[], repliedUser: false };

export type ButtonRow = APIActionRowComponent<APIButtonComponentWithCustomId>;

export interface Rendered {
  content: string;
  embeds: APIEmbed[];
  components: ButtonRow[];
  files: AttachmentBuilder[];
  allowedMentions: typeof NO_MENTIONS;
}

/** Cut to `max` characters (counting UTF-16 units like Discord does), ending with an ellipsis. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  // Never leave half a surrogate pair behind.
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** User- or catalog-supplied text shown inside Discord markdown: defused and escaped. */
function safe(text: string): string {
  return defuseMentions(escapeMarkdown(text, { maskedLink: true }));
}

/**
 * The core's reply text is plain with **bold** and `code`, and never holds a masked link of its own;
 * any `[label](url)` in it came from untrusted text (a fetched title, a note) and is escaped so
 * Discord shows it as text, not as a link whose label hides where it goes.
 */
function contentText(text: string): string {
  return defuseMentions(escapeMarkdown(text, { ...ONLY_MASKED_LINKS }));
}

const ONLY_MASKED_LINKS = {
  codeBlock: false,
  inlineCode: false,
  bold: false,
  italic: false,
  underline: false,
  strikethrough: false,
  spoiler: false,
  codeBlockContent: true,
  inlineCodeContent: true,
  escape: false,
  heading: false,
  bulletedList: false,
  numberedList: false,
  maskedLink: true,
} as const;

function httpUrl(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}

const STYLE: Record<
  NonNullable<Button['style']>,
  ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Success | ButtonStyle.Danger
> = {
  primary: ButtonStyle.Primary,
  secondary: ButtonStyle.Secondary,
  success: ButtonStyle.Success,
  danger: ButtonStyle.Danger,
};

function readingEmbed(v: ReadingView, n: number, status: Reply['status']): APIEmbed {
  const fields: APIEmbedField[] = [];
  if (v.tags.length)
    fields.push({
      name: 'Tags',
      value: clip(v.tags.map((t) => `\`${t.replace(/`/g, "'")}\``).join(' '), LIMITS.fieldValue),
      inline: true,
    });
  if (v.minutes !== undefined) fields.push({ name: 'Time', value: `~${v.minutes} min`, inline: true });
  if (v.author) fields.push({ name: 'Author', value: clip(safe(v.author), LIMITS.fieldValue), inline: true });
  if (v.series)
    fields.push({
      name: 'Series',
      value: clip(`${safe(v.series.name)}, part ${v.series.order}`, LIMITS.fieldValue),
      inline: true,
    });
  if (v.companions?.length)
    fields.push({
      name: `With the ${v.companions.length === 1 ? v.companions[0]!.kind : 'readings'}`,
      value: clip(v.companions.map(companionLine).join('\n'), LIMITS.fieldValue),
    });
  if (v.saved) {
    const state = v.saved.read ? 'read' : 'unread';
    const note = v.saved.note ? ` — ${safe(v.saved.note)}` : '';
    fields.push({
      name: 'Saved',
      value: clip(`${state}, ${v.saved.savedAt.slice(0, 10)}${note}`, LIMITS.fieldValue),
    });
  }
  const label = v.linkKind === 'search' ? '*No verified link — the title links to a web search.*\n' : '';
  const embed: APIEmbed = {
    title: clip(`${n}. ${safe(v.title)}`, LIMITS.title),
    description: clip(`${label}${safe(v.summary)}`, LIMITS.description),
    color: status === 'error' ? COLOR_ERROR : COLOR_OK,
    fields: fields.slice(0, LIMITS.fields),
  };
  const url = httpUrl(v.url);
  if (url) embed.url = url;
  if (v.kind) embed.footer = { text: clip(v.kind, LIMITS.footer) };
  return embed;
}

/** "[title](url) — Dean, Ghemawat · OSDI 2004": a masked link only to an http(s) address. */
function companionLine(c: CompanionView): string {
  // A ")" in the address would end the masked link early (Wikipedia-style URLs carry them).
  const url = httpUrl(c.url)?.replace(/\(/g, '%28').replace(/\)/g, '%29');
  const title = safe(c.title);
  const link = url ? `[${title}](${url})${c.linkKind === 'search' ? ' (web search)' : ''}` : title;
  return `📄 ${link}${c.byline ? ` — ${safe(c.byline)}` : ''}`;
}

function embedLength(e: APIEmbed): number {
  return (
    (e.title?.length ?? 0) +
    (e.description?.length ?? 0) +
    (e.footer?.text.length ?? 0) +
    (e.author?.name.length ?? 0) +
    (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

/** Keep the whole message within 6000 embed characters: shorten, then drop, from the end. */
function fitTotal(embeds: APIEmbed[]): APIEmbed[] {
  const out: APIEmbed[] = [];
  let used = 0;
  for (const e of embeds) {
    const len = embedLength(e);
    if (used + len <= LIMITS.embedTotal) {
      out.push(e);
      used += len;
      continue;
    }
    const fixed = (e.title?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.author?.name.length ?? 0);
    const room = LIMITS.embedTotal - used - fixed;
    if (room > 100) out.push({ ...e, fields: [], description: clip(e.description ?? '', room) });
    break;
  }
  return out;
}

function toButton(b: Button, label: string): APIButtonComponentWithCustomId {
  return {
    type: ComponentType.Button,
    custom_id: b.id,
    label: clip(defuseMentions(label), LIMITS.buttonLabel),
    style: STYLE[b.style ?? 'secondary'],
    disabled: Boolean(b.disabled),
  };
}

function rows(buttons: APIButtonComponentWithCustomId[]): ButtonRow[] {
  const out: ButtonRow[] = [];
  for (let i = 0; i < buttons.length; i += LIMITS.buttonsPerRow)
    out.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + LIMITS.buttonsPerRow) });
  return out;
}

export function renderReply(r: Reply): Rendered {
  let content = contentText(r.text);
  const embeds: APIEmbed[] = [];
  if (content.length > LIMITS.content) {
    // Long text goes into an embed description (4096) instead of being cut at 2000.
    embeds.push({
      description: clip(content, LIMITS.description),
      color: r.status === 'error' ? COLOR_ERROR : COLOR_OK,
    });
    content = '';
  }
  const readings = r.readings.slice(0, LIMITS.embeds - embeds.length);
  readings.forEach((v, i) => embeds.push(readingEmbed(v, readingNumber(r, i), r.status)));
  const last = embeds.at(-1);
  if (r.page && r.page.pages > 1 && last && readings.length) {
    const pageText = `Page ${r.page.page} of ${r.page.pages} · ${r.page.total} readings`;
    last.footer = { text: clip(last.footer ? `${last.footer.text} · ${pageText}` : pageText, LIMITS.footer) };
  }

  // Components: the reply's own buttons first, then each reading's actions ("Save 1".."Save 5").
  const seen = new Set<string>();
  const usable = (b: Button): boolean => {
    if (b.id.length > LIMITS.customId || seen.has(b.id)) return false;
    seen.add(b.id);
    return true;
  };
  const main = r.buttons.filter(usable).map((b) => toButton(b, b.label));
  const actions = readings.flatMap((v, i) =>
    (v.actions ?? []).filter(usable).map((b) => toButton(b, `${b.label} ${readingNumber(r, i)}`)),
  );
  const components = [...rows(main), ...rows(actions)].slice(0, LIMITS.rows);

  const files = r.files.slice(0, LIMITS.files).map(
    (f) =>
      new AttachmentBuilder(Buffer.from(f.content, 'utf8'), {
        name: f.name.replace(/[^\w.-]+/g, '_').slice(0, 100) || 'file.txt',
      }),
  );

  return {
    content: clip(content, LIMITS.content),
    embeds: fitTotal(embeds),
    components,
    files,
    allowedMentions: NO_MENTIONS,
  };
}

/** The same rows with every button disabled (for expired messages). */
export function disableAll(components: ButtonRow[]): ButtonRow[] {
  return components.map((row) => ({
    ...row,
    components: row.components.map((b) => ({ ...b, disabled: true })),
  }));
}
