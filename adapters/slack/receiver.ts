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
  /** The clock for the request-age window (ms since the epoch); default Date.now. */
  now?: () => number;
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
  const http = new HTTPReceiver({
    signingSecret: slack.signingSecret,
    // Bolt verifies X-Slack-Signature (HMAC-SHA256 of v0:timestamp:body) and rejects stale timestamps.
    signatureVerification: true,
    endpoints: ['/slack/events'],
    port: slack.port,
    logger,
    processBeforeResponse: false,
    customRoutes: [{ path: '/healthz', method: ['GET', 'HEAD'], handler: health }],
  });
  refuseRequestsOutsideWindow(http, logger, opts.now ?? Date.now);
  return { http };
}

/** Slack's replay window: a request's timestamp may differ from our clock by at most 5 minutes. */
export const REQUEST_MAX_AGE_SECONDS = 5 * 60;

/**
 * Bolt refuses requests stamped more than five minutes in the past but not ones stamped in the
 * future; Slack's rule is "more than five minutes from local time", either way (Slack API docs,
 * "Verifying requests from Slack": "If the difference … is more than five minutes, ignore the
 * request"). This answers 401 before Bolt's own signature check for a timestamp outside the window.
 * `requestListener` is the receiver's public request handler (documented for mounting elsewhere).
 */
function refuseRequestsOutsideWindow(http: HTTPReceiver, logger: BoltLogger, now: () => number): void {
  const bolt = http.requestListener;
  http.requestListener = (req, res) => {
    const header = req.headers['x-slack-request-timestamp'];
    const stamped = typeof header === 'string' ? Number(header) : NaN;
    if (req.method === 'POST' && Number.isFinite(stamped)) {
      const skew = Math.floor(now() / 1000) - stamped;
      if (Math.abs(skew) > REQUEST_MAX_AGE_SECONDS) {
        logger.warn(
          `Refused a Slack request stamped ${skew} s from local time (Slack allows 5 minutes either way)`,
        );
        res.writeHead(401).end();
        return;
      }
    }
    bolt(req, res);
  };
}
