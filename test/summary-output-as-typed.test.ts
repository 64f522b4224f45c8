import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';

/**
 * The summary's first line named the output by its absolute path (`Done: /home/me/jobs/out.csv`) while the `Report:`
 * line below it named the report as typed (`Report: out.html`): both are named as the user gave them now, as the
 * messages of score and estimate name the input. An absolute path given stays absolute (test/e2e-mend.test.ts and
 * others check those).
 */
describe('the summary names the output as it was typed, as the Report: line does', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
    writeFileSync(path.join(dir, 'in.csv'), 'id,review\n1,great stuff\n2,awful thing\n');
  });
  afterAll(() => cleanup());

  const score = (...extra: string[]) => runCli(['score', 'in.csv', '--text-column', 'review', '--backend', 'embedded', ...extra], { cwd: dir });

  it('-o and --report relative: Done: and Report: as typed, and so for the rerun that finds it done', async () => {
    const done = await score('-o', './out.csv', '--report', 'out.html');
    expect(done.code).toBe(0);
    expect(done.stdout.split('\n')[0]).toBe('Done: ./out.csv');
    expect(done.stdout).toContain('\nReport: out.html (positive ');
    const again = await score('-o', './out.csv');
    expect(again.stdout.split('\n')[0]).toBe('Already done (nothing to do): ./out.csv');
  });

  it('the default output, beside the input as typed', async () => {
    const done = await score();
    expect(done.code).toBe(0);
    expect(done.stdout.split('\n')[0]).toBe('Done: in.scored.csv');
  });
});
