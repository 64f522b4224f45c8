import { describe, expect, it } from 'vitest';
import { ErrorGuard } from '../src/job/error-guard.js';

/** Feeds rows to a guard; returns the 1-based row that tripped it and the message, or undefined. */
function feed(guard: ErrorGuard, rows: Array<{ failed: boolean; reachedModel: boolean; readFailure: boolean }>) {
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const error = guard.record(row.failed, row.reachedModel, row.readFailure);
    if (error) return { row: i + 1, message: error.message };
  }
  return undefined;
}

const ok = { failed: false, reachedModel: true, readFailure: false };
const unreadable = { failed: true, reachedModel: false, readFailure: true };
const sentAndFailed = { failed: true, reachedModel: true, readFailure: false };

describe('ErrorGuard', () => {
  it('counts rows that fail while reading toward --max-error-rate', () => {
    const tripped = feed(new ErrorGuard(undefined, 0.5), Array.from({ length: 300 }, () => unreadable));
    expect(tripped?.row).toBe(50);
    expect(tripped?.message).toMatch(/^100% of the last 50 rows read could not be read .*limit --max-error-rate 0\.5\)/);
  });

  it('judges the share over the last 200 rows read, so scattered bad rows do not stop a run', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => (i % 3 === 0 ? unreadable : ok));
    expect(feed(new ErrorGuard(undefined, 0.5), rows)).toBeUndefined();
    // The same rows trip a stricter limit.
    expect(feed(new ErrorGuard(undefined, 0.2), rows)?.message).toMatch(/rows read could not be read/);
  });

  it('still judges the rows sent to the model on their own', () => {
    const tripped = feed(new ErrorGuard(undefined, 0.5), Array.from({ length: 300 }, () => sentAndFailed));
    expect(tripped?.row).toBe(50);
    expect(tripped?.message).toMatch(/rows sent to the model failed/);
  });
});
