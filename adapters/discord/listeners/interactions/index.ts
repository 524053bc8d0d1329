import { Events, type Interaction } from 'discord.js';
import { SAVE_LINKS_MENU } from '../../commands.ts';
import { ephemeral, type DiscordContext } from '../../context.ts';
import { NO_MENTIONS } from '../../render.ts';
import { apologize } from './apologize.ts';
import { autocomplete } from './autocomplete.ts';
import { button } from './button.ts';
import { saveLinksMenu } from './save-links-menu.ts';
import { slashCommand } from './slash-command.ts';

/** Routes each interaction (Events.InteractionCreate) to its listener; a failure gets the apology. */
async function onInteraction(ctx: DiscordContext, i: Interaction): Promise<void> {
  try {
    if (i.isAutocomplete()) await autocomplete(ctx, i);
    else if (i.isChatInputCommand()) await slashCommand(ctx, i);
    else if (i.isMessageContextMenuCommand() && i.commandName === SAVE_LINKS_MENU)
      await saveLinksMenu(ctx, i);
    else if (i.isButton()) await button(ctx, i);
    else if (i.isRepliable())
      await i.reply({
        content: 'That is not something I know how to do.',
        ...ephemeral,
        allowedMentions: NO_MENTIONS,
      });
  } catch (e) {
    await apologize(ctx, i, e);
  }
}

export function registerInteractions(ctx: DiscordContext): void {
  ctx.client.on(Events.InteractionCreate, (i) => void onInteraction(ctx, i));
}
