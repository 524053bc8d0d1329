import type { App } from '@slack/bolt';
import type { SlackContext } from '../context.ts';
import { registerActions } from './actions/index.ts';
import { registerCommands } from './commands/index.ts';
import { registerEvents } from './events/index.ts';
import { registerShortcuts } from './shortcuts/index.ts';

/** Every listener, by kind, as in Bolt's starter template (listeners/{commands,actions,events,shortcuts}). */
export function registerListeners(app: App, ctx: SlackContext): void {
  // Events first: its de-duplication middleware must run before any listener.
  registerEvents(app, ctx);
  registerCommands(app, ctx);
  registerActions(app, ctx);
  registerShortcuts(app, ctx);
}
