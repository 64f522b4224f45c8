import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import { readScoredRows } from '../src/report/scored-rows.js';

const options = { format: undefined, delimiter: undefined, text: 'text', prefix: 'sentiment', by: undefined, date: undefined, rating: undefined };
const HEADER = 'id,text,sentiment_label,sentiment_positive,sentiment_negative,sentiment_truncated,sentiment_error\n';

async function readAll(file: string): Promise<unknown> {
  try {
    for await (const _row of readScoredRows(file, options)) {
      // read through
    }
    return undefined;
  } catch (error) {
    return error;
  }
}

// `report out.scored.csv` while the first run of the job still wrote it, or after that run was stopped: score writes
// `out.scored.csv.partial` and renames it only once complete, so the report said "cannot open input file …: no such
// file or directory (ENOENT): check the path", sending the user looking for a typo beside the run's own files.
describe('report of an output whose run has not completed', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('says the run has not completed, names the files beside it and how to see the rows written so far', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sb-unfinished-'));
    const out = path.join(dir, 'out.scored.csv');
    writeFileSync(`${out}.partial`, `${HEADER}1,good,POSITIVE,0.9,0.1,false,\n`);
    writeFileSync(`${out}.checkpoint.json`, '{}');
    const error = await readAll(out);
    expect(error).toBeInstanceOf(InputError);
    const message = (error as Error).message;
    expect(message).toContain(`${out} does not exist yet: the run writing it has not completed`);
    expect(message).toContain(`${out}.partial`);
    expect(message).toContain(`${out}.checkpoint.json`);
    expect(message).toContain(`sentiment-batch report ${out}.partial --input-format csv`);
    expect(message).not.toContain('check the path');
  });

  it('a partial output of a gzip output gets no advice to read it under a name without .gz', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sb-unfinished-'));
    const out = path.join(dir, 'out.scored.jsonl.gz');
    writeFileSync(`${out}.partial`, '');
    const message = ((await readAll(out)) as Error).message;
    expect(message).toContain(`${out} does not exist yet: the run writing it has not completed (${out}.partial is beside it)`);
    expect(message).not.toContain('--input-format');
  });

  it('a checkpoint alone is what a completed run leaves once its output is moved away: the plain message', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sb-unfinished-'));
    const out = path.join(dir, 'out.scored.csv');
    writeFileSync(`${out}.checkpoint.json`, '{}');
    const message = ((await readAll(out)) as Error).message;
    expect(message).toContain('no such file or directory');
  });

  it('a missing file with nothing of a run beside it keeps the plain message', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sb-unfinished-'));
    const message = ((await readAll(path.join(dir, 'typo.scored.csv'))) as Error).message;
    expect(message).toContain('no such file or directory');
  });
});
