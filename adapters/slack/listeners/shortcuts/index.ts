import type { App } from '@slack/bolt';
import type { SlackContext } from '../../context.ts';
import { SAVE_SHORTCUT, saveLinksShortcut } from './save-links.ts';

export function registerShortcuts(app: App, ctx: SlackContext): void {
  app.shortcut({ callback_id: SAVE_SHORTCUT, type: 'message_action' }, saveLinksShortcut(ctx));
}
