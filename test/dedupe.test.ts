import { describe, expect, it } from 'vitest';
import { Dedupe, type RowResult } from '../src/job/dedupe.js';

describe('Dedupe', () => {
  it('a tracked answer that rejects is forgotten, not left as an unhandled rejection', async () => {
    const dedupe = new Dedupe();
    const rejected = Promise.reject(new Error('a bug'));
    // The pipeline handles the row's own promise; the dedupe's wait on it must not be a second, unhandled one.
    rejected.catch(() => {});
    dedupe.track('same', rejected as Promise<RowResult>);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(dedupe.lookup('same')).toBeUndefined();
  });
});
