import { describe, expect, it } from 'vitest';
import { neuronsFor, roundNeurons } from '../src/scoring/pricing.js';
import { emptyTotals, totalsPlus, totalsSince } from '../src/state/totals.js';

describe('sums of neurons', () => {
  // Token counts of 200 attempts, charged as sent and all given back (an outage where every answer was a 500).
  const tokens = Array.from({ length: 200 }, (_, i) => 3 + ((i * 37) % 509));

  it('charging and giving back every attempt ends at exactly 0, where plain float sums leave a residue', () => {
    let plain = 0;
    let rounded = 0;
    for (const t of tokens) {
      plain += neuronsFor(t);
      rounded = roundNeurons(rounded + neuronsFor(t));
    }
    for (const t of [...tokens].reverse()) {
      plain -= neuronsFor(t);
      rounded = roundNeurons(rounded - neuronsFor(t));
    }
    // What the summary said before: not 0 (the reason for rounding; if float sums ever come out exact, this shows it).
    expect(plain).not.toBe(0);
    expect(rounded).toBe(0);
  });

  it('a kept sum is the exact neurons of its tokens, and a run\'s share of the job has no residue', () => {
    let job = 0;
    for (const t of tokens) job = roundNeurons(job + neuronsFor(t));
    const allTokens = tokens.reduce((a, b) => a + b, 0);
    expect(job).toBe(roundNeurons(neuronsFor(allTokens)));
    const start = { ...emptyTotals(), neurons: 0.1 };
    const now = { ...emptyTotals(), neurons: 0.3 };
    expect(totalsSince(start, now).neurons).toBe(0.2);
    expect(totalsPlus({ ...emptyTotals(), neurons: 0.1 }, { ...emptyTotals(), neurons: 0.2 }).neurons).toBe(0.3);
  });
});
