import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRunContext } from '../src/report/run-info.js';
import { REPO_ROOT, runCli, tempDir } from './support/cli.js';

// `score in.csv -o a1.csv --summary-json a1.summary.json` is the natural pair of names when the output is not
// `<name>.scored.<ext>`; `report a1.csv` looked only for a1.csv.summary.json (and for <name>.summary.json beside
// <name>.scored.<ext>), took the checkpoint instead and put "duration not recorded" on the page, with the summary
// that has the duration lying beside the file.
describe('report finds <name>.summary.json beside <name>.<ext>', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
    copyFileSync(path.join(REPO_ROOT, 'fixtures/reviews.csv'), path.join(dir, 'in.csv'));
  });
  afterAll(() => cleanup());

  it('uses it when it names that file, with the run duration', async () => {
    const run = await runCli(['score', 'in.csv', '--text-column', 'review', '--backend', 'embedded', '-o', 'a1.csv', '--summary-json', 'a1.summary.json'], { cwd: dir });
    expect(run.code).toBe(0);
    const context = await findRunContext(path.join(dir, 'a1.csv'));
    expect(context.run?.source).toBe(path.join(dir, 'a1.summary.json'));
    expect(context.run?.durationSeconds).toEqual(expect.any(Number));
  });

  it('leaves it aside when it is the summary of another file', async () => {
    const run = await runCli(['score', 'in.csv', '--text-column', 'review', '--backend', 'embedded', '-o', 'b1.csv', '--summary-json', 'c1.summary.json'], { cwd: dir });
    expect(run.code).toBe(0);
    copyFileSync(path.join(dir, 'b1.csv'), path.join(dir, 'c1.csv'));
    const context = await findRunContext(path.join(dir, 'c1.csv'));
    expect(context.run?.source).not.toBe(path.join(dir, 'c1.summary.json'));
  });
});
