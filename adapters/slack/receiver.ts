import { HTTPReceiver, SocketModeReceiver, type Logger as BoltLogger, type webApi } from '@slack/bolt';
import type { Config } from '../../src/config.ts';
import type { Core } from '../../src/core.ts';
import { healthHandler } from '../../src/health/server.ts';

export interface Receivers {
  http?: HTTPReceiver;
  socket?: SocketModeReceiver;
}

export interface ReceiverOptions {
  core: Core;
  slack: Config['slack'];
  logger: BoltLogger;
  clientOptions: webApi.WebClientOptions;
  /** The caller's own retry policy, if any (the socket client otherwise retries for a long time). */
  givenRetryConfig: webApi.WebClientOptions['retryConfig'];
  socket?: { clientPingTimeout?: number; serverPingTimeout?: number };
}

/**
 * Socket Mode (default) or HTTP mode. In HTTP mode the receiver's port also answers `/healthz` with
 * the core's health handler, so a load balancer in front of it can probe the same port.
 */
export function createReceiver(opts: ReceiverOptions): Receivers {
  const { slack, logger } = opts;
  if (slack.mode === 'socket') {
    if (!slack.appToken) throw new Error('SLACK_APP_TOKEN is required in Socket Mode');
    return {
      socket: new SocketModeReceiver({
        appToken: slack.appToken,
        logger,
        // Its own copy: the socket client would otherwise write its retry policy into ours.
        installerOptions: {
          clientOptions: {
            ...opts.clientOptions,
            retryConfig: opts.givenRetryConfig ?? { retries: 100, factor: 1.3 },
          },
        },
        ...(opts.socket?.clientPingTimeout ? { clientPingTimeout: opts.socket.clientPingTimeout } : {}),
        ...(opts.socket?.serverPingTimeout ? { serverPingTimeout: opts.socket.serverPingTimeout } : {}),
      }),
    };
  }
  if (!slack.signingSecret) throw new Error('SLACK_SIGNING_SECRET is required in HTTP mode');
  const health = healthHandler({ store: opts.core.services.store, metrics: opts.core.metrics });
  return {
    http: new HTTPReceiver({
      signingSecret: slack.signingSecret,
      // Bolt verifies X-Slack-Signature (HMAC-SHA256 of v0:timestamp:body) and rejects stale timestamps.
      signatureVerification: true,
      endpoints: ['/slack/events'],
      port: slack.port,
      logger,
      processBeforeResponse: false,
      customRoutes: [{ path: '/healthz', method: ['GET', 'HEAD'], handler: health }],
    }),
  };
}
