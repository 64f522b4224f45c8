import { describe, expect, it } from 'vitest';
import { SentimentBatchError } from '../src/errors.js';
import { failingAgainCause } from '../src/mend/failing-again.js';
import type { MendResult } from '../src/mend/mend.js';

type Mended = Extract<MendResult, { kind: 'mended' }>;
const AGAIN = new SentimentBatchError('too_many_errors', '3 of 3 rows that had failed transiently failed again');
const HTTP_500 = 'Workers AI failed transiently (HTTP 500, code 3043); the service said: Internal server error (gave up after 1 attempt)';
const mended = (over: Partial<Mended>): Mended =>
  ({ kind: 'mended', scored: 0, labels: {}, scoredDuplicates: 0, stillFailed: [{}, {}, {}], lastTransient: HTTP_500, refused: 0, truncated: 0, cached: 0, duplicates: 0, outputBytes: 0, ...over }) as unknown as Mended;

/** A mend's rows failed again: the service is said to be failing only when it failed every one of them (mend/failing-again.ts). */
describe('the cause of a mend whose rows failed again', () => {
  it('every row failed again transiently: the service is failing, with the last failure and the count', () => {
    expect(failingAgainCause(mended({}), AGAIN)).toBe(
      `the service is failing: the 3 rows sent again all failed transiently (${HTTP_500}); run the same command again once it answers (3 of 3 rows that had failed transiently failed again)`,
    );
    expect(failingAgainCause(mended({ stillFailed: [{}] as Mended['stillFailed'] }), AGAIN)).toMatch(/^the service is failing: the row sent again failed transiently \(/);
  });

  it.each([
    ['some rows scored', { scored: 1 }],
    ['some rows refused for their text', { refused: 1 }],
    ['no row failed again', { stillFailed: [] }],
  ])('not said when %s', (_what, over) => {
    expect(failingAgainCause(mended(over as Partial<Mended>), AGAIN)).toBeUndefined();
  });
});
