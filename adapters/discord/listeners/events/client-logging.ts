import { Events } from 'discord.js';
import type { DiscordContext } from '../../context.ts';
import { errorInfo } from '../../errors.ts';

/** Client, gateway and REST events worth an operator's log line; nothing here answers users. */
export function registerClientLogging({ client, log }: DiscordContext): void {
  client.on(Events.Error, (e) =>
    log.error({ event: 'client_error', ...errorInfo(e) }, 'discord client error'),
  );
  client.on(Events.Warn, (message) => log.warn({ event: 'client_warn', message }, 'discord client warning'));
  client.on(Events.ShardReconnecting, (shard) => log.info({ shard }, 'discord gateway reconnecting'));
  client.on(Events.ShardResume, (shard, replayed) =>
    log.info({ shard, replayed }, 'discord gateway resumed'),
  );
  client.on(Events.ShardError, (e, shard) => log.warn({ shard, ...errorInfo(e) }, 'discord gateway error'));
  client.rest.on('rateLimited', (info) =>
    log.info(
      {
        event: 'rate_limit_wait',
        route: info.route,
        retryAfter: info.retryAfter,
        global: info.global,
        scope: info.scope,
      },
      'discord rate limit: waiting',
    ),
  );
  client.rest.on('response', (req, res) => {
    // Routes are bucket routes (ids and tokens replaced), safe to log.
    if (res.status === 429)
      log.warn(
        {
          event: 'rate_limited',
          method: req.method,
          route: req.route,
          retryAfter: res.headers.get('retry-after'),
          scope: res.headers.get('x-ratelimit-scope'),
          global: res.headers.has('x-ratelimit-global'),
        },
        'discord answered 429; discord.js waits and retries',
      );
    else if (res.status >= 500)
      log.warn(
        {
          event: 'discord_5xx',
          method: req.method,
          route: req.route,
          status: res.status,
          retry: req.retries,
        },
        'discord answered 5xx',
      );
  });
}
