import { SentimentBatchError } from '../errors.js';
import { RECORD_TOO_LARGE } from '../io/oversized-record.js';
import { tooLargeToReadAgain } from '../io/record-bound.js';
import type { InputRecord } from '../io/record.js';
import type { FailedRow } from './failed-rows.js';

/**
 * The refusal of a mend whose listed row (failed transiently) is a record this run reads as too large to parse: the
 * run that listed it parsed it under a larger memory limit (io/record-bound.ts), and a mend under a smaller one must
 * not (the OOM kill the bound prevents). Nothing is mended, the output and its list stay as they are (exit 3), for a
 * run with that memory. Said as `does not match the input at row 1: it was edited or damaged … run with --restart to
 * score the input afresh`: the list was the run's, and starting over would have paid for every row again, under the
 * same limit refusing that row all the same. Undefined when `record` is not that row read as too large.
 */
export function tooLargeToMend(listPath: string, row: FailedRow, record: InputRecord, format: 'csv' | 'tsv' | 'jsonl'): SentimentBatchError | undefined {
  if (record.text.ok || record.text.failure.code !== RECORD_TOO_LARGE || record.index !== row.index || record.byteEnd !== row.inputEnd) return undefined;
  const { why, neededMiB } = tooLargeToReadAgain(format === 'jsonl' ? 'jsonl' : 'csv', row.inputEnd - row.inputStart);
  const limit = neededMiB === undefined ? 'a larger memory limit' : `a memory limit of ${neededMiB} MiB or more`;
  return new SentimentBatchError(
    'checkpoint',
    `the list of failed rows ${listPath} names row ${row.index}, ${why}, which the run that listed it parsed under a larger one: ` +
      `nothing was mended and the output is unchanged; run the same command under ${limit} to mend the listed rows`,
  );
}
