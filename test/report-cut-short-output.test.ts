import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, InputError } from '../src/errors.js';
import { quoteNotClosed } from '../src/io/csv-errors.js';
import { readCsvHeader, type CsvHeader } from '../src/io/csv-reader.js';
import { csvRecordCutShort, escapedLineBreakCutShort, jsonlLineCutShort, loneBackslashCutShort } from '../src/io/cut-short.js';
import { openInput } from '../src/io/open-input.js';
import { unendedHeaderCut } from '../src/io/unended-header.js';
import { cutShortOutputError } from '../src/report/cut-short-output.js';
import { tempDir } from './io-helpers.js';

/**
 * report's words for a scored file cut short, for every error of the readers that says a cut (csv, --quote none,
 * JSONL, an unended header, a quote open at a mid-line end, a .gz cut): the place the reader's error gives, said of
 * the file, with report's advice instead of score's. Any other error is none of report's to reword.
 */
const temp = tempDir();
afterAll(() => temp.cleanup());

const OTHER = '; the scored file looks cut short (a copy that stopped, or a file still being written), and a report counts no cut row: copy it again or let it be written whole, then run the same report command';
const UNFINISHED =
  '; it is the unfinished output of a run that stopped in the middle of writing that row (a full disk, a machine that went down), and a report counts no cut row: ' +
  'run the same score command again to complete out.csv (it writes again every row its checkpoint has not saved, the cut one among them), then report on out.csv (or on out.csv.partial while that run works: its rows are whole again)';

async function gzipCutError(): Promise<unknown> {
  const whole = gzipSync(Buffer.from('id,text\n1,fine\n'.repeat(50)));
  const file = temp.file('cut.csv.gz', whole.subarray(0, whole.length - 12));
  try {
    for await (const _chunk of openInput(file, { gzip: true })) void _chunk;
  } catch (error) {
    return error;
  }
  throw new Error('a cut .gz file read whole');
}

let header: CsvHeader;
beforeAll(async () => {
  header = await readCsvHeader(temp.file('cut-header.csv', 'id,te'), { gzip: false, delimiter: ',' });
});

describe('cutShortOutputError', () => {
  const file = 'out.csv.partial';
  it.each([
    ['a CSV row', () => csvRecordCutShort({ byte: 40, line: 3 }, 2, 5), `${file} ends inside a row: the record starting at line 3, byte 40 has 2 of the header's 5 fields and no line ending`],
    ['a CSV row after a resume', () => csvRecordCutShort({ byte: 40 }, 2, 5), `${file} ends inside a row: the record starting at byte 40 has 2 of the header's 5 fields and no line ending`],
    ['an escaped line break', () => escapedLineBreakCutShort({ byte: 7, line: 2 }), `${file} ends inside a row: the record starting at line 2, byte 7 ends with an escaped line break (a backslash before it), and the line that continues it is missing`],
    [
      'a lone backslash',
      () => loneBackslashCutShort({ byte: 7, line: 2 }),
      `${file} ends inside a row: the record starting at line 2, byte 7 ends with a backslash that escapes nothing (the character after it is missing: an export that quotes nothing writes a backslash of its text as \\\\ and ends every row with a line break)`,
    ],
    ['a JSONL line', () => jsonlLineCutShort({ byte: 9, line: 2 }, '{"text":"go'), `${file} ends inside a record: the line starting at line 2, byte 9 is not complete JSON and has no line ending`],
    [
      'an unended header',
      () => unendedHeaderCut(header, 'text', true),
      `${file} ends inside its header: the header, the file's only line, has no line ending, and its last name 'te' is the start of the text column 'text'`,
    ],
    [
      'a quote open at a mid-line end',
      () => quoteNotClosed({ byte: 12, line: 4 }, true),
      `${file}: unterminated quoted field: the record starting at line 4, byte 12 opens a quote (") that is never closed before the end of the input; the input ends inside that value, mid-line`,
    ],
    [
      'a quote open at a mid-line end, in a file that looks unquoted',
      () => quoteNotClosed({ byte: 12, line: 4 }, true, 'backslash', undefined, true),
      `${file}: unterminated quoted field: the record starting at line 4, byte 12 opens a quote (") that is never closed before the end of the input; the input ends inside that value, mid-line`,
    ],
  ])('%s', (_name, make, where) => {
    const error = make();
    expect(cutShortOutputError(error, file, undefined)?.message).toBe(`${where}${OTHER}`);
    const unfinished = cutShortOutputError(error, file, { kind: 'unfinished', output: 'out.csv', checkpoint: 'out.csv.checkpoint.json', savedRows: 3 });
    expect(unfinished?.message).toBe(`${where}${UNFINISHED}`);
    expect(unfinished).toBeInstanceOf(InputError);
    expect(unfinished?.cause).toBe(error);
  });

  it('a .gz file cut inside its compressed data', async () => {
    const error = await gzipCutError();
    const label = temp.dir + '/cut.csv.gz';
    expect(cutShortOutputError(error, 'out.csv.gz', { kind: 'gzip', output: 'out.csv' })?.message).toBe(
      `out.csv.gz: cannot decompress '${label}' as gzip: unexpected end of file; the .gz file ends before its compressed data does${OTHER}`,
    );
  });

  // report opens the file under the name it was given, which the gzip reader's words already hold: the line named it
  // twice (`sub/cut.scored.csv.gz: cannot decompress 'sub/cut.scored.csv.gz' as gzip: …`).
  it('a .gz file cut inside its compressed data, named once when the reader named it as given', async () => {
    const error = await gzipCutError();
    const label = temp.dir + '/cut.csv.gz';
    expect(cutShortOutputError(error, label, { kind: 'gzip', output: 'out.csv' })?.message).toBe(
      `cannot decompress '${label}' as gzip: unexpected end of file; the .gz file ends before its compressed data does${OTHER}`,
    );
  });

  it('says nothing of an error that is no cut', () => {
    expect(cutShortOutputError(quoteNotClosed({ byte: 12, line: 4 }, false), file, undefined)).toBeUndefined();
    expect(cutShortOutputError(new InputError('cannot read input: it is a folder'), file, undefined)).toBeUndefined();
    expect(cutShortOutputError(new ConfigError('the text column is missing; let it finish or export it again, then run the same command'), file, undefined)).toBeUndefined();
    expect(cutShortOutputError(new Error('boom'), file, undefined)).toBeUndefined();
  });
});
