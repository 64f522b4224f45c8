import { describe, expect, it } from 'vitest';
import { formatSummary, type Summary } from '../src/job/summary.js';
import { figuresOf } from '../src/report/figures.js';
import { renderHtml } from '../src/report/html-page.js';
import { runFromSummary } from '../src/report/run-info.js';
import { Tally } from '../src/report/tally.js';
import { USD_PER_1000_NEURONS } from '../src/scoring/pricing.js';
import { emptyTotals } from '../src/state/totals.js';

/** A Workers AI job done in one run, every request answered: its summary and its page speak of the same neurons. */
function oneRun(neurons: number): Summary {
  const totals = { ...emptyTotals(), read: 3, scored: 3, requests: 3, tokens: 11, neurons };
  return {
    status: 'done',
    exitCode: 0,
    input: 'r.csv',
    output: 'r.scored.csv',
    model: 'workers-ai:@cf/huggingface/distilbert-sst-2-int8',
    remote: true,
    totals,
    run: { totals, labels: {}, failuresByCode: {}, skippedByCode: {}, answeredRequests: 3, billableTokens: 11, billableNeurons: neurons },
    resumed: false,
    elapsedSeconds: 0.5,
    estimatedCostUsd: (neurons / 1000) * USD_PER_1000_NEURONS,
  };
}

async function pageCost(summary: Summary): Promise<string | undefined> {
  const figures = figuresOf(new Tally(), { input: 'r.scored.csv', by: undefined, date: undefined, rating: undefined, groupsShown: 20, maxDailyPoints: 120, run: runFromSummary(summary, 'r.summary.json'), model: null, now: new Date(0) });
  const line = (/<p class="run">[\s\S]*?<\/p>/.exec(await renderHtml(figures))?.[0] ?? '').replace(/<[^>]+>/g, '');
  return /cost (at most \$[\d.]+)/.exec(line)?.[1];
}

const terminalCost = (summary: Summary): string | undefined => /cost (at most \$[\d.]+) at list price/.exec(formatSummary(summary))?.[1];

// 3 rows against serve: the run's summary said `cost $0.0000 at list price` (rounded to the nearest) and its report
// `cost at most $0.0001` (rounded up, a bound never below what it bounds). Both say the bound now, from one function.
describe('the cost of one run, on the terminal and on its report page', () => {
  it.each([
    ['3 short rows (0.026 neurons)', 0.026334, 'at most $0.0001'],
    ['62 requests ($0.000118)', (0.000118 / USD_PER_1000_NEURONS) * 1000, 'at most $0.0002'],
    ['no neurons', 0, 'at most $0.0000'],
    ['1,000 neurons ($0.011)', 1000, 'at most $0.0110'],
  ])('%s', async (_name, neurons, expected) => {
    const summary = oneRun(neurons);
    expect(terminalCost(summary)).toBe(expected);
    expect(await pageCost(summary)).toBe(expected);
  });
});

// A run stopped with a request cut off in flight (or one timed out, its connection dropped, its answer cut short): the checkpoint and `run.totals.neurons` keep its
// neurons as maybe billed, while the line said "neurons billable 0 · cost at most $0.0000". It says both now, and bounds
// the cost by both, as the page (from the same totals) does.
describe('the cost of a run with requests the service may have run unanswered', () => {
  it('names them beside the billable neurons and bounds the cost by both', async () => {
    const cut = oneRun(0.033516);
    const summary: Summary = { ...cut, status: 'failed', exitCode: 4, run: { ...cut.run, answeredRequests: 0, billableTokens: 0, billableNeurons: 0 } };
    const text = formatSummary(summary);
    expect(text).toContain(
      'neurons billable 0 (answered requests), and up to 0.034 more for requests the service may have run unanswered (timed out, dropped or cut short, or cut off by a stop) · cost at most $0.0001 at list price',
    );
    expect(terminalCost(summary)).toBe(await pageCost(summary));
  });
});

// The page's run line said `cost at most $0.0001` alone, while the terminal said of the same bound that it is at list
// price, before the free 10,000 neurons a day: read alone, the page's figure looks like the night's bill, which for most
// jobs is nothing. Both say it now, from one function (wording/cost-at-most.ts).
describe('the free daily allocation, on the terminal and on the report page', () => {
  it('both say the bound is at list price, before the free 10,000 neurons a day', async () => {
    const summary = oneRun(0.026334);
    const said = 'cost at most $0.0001 at list price, before the free 10,000 neurons a day';
    expect(formatSummary(summary)).toContain(said);
    expect(await pageRunLine(summary)).toContain(said);
  });
});

async function pageRunLine(summary: Summary): Promise<string> {
  const figures = figuresOf(new Tally(), { input: 'r.scored.csv', by: undefined, date: undefined, rating: undefined, groupsShown: 20, maxDailyPoints: 120, run: runFromSummary(summary, 'r.summary.json'), model: null, now: new Date(0) });
  return (/<p class="run">[\s\S]*?<\/p>/.exec(await renderHtml(figures))?.[0] ?? '').replace(/<[^>]+>/g, '');
}
