import type { MessageContextMenuCommandInteraction } from 'discord.js';
import { errorReply } from '../../../../src/reply.ts';
import { ephemeral, interactionCaller, linkText, withDeferral, type DiscordContext } from '../../context.ts';
import { answer } from './answer.ts';

/** The "Save links" message menu: saves the links in the message it was used on; only the user sees it. */
export async function saveLinksMenu(
  ctx: DiscordContext,
  i: MessageContextMenuCommandInteraction,
): Promise<void> {
  const text = linkText(i.targetMessage);
  const r = text
    ? await withDeferral(ctx, ctx.core.saveMessage(interactionCaller(i), text), false, () =>
        i.deferReply(ephemeral),
      )
    : errorReply('That message has no text I can read links from.');
  await answer(ctx, i, { ...r, placement: 'private' });
}
