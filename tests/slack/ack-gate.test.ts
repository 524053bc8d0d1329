// The ack gate on a real HTTP server on 127.0.0.1: work that follows an acknowledgement starts only
// when no received request is still waiting for its response, one job per turn of the event loop.
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { AckGate } from '../../adapters/slack/ack-gate.ts';

function post(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end('x');
  });
}

/** Busy the event loop for `ms`, as a command's synchronous part does. */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

async function burst(gate: AckGate | undefined, n: number) {
  const pendingAtStart: number[] = [];
  let started = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    // Bolt acknowledges after asynchronous verification: here a timer stands for it, so requests
    // that have arrived wait for their ack while earlier ones already have theirs.
    req.on('end', () =>
      setTimeout(() => {
        res.end('ok'); // the ack
        void (async () => {
          if (gate) await gate.idle();
          // What the gate promises: nobody received is still waiting for an ack when work starts.
          pendingAtStart.push(gate ? gate.pending : -1);
          started++;
          busy(5);
        })();
      }, 2),
    );
  });
  gate?.watch(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const statuses = await Promise.all(Array.from({ length: n }, () => post(port)));
  while (started < n) await new Promise((r) => setTimeout(r, 5));
  await new Promise<void>((r) => server.close(() => r()));
  return { statuses, pendingAtStart };
}

test('work after an ack starts only when every received request has been acknowledged', async () => {
  const { statuses, pendingAtStart } = await burst(new AckGate(10_000), 40);
  assert.deepEqual(new Set(statuses), new Set([200]));
  assert.equal(pendingAtStart.length, 40);
  assert.deepEqual(new Set(pendingAtStart), new Set([0]));
});

test('a job waits at most maxWaitMs when the server is never idle', async () => {
  const gate = new AckGate(30);
  const server = createServer(() => {
    // Never answers: this request stays unacknowledged.
  });
  gate.watch(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const hanging = request({ host: '127.0.0.1', port, method: 'POST', path: '/', agent: false });
  hanging.on('error', () => undefined);
  hanging.end('x');
  while (gate.pending === 0) await new Promise((r) => setTimeout(r, 2));
  await gate.idle(); // resolves through its time limit, not by an idle server
  assert.equal(gate.pending, 1);
  hanging.destroy();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});
