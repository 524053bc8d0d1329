import type { Command } from './types.ts';

/** One command as `/help`, Slack's App Home and the deploy scripts describe it. */
export interface HelpEntry {
  name: string;
  description: string;
  /** e.g. "/read <topic>" */
  usage: string;
  /** The first is the one shown in short listings. */
  examples: readonly string[];
}

export interface HelpModel {
  intro: string;
  commands: readonly HelpEntry[];
  footnote: string;
}

/** Built from the command registry, in its order, so every surface lists the same commands. */
export function helpModel(commands: readonly Command[]): HelpModel {
  return {
    intro: '**Quorum Reads** recommends readings on distributed systems.',
    commands: commands.map((c) => ({
      name: c.name,
      description: c.description,
      usage: c.usage,
      examples: c.examples.length ? c.examples : [c.usage],
    })),
    footnote: 'Readings without a verified link show a labeled web-search link instead.',
  };
}

/** One line per command, in the reply model's markup (`code`, **bold**). */
export function helpLines(model: HelpModel): string[] {
  return model.commands.map((c) => `\`${c.usage}\`: ${c.description}. e.g. \`${c.examples[0]}\``);
}
