/**
 * docs/container.md's one-file-per-night script, run as written (test/support/nightly-script.ts), on the embedded
 * backend: each night's line says what its --summary-json says of the output (complete, unfinished), a night its second
 * rerun leaves unfinished is run no more, which the script must say on stderr, and its exit code stays tonight's. Nights
 * with failed rows: test/nightly-script-failed-rows.test.ts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './support/cli.js';
import { csv, day, runScript, scriptLines } from './support/nightly-script.js';

describe("docs/container.md's nightly script", () => {
  it('says on stderr which night it gives up on after its second rerun, and exits with tonight\'s code', async () => {
    const { dir, cleanup } = tempDir();
    try {
      mkdirSync(path.join(dir, 'in'));
      mkdirSync(path.join(dir, 'out'));
      writeFileSync(path.join(dir, 'in', `reviews-${day(0)}.csv`), csv(['a lovely stay', 'rude staff and a dirty room']));
      // The two nights before left a checkpoint and their exports are gone: their reruns fail (exit 3). Only two nights
      // ago's was its second, the last: last night's is run again tomorrow, and said nothing of.
      for (const ago of [2, 1]) writeFileSync(path.join(dir, 'out', `reviews-${day(ago)}.scored.csv.checkpoint.json`), '{}');
      const run = await runScript(dir);
      const missing = (ago: number) => `unfinished: cannot open input file 'in/reviews-${day(ago)}.csv': no such file or directory (ENOENT): check the path`;
      expect(scriptLines(run.stdout, [day(2), day(1), day(0)])).toEqual([
        `${day(2)} exited 3: ${missing(2)}`,
        `${day(1)} exited 3: ${missing(1)}`,
        `${day(0)} exited 0: complete`,
      ]);
      expect(scriptLines(run.stderr, [day(2), day(1), day(0)])).toEqual([`${day(2)} is still unfinished after its second rerun and is not run again: out/reviews-${day(2)}.scored.csv`]);
      expect(run.status).toBe(0);
    } finally {
      cleanup();
    }
  });
});
