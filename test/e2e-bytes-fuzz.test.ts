import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkOutput } from './support/byte-oracle.js';
import { runCli } from './support/cli.js';
import { useTempDir } from './support/e2e-dir.js';
import { fuzzSeeds } from './support/fuzz-seeds.js';

/**
 * "Correct to the byte" (README, docs/input-formats.md), a few seeds of the differential fuzz: awkward exports
 * (test/support/awkward-export.ts) through the built CLI, each output checked record for record by an oracle that
 * splits the input bytes itself (test/support/byte-oracle.ts). `npm run bench -- bytes-fuzz` runs hundreds of seeds.
 * These are seeds with small inputs, each run the way the seed draws (a file, gzip, standard input): a CLI run of
 * about a second each. The runs through `serve` (a mend, a kill and resume, a SIGTERM on standard output) take
 * several runs each: test/e2e-bytes-fuzz-runs.test.ts, in the slow tier.
 */
describe('byte-for-byte fuzz: a few seeds', () => {
  fuzzSeeds([
    [3, 'file'], // JSONL, CRLF, BOM, duplicate keys, lines that are no object, no final newline, --prefix 情感
    [7, 'file'], // CSV, a CRLF header over LF rows, BOM, ragged rows, text after a closing quote, trailing spaces
    [22, 'gzip'], // JSONL in gzip, a text field missing, BOMs opening lines, --limit 26
    [26, 'file'], // '|'-separated, CR-only endings, a repeated header, --limit 30
    [50, 'stdio'], // standard input to a file, CRLF, two text columns, a line of delimiters only
    // Seeds 12 and 132 written with backslash escapes (awkward-export.ts BACKSLASH_SEEDS), run with --escape backslash:
    // \" and \\ in quoted and unquoted cells, MySQL's NULL (\N) unquoted
    [1_000_012, 'gzip'], // one column, CR endings, a stray quote, ragged rows, NULL texts
    [1_000_132, 'stdio'], // ';'-separated, the text column 'body"q' named unquoted as body\"q, mixed endings, a repeated header
    // Seed 8 written as an export that quotes nothing (awkward-export.ts UNQUOTED_SEEDS), run with --quote none: a quote
    // is text, a backslash before the delimiter, a line break and itself (the bench runs the band: bench/bytes-fuzz.ts)
    [2_000_008, 'file'], // tab-separated, MySQL's escapes (a line break after a backslash), mixed endings, ragged rows
  ]);
});

describe('a delimiter of one character outside the Basic Multilingual Plane', () => {
  const { file, path: inDir } = useTempDir();

  // Was: exit 2, "--delimiter expects a single character such as , ; or tab, got '😀'" (two UTF-16 units), though the
  // readers take a delimiter of several bytes (a fullwidth '；' is three).
  it('is one character: the records are read and written back byte for byte, from a file and from standard input', async () => {
    const text = '\ufeffid😀text😀n\r\n1😀"great😀 food ""yes"""😀x\r\n2😀awful 😀y\r3😀short\n\n4😀"a\r\nb"😀z';
    const options = { format: 'csv' as const, delimiter: '😀', textNames: ['text'] };
    const fromFile = await runCli(['score', file('in.csv', text), '-o', inDir('out.csv'), '--delimiter', '😀', '--max-error-rate', '1']);
    expect(fromFile.stderr).not.toMatch(/expects a single character/);
    expect(fromFile.code).toBe(0);
    expect(checkOutput(Buffer.from(text), readFileSync(inDir('out.csv')), options)).toMatchObject({ problems: [], found: { read: 4, scored: 3, skipped: 0, failed: 1 } });
    const piped = await runCli(['score', '-', '--format', 'csv', '-o', '-', '--delimiter', '😀', '--max-error-rate', '1'], { input: text });
    expect(piped.code).toBe(0);
    expect(checkOutput(Buffer.from(text), Buffer.from(piped.stdout), options).problems).toEqual([]);
  });
});
