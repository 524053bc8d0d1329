import type { Server } from 'node:http';

/**
 * Acknowledgements before answers. Slack wants an HTTP 200 within 3 s and gives an answer 30 minutes
 * (response_url), yet code after `await ack()` runs at once, before the event loop reads the next
 * request: in a burst, each ack waited for the commands ahead of it (searches, store writes, Web API
 * calls). The gate holds work that follows an ack until the server has acknowledged every request it
 * has received, then lets it go one job per turn of the event loop, so requests arriving meanwhile are
 * verified and acknowledged in between. A job never waits longer than `maxWaitMs`, so a server that is
 * never idle still answers.
 */
export class AckGate {
  private unacked = 0;
  private readonly waiting: Array<() => void> = [];
  private releasing = false;

  constructor(private readonly maxWaitMs = 1000) {}

  /** Requests received by `server` whose response has not gone out yet. */
  get pending(): number {
    return this.unacked;
  }

  watch(server: Server): void {
    server.on('request', (_req, res) => {
      this.unacked++;
      let settled = false;
      const settle = () => {
        if (settled) return;
        settled = true;
        this.unacked--;
        this.release();
      };
      res.once('finish', settle);
      res.once('close', settle);
    });
  }

  /** Resolves when the work after an ack may start: no request awaits its ack, or maxWaitMs passed. */
  idle(): Promise<void> {
    return new Promise((resolve) => {
      let done = false;
      const go = () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(go, this.maxWaitMs);
      timer.unref();
      this.waiting.push(go);
      this.release();
    });
  }

  /** Start waiting jobs one per turn (setImmediate runs after the loop has polled for new requests). */
  private release(): void {
    if (this.releasing) return;
    this.releasing = true;
    setImmediate(() => {
      this.releasing = false;
      if (this.unacked > 0) return; // the last response to go out calls release again
      const next = this.waiting.shift();
      if (!next) return;
      next();
      this.release();
    });
  }
}
