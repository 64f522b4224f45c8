import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULTS } from '../../src/config/options.js';
import type { Outcome } from '../../src/io/record.js';
import { openSource, type Source } from '../../src/job/source.js';
import { failedRowsPathFor, writeFailedRows, type FailedRow } from '../../src/mend/failed-rows.js';
import { syntheticCsv } from './reviews.js';

export const FAILED_TRANSIENTLY: Outcome = { kind: 'failed', failure: { code: 'http_500', message: 'Workers AI failed transiently (HTTP 500, code 3043) (gave up after 1 attempt)', transient: true } };
export const SCORED: Outcome = { kind: 'scored', label: 'POSITIVE', positive: 0.75, negative: 0.25 };

/**
 * A completed job of `rowCount` rows in `dir` (in.csv -> out.csv) whose every other row failed transiently and is
 * listed in the output's failed-rows list: what a mend starts from. The source stays open for the mend; release it.
 */
export async function halfFailedJob(dir: string, rowCount: number): Promise<{ input: string; output: string; source: Source; rows: FailedRow[] }> {
  const input = path.join(dir, 'in.csv');
  writeFileSync(input, syntheticCsv(rowCount, { emptyEvery: 0, duplicateEvery: 0 }));
  const output = path.join(dir, 'out.csv');
  const source = await openSource({ ...DEFAULTS, input, output, text: ['review'] }, input);
  let written = source.outputHeader;
  let inputStart = source.firstRecordOffset;
  const rows: FailedRow[] = [];
  for await (const record of source.records(source.firstRecordOffset, 0)) {
    const failed = record.index % 2 === 0;
    const text = source.formatRecord(record, failed ? FAILED_TRANSIENTLY : SCORED);
    const outputStart = Buffer.byteLength(written);
    if (failed) rows.push({ index: record.index, inputStart, inputEnd: record.byteEnd, outputStart, outputEnd: outputStart + Buffer.byteLength(text), code: 'http_500' });
    written += text;
    inputStart = record.byteEnd;
  }
  writeFileSync(output, written);
  await writeFailedRows(failedRowsPathFor(output), rows, output);
  return { input, output, source, rows };
}
