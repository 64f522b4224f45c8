// A client that sends its request slowly (a slow-loris: a header line every few seconds, or a body a byte at a time)
// held a connection of `serve` for Node's defaults, 90 s and 330 s as measured (headersTimeout 60 s and requestTimeout
// 300 s, checked every 30 s), each, with no bound on how many: with --host 0.0.0.0 (a Compose service) anyone on the
// network could hold the server's connections. The whole request must arrive within 10 s of headers and 30 s in all,
// checked every second, and a connection that sends nothing is closed after 10 s; answers are not bounded (--latency,
// the hang fault). The cases run with those bounds shortened (startServer's requestTimeouts) and assert who ended the
// connection and how, not how long it took: a loaded machine only makes the server's end come later, never the test's.
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { REQUEST_TIMEOUTS, resolveServerOptions } from '../src/server/options.js';
import { TestScorer } from './support/test-scorer.js';
import { useTestServer } from './support/server.js';

const servers = useTestServer();
const RUN = '/client/v4/accounts/acct/ai/run/@cf/huggingface/distilbert-sst-2-int8';

/**
 * Past Node's own bounds for a request still arriving (headersTimeout 60 s is the first), the test ends the connection
 * itself: a server without its bounds is then seen to have left it open. 60 times the shortened bounds below.
 */
const GIVE_UP_MS = 30_000;

/** Writes `first`, then `drip` every `everyMs` (none when empty): what the server answered, and whether it ended the connection before the test gave up. */
function held(port: number, first: string, drip: string, everyMs: number): Promise<{ answer: string; endedByServer: boolean }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => first !== '' && socket.write(first));
    let answer = '';
    let gaveUp = false;
    const timer = drip === '' ? undefined : setInterval(() => socket.write(drip), everyMs);
    const giveUp = setTimeout(() => {
      gaveUp = true;
      socket.destroy();
    }, GIVE_UP_MS);
    socket.on('data', (chunk) => (answer += String(chunk)));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      clearTimeout(giveUp);
      resolve({ answer, endedByServer: !gaveUp });
    });
  });
}

const SHORT = { headersMs: 500, requestMs: 1_500, checkEveryMs: 100, silentMs: 500 };

describe('serve and a client that sends its request slowly', () => {
  it('bounds a request\'s arrival: 10 s of headers, 30 s in all, checked each second; 10 s for a connection that sends nothing', () => {
    expect(REQUEST_TIMEOUTS).toEqual({ headersMs: 10_000, requestMs: 30_000, checkEveryMs: 1_000, silentMs: 10_000 });
    expect(resolveServerOptions({ scorer: new TestScorer() }).requestTimeouts).toEqual(REQUEST_TIMEOUTS);
  });

  // The request bound is far past the test's own: only the headers' bound can end the connection.
  it('ends a connection whose headers do not arrive in time with 408', async () => {
    const server = await servers.start({ requestTimeouts: { ...SHORT, requestMs: 10 * GIVE_UP_MS } });
    const slow = await held(server.port, `POST ${RUN} HTTP/1.1\r\nHost: x\r\n`, 'X-a: b\r\n', 100);
    expect(slow).toEqual({ answer: expect.stringMatching(/^HTTP\/1\.1 408/), endedByServer: true });
  }, 60_000);

  it('ends a connection whose body does not arrive in time with 408', async () => {
    const server = await servers.start({ requestTimeouts: SHORT });
    const slow = await held(server.port, `POST ${RUN} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n`, '{', 100);
    expect(slow).toEqual({ answer: expect.stringMatching(/^HTTP\/1\.1 408/), endedByServer: true });
  }, 60_000);

  // One that sends nothing at all was not subject to either timeout: it stayed open (still at 20 s, measured), and
  // enough of them would use up the server's open files.
  // The request's bounds are far past the test's own: only the silent connection's can end it.
  it('ends a connection that sends nothing', async () => {
    const server = await servers.start({ requestTimeouts: { ...SHORT, headersMs: 10 * GIVE_UP_MS, requestMs: 10 * GIVE_UP_MS } });
    expect(await held(server.port, '', '', 0)).toEqual({ answer: '', endedByServer: true });
  }, 60_000);
});
