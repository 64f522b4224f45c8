import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { useFileTempDir } from './support/e2e-dir.js';
import { useFileServer } from './support/server.js';
import { testScores } from './support/test-scorer.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/**
 * A text seen earlier in the run is sent once and its answer given to each later row with it (job/dedupe.ts). Only the
 * same text may take that answer: reviews that open alike ("We bought this blender … it is great" and "… it is
 * terrible") are different texts, and a run keyed on less than the whole text gave the second the first one's label.
 * The dedupe tests passed with texts keyed by their first 40 characters; this run against serve did not.
 */
describe('duplicates: only the same text takes an earlier answer (built CLI against serve)', () => {
  const { dir } = useFileTempDir();
  const server = useFileServer();

  it('reviews that open alike get their own answers; the same review again is a duplicate, sent once', async () => {
    const opening = 'We bought this blender for the new flat in March and after a month of smoothies every morning it is ';
    // Over 4,096 characters (kept by digest, not whole) and under the 512-token window: one word of 5,000 letters.
    const long = (word: string) => `${word} ${'x'.repeat(5_000)}`;
    const texts = [`${opening}great`, `${opening}terrible`, `${opening}great`, long('great'), long('awful'), long('great')];
    const input = path.join(dir, 'alike.csv');
    writeFileSync(input, ['id,review', ...texts.map((text, i) => `${i},${text}`)].join('\n') + '\n');
    const output = path.join(dir, 'alike.out.csv');
    const summary = path.join(dir, 'alike.json');
    const run = await runCli(['score', input, '--text-column', 'review', '-o', output, '--summary-json', summary, '--rpm', '100000', '--log-level', 'warn'], { env: workersAiEnv(server) });
    expect(run.code, run.stderr).toBe(0);
    const rows = parse(readFileSync(output), { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((row) => row.sentiment_label)).toEqual(texts.map((text) => testScores(text).label));
    expect(rows.map((row) => Number(row.sentiment_positive))).toEqual(texts.map((text) => testScores(text).positive));
    const { totals } = JSON.parse(readFileSync(summary, 'utf8')) as { totals: { requests: number; duplicates: number } };
    expect({ requests: totals.requests, duplicates: totals.duplicates }).toEqual({ requests: 4, duplicates: 2 });
  });
});
