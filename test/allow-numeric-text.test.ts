import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseJobFlags, readJobFile, resolveSettings } from '../src/config/resolve.js';
import { openSource } from '../src/job/source.js';
import { runCli } from './support/cli.js';
import { expectCleanError, useTempDir } from './support/e2e-dir.js';

/**
 * The start-up refusal of a text column of numbers or codes (preflight/numbers-as-text.ts) had no way past it: a
 * review column that really is short tokens with digits ('5stars', 'gr8', 'v2.1') was exit 2 on every run, and no
 * flag or job-file key could go on. --allow-numeric-text ("allowNumericText" in a job file) does, and the refusal
 * names it as the way out.
 */
describe('--allow-numeric-text: a text column of numbers or codes that is the reviews', () => {
  const { file, path: inDir } = useTempDir();
  const tokens = ['5stars', 'gr8', 'v2.1', '10/10', 'A1', 'no1', 'b4', 'l8r', '5', '4stars', 'h8', 'top10'];
  const csv = ['id,text', ...tokens.map((token, i) => `${i + 1},${token}`)].join('\n') + '\n';

  it('the refusal names the flag; with it the column is scored (score and estimate)', async () => {
    const input = file('tokens.csv', csv);
    const refused = await runCli(['score', input, '-o', inDir('refused.csv')]);
    expect(refused.code).toBe(2);
    expectCleanError(refused.stderr);
    expect(refused.stderr).toMatch(/holds only codes .*; if these are the reviews, run again with --allow-numeric-text\n$/);
    const output = inDir('tokens.out.csv');
    const scored = await runCli(['score', input, '--allow-numeric-text', '-o', output]);
    expect(scored.code, scored.stderr).toBe(0);
    expect(scored.stdout).toContain('rows 12: scored 12');
    expect(readFileSync(output, 'utf8').split('\n')[1]).toMatch(/^1,5stars,(POSITIVE|NEGATIVE),/);
    const estimate = await runCli(['estimate', input, '--allow-numeric-text']);
    expect(estimate.code, estimate.stderr).toBe(0);
  });

  it('a JSONL field of numbers is scored with the flag too', async () => {
    const lines = Array.from({ length: 12 }, (_, i) => JSON.stringify({ id: i, review: `${(i % 5) + 1}/5` }));
    const input = file('stars.jsonl', `${lines.join('\n')}\n`);
    const scored = await runCli(['score', input, '--text-field', 'review', '--allow-numeric-text', '-o', inDir('stars.out.jsonl')]);
    expect(scored.code, scored.stderr).toBe(0);
    expect(scored.stdout).toContain('rows 12: scored 12');
  });

  // JSON numbers ("review": 5) are never text: with the flag every row failed text_not_string, exit 5. The refusal
  // offered the flag all the same; it names no way past now, only the field to name.
  it('a JSONL field of JSON numbers: the refusal does not offer the flag, which could score none of them', async () => {
    const lines = Array.from({ length: 12 }, (_, i) => JSON.stringify({ id: i, review: (i % 5) + 1, body: `review number ${i} is fine` }));
    const input = file('numbers.jsonl', `${lines.join('\n')}\n`);
    const refused = await runCli(['score', input, '--text-field', 'review', '-o', inDir('numbers.out.jsonl')]);
    expect(refused.code).toBe(2);
    expectCleanError(refused.stderr);
    expect(refused.stderr).toMatch(/--text-field 'review' holds only numbers in the first 12 rows \('1', '2', '3', \.\.\.\): not review text \(a rating, an id or a date\?\); the field 'body' holds text: run again with --text-field 'body'\n$/);
  });

  // A job file's run is the one that fails again every night: its advice is the key to add, which stays.
  it('a job file: the refusal says the key to add or set; "allowNumericText": true goes on; a non-boolean is refused', async () => {
    const input = file('job-tokens.csv', csv);
    const settingsOf = (keys: Record<string, unknown>, argv: string[] = []) => {
      const job = inDir(`job-${Object.keys(keys).join('-')}-${Object.values(keys).join('-')}.json`);
      writeFileSync(job, JSON.stringify({ input, output: inDir('job-out.csv'), ...keys }));
      return resolveSettings({ flags: parseJobFlags(argv).flags, jobFile: readJobFile(job), jobFilePath: job, env: {} });
    };
    const refusal = (keys: Record<string, unknown>) => openSource(settingsOf(keys), input).then(() => 'not refused', (e: unknown) => (e as Error).message);
    expect(await refusal({})).toMatch(/; if these are the reviews, add "allowNumericText": true to the job file$/);
    expect(await refusal({ allowNumericText: false })).toMatch(/; if these are the reviews, set "allowNumericText" in the job file to true$/);
    const source = await openSource(settingsOf({ allowNumericText: true }), input);
    await source.release();
    const flagged = await openSource(settingsOf({ allowNumericText: false }, ['--allow-numeric-text']), input);
    await flagged.release();
    expect(() => settingsOf({ allowNumericText: 'yes' })).toThrow(/"allowNumericText" expects true or false, got 'yes'/);
  });

  it('is named in score --help', async () => {
    const help = await runCli(['score', '--help']);
    expect(help.stdout).toMatch(/--allow-numeric-text +score a text column/);
  });
});
