// A client that sends its request slowly (a slow-loris: a header line every few seconds, or a body a byte at a time)
// held a connection of `serve` for Node's defaults, 90 s and 330 s as measured (headersTimeout 60 s and requestTimeout
// 300 s, checked every 30 s), each, with no bound on how many: with --host 0.0.0.0 (a Compose service) anyone on the
// network could hold the server's connections. The whole request must now arrive within 10 s of headers and 30 s in
// all, checked every second; answers are not bounded (--latency, the hang fault).
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { useTestServer } from './support/server.js';

const servers = useTestServer();
const RUN = '/client/v4/accounts/acct/ai/run/@cf/huggingface/distilbert-sst-2-int8';

/** Seconds until the server ends a connection that writes `first`, then `drip` every `everyMs`; and what it answered. */
function heldFor(port: number, first: string, drip: string, everyMs: number): Promise<{ seconds: number; answer: string }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1', () => socket.write(first));
    let answer = '';
    const timer = setInterval(() => socket.write(drip), everyMs);
    socket.on('data', (chunk) => (answer += String(chunk)));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ seconds: (Date.now() - started) / 1000, answer });
    });
    // A bound for the test itself: the defaults before held the connection far longer.
    setTimeout(() => socket.destroy(), 45_000);
  });
}

describe('serve and a client that sends its request slowly', () => {
  it('ends a connection whose headers or body do not arrive in time with 408', async () => {
    const server = await servers.start();
    const headers = heldFor(server.port, `POST ${RUN} HTTP/1.1\r\nHost: x\r\n`, 'X-a: b\r\n', 2_000);
    const body = heldFor(server.port, `POST ${RUN} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n`, '{', 2_000);
    const [slowHeaders, slowBody] = await Promise.all([headers, body]);
    expect(slowHeaders.answer).toMatch(/^HTTP\/1\.1 408/);
    expect(slowHeaders.seconds).toBeLessThan(15);
    expect(slowBody.answer).toMatch(/^HTTP\/1\.1 408/);
    expect(slowBody.seconds).toBeLessThan(35);
  }, 60_000);

  // One that sends nothing at all was not subject to either timeout: it stayed open (still at 20 s, measured), and
  // enough of them would use up the server's open files.
  it('ends a connection that sends nothing within 10 s', async () => {
    const server = await servers.start();
    const silent = await new Promise<number>((resolve) => {
      const started = Date.now();
      const socket = net.connect(server.port, '127.0.0.1');
      socket.on('error', () => undefined);
      socket.on('close', () => resolve((Date.now() - started) / 1000));
      setTimeout(() => socket.destroy(), 30_000);
    });
    expect(silent).toBeGreaterThanOrEqual(9);
    expect(silent).toBeLessThan(15);
  }, 60_000);
});
