import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseJobFlags, readJobFile, resolveSettings } from '../src/config/resolve.js';
import { formatCsvRecord, outcomeCells } from '../src/io/csv-format.js';
import { readScoreCell, scoreCell } from '../src/io/decimal-mark.js';
import type { InputRecord, Outcome } from '../src/io/record.js';
import { tempDir } from './support/cli.js';

// --decimal comma: a German or French Excel export (`;`-separated, `4,5`) gets its scores with a decimal comma, so
// one spreadsheet locale reads its own numbers and ours as numbers. Only the appended score cells change.

const record = (raw: string): InputRecord => ({ index: 0, byteEnd: raw.length, text: { ok: true, value: 'Sehr gut' }, raw });
const scored: Outcome = { kind: 'scored', label: 'POSITIVE', positive: 0.9731, negative: 0.0269 };
const options = { delimiter: ';', prefix: 'sentiment', headerWidth: 2 };

describe('--decimal comma', () => {
  it('writes the scores with a decimal comma and leaves the input cells as they are', () => {
    expect(formatCsvRecord(record('4,5;Sehr gut\r\n'), scored, { ...options, decimal: 'comma' })).toBe('4,5;Sehr gut;POSITIVE;0,9731;0,0269;;\r\n');
    // The default stays the point, byte for byte as before.
    expect(formatCsvRecord(record('4,5;Sehr gut\r\n'), scored, options)).toBe('4,5;Sehr gut;POSITIVE;0.9731;0.0269;;\r\n');
  });

  it('keeps the shortest form that reads back: the exponent form gets the comma only where a point was', () => {
    expect(scoreCell(1e-7, 'comma')).toBe('1e-7');
    expect(scoreCell(1.5e-7, 'comma')).toBe('1,5e-7');
    expect(scoreCell(1, 'comma')).toBe('1');
    expect(scoreCell(0.9819919168033151, 'comma')).toBe('0,9819919168033151');
    for (const value of [0.9819919168033151, 1.5e-7, 1e-7, 0, 1, 0.5]) expect(readScoreCell(scoreCell(value, 'comma'))).toBe(value);
  });

  it('reads either form back, and nothing else as a number', () => {
    expect(readScoreCell('0,9731')).toBe(0.9731);
    expect(readScoreCell('0.9731')).toBe(0.9731);
    expect(readScoreCell('1,5e-7')).toBe(1.5e-7);
    expect(readScoreCell('0,5,1')).toBeNaN();
    expect(readScoreCell('')).toBeNaN();
  });

  it('changes the score cells only: a failure cell is written as before', () => {
    const failed: Outcome = { kind: 'failed', failure: { code: 'http_500', message: 'x' } };
    expect(outcomeCells(failed, 'comma')).toEqual(outcomeCells(failed));
    expect(outcomeCells(scored, 'comma')).toEqual(['POSITIVE', '0,9731', '0,0269', '', '']);
  });
});

describe('--decimal comma against the delimiter', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());
  const resolve = (argv: string[], jobFile?: Record<string, unknown>) => {
    const job = path.join(dir, 'job.json');
    if (jobFile) writeFileSync(job, JSON.stringify(jobFile));
    const { positionals, flags } = parseJobFlags(argv);
    if (positionals[0] !== undefined) flags.input = path.join(dir, positionals[0]);
    return resolveSettings({ flags, ...(jobFile ? { jobFile: readJobFile(job), jobFilePath: job } : {}), env: {} });
  };

  it("takes ';' and a TSV's tab, and a JSONL input (where the run ignores it, with a warning)", () => {
    expect(resolve(['in.csv', '--delimiter', ';', '--decimal', 'comma']).decimal).toBe('comma');
    expect(resolve(['in.tsv', '--decimal', 'comma']).decimal).toBe('comma');
    expect(resolve(['in.jsonl', '--decimal', 'comma']).decimal).toBe('comma');
    expect(resolve(['in.csv']).decimal).toBeUndefined();
  });

  it("refuses the ',' delimiter, given or a .csv file's default, naming each setting as it was given", () => {
    expect(() => resolve(['in.csv', '--decimal', 'comma'])).toThrow(
      "--decimal comma and the delimiter ',' (no delimiter is given, and ',' is a .csv file's default) cannot go together: every score (0,97) would need quotes in a ','-separated file. A German or French Excel export separates its cells with ';': give --delimiter ';' (or the export's own delimiter); a ','-separated file keeps the decimal point (drop --decimal comma)",
    );
    expect(() => resolve(['in.tsv', '--delimiter', ',', '--decimal', 'comma'])).toThrow("--decimal comma and the delimiter ',' cannot go together");
    // A job file's nightly run needs its keys mended, not a flag typed once.
    expect(() => resolve([], { input: 'in.csv', decimal: 'comma' })).toThrow(/^"decimal": "comma" in job file .*job\.json and the delimiter ','.*: add "delimiter": ";" to the job file .*\(remove "decimal" from the job file\)$/);
    expect(() => resolve(['in.csv', '--decimal', 'komma'])).toThrow("--decimal expects one of point, comma, got 'komma'");
  });

  // Standard input has no extension: its delimiter is the default of the --format given, and without one the format
  // (and so the delimiter: --format tsv reads tabs, and jsonl ignores --decimal) is not known yet. The refusal said
  // "',' is a .csv file's default" of input that is no .csv file, where the refusal due is the missing --format.
  it("names --format csv as the default's source, and leaves an input of no known format to the format's refusal", () => {
    // The run then refuses it for its format (the CLI: "reading standard input ('-') needs --format csv|tsv|jsonl").
    expect(resolve(['-', '--decimal', 'comma']).decimal).toBe('comma');
    expect(() => resolve(['-', '--format', 'csv', '--decimal', 'comma'])).toThrow(
      "--decimal comma and the delimiter ',' (no delimiter is given, and ',' is the default of --format csv) cannot go together",
    );
    expect(() => resolve(['in.txt', '--format', 'csv', '--decimal', 'comma'])).toThrow("',' is the default of --format csv)");
    expect(resolve(['in.txt', '--decimal', 'comma']).decimal).toBe('comma');
    expect(resolve(['-', '--format', 'tsv', '--decimal', 'comma']).decimal).toBe('comma');
    expect(() => resolve([], { input: '-', output: 'out.csv', format: 'csv', decimal: 'comma' })).toThrow(/and ',' is the default of "format": "csv" in job file .*\) cannot go together/);
  });
});
