import { describe, expect, it } from 'vitest';
import { estimateEtaSeconds } from '../src/job/eta.js';

describe('the ETA estimate', () => {
  it('goes by the rate since the first row that cost a request, not by the store hits answered before it', () => {
    // 29,000 store hits in 2 s, then 36 rows a second by request for 8 s; 712 rows left.
    const eta = estimateEtaSeconds({ rowsLeft: 712, seconds: 10, answered: 29_288, firstCostly: { seconds: 2, answered: 29_000 } });
    expect(eta).toBe(20);
    // The whole pass's rate (2,929 rows/s) would have said 0 s.
    expect(estimateEtaSeconds({ rowsLeft: 712, seconds: 10, answered: 29_288 })).toBe(0);
  });

  it('counts store hits mixed in among the requests after the first at the pace they came', () => {
    // Since the first request: 100 s, 2,000 rows of which half were cache hits, 20 rows/s; 1,000 rows left: 50 s.
    expect(estimateEtaSeconds({ rowsLeft: 1000, seconds: 101, answered: 2001, firstCostly: { seconds: 1, answered: 1 } })).toBe(50);
  });

  it('has no estimate until a row is answered after the first request, or at all before time has passed', () => {
    expect(estimateEtaSeconds({ rowsLeft: 500, seconds: 5, answered: 1000, firstCostly: { seconds: 5, answered: 1000 } })).toBeUndefined();
    expect(estimateEtaSeconds({ rowsLeft: 500, seconds: 0, answered: 0 })).toBeUndefined();
  });
});
