import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { germanExport, scoredGermanExport } from './support/decimal-export.js';
import { useServedInput } from './support/served-input.js';

// --decimal comma: a `;`-separated German or French Excel export gets its scores with a decimal comma, the only form
// a spreadsheet in that locale reads as a number beside the file's own (`4,5`). Before it, every score had a point.

const ROWS = 30;

describe('--decimal comma on a German Excel export', { timeout: 120_000 }, () => {
  const served = useServedInput('bewertungen.csv', () => germanExport(ROWS).text);
  const { env } = served;
  const score = (output: string, ...more: string[]) => runCli(['score', served.input, '--delimiter', ';', '--text-column', 'Text', '-o', output, ...more], { env: env() });

  it('appends the scores with a decimal comma, the input bytes kept, and report reads them', async () => {
    const output = served.path('komma.csv');
    const result = await score(output, '--decimal', 'comma');
    expect(result.stderr).not.toMatch(/Error:|at .*\.js:\d+/);
    expect(result.code).toBe(0);
    expect(readFileSync(output, 'utf8')).toBe(scoredGermanExport(ROWS, 'comma'));
    // The same job with the default point: the numbers are the only difference.
    const pointOutput = served.path('punkt.csv');
    expect((await score(pointOutput)).code).toBe(0);
    expect(readFileSync(pointOutput, 'utf8')).toBe(scoredGermanExport(ROWS, 'point'));

    // report reads the comma form as the numbers they are: the same figures as from the point form.
    const figures = async (scored: string): Promise<Record<string, unknown>> => {
      const json = served.path(`${path.basename(scored)}.report.json`);
      const report = await runCli(['report', scored, '-o', json, '--rating', 'Bewertung'], { env: env() });
      expect(report.stderr).toBe('');
      expect(report.code).toBe(0);
      const { totals, histogram, ratings, examples } = JSON.parse(readFileSync(json, 'utf8')) as Record<string, unknown>;
      return { totals, histogram, ratings, examples };
    };
    const fromComma = await figures(output);
    expect((fromComma['totals'] as { scored: number; failed: number }).scored).toBe(ROWS);
    expect(fromComma).toEqual(await figures(pointOutput));
  });

  it("refuses --decimal comma with the ',' delimiter (exit 2, nothing written), naming the export's own", async () => {
    const output = served.path('comma-delimited.csv');
    const result = await runCli(['score', served.input, '--text-column', 'Text', '-o', output, '--decimal', 'comma'], { env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--decimal comma and the delimiter ',' \(no delimiter is given, and ',' is a .csv file's default\) cannot go together/);
    expect(result.stderr).toMatch(/--delimiter ';'/);
    expect(result.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(existsSync(output)).toBe(false);
    expect(existsSync(`${output}.partial`)).toBe(false);
  });

  it('leaves JSONL numbers as JSON writes them, saying --decimal is ignored', async () => {
    const jsonl = served.path('reviews.jsonl');
    writeFileSync(jsonl, '{"text":"great good"}\n{"text":"bad"}\n');
    const output = served.path('reviews.scored.jsonl');
    const result = await runCli(['score', jsonl, '-o', output, '--decimal', 'comma'], { env: env() });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/--decimal is ignored: the input is JSONL, whose scores are JSON numbers/);
    const rows = readFileSync(output, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { sentiment: { positive: unknown } });
    expect(rows.map((r) => typeof r.sentiment.positive)).toEqual(['number', 'number']);
  });
});
