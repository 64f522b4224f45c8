import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli, tempDir } from './support/cli.js';

/**
 * A file name may hold a line break or any control character but `/` and NUL. The lines naming files on standard
 * output (the summary's `Done: …`, the `Report: …` line) show such a name escaped, as the closing error line does
 * (wording/one-line.ts): printed as it was, `Done: /tmp/a` and `b.scored.csv` were two lines, the second read as a
 * line of the summary by whatever parsed it.
 */
describe('file names with control characters in the lines that name them (built CLI, embedded model)', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('the summary and the report lines show a line break or an escape in a name escaped, each on one line', async () => {
    const input = path.join(dir, 'a\nb.csv');
    copyFileSync(path.join(REPO_ROOT, 'fixtures/reviews.csv'), input);
    const report = path.join(dir, 'r\u001b[31m.html');
    const scored = await runCli(['score', input, '--text-column', 'review', '--report', report, '--log-level', 'warn']);
    expect(scored.code).toBe(0);
    const lines = scored.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`Done: ${dir}/a\\nb.scored.csv`);
    expect(lines[1]).toBe('  rows 30: scored 28, skipped 2, failed 0');
    expect(lines.find((line) => line.startsWith('Report: '))).toMatch(new RegExp(`^Report: ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/r\\\\u001b\\[31m\\.html \\(positive `));
    expect(scored.stdout).not.toContain('\u001b');

    const again = await runCli(['report', path.join(dir, 'a\nb.scored.csv'), '--text-column', 'review', '-o', path.join(dir, 'again\n.html')]);
    expect(again.code).toBe(0);
    expect(again.stdout.split('\n')[0]).toBe(`Report: ${dir}/again\\n.html`);
  });
});
