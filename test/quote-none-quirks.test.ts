import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseJobFlags, readJobFile, resolveSettings } from '../src/config/resolve.js';
import { ConfigError } from '../src/errors.js';
import { runCli } from './support/cli.js';
import { expectCleanError, useTempDir } from './support/e2e-dir.js';

const { file, path: inDir } = useTempDir();

/** The messages of the warn lines in a run's JSON log. */
const warnings = (stderr: string): string[] =>
  stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { level: number; msg: string })
    .filter((entry) => entry.level === 40)
    .map((entry) => entry.msg);

/**
 * `--delimiter '\'` with `--escape backslash` was accepted: a backslash cannot both escape the next character and
 * separate cells (with --quote none the header `id\text` read as one column 'id<TAB>ext', and the message said the
 * file looked tab-separated). Refused before anything is read, exit 2, naming both settings as given.
 */
describe('a backslash delimiter with the backslash escape', () => {
  const settings = (argv: string[], job?: Record<string, unknown>) => {
    const jobFilePath = job === undefined ? undefined : inDir(`job-${Object.keys(job).join('-')}.json`);
    if (jobFilePath !== undefined) writeFileSync(jobFilePath, JSON.stringify({ input: inDir('in.csv'), ...job }));
    return resolveSettings({
      flags: parseJobFlags(argv).flags,
      ...(jobFilePath === undefined ? { input: inDir('in.csv') } : { jobFile: readJobFile(jobFilePath), jobFilePath }),
      env: {},
    });
  };

  it('is refused with either quote, the flags or the job file keys named', () => {
    for (const quote of [[], ['--quote', 'none']]) {
      const refuse = () => settings(['--delimiter', '\\', '--escape', 'backslash', ...quote]);
      expect(refuse).toThrow(ConfigError);
      expect(refuse).toThrow(/^--delimiter '\\' and --escape backslash cannot go together: a backslash that escapes the next character cannot also separate cells; /);
    }
    expect(() => settings([], { delimiter: '\\', escape: 'backslash' })).toThrow(/^"delimiter": "\\\\" in job file .* and "escape": "backslash" in job file .* cannot go together/);
    // The default escape reads a backslash as text: a backslash-separated file is fine then; so is JSONL, which ignores both.
    expect(settings(['--delimiter', '\\']).delimiter).toBe('\\');
    expect(resolveSettings({ flags: parseJobFlags(['--delimiter', '\\', '--escape', 'backslash']).flags, input: inDir('in.jsonl'), env: {} }).delimiter).toBe('\\');
  });

  // --quote none without an escape said 'add --escape backslash', which the refusal above then refused: a dead end in
  // two steps. Said at once: no escape will do, only another delimiter.
  it('--quote none without an escape: refused as the pair, not sent to add --escape backslash (score, report)', async () => {
    const said = /^--delimiter '\\' and --quote none cannot go together: a file that quotes nothing needs the backslash escape \(--escape backslash\), and a backslash that escapes the next character cannot also separate cells; give another delimiter/;
    expect(() => settings(['--delimiter', '\\', '--quote', 'none'])).toThrow(said);
    expect(() => settings([], { delimiter: '\\', quote: 'none' })).toThrow(/^"delimiter": "\\\\" in job file .* and "quote": "none" in job file .* cannot go together/);
    const input = file('bs-none.csv', 'id\\text\n1\\great phone\n');
    const report = await runCli(['report', input, '--delimiter', '\\', '--quote', 'none', '-o', inDir('bs-none.html')]);
    expect(report.code).toBe(2);
    expect(report.stderr).toMatch(/^sentiment-batch: --delimiter '\\' and --quote none cannot go together/);
  });

  it('score and report: exit 2, one clean line, before anything is written', async () => {
    const input = file('bs.csv', 'id\\text\n1\\great phone\n2\\awful\n');
    const r = await runCli(['score', input, '--delimiter', '\\', '--escape', 'backslash', '--quote', 'none', '-o', inDir('bs.out.csv')]);
    expect(r.code).toBe(2);
    expectCleanError(r.stderr);
    expect(r.stderr).toMatch(/^sentiment-batch: --delimiter '\\' and --escape backslash cannot go together/);
    const report = await runCli(['report', input, '--delimiter', '\\', '--escape', 'backslash', '-o', inDir('bs.html')]);
    expect(report.code).toBe(2);
    expect(report.stderr).toMatch(/^sentiment-batch: --delimiter '\\' and --escape backslash cannot go together/);
  });
});

/**
 * A file with an unquoted header that quotes the cells holding the delimiter (pandas' and Python's csv default,
 * QUOTE_MINIMAL), read with --quote none: each such row failed ragged_row, exit 0, with no word that the file quotes
 * cells. Now a warning at start-up names the first such line, and the row's error says to drop --quote none.
 */
describe('--quote none given a file that quotes the cells holding the delimiter', () => {
  it('warns at start-up and says so in the failed row', async () => {
    const input = file('pandas.csv', 'id,text\n1,"great, love it"\n2,fine phone\n3,bad\n');
    const output = inDir('pandas.out.csv');
    const r = await runCli(['score', input, '--quote', 'none', '--escape', 'backslash', '-o', output, '--log-level', 'warn']);
    expect(r.code, r.stderr).toBe(0);
    expect(warnings(r.stderr)).toContain(
      `line 2 of the input has a quoted cell holding the delimiter ('"great, love it"'), and --quote none reads a quote as text: such a row is ragged (ragged_row), not scored. The file quotes the cells that need it (pandas' and Python's csv default): drop --quote none`,
    );
    const row = readFileSync(output, 'utf8').split('\n')[1]!;
    expect(row).toMatch(/ragged_row: expected 2 fields\\, got 3; read with quotes it is one row of 2: the file quotes the cells that need it\\, and --quote none reads a quote as text$/);
  });

  it('says nothing for a MySQL export whose reviews hold quotes', async () => {
    const input = file('mysql.tsv', 'id\ttext\n1\t"Great app, love it\n2\tsaid "hi" twice\n3\t"quoted whole"\n');
    const r = await runCli(['score', input, '--quote', 'none', '--escape', 'backslash', '-o', inDir('mysql.out.tsv'), '--log-level', 'warn']);
    expect(r.code, r.stderr).toBe(0);
    expect(warnings(r.stderr)).toEqual([]);
    expect(r.stdout).toContain('rows 3: scored 3');
  });
});
