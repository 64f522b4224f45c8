import { existsSync } from 'node:fs';
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
