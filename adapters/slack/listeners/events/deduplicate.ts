import type { AnyMiddlewareArgs, AllMiddlewareArgs } from '@slack/bolt';
import type { SlackContext } from '../../context.ts';

/**
 * Global middleware: an Events API delivery Slack retries (same `event_id`) is handled once, across
 * replicas, by the core's idempotency keys.
 */
export function deduplicateEvents(ctx: SlackContext) {
  return async ({ body, next }: AnyMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId === 'string' && !(await ctx.core.idempotency.first(`slack:event:${eventId}`))) {
      ctx.log.debug({ eventId }, 'slack: duplicate event ignored');
      return;
    }
    await next();
  };
}
