import type { Message } from 'discord.js';
import { APOLOGY } from '../../../../src/reply.ts';
import { messageCaller, type DiscordContext } from '../../context.ts';
import { errorInfo } from '../../errors.ts';
import { NO_MENTIONS, renderReply } from '../../render.ts';

/**
 * "@bot …" (needs the Message Content intent): the core parses the question. An answer placed in the
 * channel is a reply to the message; a private one (an error, a rate limit) goes to the author's DMs.
 */
export async function messageCreate(ctx: DiscordContext, message: Message): Promise<void> {
  const me = ctx.client.user;
  if (!me || message.author.bot) return;
  if (!new RegExp(`<@!?${me.id}>`).test(message.content)) return;
  try {
    const r = await ctx.core.mention(messageCaller(message), message.content);
    const rendered = renderReply(r);
    if (r.placement !== 'channel') {
      await message.author.send(rendered);
      return;
    }
    const sent = await message.reply(rendered);
    ctx.expiry.schedule(`message:${sent.id}`, rendered.components, (components) => sent.edit({ components }));
  } catch (e) {
    ctx.log.error(
      { event: 'mention_failed', message: message.id, ...errorInfo(e) },
      'discord mention question failed',
    );
    await message.reply({ content: APOLOGY, allowedMentions: NO_MENTIONS }).catch(() => undefined);
  }
}
