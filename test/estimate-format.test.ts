import { describe, expect, it } from 'vitest';
import { formatEstimate, type Estimate } from '../src/job/estimate.js';

const base: Estimate = {
  rows: 302, nonEmpty: 241, uniqueTexts: 63, alreadyCached: 62, longTexts: 30, unreadable: 1,
  requests: 1, tokens: 13, neurons: 0.031122, costUsd: 0, costUsdBeyondFreeAllowance: 0, costUsdAtListPrice: 0.000000342342, rpm: 2000, minutes: 0.0005,
  model: '@cf/huggingface/distilbert-sst-2-int8', backend: 'workers-ai', backendReason: 'CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN are set',
};

// With --cache holding all but one text, estimate said `requests 1 · tokens to send 13 · neurons 0`: 0.031 neurons
// rounded to a whole number, where the run's summary then says `neurons billable 0.031`.
describe('the estimate as printed', () => {
  it('writes neurons to three decimals, as the run summary does, never 0 for a request that costs some', () => {
    expect(formatEstimate(base)).toContain('requests 1 · tokens to send 13 · neurons 0.031 · cost $0.00');
    expect(formatEstimate({ ...base, requests: 4085, tokens: 623_336, neurons: 1492.266384 })).toContain('neurons 1,492.266 ·');
  });
});
