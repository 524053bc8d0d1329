import type { ChatInputCommandInteraction } from 'discord.js';
import { argsFromInteraction } from '../../commands.ts';
import { ephemeral, interactionCaller, withDeferral, type DiscordContext } from '../../context.ts';
import { answer } from './answer.ts';

/** A slash command runs the core command of the same name with its options joined in declared order. */
export async function slashCommand(ctx: DiscordContext, i: ChatInputCommandInteraction): Promise<void> {
  const command = ctx.core.commands.find((c) => c.name === i.commandName);
  const args = argsFromInteraction(i, command);
  const r = await withDeferral(
    ctx,
    ctx.core.runCommand(interactionCaller(i), i.commandName, args),
    command?.slow,
    () => i.deferReply(ephemeral),
  );
  await answer(ctx, i, r);
}
