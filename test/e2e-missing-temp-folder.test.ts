import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { expectCleanError, useTempDir } from './support/e2e-dir.js';

const REVIEWS = 'id,review\n1,great phone\n2,"awful, broke in a week"\n';

/**
 * TMPDIR naming a folder that does not exist (a typo, a container's folder not mounted): `score - -o -` and
 * `estimate -`, which copy standard input there, said `mkdtemp /nonexistent/t/sentiment-batch-stdin-… failed: no such
 * file or directory (ENOENT); check that path and the machine`, naming neither TMPDIR nor what to do.
 */
describe('a temp folder (TMPDIR) that does not exist', () => {
  const { path: inDir } = useTempDir();

  it('score - -o - and estimate -: exit 74, one line naming TMPDIR and what to do', async () => {
    const missing = inDir('no-such-folder');
    const env = { TMPDIR: missing };
    const score = await runCli(['score', '-', '--format', 'csv', '--text-column', 'review', '-o', '-'], { env, input: REVIEWS });
    const estimate = await runCli(['estimate', '-', '--format', 'csv', '--text-column', 'review'], { env, input: REVIEWS });
    const line = (instead: string) =>
      `sentiment-batch: TMPDIR=${missing}: the temp folder ${missing} does not exist, so standard input cannot be copied there: create it or point TMPDIR at a folder that exists, then run the same command again, or name the input's file instead of - (${instead})\n`;
    for (const ended of [score, estimate]) {
      expectCleanError(ended.stderr);
      expect(ended.code).toBe(74);
    }
    expect(score.stderr.split('\n').filter((l) => l.startsWith('sentiment-batch:')).join('\n') + '\n').toBe(line('a file is read where it is, with no copy'));
    expect(estimate.stderr).toBe(line('estimate then writes nothing'));
    expect(score.stdout).toBe('');
  });
});
