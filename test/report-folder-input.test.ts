import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reportRequest } from './support/report-request.js';
import { InputError } from '../src/errors.js';
import { writeReport } from '../src/report/index.js';
import { openInput } from '../src/io/open-input.js';

// `report /data/out`, the folder of a night's outputs, got score's words for a folder given as an export: 'it holds 3
// files that can be scored (…), as a folder of parts (Spark, Hive, Dask) does: score each of them, as its own file',
// which sent the operator to score the outputs again. Found running report over a folder of outputs (one half-written,
// one from an older run, one hand-edited).
describe('report given a folder', () => {
  let dir: string;
  let out: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'sb-report-folder-'));
    out = path.join(dir, 'out');
    mkdirSync(out);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const refusal = async (): Promise<Error> => {
    const error = await writeReport(reportRequest(out, path.join(dir, 'r.json'))).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    return error as Error;
  };

  it('names the scored files in it, to report on each, and leaves out the job files and reports beside them', async () => {
    for (const name of ['a.scored.csv', 'b.scored.csv', 'c.scored.jsonl', 'a.scored.csv.checkpoint.json', 'a.summary.json', 'a.scored.report.json', 'b.scored.csv.partial']) {
      writeFileSync(path.join(out, name), '');
    }
    expect((await refusal()).message).toBe(
      `cannot read scored file '${out}': it is a folder, not a file; it holds 3 scored files (a.scored.csv, b.scored.csv, c.scored.jsonl): ` +
        `make a report of each, as its own file (sentiment-batch report ${path.join(out, 'a.scored.csv')})`,
    );
  });

  it('one scored file: its path', async () => {
    writeFileSync(path.join(out, 'a.scored.csv'), '');
    writeFileSync(path.join(out, 'a.scored.report.json'), '');
    expect((await refusal()).message).toBe(`cannot read scored file '${out}': it is a folder, not a file; it holds one scored file: give its path, ${path.join(out, 'a.scored.csv')}`);
  });

  // score given the same folder named report's JSON (a.scored.report.json) among the files that can be scored, with
  // '(a .json part of JSON Lines with --format jsonl)'.
  it("score given a folder of outputs leaves report's JSON out, as it does the checkpoints and summaries", () => {
    writeFileSync(path.join(out, 'a.scored.csv'), '');
    writeFileSync(path.join(out, 'a.scored.report.json'), '');
    expect(() => openInput(out, { gzip: false })).toThrow(`cannot read input file '${out}': it is a folder, not a file; it holds one file that can be scored: give its path, ${path.join(out, 'a.scored.csv')}`);
  });
});
