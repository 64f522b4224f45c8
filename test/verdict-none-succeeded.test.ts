import { describe, expect, it } from 'vitest';
import { errorPlace } from '../src/io/error-place.js';
import { judgeJob, shareFailure } from '../src/job/job-failures.js';

// A job none of whose rows succeeded is exit 5 whatever --max-error-rate (docs/exit-codes.md#exit-5). Under
// --max-error-rate 1 its share (40 of 40) is not over the limit, so the verdict must say why it failed
// rather than read as a share over a limit it is not over.
describe('the verdict on a job none of whose rows succeeded', () => {
  const limits = { maxErrors: undefined, maxErrorRate: 1, errorPlace: errorPlace('csv', 'sentiment') };

  it('says that no row succeeded when the share is within --max-error-rate', () => {
    const message = judgeJob({ read: 40, failed: 40 }, { unreadable: 0, sent: 40, sentFailed: 40, sentFailedTransient: 0 }, limits, 'the whole job')?.message;
    expect(message).toBe(
      '40 of 40 rows sent to the model failed in the whole job (limit --max-error-rate 1, but not one succeeded); the output is complete: see the sentiment_error column',
    );
    expect(shareFailure(3, 3, 1, 'read failed', 'this run')?.message).toMatch(/^3 of 3 rows read failed in this run \(limit --max-error-rate 1, but not one succeeded\); /);
  });

  it('keeps the plain wording when the share is over the limit', () => {
    expect(shareFailure(40, 40, 0.5, 'sent to the model failed', 'this run')?.message).toMatch(/^40 of 40 rows sent to the model failed in this run \(limit --max-error-rate 0\.5\); /);
    expect(shareFailure(30, 40, 1, 'sent to the model failed', 'this run')).toBeUndefined();
  });
});
