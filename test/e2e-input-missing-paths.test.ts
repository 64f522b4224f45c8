import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';

/**
 * An input that is not there, named with no -o (the output, or the report, then goes beside it): its path passes
 * through a file (`in.csv/x.csv`) or a folder that does not exist (a typo). The default output's folder was checked
 * first, so the line was about a flag nobody gave (`-o in.csv/x.scored.csv: … in.csv is a file, not a folder; choose
 * another -o`, exit 2), and `report typo/out.scored.csv` made the folder `typo` before saying the file was not there.
 * With -o given, the same input was already its own line, exit 3.
 */
/** How the line names an input that a job file's "input" gave. */
const FROM_JOB = (jobFile: string) => `(the "input" of job file ${jobFile}, a relative path there read from that file's folder)`;

describe('an input that is not there, with the output beside it by default', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
    writeFileSync(path.join(dir, 'in.csv'), 'id,text\n1,good\n');
  });
  afterAll(() => cleanup());
  const oneLine = (stderr: string) => stderr.trim().split('\n');

  it('score and run: the input\'s line, exit 3, not the default -o\'s (exit 2)', async () => {
    const score = await runCli(['score', 'in.csv/x.csv'], { cwd: dir });
    expect(score.code).toBe(3);
    expect(oneLine(score.stderr)).toEqual(["sentiment-batch: cannot open input file 'in.csv/x.csv': a part of the path is a file, not a folder (ENOTDIR): check the path"]);
    writeFileSync(path.join(dir, 'job.json'), JSON.stringify({ input: 'in.csv/x.csv' }));
    const run = await runCli(['run', 'job.json'], { cwd: dir });
    expect(run.code).toBe(3);
    expect(oneLine(run.stderr)).toEqual([`sentiment-batch: cannot open input file '${path.join(dir, 'in.csv/x.csv')}' ${FROM_JOB('job.json')}: a part of the path is a file, not a folder (ENOTDIR): check the path`]);
  });

  // A job file's input that is not there was named by its resolved path alone: nothing said it came from the job
  // file's "input" key, nor that a relative one there is read from the job file's folder (not the working folder).
  it('run and estimate on a job file: the line names the job file\'s "input" key', async () => {
    mkdirSync(path.join(dir, 'jobs'), { recursive: true });
    writeFileSync(path.join(dir, 'jobs', 'nightly.json'), JSON.stringify({ input: 'in.csv', backend: 'embedded' }));
    const missing = path.join(dir, 'jobs', 'in.csv');
    const expected = [`sentiment-batch: cannot open input file '${missing}' ${FROM_JOB('jobs/nightly.json')}: no such file or directory (ENOENT): check the path`];
    const run = await runCli(['run', 'jobs/nightly.json'], { cwd: dir });
    expect(run.code).toBe(3);
    expect(oneLine(run.stderr)).toEqual(expected);
    const estimate = await runCli(['estimate', 'jobs/nightly.json'], { cwd: dir });
    expect(estimate.code).toBe(3);
    expect(oneLine(estimate.stderr)).toEqual(expected);
    // Given on the command line, the path is the user's own: no job file is named.
    const score = await runCli(['score', 'jobs/in.csv', '--backend', 'embedded'], { cwd: dir });
    expect(oneLine(score.stderr)).toEqual(["sentiment-batch: cannot open input file 'jobs/in.csv': no such file or directory (ENOENT): check the path"]);
  });

  // jobs/docker-nightly.json run outside its container: its "input" is absolute (/data/in/reviews.csv), and the line
  // called it "a relative path there read from that file's folder".
  it('run on a job file whose "input" is absolute: the line names the key, and calls the path no relative one', async () => {
    const missing = path.join(dir, 'nowhere', 'reviews.csv');
    writeFileSync(path.join(dir, 'absolute.json'), JSON.stringify({ input: missing, backend: 'embedded' }));
    const run = await runCli(['run', 'absolute.json'], { cwd: dir });
    expect(run.code).toBe(3);
    expect(oneLine(run.stderr)).toEqual([`sentiment-batch: cannot open input file '${missing}' (the "input" of job file absolute.json): no such file or directory (ENOENT): check the path`]);
  });

  it('report: the scored file\'s line, exit 3, and no folder made for the report', async () => {
    const through = await runCli(['report', 'in.csv/x.scored.csv'], { cwd: dir });
    expect(through.code).toBe(3);
    expect(oneLine(through.stderr)).toEqual(["sentiment-batch: cannot open input file 'in.csv/x.scored.csv': a part of the path is a file, not a folder (ENOTDIR): check the path"]);
    const typo = await runCli(['report', 'typo/out.scored.csv'], { cwd: dir });
    expect(typo.code).toBe(3);
    expect(oneLine(typo.stderr)).toEqual(["sentiment-batch: cannot open input file 'typo/out.scored.csv': no such file or directory (ENOENT): check the path"]);
    expect(existsSync(path.join(dir, 'typo'))).toBe(false);
  });
});
