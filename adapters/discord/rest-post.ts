import { Routes } from 'discord.js';
import type { Reply } from '../../src/reply.ts';
import type { DiscordContext } from './context.ts';
import { renderReply } from './render.ts';

/**
 * Post a Reply to a channel straight through REST (Discord docs, "Create Message"): works for any
 * channel the bot can see with nothing cached, its guild included. `replyTo` makes it a reply to that
 * message (a message_reference that does not fail if the message is gone; the author is not pinged).
 * Buttons are disabled after the adapter's button timeout.
 */
export async function postToChannel(
  ctx: DiscordContext,
  channelId: string,
  r: Reply,
  replyTo?: string,
): Promise<void> {
  const rendered = renderReply(r);
  const body = {
    content: rendered.content,
    embeds: rendered.embeds,
    components: rendered.components,
    allowed_mentions: { parse: [], replied_user: false },
    attachments: rendered.files.map((f, id) => ({ id, filename: f.name ?? `file-${id}.txt` })),
    ...(replyTo ? { message_reference: { message_id: replyTo, fail_if_not_exists: false } } : {}),
  };
  const files = rendered.files.map((f, id) => ({
    name: f.name ?? `file-${id}.txt`,
    data: f.attachment as Buffer,
  }));
  const sent = (await ctx.client.rest.post(Routes.channelMessages(channelId), { body, files })) as {
    id: string;
  };
  ctx.expiry.schedule(`message:${sent.id}`, rendered.components, (components) =>
    ctx.client.rest.patch(Routes.channelMessage(channelId, sent.id), { body: { components } }),
  );
}
