import { describe, expect, it } from 'vitest';
import { RunTally } from '../src/job/run-tally.js';

// --summary-json said "billableNeurons": 0.11012399999999999 beside "neurons": 0.110124 in totals for the same five
// answers (13, 14, 3, 11 and 5 tokens, a 6-row Excel export against serve): the float residue of the running sum,
// which totals round away (pricing.ts roundNeurons) and this run's figure did not.
describe("this run's billable neurons", () => {
  it('are the exact sum of the answers, as the totals are, with no float residue', () => {
    const tally = new RunTally();
    for (const tokens of [13, 14, 3, 11, 5]) tally.answered(tokens);
    expect(tally.snapshot().billableNeurons).toBe(0.110124);
    expect(tally.snapshot().billableTokens).toBe(46);
  });
});
