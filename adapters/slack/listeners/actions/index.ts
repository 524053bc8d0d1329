import type { App, BlockAction } from '@slack/bolt';
import type { SlackContext } from '../../context.ts';
import { replyButton } from './reply-button.ts';

export function registerActions(app: App, ctx: SlackContext): void {
  app.action<BlockAction>(/^qr:/, replyButton(ctx));
}
