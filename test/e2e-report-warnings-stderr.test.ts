import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logLines, runCli, tempDir, warnMessages } from './support/cli.js';

/**
 * `report` said some warnings on standard error (`--delimiter is ignored …` for JSONL, a date column mixing day-first
 * and month-first dates) and others on standard output under its `Report:` line (dates or ratings not read, answers
 * not as score writes them, an id column given to --by, a copy or an unfinished output): a script that kept standard
 * output as the command's result got warnings in it, and one that watched standard error for them missed most. Standard
 * output holds the `Report:` line alone, and every warning is a warn log line on standard error, as score's are: a
 * `sentiment-batch: ` line is the one saying why a command stopped, and report exits 0 (JSON here, off a terminal).
 */
describe('report: standard output for the Report: line, every warning a warn line on standard error', () => {
  let dir: string;
  let cleanup: () => void;
  let scored: string;
  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    // 24 rows: an id column, dates of two-digit years in every third row; then one label edited by hand.
    const rows = Array.from({ length: 24 }, (_, n) => {
      const i = n + 1;
      return `${i},${i % 2 ? 'north' : 'south'},${i % 3 ? `2026-11-0${1 + (i % 9)}` : '11/3/26'},${i % 4 ? 'lovely phone' : 'awful phone'} ${i}`;
    });
    const input = path.join(dir, 'rep.csv');
    writeFileSync(input, `id,store,date,text\n${rows.join('\n')}\n`);
    scored = path.join(dir, 'rep.scored.csv');
    const score = await runCli(['score', input, '-o', scored, '--backend', 'embedded', '--log-level', 'error']);
    expect(score.code, score.stderr).toBe(0);
    const lines = readFileSync(scored, 'utf8').split('\n');
    lines[5] = (lines[5] ?? '').replace('POSITIVE', 'MAYBE');
    writeFileSync(scored, lines.join('\n'));
  });
  afterAll(() => cleanup());

  const warnings = [
    "--date date: the date of 8 of 23 scored rows could not be read (e.g. '11/3/26'",
    'bad_score: 1 row (row 5) has a label other than POSITIVE or NEGATIVE',
    "'id' looks like an id: 23 distinct values for 23 rows",
  ];
  /** Each warning is the start of one warn line's message, and standard error holds JSON log lines alone. */
  const expectWarnLines = (stderr: string, plainLines = 0): void => {
    const messages = warnMessages(stderr);
    for (const warning of warnings) expect(messages.filter((message) => message.startsWith(warning)), stderr).toHaveLength(1);
    const lines = stderr.split('\n').filter((line) => line !== '');
    expect(lines.filter((line) => line.startsWith('sentiment-batch:')), stderr).toEqual([]);
    expect(logLines(stderr)).toHaveLength(lines.length - plainLines);
  };

  it('a report to a file: the Report: line alone on standard output, the warnings warn lines on standard error', async () => {
    const html = path.join(dir, 'rep.html');
    const result = await runCli(['report', scored, '--by', 'id', '--date', 'date', '-o', html]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`Report: ${html}\n  rows 24: scored 23, skipped 0, failed 1 · positive 73.9 %\n`);
    expectWarnLines(result.stderr);
  });

  it('-o -: the page alone on standard output, the Report: line and the warnings on standard error', async () => {
    const result = await runCli(['report', scored, '--by', 'id', '--date', 'date', '--format', 'json', '-o', '-']);
    expect(result.code, result.stderr).toBe(0);
    expect(() => JSON.parse(result.stdout) as unknown).not.toThrow();
    expect(result.stderr).toMatch(/^Report: standard output\n {2}rows 24: scored 23, skipped 0, failed 1 · positive 73\.9 %\n/);
    expectWarnLines(result.stderr, 2);
  });
});
