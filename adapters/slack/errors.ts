import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import { scrubSecrets, type Logger } from '../../src/logger.ts';

/** Bolt's logger interface on top of pino; Bolt's debug output (which can echo payloads) goes to trace. */
export function boltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ component: 'slack' });
  const fmt = (parts: unknown[]): string =>
    scrubSecrets(
      parts
        .map((p) => (p instanceof Error ? p.message : typeof p === 'string' ? p : safeJson(p)))
        .join(' ')
        .slice(0, 2000),
    );
  return {
    debug: (...m: unknown[]) => child.trace(fmt(m)),
    info: (...m: unknown[]) => child.info(fmt(m)),
    warn: (...m: unknown[]) => child.warn(fmt(m)),
    error: (...m: unknown[]) => child.error(fmt(m)),
    setLevel: () => undefined,
    getLevel: () => (child.isLevelEnabled('trace') ? LogLevel.DEBUG : LogLevel.INFO),
    setName: () => undefined,
  };
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}

/** An error for the operator's log: stack and Slack's error code, secrets scrubbed. */
export function errorText(e: unknown): string {
  const err = e as { code?: string; data?: { error?: string }; stack?: string; message?: string };
  const detail = err?.data?.error ? ` (${err.data.error})` : '';
  return scrubSecrets(`${err?.stack ?? err?.message ?? String(e)}${detail}`);
}

/** Slack's error code for a failed Web API call ("not_in_channel"), if it is one. */
export function slackErrorCode(e: unknown): string | undefined {
  return (e as { data?: { error?: string } })?.data?.error;
}
