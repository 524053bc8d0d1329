import type { App } from '@slack/bolt';
import type { SlackContext } from '../../context.ts';
import { appHomeOpened } from './app-home-opened.ts';
import { appMention } from './app-mention.ts';
import { deduplicateEvents } from './deduplicate.ts';
import { reactionAdded } from './reaction-added.ts';

/** Events API listeners; the de-duplication middleware runs before every listener. */
export function registerEvents(app: App, ctx: SlackContext): void {
  app.use(deduplicateEvents(ctx));
  app.event('reaction_added', reactionAdded(ctx));
  app.event('app_home_opened', appHomeOpened(ctx));
  app.event('app_mention', appMention(ctx));
}
