import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Figures } from '../src/report/index.js';
import { REPO_ROOT, runCli, tempDir, warnMessages } from './support/cli.js';
import { asCount, asPercent, expectedFigures, printedFigures, type Expected } from './support/report-expected.js';
import { SCRIPT_REVIEW, writeScoredCsv, writeScoredJsonlGz } from './support/report-fixture.js';

describe('report: figures of a scored file, as JSON and as a page', () => {
  let dir: string;
  let cleanup: () => void;
  let csv: string;
  let expected: Expected;
  let figures: Figures;
  let html: string;

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir('sb-report-'));
    csv = path.join(dir, 'reviews.scored.csv');
    writeScoredCsv(csv);
    expected = expectedFigures(csv);
    const flags = ['--by', 'product', '--date', 'date', '--rating', 'stars', '--text-column', 'review'];
    const json = await runCli(['report', csv, ...flags, '--format', 'json', '-o', path.join(dir, 'r.json')]);
    // The fixture's unreadable dates are a warning, a warn line on standard error (with the rest of report's warnings); nothing else is.
    expect(json.stderr.split('\n').filter((line) => line !== '')).toHaveLength(1);
    expect(warnMessages(json.stderr)).toEqual([expect.stringMatching(/^--date date: the date of [\d,]+ of [\d,]+ scored rows could not be read /)]);
    expect(json.code).toBe(0);
    figures = JSON.parse(readFileSync(path.join(dir, 'r.json'), 'utf8')) as Figures;
    const page = await runCli(['report', csv, ...flags, '-o', path.join(dir, 'r.html')]);
    expect(page.code).toBe(0);
    html = readFileSync(path.join(dir, 'r.html'), 'utf8');
  });
  afterAll(() => cleanup());

  it('counts rows, scored, skipped and failed, with the positive share and its Wilson interval', () => {
    const t = figures.totals;
    expect([t.rows, t.scored, t.skipped, t.failed]).toEqual([expected.rows, expected.scored, expected.skipped, expected.failed]);
    expect(expected.skipped).toBeGreaterThan(0);
    expect(expected.failed).toBeGreaterThan(0);
    expect(t.failedByCode).toEqual({ http_500: expected.failed });
    expect(t.positive.positive).toBe(expected.positive);
    expect(t.positive.share).toBeCloseTo(expected.share, 12);
    expect(t.positive.low).toBeCloseTo(expected.interval[0], 12);
    expect(t.positive.high).toBeCloseTo(expected.interval[1], 12);
    expect(figures.histogram.map((b) => b.rows)).toEqual(expected.histogram);
  });

  it('groups: the largest, worst share first, with counts and intervals', () => {
    const g = figures.groups!;
    expect(g.shown.map((s) => [s.group, s.rows, s.positive])).toEqual(expected.groups.map((e) => [e.group, e.rows, e.positive]));
    for (const [i, s] of g.shown.entries()) {
      expect(s.low).toBeCloseTo(expected.groups[i]!.interval[0], 12);
      expect(s.high).toBeCloseTo(expected.groups[i]!.interval[1], 12);
    }
    expect(g.overflow.rows).toBe(0);
  });

  it('trend by day from mixed date formats, the unreadable one counted', () => {
    const t = figures.trend!;
    expect(t.unit).toBe('day');
    expect(t.points.map((p) => [p.period, p.rows, p.positive])).toEqual(expected.days.map((d) => [d.period, d.rows, d.positive]));
    expect(t.unreadable).toBe(1);
    expect(t.unreadableExamples).toEqual(['sometime soon']);
  });

  it('rating: share per star value and the contradicting labels', () => {
    const r = figures.rating!;
    expect(r.values.map((v) => [v.rating, v.rows, v.positive])).toEqual(expected.ratings.map((e) => [e.rating, e.rows, e.positive]));
    expect([r.lowButPositive!.rows, r.lowButPositive!.of]).toEqual(expected.lowButPositive);
    expect([r.highButNegative!.rows, r.highButNegative!.of]).toEqual(expected.highButNegative);
  });

  it('examples: the most negative and most positive rows', () => {
    expect(figures.examples?.mostNegative.map((e) => e.row)).toEqual(expected.mostNegativeRows);
    expect(figures.examples?.mostPositive.map((e) => e.row)).toEqual(expected.mostPositiveRows);
    expect(figures.examples?.mostNegative[0]!.text).toBe(SCRIPT_REVIEW);
  });

  it('the page prints the same numbers', () => {
    const printed = printedFigures(html);
    expect(printed.get('totals.rows')).toBe(asCount(expected.rows));
    expect(printed.get('totals.scored')).toBe(asCount(expected.scored));
    expect(printed.get('totals.skipped')).toBe(asCount(expected.skipped));
    expect(printed.get('totals.failed')).toBe(asCount(expected.failed));
    expect(printed.get('totals.positive.share')).toBe(asPercent(expected.share));
    expect(printed.get('totals.positive.interval')).toBe(`${(expected.interval[0] * 100).toFixed(1)}–${(expected.interval[1] * 100).toFixed(1)} %`);
    expected.groups.forEach((g, i) => {
      expect(printed.get(`groups.shown.${i}.rows`)).toBe(asCount(g.rows));
      expect(printed.get(`groups.shown.${i}.share`)).toBe(asPercent(g.share));
    });
    expected.ratings.forEach((r, i) => {
      expect(printed.get(`rating.values.${i}.rating`)).toBe(String(r.rating));
      expect(printed.get(`rating.values.${i}.share`)).toBe(asPercent(r.share));
    });
    expect(printed.get('rating.lowButPositive.rows')).toBe(asCount(expected.lowButPositive[0]));
    expect(printed.get('rating.highButNegative.of')).toBe(asCount(expected.highButNegative[1]));
  });

  it('escapes the texts and loads nothing from the network', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('Terrible &#60;script&#62;document.title=&#34;pwned&#34;;alert(1)&#60;/script&#62; &#38; &#34;worst&#34; ever');
    expect(html).toContain('<td dir="auto">Fan &#60;script&#62;x()&#60;/script&#62;</td>');
    expect(html).toContain('&lt;script&gt;x()&lt;/script&gt; (');
    expect(html).not.toMatch(/\b(?:href|src)\s*=/i);
    expect(html).not.toMatch(/url\(|@import/i);
    // The only URLs are SVG's XML namespace names, which are never fetched.
    const urls = [...html.matchAll(/https?:\/\/[^\s"'<>]+/g)].map((m) => m[0]);
    expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg', 'http://www.w3.org/1999/xlink']));
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    // Four charts drawn by vega as SVG, one bar per group shown.
    expect(html.match(/<figure class="chart" data-chart="/g)).toHaveLength(4);
    const groupChart = /<figure class="chart" data-chart="groups">([\s\S]*?)<\/figure>/.exec(html)![1]!;
    const bars = /<g class="mark-rect role-mark layer_0_marks"[^>]*>([\s\S]*?)<\/g>/.exec(groupChart)![1]!;
    expect(bars.match(/<path /g)).toHaveLength(expected.groups.length);
  });

  it('reads the same figures from JSONL.gz with dotted fields', async () => {
    const jsonl = path.join(dir, 'reviews.scored.jsonl.gz');
    writeScoredJsonlGz(jsonl);
    const out = path.join(dir, 'j.json');
    const result = await runCli(['report', jsonl, '--by', 'meta.product', '--date', 'date', '--rating', 'stars', '--text-field', 'review', '-o', out]);
    expect(result.code).toBe(0);
    const fromJsonl = JSON.parse(readFileSync(out, 'utf8')) as Figures;
    const comparable = (f: Figures) => ({ ...f, input: '', generatedAt: '', groups: { ...f.groups, column: '' } });
    expect(comparable(fromJsonl)).toEqual(comparable(figures));
  });
});

describe('report: errors and the end of a run', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir('sb-report-')));
  afterAll(() => cleanup());

  it('says in one line what is wrong', async () => {
    const missing = await runCli(['report', path.join(dir, 'nope.csv')]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/^sentiment-batch: cannot open input file .*nope\.csv.*\n$/);
    // A line break in a file name is written as \n: the message stays one line.
    const oddName = await runCli(['report', path.join(dir, 'no\npe\u001b[31m.csv')]);
    expect(oddName.code).toBe(3);
    expect(oddName.stderr).toMatch(/^sentiment-batch: cannot open input file .*no\\npe\\u001b\[31m\.csv.*\n$/);
    const notScored = await runCli(['report', path.join(REPO_ROOT, 'fixtures/reviews.csv'), '--text-column', 'review', '-o', path.join(dir, 'x.html')]);
    expect(notScored.code).toBe(3);
    expect(notScored.stderr).toMatch(/not a scored file: it has no column 'sentiment_label'/);
    const csv = path.join(dir, 'ok.scored.csv');
    writeScoredCsv(csv);
    // A .gz cut inside its compressed data is named once, as typed (it was `x: cannot decompress 'x' as gzip: …`).
    const whole = gzipSync(readFileSync(csv));
    writeFileSync(path.join(dir, 'cut.scored.csv.gz'), whole.subarray(0, whole.length - 12));
    const cut = await runCli(['report', 'cut.scored.csv.gz', '--text-column', 'review', '-o', 'cut.html'], { cwd: dir });
    expect(cut.code).toBe(3);
    expect(cut.stderr).toMatch(/^sentiment-batch: cannot decompress 'cut\.scored\.csv\.gz' as gzip: unexpected end of file; the \.gz file ends before its compressed data does; the scored file looks cut short/);
    const badColumn = await runCli(['report', csv, '--text-column', 'review', '--by', 'brand', '-o', path.join(dir, 'x.html')]);
    expect(badColumn.code).toBe(2);
    expect(badColumn.stderr).toMatch(/--by brand: the file has no such column; its columns are: 'id', 'product'/);
    const overwrite = await runCli(['report', csv, '-o', csv]);
    expect(overwrite.code).toBe(2);
    expect(overwrite.stderr).toMatch(/would overwrite the scored file/);
    const scoreOverwrite = await runCli(['score', csv, '--text-column', 'review', '-o', path.join(dir, 'o.csv'), '--report', path.join(dir, 'o.csv')]);
    expect(scoreOverwrite.code).toBe(2);
    expect(scoreOverwrite.stderr).toMatch(/--report \S+o\.csv would overwrite -o \S+o\.csv; choose another --report/);
    // -o - leaves no file to report on: refused before anything is scored.
    const toStdout = await runCli(['score', csv, '--text-column', 'review', '-o', '-', '--report', path.join(dir, 'p.html')]);
    expect(toStdout.code).toBe(2);
    expect(toStdout.stdout).toBe('');
    expect(toStdout.stderr).toMatch(/--report needs an output file/);
    const badFlag = await runCli(['report', csv, '--groups', 'many']);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('score --report writes the report of its output, with the run figures; a job file accepts report', async () => {
    const input = path.join(dir, 'reviews.csv');
    copyFileSync(path.join(REPO_ROOT, 'fixtures/reviews.csv'), input);
    const report = path.join(dir, 'run.json');
    const result = await runCli(['score', input, '--text-column', 'review', '--report', report, '--report-by', 'rating', '--log-level', 'warn']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/rows 30: scored 28, skipped 2, failed 0/);
    expect(result.stdout).toMatch(/^Report: .*run\.json \(positive \d+\.\d %\)$/m);
    const figures = JSON.parse(readFileSync(report, 'utf8')) as Figures;
    expect([figures.totals.rows, figures.totals.scored, figures.totals.skipped, figures.totals.failed]).toEqual([30, 28, 2, 0]);
    // The model the run used (the embedded one: no credentials here).
    expect(figures.model).toMatch(/^embedded:sst2-[a-z0-9-]+-v\d+$/);
    expect(figures.run?.source).toBe('this run');
    expect(figures.groups?.column).toBe('rating');

    const job = path.join(dir, 'job.json');
    writeFileSync(job, JSON.stringify({ input: 'reviews.csv', output: 'job.scored.csv', textColumn: 'review', report: 'job-report.html', logLevel: 'warn' }));
    const run = await runCli(['run', job]);
    expect(run.code).toBe(0);
    expect(readFileSync(path.join(dir, 'job-report.html'), 'utf8')).toMatch(/data-figure="totals.rows">30</);

    // Later, from the file alone: the checkpoint beside it gives the model and the run's requests.
    const later = path.join(dir, 'later.json');
    expect((await runCli(['report', path.join(dir, 'job.scored.csv'), '-o', later])).code).toBe(0);
    const again = JSON.parse(readFileSync(later, 'utf8')) as Figures;
    expect(again.model).toBe(figures.model);
    expect(again.run?.source).toMatch(/job\.scored\.csv\.checkpoint\.json$/);
    expect(again.examples?.mostNegative).toHaveLength(5);
  });
});
