import { describe, expect, it } from 'vitest';
import { figuresOf } from '../src/report/figures.js';
import { renderHtml } from '../src/report/html-page.js';
import { escapeHtml } from '../src/report/html-text.js';
import { runFromSummary } from '../src/report/run-info.js';
import { Tally } from '../src/report/tally.js';
import { unreadAnswerLines } from '../src/report/unread-answers.js';
import type { Summary } from '../src/job/summary.js';

const totals = (read: number, requests: number) => ({ read, scored: read, skipped: 0, failed: 0, cached: 0, duplicates: 0, truncated: 0, requests, retries: 0, rateLimited: 0, tokens: 0, neurons: 0 });

function summary(run: { read: number; requests: number }, resumed: boolean, status = 'done'): Summary {
  return {
    status,
    exitCode: 0,
    input: 'mix.csv',
    output: 'res.scored.csv',
    model: 'workers-ai:@cf/huggingface/distilbert-sst-2-int8',
    remote: true,
    totals: totals(301, 62),
    run: { totals: totals(run.read, run.requests), labels: {}, failuresByCode: {}, skippedByCode: {}, answeredRequests: run.requests, billableTokens: 0, billableNeurons: 0 },
    resumed,
    elapsedSeconds: 1.419,
    estimatedCostUsd: 0.000118,
  } as unknown as Summary;
}

async function runLine(s: Summary): Promise<string> {
  const figures = figuresOf(new Tally(), { input: 'res.scored.csv', by: undefined, date: undefined, rating: undefined, groupsShown: 20, maxDailyPoints: 120, run: runFromSummary(s, 'res.summary.json'), model: null, now: new Date(0) });
  const html = await renderHtml(figures);
  return (/<p class="run">[\s\S]*?<\/p>/.exec(html)?.[0] ?? '').replace(/<[^>]+>/g, '');
}

// A job paused by --max-requests 30 and finished by a second run: the page said "requests 62 · … · duration 5.1 s",
// the whole job's requests beside the last run's duration; a rerun that found the output done made it "duration 1.4 s".
describe('the run line of a job done in several runs', () => {
  it('says the duration is its last run’s, and the other figures the whole job’s', async () => {
    for (const s of [summary({ read: 151, requests: 32 }, true), summary({ read: 0, requests: 0 }, false, 'already-done')]) {
      const line = await runLine(s);
      expect(line).toContain('requests 62');
      expect(line).toContain("duration of its last run 1.4 s (the job took several runs; requests, retries and cost are the whole job's)");
      expect(runFromSummary(s, 'x').durationOfLastRunOnly).toBe(true);
    }
  });
  it('a job done in one run keeps its plain duration', async () => {
    const line = await runLine(summary({ read: 301, requests: 62 }, false));
    expect(line).toContain('duration 1.4 s');
    expect(line).not.toContain('last run');
  });
});

// A scored file edited after its run (a row removed by hand, the checkpoint beside it saying the run read 499) was
// reported with the run's status and requests and nothing saying the file is no longer what the run wrote.
describe('a file changed after its run', () => {
  const figuresWith = (rows: number, s: Summary) => {
    const tally = new Tally();
    for (let i = 1; i <= rows; i++) tally.add({ row: i, text: `t${i}`, outcome: { kind: 'scored', label: 'POSITIVE', positive: 0.9 }, group: undefined, date: undefined, rating: undefined });
    return figuresOf(tally, { input: 'res.scored.csv', by: undefined, date: undefined, rating: undefined, groupsShown: 20, maxDailyPoints: 120, run: runFromSummary(s, 'out/res.summary.json'), model: null, now: new Date(0) });
  };
  it('is said on the terminal and the page, with both counts', async () => {
    const figures = figuresWith(300, summary({ read: 301, requests: 62 }, false));
    expect(figures.changedSinceRun).toEqual({ fileRows: 300, runRows: 301 });
    const sentence = "This file has 300 rows, and the run that wrote it wrote 301 (res.summary.json): it was changed after the run (rows removed, added or repeated), and the run's figures are of the file as written";
    expect(unreadAnswerLines(figures)).toBe(`  ${sentence}\n`);
    expect(await renderHtml(figures)).toContain(`${escapeHtml(sentence)}.`);
  });
  it('a file with the rows its run wrote says nothing of it', async () => {
    const figures = figuresWith(301, summary({ read: 301, requests: 62 }, false));
    expect(figures.changedSinceRun).toBeUndefined();
    expect(unreadAnswerLines(figures)).toBe('');
  });
});

// With the embedded model the page said `requests 0 · retries 0 · cost at most $0.0000`: a bound on a cost that a model on
// this machine never has. It says what the run's own summary line says (`offline, no requests, no cost`).
describe('the run line of a model on this machine', () => {
  const offline = (model: string): Summary => ({ ...summary({ read: 301, requests: 0 }, false), model, remote: false, totals: totals(301, 0), estimatedCostUsd: 0 }) as Summary;
  it('says offline, no requests, no cost, and no bound on a cost', async () => {
    for (const model of ['embedded:sst2-nblr-lex-v5', 'local:distilbert-sst2-int8@abc']) {
      const line = await runLine(offline(model));
      expect(line).toBe('Run: status done (exit 0) · offline, no requests, no cost · duration 1.4 s (from res.summary.json)');
      expect(runFromSummary(offline(model), 'x').offline).toBe(true);
    }
  });
  it('a Workers AI run keeps its requests, retries and bound on the cost, zero or not', async () => {
    const line = await runLine({ ...summary({ read: 301, requests: 0 }, false), totals: totals(301, 0), estimatedCostUsd: 0 } as Summary);
    expect(line).toContain('requests 0 · retries 0 · cost at most $0.0000');
    expect(runFromSummary(summary({ read: 301, requests: 62 }, false), 'x').offline).toBe(false);
  });
});

// A summary edited or written by hand passes report's check (an output, a model, totals) with any elapsedSeconds:
// a string ("12") made report exit 1, "internal error (a bug …): TypeError: value.toFixed is not a function", and
// none at all wrote "duration NaN h NaN min" on the page. A duration that is no number is not recorded.
describe('a summary whose elapsedSeconds is no number', () => {
  it('says the duration is not recorded', async () => {
    for (const elapsedSeconds of ['12', undefined, null, Number.NaN]) {
      const s = { ...summary({ read: 301, requests: 62 }, false), elapsedSeconds } as unknown as Summary;
      expect(runFromSummary(s, 'x').durationSeconds).toBeNull();
      expect(await runLine(s)).toContain('duration not recorded');
    }
  });
});

// A rerun that found the output already done replaced the summary, and the page said `status already-done · duration of
// its last run 3.0 s`: the 6-minute run that scored the output was gone (newuser14). The rerun's summary keeps that run's
// figures (`completedBy`, job/completed-by.ts), and the page says its duration and when the output was found done again.
describe('the run line of an already-done rerun that names the run that completed the output', () => {
  const rerun = (resumed: boolean): Summary =>
    ({ ...summary({ read: 0, requests: 0 }, false, 'already-done'), finishedAt: '2026-12-06T03:00:02.000Z', completedBy: { finishedAt: '2026-12-06T02:06:13.000Z', elapsedSeconds: 373, resumed } }) as unknown as Summary;
  it("says that run's duration and when it finished, and when the rerun found it done", async () => {
    const line = await runLine(rerun(false));
    expect(line).toContain('duration 6 min 13 s (the run that completed the output, finished 2026-12-06T02:06:13.000Z; found already done again at 2026-12-06T03:00:02.000Z)');
    expect(line).not.toContain('1.4 s');
    expect(runFromSummary(rerun(false), 'x').durationOfLastRunOnly).toBe(false);
  });
  it('a completing run that had resumed the job: its own duration, said so', async () => {
    const line = await runLine(rerun(true));
    expect(line).toContain("duration 6 min 13 s (the run that completed the output, finished 2026-12-06T02:06:13.000Z, its own run only (the job took several runs; requests, retries and cost are the whole job's)");
  });
});
