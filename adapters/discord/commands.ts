/**
 * Application commands built generically from the core's command metadata, so a command added to the
 * registry appears in Discord on the next `npm run discord:deploy` without touching the adapter.
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandOption,
  type ChatInputCommandInteraction,
  type RESTPostAPIApplicationCommandsJSONBody,
} from 'discord.js';
import type { Command, CommandOption } from '../../src/commands/types.ts';

/** The message context-menu command ("Apps → Save links"). */
export const SAVE_LINKS_MENU = 'Save links';

const NAME = /^[-_\p{L}\p{N}]{1,32}$/u;

function description(text: string): string {
  const t = text.trim() || 'No description';
  return t.length <= 100 ? t : `${t.slice(0, 99)}…`;
}

function optionName(name: string): string {
  const n = name.toLowerCase();
  if (!NAME.test(n)) throw new Error(`option name "${name}" is not a valid Discord option name`);
  return n;
}

function stringOptions(options: readonly CommandOption[]): APIApplicationCommandBasicOption[] {
  const built = options.map((o): APIApplicationCommandBasicOption => {
    const base = {
      type: ApplicationCommandOptionType.String as const,
      name: optionName(o.name),
      description: description(o.description),
      required: Boolean(o.required),
    };
    // An option with choices is a menu: Discord allows neither autocomplete nor a length there.
    if (o.choices) return { ...base, choices: o.choices.map((c) => ({ name: c.name, value: c.value })) };
    return { ...base, ...(o.autocomplete ? { autocomplete: true } : {}), max_length: 1000 };
  });
  // Discord rejects a required option after an optional one; keep declared order otherwise.
  return [...built.filter((o) => o.required), ...built.filter((o) => !o.required)];
}

/** Slash commands for every core command, plus the "Save links" message menu when `save` exists. */
export function buildCommandData(commands: readonly Command[]): RESTPostAPIApplicationCommandsJSONBody[] {
  const contexts = [InteractionContextType.Guild, InteractionContextType.BotDM];
  const out: RESTPostAPIApplicationCommandsJSONBody[] = commands.map((c) => {
    if (!NAME.test(c.name) || c.name !== c.name.toLowerCase())
      throw new Error(`command name "${c.name}" is not a valid Discord command name`);
    const options = c.subcommands?.length
      ? c.subcommands.map((s): APIApplicationCommandSubcommandOption => ({
          type: ApplicationCommandOptionType.Subcommand,
          name: optionName(s.name),
          description: description(s.description),
          options: stringOptions(s.options),
        }))
      : stringOptions(c.options);
    return {
      type: ApplicationCommandType.ChatInput,
      name: c.name,
      description: description(c.description),
      options,
      contexts,
      integration_types: [ApplicationIntegrationType.GuildInstall],
    };
  });
  if (commands.some((c) => c.name === 'save'))
    out.push({
      type: ApplicationCommandType.Message,
      name: SAVE_LINKS_MENU,
      contexts,
      integration_types: [ApplicationIntegrationType.GuildInstall],
    });
  return out;
}

/**
 * The argument text the core expects: option values joined in declared order; for a subcommand,
 * "subname opt1 opt2".
 */
export function argsFromInteraction(i: ChatInputCommandInteraction, command: Command | undefined): string {
  const sub = i.options.getSubcommand(false);
  const declared = sub
    ? (command?.subcommands?.find((s) => s.name === sub)?.options ?? [])
    : (command?.options ?? []);
  const values = declared
    .map((o) => i.options.getString(o.name.toLowerCase(), false)?.trim() ?? '')
    .filter((v) => v.length > 0);
  return [sub ?? '', ...values].filter(Boolean).join(' ');
}
