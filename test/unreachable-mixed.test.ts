import { describe, expect, it } from 'vitest';
import { SentimentBatchError } from '../src/errors.js';
import { ReachTracker } from '../src/job/unreachable.js';

const REFUSED = 'Network error talking to http://10.0.0.5:8787 (connect ECONNREFUSED 10.0.0.5:8787) (gave up after 6 attempts)';
const refused = { kind: 'failed' as const, failure: { code: 'network', message: REFUSED, transient: true } };
const answered500 = { kind: 'failed' as const, failure: { code: 'server_error', message: 'HTTP 500 (gave up after 6 attempts)', transient: true } };
const stop = () => new SentimentBatchError('too_many_errors', '21 of 21 rows sent to the model failed');

/**
 * An outage of mixed causes (500s, then a refused connection last) was said as "the service could not be reached: the
 * last row sent failed without a connection", though the rows before it reached the service and were answered 500
 * (review62). The line says which rows were not reached, and that the service was reached before them.
 */
describe('a failure-rate stop after 500s and refused connections', () => {
  it('says the last rows were not reached, after rows that reached the service and failed otherwise', () => {
    const reach = new ReachTracker();
    for (let i = 0; i < 20; i++) reach.add(answered500);
    reach.add(refused);
    expect(reach.explain(stop()).message).toBe(
      `the last row sent failed without a connection (${REFUSED}), after rows that reached the service and failed otherwise since its last answer: ` +
        'it may have gone down meanwhile; check that it is up and the base URL, then run the same command again (21 of 21 rows sent to the model failed)',
    );
  });

  it('refused alone since the last answer: the service could not be reached', () => {
    const reach = new ReachTracker();
    reach.add({ kind: 'scored' } as never);
    for (let i = 0; i < 3; i++) reach.add(refused);
    expect(reach.explain(stop()).message).toMatch(/^the service could not be reached: the last 3 rows sent failed without a connection/);
  });
});
