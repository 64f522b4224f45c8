import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import { readScoredRows } from '../src/report/scored-rows.js';

// A CSV scored with --prefix s2, reported without its checkpoint: "this is not a scored file: it has no column
// 'sentiment_label' (columns: id, text, s2_label, …); score it first, or give --prefix", where a JSONL file scored the
// same way gets "did you mean --prefix s2?".
async function refusalOf(file: string): Promise<unknown> {
  try {
    for await (const _row of readScoredRows(file, { format: undefined, delimiter: undefined, text: 'text', prefix: 'sentiment', by: undefined, date: undefined, rating: undefined })) {
      // read through
    }
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('report of a CSV scored with another --prefix', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  // pandas' to_csv writes its index with an empty name: the list read `(columns: , review_id, text)`, the first name
  // lost between the parenthesis and a comma. Quoted, as the text column's refusal lists them: `'', 'review_id', 'text'`.
  it('lists the columns quoted, so an empty name shows', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sb-report-prefix-'));
    const file = path.join(dir, 'pandas.csv');
    writeFileSync(file, ',review_id,text\n0,a1,good\n');
    const caught = await refusalOf(file);
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as Error).message).toBe("this is not a scored file: it has no column 'sentiment_label' (columns: '', 'review_id', 'text'); score it first, or give --prefix");
  });

  it('names the prefix its columns have', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sb-report-prefix-'));
    const file = path.join(dir, 'copy.csv');
    writeFileSync(file, 'id,text,s2_label,s2_positive,s2_negative,s2_truncated,s2_error\n1,good,POSITIVE,0.9,0.1,false,\n');
    let caught: unknown;
    try {
      for await (const _row of readScoredRows(file, { format: undefined, delimiter: undefined, text: 'text', prefix: 'sentiment', by: undefined, date: undefined, rating: undefined })) {
        // read through
      }
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as Error).message).toBe(
      "this is not a scored file: it has no column 'sentiment_label' (columns: 'id', 'text', 's2_label', 's2_positive', 's2_negative', 's2_truncated', 's2_error'); did you mean --prefix s2?",
    );
  });
});
