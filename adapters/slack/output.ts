/** The reply model as Slack output: where it goes (placement), files to the user's DM. */
import type { RespondArguments, RespondFn } from '@slack/bolt';
import type { Caller } from '../../src/caller.ts';
import type { FileAttachment, Reply } from '../../src/reply.ts';
import { fitFiles, sizeText } from '../../src/saves/export-parts.ts';
import { escapeMrkdwn, replyMessage } from './blocks.ts';
import type { SlackContext } from './context.ts';
import { errorText, slackErrorCode } from './errors.ts';

export const ephemeralText = (respond: RespondFn) => (text: string) =>
  respond({ response_type: 'ephemeral', replace_original: false, text: escapeMrkdwn(text) });

/** A response_url body placed as the core said: replace the pressed message, post in channel, or ephemeral. */
export function respondBody(r: Reply): RespondArguments {
  return {
    response_type: r.placement === 'channel' ? 'in_channel' : 'ephemeral',
    replace_original: r.placement === 'update',
    ...replyMessage(r),
    unfurl_links: false,
    unfurl_media: false,
  } as RespondArguments;
}

/** files.uploadV2 sends at most this many files in one message (Slack's file_uploads list). */
const FILES_PER_UPLOAD = 10;

/**
 * Upload a reply's files to the user's DM; returns a line to add to the reply. Files over the upload
 * limit (`ctx.maxUploadBytes`, Slack's per-file limit) are cut into parts that fit; a workspace that
 * restricts large uploads (`file_upload_size_restricted`) gets told what to do.
 */
async function sendFiles(ctx: SlackContext, caller: Caller, given: FileAttachment[]): Promise<string> {
  const { files, tooLarge } = fitFiles(given, ctx.maxUploadBytes);
  const sent: string[] = [];
  try {
    const dm = await ctx.client.conversations.open({ users: caller.userId });
    const channel = dm.channel?.id;
    if (!channel) throw new Error('conversations.open returned no channel');
    for (let i = 0; i < files.length; i += FILES_PER_UPLOAD) {
      const batch = files.slice(i, i + FILES_PER_UPLOAD);
      await ctx.client.files.uploadV2({
        channel_id: channel,
        file_uploads: batch.map((f) => ({
          file: Buffer.from(f.content, 'utf8'),
          filename: f.name,
          title: f.name,
        })),
      });
      sent.push(...batch.map((f) => f.name));
    }
    const lines = sent.length
      ? [`Sent ${sent.map((n) => `\`${n}\``).join(', ')} to your direct messages with the bot.`]
      : [];
    if (tooLarge.length) lines.push(tooLargeText(tooLarge, ctx.maxUploadBytes));
    return lines.join('\n');
  } catch (e) {
    const code = slackErrorCode(e);
    ctx.log.warn({ err: errorText(e), files: files.length, sent: sent.length }, 'slack: file upload failed');
    const done = sent.length ? `Sent ${sent.length} of ${files.length} files first. ` : '';
    if (code === 'file_upload_size_restricted')
      return `${done}Your workspace restricts uploads of large files, and your export is ${sizeText(total(files))}. Ask a workspace admin to allow it, or remove saves you no longer need (\`/saved\`) and export again.`;
    return `${done}I couldn't upload the file${files.length > 1 ? 's' : ''} to your DMs${code ? ` (${code})` : ''}. Check that the app has the files:write and im:write scopes, then try again.`;
  }
}

const total = (files: FileAttachment[]): number =>
  files.reduce((n, f) => n + Buffer.byteLength(f.content), 0);

/** What to say about files that cannot be cut to fit the limit. */
export function tooLargeText(tooLarge: { name: string; bytes: number }[], limit: number): string {
  const names = tooLarge.map((t) => `\`${t.name}\` (${sizeText(t.bytes)})`).join(', ');
  return `${names} could not be cut to fit the ${sizeText(limit)} upload limit: one saved link is larger than that. Remove it (\`/saved\`) and export again.`;
}

/** Files go to the user's DM; the reply text says where they went. */
export async function withFiles(ctx: SlackContext, caller: Caller, r: Reply): Promise<Reply> {
  if (!r.files.length) return r;
  const note = await sendFiles(ctx, caller, r.files);
  return { ...r, text: `${r.text}\n${note}`, files: [] };
}

/**
 * Ephemeral to the caller in their channel, inside `threadTs`'s thread when the message was in one
 * (never as a new message at the channel root); in the bot DM when Slack refuses the ephemeral
 * (e.g. `not_in_channel`, `channel_not_found`: the bot is not in that conversation).
 */
export async function postEphemeralOrDm(
  ctx: SlackContext,
  caller: Caller,
  r: Reply,
  threadTs?: string,
): Promise<void> {
  const msg = replyMessage(r, { withoutButtons: true });
  try {
    await ctx.client.chat.postEphemeral({
      channel: caller.channelId,
      user: caller.userId,
      ...(threadTs ? { thread_ts: threadTs } : {}),
      ...msg,
    });
  } catch (e) {
    ctx.log.info({ err: slackErrorCode(e) ?? errorText(e) }, 'slack: postEphemeral failed; answering in DM');
    await ctx.client.chat.postMessage({
      channel: caller.userId,
      ...msg,
      unfurl_links: false,
      unfurl_media: false,
    });
  }
}

/** A message in a channel (tag of the day, mention answers): blocks, no buttons, no unfurls. */
export async function postMessage(
  ctx: SlackContext,
  channel: string,
  r: Reply,
  threadTs?: string,
): Promise<void> {
  await ctx.client.chat.postMessage({
    channel,
    ...(threadTs ? { thread_ts: threadTs } : {}),
    ...replyMessage(r, { withoutButtons: true }),
    unfurl_links: false,
    unfurl_media: false,
  });
}
