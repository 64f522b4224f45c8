import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';

/**
 * The five columns a run adds are named `<prefix>_label` …; a --prefix holding a line break (or the delimiter, a quote)
 * is taken as it is, so the header quotes each name that holds one (RFC 4180), or the output no longer reads back with
 * the input's columns. A line break was the one left untested: the tests' cells that held one held a quote or a comma
 * too, and the names went out unquoted, the header cut in two, when the line break no longer asked for quotes.
 */
describe('the new columns are named after --prefix: quoted when the prefix asks for it (built CLI)', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());

  for (const prefix of ['night\nrun', 'night\rrun']) {
    it(`--prefix ${JSON.stringify(prefix)}: the output reads back with the input's columns and the five new ones`, async () => {
      const input = path.join(dir, 'in.csv');
      writeFileSync(input, 'id,review\n1,a great little kettle\n2,"broken, and the lid is awful"\n');
      const output = path.join(dir, `out-${prefix.length}-${prefix.charCodeAt(5)}.csv`);
      const run = await runCli(['score', input, '--text-column', 'review', '--backend', 'embedded', '-o', output, '--prefix', prefix, '--log-level', 'warn']);
      expect(run.code, run.stderr).toBe(0);
      const [header, ...rows] = parse(readFileSync(output)) as string[][];
      expect(header).toEqual(['id', 'review', ...['label', 'positive', 'negative', 'truncated', 'error'].map((suffix) => `${prefix}_${suffix}`)]);
      expect(rows.map((row) => [row.length, row[0], row[2]])).toEqual([
        [7, '1', 'POSITIVE'],
        [7, '2', 'NEGATIVE'],
      ]);
    });
  }
});
