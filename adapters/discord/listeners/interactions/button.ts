import type { ButtonInteraction } from 'discord.js';
import { ephemeral, interactionCaller, withDeferral, type DiscordContext } from '../../context.ts';
import { renderReply } from '../../render.ts';

/** A press of a button the core rendered: the answer goes where the core placed it. */
export async function button(ctx: DiscordContext, i: ButtonInteraction): Promise<void> {
  const r = await withDeferral(ctx, ctx.core.press(interactionCaller(i), i.customId), false, () =>
    i.deferUpdate(),
  );
  const rendered = renderReply(r);
  switch (r.placement) {
    case 'private':
      await (i.deferred ? i.followUp({ ...rendered, ...ephemeral }) : i.reply({ ...rendered, ...ephemeral }));
      return;
    case 'channel':
      await (i.deferred ? i.followUp(rendered) : i.reply(rendered));
      return;
    case 'update': {
      await (i.deferred ? i.editReply(rendered) : i.update(rendered));
      const messageKey = `message:${i.message.id}`;
      const metadata = i.message.interactionMetadata;
      ctx.expiry.cancel(messageKey, metadata ? `interaction:${metadata.id}` : undefined);
      ctx.expiry.schedule(messageKey, rendered.components, (components) => i.editReply({ components }));
    }
  }
}
