import type { AutocompleteInteraction } from 'discord.js';
import type { DiscordContext } from '../../context.ts';

/** Suggestions while typing an option: Discord takes ≤ 25 choices, names and values of 1–100 characters. */
export async function autocomplete(ctx: DiscordContext, i: AutocompleteInteraction): Promise<void> {
  const focused = i.options.getFocused(true);
  const choices = ctx.core
    .suggest(i.commandName, focused.name, String(focused.value))
    .filter((c) => c.value.length >= 1 && c.value.length <= 100)
    .slice(0, 25)
    .map((c) => ({
      name: c.name.length > 100 ? `${c.name.slice(0, 99)}…` : c.name || c.value,
      value: c.value,
    }));
  await i.respond(choices);
}
