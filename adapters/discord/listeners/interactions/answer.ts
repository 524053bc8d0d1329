import type { ChatInputCommandInteraction, MessageContextMenuCommandInteraction } from 'discord.js';
import { reply, type FileAttachment, type Reply } from '../../../../src/reply.ts';
import { fitFiles, sizeText } from '../../../../src/saves/export-parts.ts';
import { ephemeral, type DiscordContext } from '../../context.ts';
import { errorInfo } from '../../errors.ts';
import { LIMITS, renderReply } from '../../render.ts';

/** Discord's upload limit without boosts (10 MB), for an interaction that does not state one. */
export const DEFAULT_ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024;

const size = (f: FileAttachment): number => Buffer.byteLength(f.content, 'utf8');

/** Files grouped into messages of at most 10 files whose sizes add up to at most `limit` bytes. */
export function fileBatches(files: FileAttachment[], limit: number): FileAttachment[][] {
  const batches: FileAttachment[][] = [];
  let current: FileAttachment[] = [];
  let used = 0;
  for (const f of files) {
    if (current.length && (used + size(f) > limit || current.length === LIMITS.files)) {
      batches.push(current);
      current = [];
      used = 0;
    }
    current.push(f);
    used += size(f);
  }
  if (current.length) batches.push(current);
  return batches;
}

/**
 * A reply's files made to fit the upload limit the interaction states (`attachment_size_limit`, which
 * depends on the server's boosts): cut into parts, sent in as many messages as needed; the reply says
 * so, and says what to do about a file that cannot be cut.
 */
function fitUploads(r: Reply, limit: number): { first: Reply; more: FileAttachment[][] } {
  if (!r.files.length) return { first: r, more: [] };
  const { files, tooLarge } = fitFiles(r.files, limit);
  const [firstBatch = [], ...more] = fileBatches(files, limit);
  const notes: string[] = [];
  if (files.length > r.files.length)
    notes.push(
      `Your export is larger than the ${sizeText(limit)} Discord allows here, so it comes in ${files.length} parts over ${more.length + 1} messages; each part imports on its own.`,
    );
  if (tooLarge.length)
    notes.push(
      `${tooLarge.map((t) => `\`${t.name}\` (${sizeText(t.bytes)})`).join(', ')} could not be cut to fit the ${sizeText(limit)} upload limit: one saved link is larger than that. Remove it with \`/saved\` and export again.`,
    );
  const text = [r.text, ...notes].filter(Boolean).join('\n');
  return { first: { ...r, text, files: firstBatch }, more };
}

/**
 * Send a command's reply: reply, or edit the deferred reply (moving it public if the core placed it
 * in the channel). Anything not placed in the channel is ephemeral. Files beyond what one message may
 * carry follow in further messages with the same visibility.
 */
export async function answer(
  ctx: DiscordContext,
  i: ChatInputCommandInteraction | MessageContextMenuCommandInteraction,
  r: Reply,
): Promise<void> {
  const { first, more } = fitUploads(r, i.attachmentSizeLimit || DEFAULT_ATTACHMENT_SIZE_LIMIT);
  const rendered = renderReply(first);
  const hidden = r.placement !== 'channel';
  if (!i.deferred && !i.replied) {
    await i.reply({ ...rendered, ...(hidden ? ephemeral : {}) });
  } else if (hidden || !i.ephemeral) {
    await i.editReply(rendered);
  } else {
    // Deferred ephemerally but the reply is public: post it, then remove the "thinking…" note.
    await i.followUp(rendered);
    await i
      .deleteReply()
      .catch((e: unknown) => ctx.log.debug(errorInfo(e), 'could not delete deferred reply'));
    await sendMoreFiles(i, more, hidden);
    return;
  }
  ctx.expiry.schedule(`interaction:${i.id}`, rendered.components, (components) =>
    i.editReply({ components }),
  );
  await sendMoreFiles(i, more, hidden);
}

async function sendMoreFiles(
  i: ChatInputCommandInteraction | MessageContextMenuCommandInteraction,
  batches: FileAttachment[][],
  hidden: boolean,
): Promise<void> {
  for (const files of batches) {
    const { files: attachments, allowedMentions } = renderReply(reply('', { files }));
    await i.followUp({ files: attachments, allowedMentions, ...(hidden ? ephemeral : {}) });
  }
}
