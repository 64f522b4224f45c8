import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPO_ROOT, logLines, runCli, tempDir } from './support/cli.js';

// The README's example job, run as the README says with no credentials (the embedded model), warned on every run:
// `"rpm", "concurrency", "maxAttempts" in job file jobs/nightly-reviews.json are ignored: they apply to Workers AI only`.
// A new user's first scheduled run warned about the project's own example; an alert on warn lines would fire nightly.
describe('the README\'s example job file on the embedded model', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    // Laid out as in the repository: the job file's paths are relative to its folder.
    mkdirSync(path.join(dir, 'jobs'));
    mkdirSync(path.join(dir, 'fixtures'));
    copyFileSync(path.join(REPO_ROOT, 'jobs/nightly-reviews.json'), path.join(dir, 'jobs/nightly-reviews.json'));
    copyFileSync(path.join(REPO_ROOT, 'fixtures/reviews.csv'), path.join(dir, 'fixtures/reviews.csv'));
  });
  afterEach(() => cleanup());

  it('logs no warning: the Workers AI keys it does not use are said at info level; a flag typed beside it still warns', async () => {
    const r = await runCli(['run', 'jobs/nightly-reviews.json'], { cwd: dir });
    expect(r.code).toBe(0);
    const lines = logLines(r.stderr);
    expect(lines.filter((line) => (line.level as number) >= 40)).toEqual([]);
    expect(lines).toContainEqual(expect.objectContaining({ level: 30, msg: expect.stringMatching(/^"rpm", "concurrency", "maxAttempts" in job file jobs\/nightly-reviews\.json are ignored: they apply to Workers AI only$/) }));

    const typed = await runCli(['run', 'jobs/nightly-reviews.json', '--timeout', '5s', '--restart'], { cwd: dir });
    expect(typed.code).toBe(0);
    expect(logLines(typed.stderr).filter((line) => (line.level as number) >= 40).map((line) => line.msg)).toEqual(['--timeout is ignored: it applies to Workers AI only']);
  });
});
