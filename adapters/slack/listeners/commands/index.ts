import type { App } from '@slack/bolt';
import type { SlackContext } from '../../context.ts';
import { slashCommand } from './slash-command.ts';

export function registerCommands(app: App, ctx: SlackContext): void {
  app.command(/^\/[a-z0-9_-]+$/i, slashCommand(ctx));
}
