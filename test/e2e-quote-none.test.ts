import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli, warnMessages } from './support/cli.js';
import { checkOutput } from './support/byte-oracle.js';
import { expectCleanError, useTempDir } from './support/e2e-dir.js';

/**
 * MySQL's default `SELECT … INTO OUTFILE` (FIELDS TERMINATED BY '\t' ENCLOSED BY '' ESCAPED BY '\\') and Python's csv
 * with QUOTE_NONE quote no cell: a quote is text, a backslash escapes (docs/input-formats.md#exports-that-quote-nothing).
 */
const BRIEF = 'id\ttext\n1\t"Great app, love it\n2\tbad app\n3\tgood\n4\tterrible "quote" here\n';

describe('--quote none: exports that quote nothing', () => {
  const { file, path: inDir } = useTempDir();

  const score = async (input: string, extra: string[], output = inDir('out.tsv')) => {
    const result = await runCli(['score', input, '--text-column', 'text', '-o', output, '--backend', 'embedded', '--log-format', 'pretty', ...extra]);
    expectCleanError(result.stderr);
    return { ...result, output, text: () => readFileSync(output, 'utf8') };
  };

  it('read with --escape backslash alone, a review opening with a quote joins rows, and the advice names --quote none', async () => {
    const r = await score(file('m.tsv', BRIEF), ['--delimiter', 'tab', '--escape', 'backslash']);
    expect(r.code).toBe(5);
    expect(r.stdout).toMatch(/rows 1: scored 0, skipped 0, failed 1/);
    // Was: "remove that quote, or quote the cell and double each quote inside": no advice for a file that quotes nothing.
    expect(r.text()).toContain(
      "not scored: no cell in the file's first rows is quoted: if the export never quotes a cell (MySQL's default INTO OUTFILE, Python's csv QUOTE_NONE), a quote is plain text in it: read it with --quote none; else remove that quote, or quote the cell and write each quote inside after a backslash\n",
    );
    expect(r.stderr).toMatch(/WARN {2}line 2: .*read it with --quote none; else, if they are separate reviews, remove that quote, or quote the cell and write each quote inside after a backslash \(\\"\)/);
  });

  it('a file that does quote its cells gets no such advice', async () => {
    const r = await score(file('q.tsv', 'id\ttext\n0\t"fine"\n1\t"Great app, love it\n2\tbad app\n3\tgood" she said\n'), ['--delimiter', 'tab', '--escape', 'backslash']);
    expect(r.text()).toContain('stray_quote: ');
    expect(r.text()).not.toContain('--quote none');
  });

  it('with --quote none: each line one record, its bytes verbatim, the new cells escaped, never quoted', async () => {
    const input = file('m.tsv', BRIEF);
    const r = await score(input, ['--delimiter', 'tab', '--escape', 'backslash', '--quote', 'none']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/rows 4: scored 4, skipped 0, failed 0/);
    const lines = r.text().split('\n');
    expect(lines[0]).toBe('id\ttext\tsentiment_label\tsentiment_positive\tsentiment_negative\tsentiment_truncated\tsentiment_error');
    expect(lines.slice(1, 5).map((line) => line.split('\t').slice(0, 2).join('\t'))).toEqual(BRIEF.split('\n').slice(1, 5));
    const oracle = checkOutput(readFileSync(input), readFileSync(r.output), { format: 'csv', delimiter: '\t', textNames: ['text'], escape: 'backslash', quote: 'none' });
    expect(oracle.problems).toEqual([]);
    expect(oracle.found).toEqual({ read: 4, scored: 4, skipped: 0, failed: 0 });
  });

  it('escaped line breaks, tabs and backslashes: one row each; an error cell escaped as MySQL reads it back', async () => {
    const text = 'id\ttext\tn\n1\tsaid "hi"\\\nand more\t5\n2\ta\\\ttab and C:\\\\dir\t4\n3\tragged\n4\t\\N\t3\n';
    const input = file('e.tsv', text);
    const r = await score(input, ['--format', 'tsv', '--escape', 'backslash', '--quote', 'none']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/rows 4: scored 2, skipped 1, failed 1/);
    expect(r.text()).toContain(
      "3\tragged\t\t\t\t\t\tragged_row: expected 3 fields, got 2: no cell for 'n' at its end; if it is empty (Excel's CSV leaves out " +
        "the delimiters of empty cells that end a row), add a tab at the row's end to score it\n",
    );
    const oracle = checkOutput(readFileSync(input), readFileSync(r.output), { format: 'csv', delimiter: '\t', textNames: ['text'], escape: 'backslash', quote: 'none' });
    expect(oracle.problems).toEqual([]);

    // report reads it as the run wrote it: from the run's checkpoint settings, or from the flags.
    const json = inDir('report.json');
    const report = await runCli(['report', r.output, '-o', json]);
    expect(report.code).toBe(0);
    expect(JSON.parse(readFileSync(json, 'utf8')).totals).toMatchObject({ rows: 4, scored: 2, skipped: 1, failed: 1 });
    const copy = inDir('copy.tsv');
    writeFileSync(copy, readFileSync(r.output));
    const flagged = await runCli(['report', copy, '-o', inDir('copy.json'), '--escape', 'backslash', '--quote', 'none']);
    expect(flagged.code).toBe(0);
    expect(JSON.parse(readFileSync(inDir('copy.json'), 'utf8')).totals).toMatchObject({ rows: 4, scored: 2, skipped: 1, failed: 1 });
  });

  it('is refused up front without an escape character, with a clear message (exit 2), from a flag or a job file', async () => {
    const input = file('m.tsv', BRIEF);
    const r = await score(input, ['--format', 'tsv', '--quote', 'none'], inDir('refused.tsv'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--quote none needs an escape character, and none is given: add --escape backslash (MySQL's INTO OUTFILE and Python's csv QUOTE_NONE escape with a backslash)");
    const quoteEscape = await score(input, ['--format', 'tsv', '--quote', 'none', '--escape', 'quote'], inDir('refused2.tsv'));
    expect(quoteEscape.code).toBe(2);
    expect(quoteEscape.stderr).toContain('--quote none needs an escape character, and --escape quote is no escape character where nothing is quoted: give --escape backslash');
    const job = file('job.json', JSON.stringify({ input, output: inDir('job.tsv'), textColumn: 'text', backend: 'embedded', quote: 'none' }));
    const fromJob = await runCli(['run', job]);
    expect(fromJob.code).toBe(2);
    expect(fromJob.stderr).toContain(`"quote": "none" in job file ${job} needs an escape character`);
    expect(fromJob.stderr).toContain('add "escape": "backslash" to the job file');
    const bad = await runCli(['score', input, '--quote', "'", '--backend', 'embedded']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`--quote expects one of ", none, got '''`);
  });

  it('a JSONL input says --quote is ignored, alone too (it needs no --escape there), and so does report', async () => {
    const input = file('q.jsonl', '{"text":"great"}\n');
    const r = await score(input, ['--quote', 'none'], inDir('q.out.jsonl'));
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('--quote is ignored: the input is JSONL, whose strings are always quoted');
    const report = await runCli(['report', r.output, '--quote', 'none', '-o', inDir('q.json')]);
    expect(report.code).toBe(0);
    expect(warnMessages(report.stderr)).toEqual(['--quote is ignored: the scored file is JSONL, whose strings are always quoted']);
  });

  it('a job file with "quote": "none" and "escape": "backslash" scores the file', async () => {
    const input = file('m.tsv', BRIEF);
    const job = file('job.json', JSON.stringify({ input, output: inDir('job.tsv'), textColumn: 'text', backend: 'embedded', escape: 'backslash', quote: 'none' }));
    const r = await runCli(['run', job]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/rows 4: scored 4, skipped 0, failed 0/);
  });
});
