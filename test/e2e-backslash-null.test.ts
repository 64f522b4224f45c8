import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { useTempDir } from './support/e2e-dir.js';
import { backslashNullWarning } from '../src/preflight/backslash-null.js';

// PostgreSQL's COPY text format (`\copy t to 'x.tsv' with (format text, header)`) and MySQL's default INTO OUTFILE quote
// nothing, write NULL as \N and a line break as \n. Read with the defaults (a .tsv, quotes honoured) a NULL review was
// scored as the text '\N' (exit 0, 5 scored of a 6-row export whose 2 reviews are NULL or empty, where --quote none
// --escape backslash scores 4), with no word of the flags that read it.
describe('an export that writes NULL as \\N, read with the default quoting: said at start-up', () => {
  const { file, path: inDir } = useTempDir();

  it('names the column, the count, and the flags that read such an export', () => {
    expect(backslashNullWarning(['great', '\\N', 'bad'], "--text-column 'body'")).toBe(
      "--text-column 'body' is \\N in 1 of the first 3 rows: the NULL of an export that quotes nothing and escapes with backslashes " +
        "(PostgreSQL's COPY text format, MySQL's INTO OUTFILE), which the default reading scores as the text '\\N' (and a \\n in a review as a " +
        'backslash and an n); read it with --quote none --escape backslash (in a job file "quote": "none" and "escape": "backslash"), where a \\N is no text, skipped',
    );
    expect(backslashNullWarning(['great', 'a \\N inside a review', ''], "--text-column 'body'")).toBeUndefined();
    // MySQL's INTO OUTFILE ... ENCLOSED BY '"' quotes every cell but a NULL: --escape backslash alone reads it.
    expect(backslashNullWarning(['\\N'], "--text-column 'body'", false)).toMatch(/\(MySQL's INTO OUTFILE \.\.\. ENCLOSED BY '"'\), .* read it with --escape backslash \(in a job file "escape": "backslash"\), where an unquoted \\N is no text, skipped$/);
  });

  it('score warns on a PostgreSQL text export read with the defaults, not once read with --quote none --escape backslash', async () => {
    const tsv = file('pg.tsv', 'id\tbody\n1\tGreat sound.\\nBattery lasts all week.\n2\t\\N\n3\tTerrible, "broke" in two days\n');
    const plain = await runCli(['score', tsv, '--text-column', 'body', '-o', inDir('plain.tsv'), '--log-format', 'json']);
    expect(plain.code).toBe(0);
    expect(plain.stderr).toMatch(/"level":40,[^\n]*"msg":"--text-column 'body' is \\\\N in 1 of the first 3 rows: /);
    const read = await runCli(['score', tsv, '--text-column', 'body', '--quote', 'none', '--escape', 'backslash', '-o', inDir('read.tsv'), '--log-format', 'json']);
    expect(read.code).toBe(0);
    expect(read.stderr).not.toContain('the NULL of an export');
    expect(read.stdout).toContain('rows 3: scored 2, skipped 1, failed 0');
  });
});
