import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';

/**
 * The five columns a run adds are named `<prefix>_label` …; a --prefix holding a line break, a carriage return, a
 * quote or the input's delimiter made names with those in them (a header cell over two lines, which every reader of
 * the output has to get quoted right): refused before anything is read or written, exit 2, naming the character.
 * (A line break alone asking for quotes is tested on quoteCsvCell, test/io-csv-format.test.ts.)
 */
describe('a --prefix holding a line break, a quote or the delimiter is refused (built CLI)', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());

  const cases: Array<[string, string, string]> = [
    ['night\nrun', 'in.csv', 'a line break (U+000A)'],
    ['night\rrun', 'in.csv', 'a carriage return (U+000D)'],
    ['night"run', 'in.csv', 'a quote (")'],
    ['night,run', 'in.csv', "the input's delimiter, ','"],
    ['night;run', 'in.ssv.csv', "the input's delimiter, ';'"],
    ['night\nrun', 'in.jsonl', 'a line break (U+000A)'],
  ];
  for (const [prefix, name, what] of cases) {
    it(`--prefix ${JSON.stringify(prefix)} on ${name}: exit 2 naming ${what}, no output`, async () => {
      const input = path.join(dir, name);
      if (name.endsWith('.jsonl')) writeFileSync(input, '{"review":"a great little kettle"}\n');
      else if (name.includes('ssv')) writeFileSync(input, 'id;review\n1;a great little kettle\n2;broken and awful\n');
      else writeFileSync(input, 'id,review\n1,a great little kettle\n2,"broken, and the lid is awful"\n');
      const output = path.join(dir, `out-${name}`);
      const run = await runCli(['score', input, '--text-column', 'review', '--backend', 'embedded', '-o', output, '--prefix', prefix, '--log-level', 'warn', ...(name.includes('ssv') ? ['--delimiter', ';'] : [])]);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain(`--prefix ${JSON.stringify(prefix)} holds ${what}, which would be in the new columns' names; use letters, digits, '_' or '-'`);
      expect(existsSync(output)).toBe(false);
    });
  }

  it('a job file\'s "prefix" holding the delimiter is named as the job file\'s key', async () => {
    writeFileSync(path.join(dir, 'job.csv'), 'id,review\n1,a great little kettle\n');
    const job = path.join(dir, 'job.json');
    writeFileSync(job, JSON.stringify({ input: 'job.csv', textColumn: 'review', backend: 'embedded', output: 'job-out.csv', prefix: 'a,b' }));
    const run = await runCli(['run', job, '--log-level', 'warn']);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`job file ${job}: "prefix" "a,b" holds the input's delimiter, ','`);
  });

  // report reads the columns score named with its prefix: such a --prefix names none (score refuses it), and was read as
  // a file that is not scored (exit 3, "this is not a scored file: it has no column 'night\nrun_label'").
  const reportCases: Array<[string, string, string]> = [
    ['night\nrun', 'scored.csv', 'a line break (U+000A)'],
    ['night\rrun', 'scored.csv', 'a carriage return (U+000D)'],
    ['night"run', 'scored.csv', 'a quote (")'],
    ['night\u0001run', 'scored.csv', 'a control character (U+0001)'],
    ['night,run', 'scored.csv', "the scored file's delimiter, ','"],
    ['night\tun', 'scored.tsv', 'a tab (U+0009)'],
    ['night\nrun', 'scored.jsonl', 'a line break (U+000A)'],
  ];
  for (const [prefix, name, what] of reportCases) {
    it(`report --prefix ${JSON.stringify(prefix)} on ${name}: exit 2 naming ${what}, no report`, async () => {
      const input = path.join(dir, name);
      if (name.endsWith('.jsonl')) writeFileSync(input, '{"review":"a great little kettle","sentiment":{"label":"POSITIVE","positive":0.9,"negative":0.1}}\n');
      else {
        const d = name.endsWith('.tsv') ? '\t' : ',';
        writeFileSync(input, [['id', 'review', 'sentiment_label', 'sentiment_positive', 'sentiment_negative', 'sentiment_truncated', 'sentiment_error'], ['1', 'a great little kettle', 'POSITIVE', '0.9', '0.1', '', '']].map((row) => row.join(d)).join('\n') + '\n');
      }
      const page = path.join(dir, `${name}.report.html`);
      const run = await runCli(['report', input, '--text-column', 'review', '--prefix', prefix, '-o', page]);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain(`--prefix ${JSON.stringify(prefix)} holds ${what}, which score refuses in a prefix, so no scored file's columns have it; give the --prefix the run was given (default sentiment)`);
      expect(existsSync(page)).toBe(false);
    });
  }

  it('a prefix of letters, digits, _ and - is taken', async () => {
    const input = path.join(dir, 'ok.csv');
    writeFileSync(input, 'id,review\n1,a great little kettle\n');
    const run = await runCli(['score', input, '--text-column', 'review', '--backend', 'embedded', '-o', path.join(dir, 'ok-out.csv'), '--prefix', 'night-run_2', '--log-level', 'warn']);
    expect(run.code, run.stderr).toBe(0);
  });
});
