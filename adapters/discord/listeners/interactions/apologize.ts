import type { Interaction } from 'discord.js';
import { APOLOGY } from '../../../../src/reply.ts';
import { ephemeral, type DiscordContext } from '../../context.ts';
import { errorInfo } from '../../errors.ts';
import { NO_MENTIONS } from '../../render.ts';

function kindOf(i: Interaction): string {
  if (i.isChatInputCommand() || i.isAutocomplete()) return i.commandName;
  if (i.isButton()) return 'button';
  if (i.isMessageContextMenuCommand()) return 'context-menu';
  return 'other';
}

/** Log a failed interaction and tell the user with the core's apology, however far the answer got. */
export async function apologize(ctx: DiscordContext, i: Interaction, e: unknown): Promise<void> {
  ctx.log.error(
    { event: 'interaction_failed', interaction: i.id, kind: kindOf(i), ...errorInfo(e) },
    'discord interaction failed',
  );
  if (!i.isRepliable()) {
    if (i.isAutocomplete() && !i.responded) await i.respond([]).catch(() => undefined);
    return;
  }
  const body = { content: APOLOGY, allowedMentions: NO_MENTIONS };
  try {
    if (i.deferred && !i.replied && !i.isButton()) await i.editReply(body);
    else if (i.deferred || i.replied) await i.followUp({ ...body, ...ephemeral });
    else await i.reply({ ...body, ...ephemeral });
  } catch (again) {
    ctx.log.error(
      { event: 'apology_failed', interaction: i.id, ...errorInfo(again) },
      'could not tell the user about a failure',
    );
  }
}
