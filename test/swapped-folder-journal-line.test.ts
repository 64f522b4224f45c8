import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ExitCode, MachineFaultError } from '../src/errors.js';
import { OutputFile } from '../src/io/output-file.js';
import { runJob } from '../src/job/run.js';
import { swappedFolderLine } from '../src/state/swapped-folder.js';
import { StopController } from '../src/job/stop.js';
import { quiet, remoteScorer, remoteSettings } from './support/counting-remote.js';
import { useTempDir } from './support/e2e-dir.js';

/**
 * The output's folder swapped for an empty one (`mv out out.old && mkdir out`, a mount lazily unmounted) between the
 * run's look at its journal and its look at the partial output, as a loaded machine spaces them: the partial output was
 * found replaced, and its line still said "the answers this run received are kept in …/out.csv.journal, so they are not
 * sent again", of a journal that went with the old folder, beside a summary counting them kept nowhere (1 of 25 runs of
 * test/e2e-folder-removed-line.test.ts at load 16-30).
 */
describe('the output folder swapped for an empty one just before the partial output is checked', () => {
  const dir = useTempDir();
  afterEach(() => vi.restoreAllMocks());

  it('the line does not name the journal that went with the old folder', async () => {
    const input = dir.path('in.csv');
    writeFileSync(input, `id,text\n${Array.from({ length: 20 }, (_, i) => `${i},review ${i} was good and then it was not`).join('\n')}\n`);
    const folder = dir.path('out');
    mkdirSync(folder);
    const output = path.join(folder, 'out.csv');
    // The swap comes at the check itself, once answers are in the journal: after the journal was looked at (if it was already).
    const check = OutputFile.prototype.removed;
    vi.spyOn(OutputFile.prototype, 'removed').mockImplementation(async function (this: OutputFile) {
      if (existsSync(`${output}.journal`) && !existsSync(`${folder}.old`)) {
        renameSync(folder, `${folder}.old`);
        mkdirSync(folder);
      }
      return check.call(this);
    });
    const refused = await runJob(remoteSettings(input, output), { log: quiet(), stop: new StopController(), createScorer: () => remoteScorer(() => false, { count: 0 }) }).catch((error: unknown) => error);
    expect(existsSync(`${folder}.old`)).toBe(true);
    expect(refused).toBeInstanceOf(MachineFaultError);
    expect((refused as MachineFaultError).exitCode).toBe(ExitCode.MachineFault);
    // The swapped folder's line, as the heartbeat says it (lowfix82: it said "the partial output … was removed or
    // replaced …: it starts over", which of the two came first a race): it names no journal either.
    expect((refused as Error).message).toBe(swappedFolderLine(folder));
    expect((refused as Error).message).not.toMatch(/journal/);
  });
});
