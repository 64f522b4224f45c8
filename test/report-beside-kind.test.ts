import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reportRequest } from './support/report-request.js';
import { ConfigError, ExitCode, MachineFaultError } from '../src/errors.js';
import type { Summary } from '../src/job/summary.js';
import { writeReport } from '../src/report/index.js';

const SCORED = 'id,text,sentiment_label,sentiment_positive,sentiment_negative,sentiment_truncated,sentiment_error\n1,good,POSITIVE,0.9,0.1,false,\n2,bad,NEGATIVE,0.2,0.8,false,\n';

/**
 * A folder (or a named pipe) where report reads the run's summary JSON or checkpoint beside the scored file: a folder
 * was taken for no file at all, without a word (the page went out without the run's figures), and a named pipe was
 * opened and waited on for a writer for ever. Now one line naming the path, exit 74, as a summary it may not read.
 */
describe.skipIf(process.platform === 'win32')('report: something other than a file where it reads the summary or checkpoint', () => {
  let dir: string;
  let out: string;
  const pipes: string[] = [];
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'sb-report-beside-kind-'));
    out = path.join(dir, 'reviews.scored.csv');
    writeFileSync(out, SCORED);
  });
  afterEach(() => {
    // A read still waiting on a pipe (the old code) is let go: opening it for writing gives it its end of file.
    for (const pipe of pipes.splice(0)) {
      try {
        closeSync(openSync(pipe, constants.O_WRONLY | constants.O_NONBLOCK));
      } catch {
        // no reader waits on it
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });
  const request = (more = {}) => reportRequest(out, path.join(dir, 'r.json'), more);
  const fault = async (more = {}): Promise<MachineFaultError> => {
    const error: unknown = await writeReport(request(more)).then(() => undefined, (refused: unknown) => refused);
    expect(error).toBeInstanceOf(MachineFaultError);
    expect((error as MachineFaultError).exitCode).toBe(ExitCode.MachineFault);
    return error as MachineFaultError;
  };

  it('a folder at <name>.summary.json or <file>.summary.json: exit 74 naming it, not a page without the run', async () => {
    for (const summary of [path.join(dir, 'reviews.summary.json'), `${out}.summary.json`]) {
      mkdirSync(summary);
      expect((await fault()).message).toBe(
        `the summary JSON ${summary} beside ${out} is a folder, not a file, so the run's figures cannot be read from it: move or remove it, then run the same command again`,
      );
      rmSync(summary, { recursive: true });
    }
    expect((await writeReport(request())).totals.rows).toBe(2);
  });

  it('a named pipe at the summary JSON\'s path: exit 74 at once, not a wait for a writer', async () => {
    const summary = path.join(dir, 'reviews.summary.json');
    execFileSync('mkfifo', [summary]);
    pipes.push(summary);
    expect((await fault()).message).toBe(
      `the summary JSON ${summary} beside ${out} is a named pipe, not a file, so the run's figures cannot be read from it: move or remove it, then run the same command again`,
    );
  });

  it('a folder at the checkpoint\'s path: exit 74 naming it (it was taken for none: the run\'s text column unknown)', async () => {
    const checkpoint = `${out}.checkpoint.json`;
    mkdirSync(checkpoint);
    expect((await fault()).message).toBe(
      `the checkpoint ${checkpoint} beside ${out} is a folder, not a file, so the run's settings and figures cannot be read from it: move or remove it, then run the same command again`,
    );
  });

  it('--summary naming a folder or a named pipe: a usage error naming it (exit 2), at once', async () => {
    const folder = path.join(dir, 'summaries');
    mkdirSync(folder);
    const pipe = path.join(dir, 'pipe.json');
    execFileSync('mkfifo', [pipe]);
    pipes.push(pipe);
    for (const [given, kind] of [[folder, 'a folder'], [pipe, 'a named pipe']]) {
      const refused = writeReport(request({ summaryPath: given }));
      await expect(refused).rejects.toThrow(ConfigError);
      await expect(refused).rejects.toThrow(`--summary ${given} is ${kind}, not a file: give the file --summary-json wrote`);
    }
  });

  // score --report hands the report its own run's summary: one beside the file is never read, and a folder or a named
  // pipe there does not stop the report of a run that completed (it did not, before this refusal was added).
  it('score --report (its run\'s summary given): a folder or a named pipe beside is passed over, never read', async () => {
    mkdirSync(path.join(dir, 'reviews.summary.json'));
    const pipe = `${out}.summary.json`;
    execFileSync('mkfifo', [pipe]);
    pipes.push(pipe);
    const totals = { read: 2, scored: 2, skipped: 0, failed: 0, cached: 0, duplicates: 0, truncated: 0, requests: 2, retries: 0, rateLimited: 0, tokens: 4, neurons: 0.01 };
    const summary = { status: 'done', exitCode: 0, input: path.join(dir, 'in.csv'), output: out, model: 'm', remote: true, totals, estimatedCostUsd: 0, elapsedSeconds: 1 } as unknown as Summary;
    const report = await writeReport(request({ summary }));
    expect(report.totals.rows).toBe(2);
    expect(report.run).toMatchObject({ source: 'this run', requests: 2 });
  });
});
