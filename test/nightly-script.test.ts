/**
 * docs/container.md's one-file-per-night script, run as written (its folder and the CLI's path moved here), on the
 * embedded backend: a night whose second rerun still fails is run no more, which the script must say on stderr, while
 * its exit code stays tonight's.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, REPO_ROOT, tempDir } from './support/cli.js';

/** The script's text from the docs, with /srv/reviews and /opt/sentiment-batch's CLI replaced. */
function nightlyScript(dir: string): string {
  const doc = readFileSync(path.join(REPO_ROOT, 'docs/container.md'), 'utf8');
  const script = doc.match(/```sh\n(#!\/bin\/sh\n# \/srv\/reviews\/nightly\.sh[^]*?)```/)?.[1];
  if (script === undefined) throw new Error('no nightly.sh in docs/container.md');
  return script.replace('cd /srv/reviews', `cd '${dir}'`).replace('/opt/sentiment-batch/dist/bin/cli.js', CLI);
}

/** The UTC date `ago` days back, as the script's `date -u -d "N days ago" +%F` gives it (a run across midnight could differ). */
const day = (ago: number): string => new Date(Date.now() - ago * 86_400_000).toISOString().slice(0, 10);

describe("docs/container.md's nightly script", () => {
  it('says on stderr which night it gives up on after its second rerun, and exits with tonight\'s code', () => {
    const { dir, cleanup } = tempDir();
    try {
      mkdirSync(path.join(dir, 'in'));
      mkdirSync(path.join(dir, 'out'));
      const csv = 'id,review\n1,a lovely stay\n2,rude staff and a dirty room\n';
      writeFileSync(path.join(dir, 'in', `reviews-${day(0)}.csv`), csv);
      // The two nights before left a checkpoint and their exports are gone: their reruns fail (exit 3). Only two nights
      // ago's was its second, the last: last night's is run again tomorrow, and said nothing of.
      for (const ago of [2, 1]) writeFileSync(path.join(dir, 'out', `reviews-${day(ago)}.scored.csv.checkpoint.json`), '{}');
      const file = path.join(dir, 'nightly.sh');
      writeFileSync(file, nightlyScript(dir));
      chmodSync(file, 0o755);
      const run = spawnSync(file, { env: { PATH: '/usr/local/bin:/usr/bin:/bin' }, encoding: 'utf8' });
      expect(run.stdout).toContain(`${day(2)} exited 3`);
      expect(run.stdout).toContain(`${day(1)} exited 3`);
      expect(run.stdout).toContain(`${day(0)} exited 0`);
      const said = run.stderr.split('\n').filter((line) => line.includes('is not run again'));
      expect(said).toEqual([expect.stringMatching(new RegExp(`^\\S+Z ${day(2)} still exited 3 on its second rerun and is not run again: out/reviews-${day(2)}\\.scored\\.csv$`))]);
      expect(run.status).toBe(0);
    } finally {
      cleanup();
    }
  });
});
