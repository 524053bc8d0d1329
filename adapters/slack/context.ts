import type { App } from '@slack/bolt';
import type { Config } from '../../src/config.ts';
import type { Core } from '../../src/core.ts';
import type { Logger } from '../../src/logger.ts';
import { APOLOGY } from '../../src/reply.ts';
import type { AckGate } from './ack-gate.ts';
import type { SlackCallers } from './callers.ts';
import { errorText } from './errors.ts';

/** What every Slack listener needs: the core, the Web API client and the shared helpers. */
export interface SlackContext {
  core: Core;
  slack: Config['slack'];
  log: Logger;
  client: App['client'];
  /** Work after an ack waits until the requests already received are acknowledged (see AckGate). */
  ackGate: AckGate;
  callers: SlackCallers;
  /** Largest file the bot uploads in one piece, in bytes (files.uploadV2; Slack: 1 GB). */
  maxUploadBytes: number;
}

/**
 * Does the command named `name` read the caller's admin status or time zone? Only then is users.info
 * worth a call (Tier 4, per workspace): a burst of new users running /read or /save costs none.
 */
export function needsProfile(ctx: SlackContext, name: string): boolean {
  return ctx.core.commands.find((c) => c.name === name)?.usesCallerProfile === true;
}

/** Run a listener's work; on failure log it and, if there is a way, send the core's apology. */
export async function guard(
  ctx: SlackContext,
  what: Record<string, unknown>,
  work: () => Promise<void>,
  apologize?: (text: string) => Promise<unknown>,
): Promise<void> {
  try {
    await work();
  } catch (e) {
    ctx.log.error({ ...what, err: errorText(e) }, 'slack: handler failed');
    if (!apologize) return;
    try {
      await apologize(APOLOGY);
    } catch (e2) {
      ctx.log.warn({ ...what, err: errorText(e2) }, 'slack: could not send the apology');
    }
  }
}
