import { cpSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExitCode, MachineFaultError } from '../src/errors.js';
import type { Outcome } from '../src/io/record.js';
import { KeptAnswers, keepJournalAnswers } from '../src/job/kept-answers.js';
import { encodeEntry, encodeHeader } from '../src/journal/journal-format.js';
import { toScores } from '../src/scoring/scorer.js';
import { ResultCache } from '../src/state/cache.js';
import { DEFAULT_MIN_FREE_BYTES, freeBytes } from '../src/state/cache-space.js';
import { captureLog } from './support/capture-log.js';
import { tempDir } from './support/cli.js';
import { canMount, useTmpfsMounts } from './support/mount.js';
import { writePartialOutput } from './support/partial-output.js';

const MOUNT = canMount();
const MODEL = 'm';

/** Warnings a call logged (the logger's lines, parsed). */
function capturingLogger(): { log: ReturnType<typeof captureLog>['log']; warnings: () => string[] } {
  const { log, lines } = captureLog('info');
  return { log, warnings: () => lines().filter((line) => line.level === 40).map((line) => line.msg) };
}

/**
 * `<output>.answers` on a disk with less free than the store's 16 MiB reserve (cache-space.ts). The import refuses to
 * start over there (exit 74: the answers paid for are kept, not dropped); the run that reads the store must not drop
 * them either. Measured against serve: a tmpfs of 16,700 KiB, 27 journal answers imported, then the same run warned
 * `cannot be read (… 16.0 MiB free, it needs 16.0 MiB): free some space, or choose another folder for the answer store,
 * or run without the answer store): their texts are sent again`, and paid for the 27 again, exit 0.
 */
describe.skipIf(!MOUNT)('the answer store on a disk under its reserve', () => {
  const { dir, cleanup } = tempDir('sb-kept-low-space-');
  afterAll(() => cleanup());
  const mount = useTmpfsMounts(() => dir);

  it('a store kept before is not given up for a full disk: exit 74 naming the store and the remedy, nothing sent', async () => {
    const made = path.join(dir, 'made.answers');
    const cache = ResultCache.open(made);
    cache.put(MODEL, 'a text paid for', toScores(0.8, 0.2));
    await cache.flush();
    await cache.close();
    const small = mount('small-store', '8m');
    const store = path.join(small, 'out.csv.answers');
    cpSync(made, store, { recursive: true });
    const { log, warnings } = capturingLogger();
    const opened = KeptAnswers.open(store, false, log, MODEL, path.join(small, 'out.csv'));
    await expect(opened).rejects.toBeInstanceOf(MachineFaultError);
    const error = (await opened.catch((caught: unknown) => caught)) as MachineFaultError;
    expect(error.exitCode).toBe(ExitCode.MachineFault);
    expect(error.message).toMatch(/^the answers kept of a job started over in .*out\.csv\.answers cannot be read \(no space left on the device: .* free on its disk, and the store needs 16\.0 MiB free to be opened\): nothing was sent; free some space on its disk, then run the same command again \(the answers kept there are not paid for again\)$/);
    // The advice the --cache flag has no sense for this store, which no flag names.
    expect(error.message).not.toMatch(/choose another folder|run without the answer store/);
    expect(warnings()).toEqual([]);
  });

  /**
   * A completed job at `small`/out.csv whose journal holds `answers` answers (a mend's that stopped), and the import a
   * new export's start-over makes of them; `before` runs once the job's files are written, before the import.
   */
  function journalOnlyImport(small: string, answers: number, before: () => void = () => undefined) {
    const outputPath = path.join(small, 'out.csv');
    const scored = (positive: number): Outcome => ({ kind: 'scored', label: positive >= 0.5 ? 'POSITIVE' : 'NEGATIVE', positive, negative: 1 - positive, truncated: false });
    const written = writePartialOutput(outputPath, 'csv', [scored(0.9), scored(0.2)]);
    const checkpoint = { ...written.checkpoint, completed: true };
    const entries = Array.from({ length: answers }, (_, i) => encodeEntry(`mended text ${i}`, i, { kind: 'scored', scores: toScores(0.8, 0.2) }));
    writeFileSync(`${outputPath}.journal`, encodeHeader({ settingsHash: checkpoint.settingsHash, identity: checkpoint.input.identity }) + entries.join(''));
    before();
    const storePath = `${outputPath}.answers`;
    const window = { fitToWindow: (text: string) => ({ text, truncated: false, tokens: text.length }) };
    const kept = keepJournalAnswers({ checkpoint, partialPath: `${outputPath}.partial`, outputPath, journalPath: `${outputPath}.journal`, storePath, modelKey: MODEL, window });
    return { outputPath, storePath, kept };
  }

  it("the journal-only import of a completed job names the journal's answers, not its output's", async () => {
    const { outputPath, storePath, kept } = journalOnlyImport(mount('small-import', '8m'), 1);
    const error = (await kept.catch((caught: unknown) => caught)) as MachineFaultError;
    expect(error).toBeInstanceOf(MachineFaultError);
    // It said "the answers of the completed job's output could not be kept", of an import that reads no output.
    expect(error.message).toMatch(new RegExp(`^the answers in the completed job's journal ${outputPath}\\.journal could not be kept in ${storePath} before starting over \\(no space left on the device: .* free on its disk, and the store needs 16\\.0 MiB free to be written\\): nothing was replaced, its journal, output and checkpoint are as they were; free some space on its disk, then run the same command again$`));
  });

  // The disk a little over the reserve when the store is opened, under it once LMDB has made its files: the store's
  // writes stopped at the first put, silently, and the line said the journal's 27 answers "are kept for this job (0 texts
  // in out.csv.answers)" (docaudit13, a 16,700 KiB tmpfs). They were kept nowhere: the import is the exit-74 line.
  it('an import whose writes the reserve stops is the exit-74 line, not "kept (0 texts)"', async () => {
    const small = mount('small-during', '17m');
    // 16 KiB over the reserve: LMDB's lock and data files take more (52 KiB measured), so its first put finds it under.
    const filled = () => writeFileSync(path.join(small, 'filler'), Buffer.alloc(freeBytes(small) - DEFAULT_MIN_FREE_BYTES - 16 * 1024));
    const { outputPath, storePath, kept } = journalOnlyImport(small, 27, filled);
    const error = await kept.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MachineFaultError);
    expect((error as MachineFaultError).message).toMatch(new RegExp(`^the answers in the completed job's journal ${outputPath}\\.journal could not be kept in ${storePath} before starting over \\(no space left on the device: \\d+ KiB free on its disk, and the store needs 16384 KiB free to be written\\): nothing was replaced`));
  });
});
