import { DiscordAPIError, HTTPError } from 'discord.js';
import { scrubSecrets } from '../../src/logger.ts';

/** A REST URL without host, query and interaction/webhook tokens. */
function routeOf(url: string): string {
  let path = url;
  try {
    path = new URL(url).pathname;
  } catch {
    // already a path
  }
  return path.replace(/\/(interactions\/\d+|webhooks\/\d+)\/[^/]+/, '/$1/:token');
}

/** Log fields for an error: Discord's status, code and route (tokens removed), or a scrubbed stack. */
export function errorInfo(e: unknown): Record<string, unknown> {
  if (e instanceof DiscordAPIError || e instanceof HTTPError)
    return {
      status: e.status,
      ...(e instanceof DiscordAPIError ? { code: e.code } : {}),
      method: e.method,
      route: routeOf(e.url),
      err: scrubSecrets(e.message),
    };
  if (e instanceof Error) return { err: scrubSecrets(e.stack ?? e.message) };
  return { err: scrubSecrets(String(e)) };
}
