import { describe, expect, it } from 'vitest';
import { SentimentBatchError } from '../src/errors.js';
import { ReachTracker } from '../src/job/unreachable.js';
import { inContainer, loopbackInContainerHint } from '../src/wording/in-container.js';

const refusedAt = (address: string) => `Network error talking to http://${address} (connect ECONNREFUSED ${address}) (gave up after 6 attempts)`;
const failed = (message: string) => ({ kind: 'failed' as const, failure: { code: 'network', message, transient: true } });
const HINT = /; this run is in a container: unless it shares the host's network \(--network host\), 127\.0\.0\.1 and localhost are the container itself, not the host: to reach a server on the host, run the container with --network host, or point the base URL at the host's address \(docs\/container\.md\)/;

describe('a base URL on loopback refused inside a container', () => {
  // CLOUDFLARE_BASE_URL=http://127.0.0.1:8787/client/v4 with `serve` on the host: inside the container nothing listens
  // there, and the stop said only "check that it is up and the base URL", both right as seen from the host.
  it('the stop says that 127.0.0.1 is the container itself, when the run is in one (/.dockerenv, /run/.containerenv)', () => {
    const reach = new ReachTracker();
    for (let i = 0; i < 3; i++) reach.add(failed(refusedAt('127.0.0.1:8787')));
    const message = reach.explain(new SentimentBatchError('too_many_errors', '3 of 3 rows sent to the model failed')).message;
    expect(message).toMatch(/^the service could not be reached: the last 3 rows sent failed without a connection \(.*\); check that it is up and the base URL, then run the same command again \(3 of 3 /);
    if (inContainer()) expect(message).toMatch(/\(gave up after 6 attempts\)\); this run is in a container: .*\(docs\/container\.md\); check that it is up/);
    else expect(message).not.toMatch(/container/);
  });

  it('names it for loopback addresses refused in a container only', () => {
    for (const address of ['127.0.0.1:8787', '127.0.1.1:80', '::1:8787']) expect(loopbackInContainerHint(refusedAt(address), true)).toMatch(HINT);
    expect(loopbackInContainerHint(refusedAt('127.0.0.1:8787'), false)).toBe('');
    expect(loopbackInContainerHint(refusedAt('10.0.0.5:8787'), true)).toBe('');
    expect(loopbackInContainerHint('Network error talking to http://gateway (getaddrinfo ENOTFOUND gateway)', true)).toBe('');
  });
});
