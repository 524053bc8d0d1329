/* eslint-disable no-console -- a CLI: its output is the point */
// `npm run discord:deploy`: register the bot's application commands with Discord, built by the same
// buildCommandData the bot uses. DISCORD_GUILD_ID registers them in one server (instant, for
// development); without it they are registered globally.
import { pathToFileURL } from 'node:url';
import { REST, Routes, type RESTPutAPIApplicationCommandsResult } from 'discord.js';
import { commands as registered } from '../../src/commands/registry.ts';
import type { Command } from '../../src/commands/types.ts';
import { scrubSecrets } from '../../src/logger.ts';
import { buildCommandData } from './commands.ts';

export interface DeployOptions {
  token: string | undefined;
  applicationId: string | undefined;
  guildId?: string | undefined;
  commands?: readonly Command[];
  /** REST base (tests point it at a fake). */
  api?: string;
}

export class DeployError extends Error {}

/** Register the commands; resolves with a human summary of what was registered. */
export async function deployCommands(opts: DeployOptions): Promise<string> {
  const missing = [
    opts.token ? '' : 'DISCORD_TOKEN (Developer Portal > your app > Bot > Reset Token)',
    opts.applicationId
      ? ''
      : 'DISCORD_APPLICATION_ID (Developer Portal > your app > General Information > Application ID)',
  ].filter(Boolean);
  if (missing.length) throw new DeployError(`discord:deploy needs ${missing.join(' and ')}.`);
  const body = buildCommandData(opts.commands ?? registered);
  const rest = new REST({ version: '10', retries: 1, ...(opts.api ? { api: opts.api } : {}) }).setToken(
    opts.token!,
  );
  const route = opts.guildId
    ? Routes.applicationGuildCommands(opts.applicationId!, opts.guildId)
    : Routes.applicationCommands(opts.applicationId!);
  const result = (await rest.put(route, { body })) as RESTPutAPIApplicationCommandsResult;
  const where = opts.guildId ? `in guild ${opts.guildId}` : 'globally';
  const lines = result.map((c) => {
    if (c.type === 3) return `  ${c.name} (message menu: Apps > ${c.name})`;
    const subs = (c.options ?? []).filter((o) => o.type === 1).map((o) => o.name);
    return `  /${c.name}${subs.length ? ` ${subs.join('|')}` : ''}`;
  });
  return `Registered ${result.length} commands ${where}:\n${lines.join('\n')}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  deployCommands({
    token: process.env.DISCORD_TOKEN?.trim(),
    applicationId: process.env.DISCORD_APPLICATION_ID?.trim(),
    guildId: process.env.DISCORD_GUILD_ID?.trim() || undefined,
  }).then(
    (summary) => console.log(summary),
    (e: unknown) => {
      console.error(
        e instanceof DeployError
          ? e.message
          : `discord:deploy failed: ${scrubSecrets(e instanceof Error ? e.message : String(e))}`,
      );
      process.exit(e instanceof DeployError ? 2 : 1);
    },
  );
}
