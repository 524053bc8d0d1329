import type { ChatInputCommandInteraction, MessageContextMenuCommandInteraction } from 'discord.js';
import type { Reply } from '../../../../src/reply.ts';
import { ephemeral, type DiscordContext } from '../../context.ts';
import { errorInfo } from '../../errors.ts';
import { renderReply } from '../../render.ts';

/**
 * Send a command's reply: reply, or edit the deferred reply (moving it public if the core placed it
 * in the channel). Anything not placed in the channel is ephemeral.
 */
export async function answer(
  ctx: DiscordContext,
  i: ChatInputCommandInteraction | MessageContextMenuCommandInteraction,
  r: Reply,
): Promise<void> {
  const rendered = renderReply(r);
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
    return;
  }
  ctx.expiry.schedule(`interaction:${i.id}`, rendered.components, (components) =>
    i.editReply({ components }),
  );
}
