/**
 * docs/container.md's one-file-per-night script, run as written (test/support/nightly-script.ts), on the embedded
 * backend: each night's line says what its --summary-json says of the output (complete, unfinished), a night its second
 * rerun leaves unfinished is run no more, which the script must say on stderr, and its exit code stays tonight's. Nights
 * with failed rows: test/nightly-script-failed-rows.test.ts.
 */
import { mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';
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

  // Run again for nights already finished (by hand after cron's run, or cron's reruns of the two nights before), the
  // script scored them again: `Already done`, nothing rescored, but each night's report rewritten (its "generated" time
  // and status moved to already-done) and its summary too, every night for two nights after. Left as they are now.
  it('leaves a finished night untouched on a rerun (output, summary, report), and runs one whose export came again', async () => {
    const { dir, cleanup } = tempDir();
    try {
      mkdirSync(path.join(dir, 'in'));
      mkdirSync(path.join(dir, 'out'));
      writeFileSync(path.join(dir, 'in', `reviews-${day(1)}.csv`), csv(['a lovely stay', 'rude staff and a dirty room']));
      writeFileSync(path.join(dir, 'in', `reviews-${day(0)}.csv`), csv(['kind staff', 'a cold room']));
      // Last night's, finished: scored as the script scores it (its flags), the night before this one.
      const out = (ago: number, what: string) => `out/reviews-${day(ago)}.${what}`;
      const flags = (ago: number) => ['--text-column', 'review', '--cache', 'cache', '-o', out(ago, 'scored.csv'), '--summary-json', out(ago, 'summary.json'), '--report', out(ago, 'report.html')];
      expect((await runCli(['score', `in/reviews-${day(1)}.csv`, ...flags(1)], { cwd: dir })).code).toBe(0);
      const files = (ago: number) => ['scored.csv', 'scored.csv.checkpoint.json', 'summary.json', 'report.html'].map((what) => path.join(dir, out(ago, what)));
      const state = (ago: number) => files(ago).map((file) => ({ file, bytes: readFileSync(file, 'utf8'), mtimeMs: statSync(file).mtimeMs }));
      const lastNight = state(1);
      // A second later, the report's and the summary's times would differ even within the minute.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const unchanged = (ago: number) => `${day(ago)} is complete already: not run again (its output, summary and report are left as they are)`;
      const first = await runScript(dir);
      expect(scriptLines(first.stdout, [day(1), day(0)])).toEqual([unchanged(1), `${day(0)} exited 0: complete`]);
      expect(state(1)).toEqual(lastNight);
      const tonight = state(0);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const again = await runScript(dir);
      expect(scriptLines(again.stdout, [day(1), day(0)])).toEqual([unchanged(1), unchanged(0)]);
      expect(again.status).toBe(0);
      expect(state(0)).toEqual(tonight);
      expect(state(1)).toEqual(lastNight);
      // Tonight's export delivered again (a corrected file): that night is run, and its new rows scored.
      writeFileSync(path.join(dir, 'in', `reviews-${day(0)}.csv`), csv(['kind staff', 'a cold room', 'a great view']));
      const later = new Date(Date.now() + 5_000);
      utimesSync(path.join(dir, 'in', `reviews-${day(0)}.csv`), later, later);
      const redelivered = await runScript(dir);
      expect(scriptLines(redelivered.stdout, [day(0)])).toEqual([`${day(0)} exited 0: complete`]);
      expect(readFileSync(files(0)[0]!, 'utf8')).toContain('a great view');
    } finally {
      cleanup();
    }
  });

  // `cp -p` or `rsync -t` keep the export's time at the source's, from before the night's summary: "not newer than its
  // summary" took a corrected export delivered that way for the night already scored, and left its new rows unscored.
  it('runs a finished night whose export came again with an older time (cp -p, rsync -t)', async () => {
    const { dir, cleanup } = tempDir();
    try {
      mkdirSync(path.join(dir, 'in'));
      mkdirSync(path.join(dir, 'out'));
      const input = path.join(dir, 'in', `reviews-${day(0)}.csv`);
      writeFileSync(input, csv(['kind staff', 'a cold room']));
      const first = await runScript(dir);
      expect(scriptLines(first.stdout, [day(0)])).toEqual([`${day(0)} exited 0: complete`]);
      writeFileSync(input, csv(['kind staff', 'a cold room', 'a great view']));
      const atSource = new Date(Date.now() - 3_600_000);
      utimesSync(input, atSource, atSource);
      const redelivered = await runScript(dir);
      expect(scriptLines(redelivered.stdout, [day(0)])).toEqual([`${day(0)} exited 0: complete`]);
      expect(readFileSync(path.join(dir, 'out', `reviews-${day(0)}.scored.csv`), 'utf8')).toContain('a great view');
    } finally {
      cleanup();
    }
  });
});
