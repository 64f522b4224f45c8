import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { expectCleanError, useTempDir } from './support/e2e-dir.js';

/**
 * --quote none given a file that does quote its cells (MySQL's INTO OUTFILE … ENCLOSED BY '"', pandas, Excel): its
 * header's names read with their quotes ('"text"'). It was refused for the text column alone, with a did-you-mean
 * '"text"' that, followed, scored the texts with their quotes and failed each row with a quoted delimiter (ragged_row),
 * exit 0. The header says what the file is: refused at startup, naming the setting to drop.
 */
const QUOTED = '"id","text","stars"\n"1","Great app, love it","5"\n"2","say \\"hi\\" ok","4"\n"3",\\N,"3"\n';

describe('--quote none on a file that quotes its cells', () => {
  const { file, path: inDir } = useTempDir();

  it('is refused at startup (exit 2), from a flag or a job file, with nothing written', async () => {
    const input = file('quoted.csv', QUOTED);
    const r = await runCli(['score', input, '-o', inDir('out.csv'), '--quote', 'none', '--escape', 'backslash', '--backend', 'embedded']);
    expectCleanError(r.stderr);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`every name in the header is in quotes ('"id"', '"text"', '"stars"'): the file quotes its cells; drop --quote none (keep the backslash escape`);
    expect(r.stderr).not.toContain('did you mean');
    expect(existsSync(inDir('out.csv'))).toBe(false);
    const job = file('job.json', JSON.stringify({ input, output: inDir('job.csv'), backend: 'embedded', quote: 'none', escape: 'backslash' }));
    const fromJob = await runCli(['run', job]);
    expect(fromJob.code).toBe(2);
    expect(fromJob.stderr).toContain(`"quote": "none" in job file ${job} reads no cell as quoted`);
    expect(fromJob.stderr).toContain(`the file quotes its cells; remove "quote" from the job file`);
  });
});

/**
 * A MySQL default export run as it first is, with no flag: its reviews that open with a quote join rows (stray_quote) or
 * leave a quote open to the end (exit 3). The advice named --quote none only under --escape backslash, which such a user
 * has not found yet either: it said to double the quotes of a file that quotes nothing.
 */
describe('the advice to read a file that quotes no cell with --quote none --escape backslash, without any flag', () => {
  const { file, path: inDir } = useTempDir();
  const score = (input: string, output: string) => runCli(['score', input, '-o', output, '--backend', 'embedded', '--log-format', 'pretty']);
  const advice = 'a quote is plain text in it: read it with --quote none --escape backslash';

  it('a stray quote: the error cell and the warning name both flags', async () => {
    const r = await score(file('my.tsv', 'id\ttext\n1\t"Great app, love it\n2\tbad app\n3\tgood\n4\tterrible "quote" here\n'), inDir('my.out.tsv'));
    expectCleanError(r.stderr);
    expect(r.code).toBe(5);
    expect(readFileSync(inDir('my.out.tsv'), 'utf8')).toContain(`not scored: no cell in the file's first rows is quoted: if the export never quotes a cell (MySQL's default INTO OUTFILE, Python's csv QUOTE_NONE), ${advice}; else remove that quote, or quote the cell and double each quote inside\n`);
    expect(r.stderr).toContain(`${advice}; else, if they are separate reviews`);
  });

  it('a quote never closed: the input error names both flags (exit 3)', async () => {
    const r = await score(file('open.tsv', 'id\ttext\n1\tgood\n2\t"Great app, love it\n3\tbad app\n'), inDir('open.out.tsv'));
    expectCleanError(r.stderr);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`${advice}. Else close the quote, or double every quote inside a quoted field ("")`);
  });

  it('a file that quotes its cells, a quote inside doubled (""), gets no such advice', async () => {
    const r = await score(file('rfc.tsv', 'id\ttext\n0\t"""Fine"" she said"\n1\t"Great app, love it\n2\tbad app\n3\tgood" she said\n'), inDir('rfc.out.tsv'));
    expectCleanError(r.stderr);
    expect(readFileSync(inDir('rfc.out.tsv'), 'utf8')).toContain('stray_quote: ');
    expect(readFileSync(inDir('rfc.out.tsv'), 'utf8')).not.toContain('--quote none');
  });
});

/**
 * report on a copy of a --quote none run's output (sent on, no checkpoint beside it), without the flags: read as RFC
 * 4180, a review opening with a quote joined rows, each short of the header's cells, which score never writes. It
 * reported them failed (ragged_row), exit 0: 'rows 12: scored 6, failed 6' of 9 rows all scored.
 */
describe('report on a copy of a --quote none output, read without --quote none', () => {
  const { file, path: inDir } = useTempDir();

  it('is refused (exit 2), naming --quote none --escape backslash; with them it reads every row scored', async () => {
    const rows = ['1\t"Great app, love it', '2\tbad app', '3\tgood', '4\tterrible "quote" here', '5\tfine\\\tthanks', '6\tmeh "ok"', '7\tok', '8\tnice', '9\tawful'];
    const input = file('export.tsv', `id\ttext\n${rows.join('\n')}\n`);
    const scored = await runCli(['score', input, '-o', inDir('export.scored.tsv'), '--quote', 'none', '--escape', 'backslash', '--backend', 'embedded']);
    expect(scored.code).toBe(0);
    mkdirSync(inDir('copy'));
    const copy = file('copy/export.scored.tsv', readFileSync(inDir('export.scored.tsv'), 'utf8'));
    const r = await runCli(['report', copy, '-o', inDir('copy/report.json')]);
    expectCleanError(r.stderr);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`read it with --quote none --escape backslash (if its run read it with the default quote, say so with --quote '"'); no report written`);
    expect(existsSync(inDir('copy/report.json'))).toBe(false);
    // The way out for a file that was written with the default quote: say so, and it is read as before.
    const asWritten = await runCli(['report', copy, '-o', inDir('copy/as-written.json'), '--quote', '"']);
    expect(asWritten.code).toBe(0);
    const right = await runCli(['report', copy, '-o', inDir('copy/report.json'), '--quote', 'none', '--escape', 'backslash']);
    expect(right.code).toBe(0);
    expect(right.stdout).toContain('rows 9: scored 9, skipped 0, failed 0');
  });
});
