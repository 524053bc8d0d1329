import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger.ts';
import type { Store } from '../store/types.ts';
import { processMetrics, type CommandMetrics } from './metrics.ts';

export interface HealthOptions extends HealthHandlerOptions {
  port: number;
  /** Default 0.0.0.0 (a container's orchestrator probes from outside); tests use 127.0.0.1. */
  host?: string;
  logger?: Logger;
}

export interface HealthHandlerOptions {
  store: Pick<Store, 'ping' | 'kind'>;
  metrics: CommandMetrics;
  /** A store ping slower than this counts as down. */
  pingTimeoutMs?: number;
}

export interface HealthServer {
  readonly port: number;
  close(): Promise<void>;
}

async function storeUp(store: HealthHandlerOptions['store'], timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      store.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('ping timeout')), timeoutMs);
      }),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `/healthz`: 200 {status:"ok", store:"ok", uptime} or 503 {status:"degraded", store:"down"} when the
 * store does not answer a ping (so a load balancer stops sending traffic). `/metrics`: Prometheus text.
 * The one implementation: the health server serves it, and so does Slack's HTTP receiver on its port.
 */
export function healthHandler(
  opts: HealthHandlerOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const { metrics, store } = opts;
  const pingTimeoutMs = opts.pingTimeoutMs ?? 2000;
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/healthz') {
      void storeUp(store, pingTimeoutMs).then((up) => {
        const body = JSON.stringify({
          status: up ? 'ok' : 'degraded',
          store: up ? 'ok' : 'down',
          storeKind: store.kind,
          uptime: Math.round((Date.now() - metrics.startedAt) / 1000),
        });
        res.writeHead(up ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : body);
      });
      return;
    }
    if (path === '/metrics') {
      const body = metrics.render() + processMetrics(metrics.startedAt);
      res.writeHead(200, {
        'content-type': 'text/plain; version=0.0.4; charset=utf-8',
        'cache-control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /healthz or /metrics\n');
  };
}

/** A listen failure as a start-up message naming the setting to change (EADDRINUSE, EADDRNOTAVAIL, EACCES). */
function listenProblem(e: NodeJS.ErrnoException, port: number, host: string): Error {
  const where = `port ${port} on ${host}`;
  if (e.code === 'EADDRINUSE')
    return new Error(
      `QR_HEALTH_PORT: ${where} is already in use (another process or bot). Set a free port, or leave QR_HEALTH_PORT unset to turn the health server off.`,
    );
  if (e.code === 'EADDRNOTAVAIL')
    return new Error(
      `QR_HEALTH_HOST: ${host} is not an address of this machine. Use 0.0.0.0 (every interface) or 127.0.0.1.`,
    );
  if (e.code === 'EACCES')
    return new Error(`QR_HEALTH_PORT: ${where} needs privileges to bind. Use a port above 1023, like 9090.`);
  return e;
}

export async function startHealthServer(opts: HealthOptions): Promise<HealthServer> {
  const server: Server = createServer(healthHandler(opts));
  const host = opts.host ?? '0.0.0.0';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(listenProblem(e, opts.port, host)));
    server.listen(opts.port, host, () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  opts.logger?.info({ port, host: opts.host ?? '0.0.0.0' }, 'health server listening');
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
