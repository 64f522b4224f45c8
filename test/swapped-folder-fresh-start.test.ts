import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ExitCode, SentimentBatchError } from '../src/errors.js';
import { OutputFile } from '../src/io/output-file.js';
import { runJob } from '../src/job/run.js';
import { StopController } from '../src/job/stop.js';
import { quiet, remoteScorer, remoteSettings } from './support/counting-remote.js';
import { useTempDir } from './support/e2e-dir.js';

/**
 * A fresh run paused (SIGSTOP) just after it made its partial output, its folder swapped meanwhile (`mv out out.old &&
 * mkdir out`) and another run of the same job started in the new one: continued, it saved its first checkpoint, made
 * its failed-rows list and opened its answer journal by path, in the new folder, over that run's files. The journal
 * has the same key there (same input, same settings): it replayed the other run's answers, renamed a file of its own
 * over that run's journal (whose appends then went to a file no longer at its path) and appended to it (review73's
 * follow-up: seen once as a checkpoint saying `journaledAnswers: 0` after the swap).
 */
describe('the output folder swapped between the partial output made and the journal opened', () => {
  const dir = useTempDir();
  afterEach(() => vi.restoreAllMocks());

  // `at`: where the pause (and the swap) comes: once the partial output is made (the case seen failing), or at the look at
  // the partial output that comes next once the file named is made, before the one after it is (`undefined`: the first look).
  const made = { checkpoint: undefined, journal: 'out.csv.checkpoint.json', 'failed-rows list': 'out.csv.journal' } as const;
  const notYet = { checkpoint: 'out.csv.checkpoint.json', journal: 'out.csv.journal', 'failed-rows list': 'out.csv.failed-rows' } as const;
  it.each([['the partial output made', 'create'], ['the first checkpoint', 'checkpoint'], ["the journal's open", 'journal'], ["the failed-rows list's open", 'failed-rows list']] as const)(
    "swapped at %s: the other run's checkpoint, journal and failed-rows list are left alone, and the run ends with the lost lock's line (75)",
    async (_when, at) => {
      const input = dir.path('in.csv');
      writeFileSync(input, `id,text\n${Array.from({ length: 30 }, (_, i) => `${i},review ${i} was good and then it was not`).join('\n')}\n`);
      const settings = (output: string) => remoteSettings(input, output);

      // The other run's files, as a run of the same job paused after 12 answers leaves them (its journal under the same key).
      const other = dir.path('other');
      mkdirSync(other);
      const otherStop = new StopController();
      const paused = await runJob(settings(path.join(other, 'out.csv')), {
        log: quiet(),
        stop: otherStop,
        createScorer: () => remoteScorer(() => false, { count: 0 }, (n) => n === 12 && otherStop.request({ kind: 'interrupt', signal: 'SIGTERM' })),
      });
      expect(paused.exitCode).toBe(ExitCode.Interrupted);
      const names = ['out.csv.checkpoint.json', 'out.csv.journal', 'out.csv.failed-rows', 'out.csv.partial'];
      expect(readdirSync(other)).toEqual(expect.arrayContaining(names));

      const folder = dir.path('out');
      mkdirSync(folder);
      const output = path.join(folder, 'out.csv');
      const filesThere = () => Object.fromEntries(names.map((name) => [name, { bytes: readFileSync(path.join(folder, name), 'utf8'), ino: statSync(path.join(folder, name)).ino }]));
      let before: ReturnType<typeof filesThere> | undefined;
      // The folder swapped and the other run's files and lock put in the new one.
      const swap = () => {
        renameSync(folder, `${folder}.old`);
        mkdirSync(folder);
        for (const name of names) copyFileSync(path.join(other, name), path.join(folder, name));
        mkdirSync(`${output}.lock`);
        writeFileSync(path.join(`${output}.lock`, 'owner.json'), JSON.stringify({ tool: 'sentiment-batch', host: hostname(), pid: process.pid + 1, since: new Date().toISOString() }));
        before = filesThere();
      };
      if (at === 'create') {
        const create = OutputFile.create.bind(OutputFile);
        vi.spyOn(OutputFile, 'create').mockImplementation(async (file: string) => {
          const made = await create(file);
          swap();
          return made;
        });
      } else {
        const check = OutputFile.prototype.removed;
        const there = (name: string | undefined) => name === undefined || existsSync(path.join(folder, name));
        vi.spyOn(OutputFile.prototype, 'removed').mockImplementation(async function (this: OutputFile) {
          if (before === undefined && there(made[at]) && !there(notYet[at])) swap();
          return check.call(this);
        });
      }
      const sent = { count: 0 };
      const refused = await runJob(settings(output), { log: quiet(), stop: new StopController(), createScorer: () => remoteScorer(() => false, sent) }).catch((error: unknown) => error);
      expect(before).toBeDefined();
      expect(filesThere()).toEqual(before);
      expect(refused).toBeInstanceOf(SentimentBatchError);
      expect([(refused as SentimentBatchError).exitCode, (refused as Error).message]).toEqual([
        ExitCode.Paused,
        `lost the lock ${output}.lock (another run's lock is there now: host ${hostname()}, pid ${process.pid + 1}); another run may be writing this output, stopping at once`,
      ]);
      // Nothing was sent for a run that could keep none of it.
      expect(sent.count).toBe(0);
    },
  );
});
