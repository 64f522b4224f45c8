import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, CutShortError, InputError } from '../src/errors.js';
import { CsvEndCheck } from '../src/io/csv-end-check.js';
import { readCsvHeader, readCsvRecords, splitCsvHeader } from '../src/io/csv-reader.js';
import { JsonlEndCheck } from '../src/io/jsonl-end-check.js';
import { readJsonlRecords } from '../src/io/jsonl-reader.js';
import type { InputRecord } from '../src/io/record.js';
import { Utf8Check } from '../src/io/utf8-check.js';
import { createRng } from '../src/model/rng.js';
import { refuseUnreadableInput } from '../src/job/input-prescan.js';
import { readThroughOf } from '../src/job/read-through.js';
import type { InputIdentity } from '../src/state/checkpoint.js';
import { openSource } from '../src/job/source.js';
import { DEFAULTS } from '../src/config/options.js';
import { refuseNotJsonLines, sampleJsonl } from '../src/preflight/jsonl-sample.js';
import { tempDir, trickle } from './io-helpers.js';
import { awkwardExport } from './support/awkward-export.js';
import { quiet } from './support/counting-remote.js';

/**
 * An export cut short (the nightly export job died mid-write, or was read while still writing): the file ends
 * anywhere. Was: a CSV cut in an unquoted last row was one `ragged_row` and a JSONL cut mid-object one
 * `invalid_json`, exit 0 with no word that the export was cut, so every record after the cut was missing unseen,
 * while the same export cut inside a quoted review stopped with exit 3 ("Close the quote", advice for a hand edit).
 * Now a last record with no line ending that cannot be whole stops the reader, and the read-through before a paid
 * run, with the same words and place (src/io/cut-short.ts); one that ends is a failed row, as before.
 */
const temp = tempDir();
afterAll(() => temp.cleanup());

const HEADER = 'id,review,stars\n';
const ROWS = '1,great product,5\n2,terrible,1\n';
const CUT_SHORT = 'the export looks cut short (still being written when it was read, or the job that wrote it stopped): let it finish or export it again, then run the same command';

interface Read {
  records: InputRecord[];
  error?: string;
}

async function readCsv(content: string, options: { delimiter?: string; chunk?: number; startAfter?: number } = {}): Promise<Read> {
  const delimiter = options.delimiter ?? ',';
  const file = temp.file(`in-${Math.random().toString(36).slice(2)}.csv`, content);
  const header = await readCsvHeader(file, { gzip: false, delimiter });
  const bytes = Buffer.from(content);
  const records: InputRecord[] = [];
  let startOffset = header.byteEnd;
  let startIndex = 0;
  if (options.startAfter !== undefined) {
    // As a resumed run reads: from a record's end, line numbers unknown.
    const all = await readCsv(content, { delimiter });
    startOffset = all.records[options.startAfter]!.byteEnd;
    startIndex = options.startAfter + 1;
  }
  try {
    const stream = trickle(bytes.subarray(startOffset), options.chunk ?? bytes.length);
    for await (const record of readCsvRecords(stream, { delimiter, header, textColumn: 'review', startOffset, startIndex })) records.push(record);
    return { records };
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return { records, error: (error as Error).message };
  }
}

async function readJsonl(content: string, options: { chunk?: number; startOffset?: number } = {}): Promise<Read> {
  const bytes = Buffer.from(content);
  const startOffset = options.startOffset ?? 0;
  const records: InputRecord[] = [];
  try {
    const stream = trickle(bytes.subarray(startOffset), options.chunk ?? bytes.length);
    for await (const record of readJsonlRecords(stream, { textField: 'review', startOffset, startIndex: 0 })) records.push(record);
    return { records };
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return { records, error: (error as Error).message };
  }
}

/** What the read-through before a paid run's first request says of the same bytes, in chunks of `size`. */
async function endCheck(sink: Writable, content: string, size: number): Promise<string | undefined> {
  const bytes = Buffer.from(content);
  return pipeline(trickle(bytes, size), sink).then(
    () => undefined,
    (error: unknown) => (error as Error).message,
  );
}

const textsOf = (records: InputRecord[]) => records.filter((r) => !r.passThrough).map((r) => (r.text.ok ? r.text.value : r.text.failure.code));

describe('a CSV export cut short', () => {
  it('cut inside an unquoted last row: the reader stops (exit 3) naming the row, after the rows before it', async () => {
    const content = `${HEADER}${ROWS}3,it was o`;
    const read = await readCsv(content);
    expect(textsOf(read.records)).toEqual(['great product', 'terrible']);
    expect(read.error).toBe(
      `the input ends inside a row: the record starting at line 4, byte ${Buffer.byteLength(HEADER + ROWS)} has 2 of the header's 3 fields and no line ending; ${CUT_SHORT}. ` +
        'If the file is complete and that row is only short, end it with a line break: it is then a ragged row, written with its error',
    );
  });

  it('the same row with its line ending is a ragged row, as before; a complete last row without one is read whole', async () => {
    expect(textsOf((await readCsv(`${HEADER}${ROWS}3,it was o\n`)).records)).toEqual(['great product', 'terrible', 'ragged_row']);
    for (const last of ['3,fine,4', '3,fine,', '3,"fine, quoted",4']) {
      const read = await readCsv(`${HEADER}${ROWS}${last}`);
      expect(read.error).toBeUndefined();
      expect(read.records).toHaveLength(3);
      expect(read.records[2]!.text.ok).toBe(true);
    }
    // White space after the last line break (an editor's stray space) is no record cut short: a ragged row, as before.
    expect(textsOf((await readCsv(`${HEADER}${ROWS} \u00a0`)).records)).toEqual(['great product', 'terrible', 'ragged_row']);
  });

  it('cut right after a delimiter, or in the first cell: cut short too', async () => {
    for (const [last, fields] of [['3,', 2], ['3', 1], ['3,"it was, quoted"', 2]] as const) {
      expect((await readCsv(`${HEADER}${ROWS}${last}`)).error).toMatch(new RegExp(`^the input ends inside a row: the record starting at line 4, byte 47 has ${fields} of the header's 3 fields`));
    }
  });

  it('cut inside a quoted value mid-line: said as cut short; a quote left open by a line that ends keeps the hand-edit advice', async () => {
    const opens = `unterminated quoted field: the record starting at line 4, byte 47 opens a quote (") that is never closed before the end of the input`;
    expect((await readCsv(`${HEADER}${ROWS}3,"it was o`)).error).toBe(
      `${opens}; the input ends inside that value, mid-line: ${CUT_SHORT}. If the file is complete, close the quote, or double every quote inside a quoted field ("")`,
    );
    expect((await readCsv(`${HEADER}${ROWS}3,"a stray quote,5\n4,fine,3\n`)).error).toBe(`${opens}. Close the quote, or double every quote inside a quoted field ("")`);
  });

  it('cut inside the header\'s quoted name, or in a multi-byte character: said as cut short too', async () => {
    // Was: "Close the quote ..." alone, and "the file may be truncated or in another encoding" with nothing to do.
    await expect(readCsvHeader(temp.file('header-cut.csv', 'id,"rev'), { gzip: false, delimiter: ',' })).rejects.toThrow(
      `unterminated quoted field: the record starting at line 1, byte 0 opens a quote (") that is never closed before the end of the input; the input ends inside that value, mid-line: ${CUT_SHORT}.`,
    );
    const character = Buffer.concat([Buffer.from(`${HEADER}${ROWS}3,caf`), Buffer.from([0xc3])]);
    const file = temp.file('character-cut.csv', character);
    const header = await readCsvHeader(file, { gzip: false, delimiter: ',' });
    const error = await (async () => {
      for await (const _record of readCsvRecords(trickle(character.subarray(header.byteEnd), 7), { delimiter: ',', header, textColumn: 'review', startOffset: header.byteEnd, startIndex: 0 }));
    })().catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      'input is not valid UTF-8 at byte 52 (the input ends in the middle of a multi-byte character: the file may be truncated or in another encoding). ' +
        'An export cut short (still being written when it was read, or the job that wrote it stopped): let it finish or export it again, then run the same command; ' +
        'a complete file in another encoding: convert it to UTF-8, e.g. iconv -f WINDOWS-1252 -t UTF-8 in.csv > in-utf8.csv',
    );
  });

  it('a .gz export cut short is said so too; a .gz damaged otherwise keeps its advice', async () => {
    // Was: "cannot decompress ... as gzip: unexpected end of file; check that it is a complete .gz file", nothing to do.
    const whole = gzipSync(`${HEADER}${ROWS}`);
    const cut = temp.file('cut.csv.gz', whole.subarray(0, whole.length - 12));
    await expect(refuseUnreadableInput(cut, { gzip: true, stop: new AbortController().signal, csv: { delimiter: ',' } })).rejects.toThrow(
      `as gzip: unexpected end of file; the .gz file ends before its compressed data does: ${CUT_SHORT}`,
    );
    const damaged = Buffer.from(whole);
    damaged[damaged.length - 6] = damaged[damaged.length - 6]! ^ 0xff; // its CRC-32
    await expect(refuseUnreadableInput(temp.file('damaged.csv.gz', damaged), { gzip: true, stop: new AbortController().signal, csv: { delimiter: ',' } })).rejects.toThrow(
      /as gzip: incorrect data check; check that it is a complete \.gz file$/,
    );
  });

  it('after a resume, the place is the byte only, as for other input errors', async () => {
    const read = await readCsv(`${HEADER}${ROWS}3,it was o`, { startAfter: 0 });
    expect(textsOf(read.records)).toEqual(['terrible']);
    expect(read.error).toMatch(/^the input ends inside a row: the record starting at byte 47 has 2 of the header's 3 fields/);
  });

  // Every cut, also with CRLF endings, a BOM and a quoted header name holding the delimiter, a delimiter of three bytes:
  // the reader and the read-through before a paid run agree to the word, whatever the chunk boundaries.
  const cases: Array<[string, string, string]> = [
    ['unquoted', `${HEADER}${ROWS}3,it was o`, ','],
    ['after a delimiter', `${HEADER}${ROWS}3,`, ','],
    ['in a quote', `${HEADER}${ROWS}3,"it was, o`, ','],
    ['in a quote after a line break in it', `${HEADER}${ROWS}3,"it was\r\n`, ','],
    ['CRLF', 'id,review,stars\r\n1,good,5\r\n2,it w', ','],
    ['a BOM and a quoted name with the delimiter', '\uFEFF"id,x",review,stars\n1,good,5\n2,it w', ','],
    ['a fullwidth delimiter', 'id；review；stars\n1；good；5\n2；it w', '；'],
    ['tab', 'id\treview\tstars\n1\tgood\t5\n2\t"it', '\t'],
    ['complete, no final newline', `${HEADER}${ROWS}3,fine,4`, ','],
    ['a short row that ends', `${HEADER}${ROWS}3,short\r\n`, ','],
    ['white space after the last line break', `${HEADER}${ROWS}\u3000 `, ','],
    ['header only, no line ending', 'id,review,stars', ','],
  ];
  it.each(cases)('%s: the read-through before a paid run says what the reader says', async (_name, content, delimiter) => {
    const { error } = await readCsv(content, { delimiter });
    for (const size of [1, 2, 3, 5, Buffer.byteLength(content)]) {
      expect(await endCheck(new CsvEndCheck(delimiter), content, size), `chunks of ${size}`).toBe(error);
      expect((await readCsv(content, { delimiter, chunk: size })).error, `reader, chunks of ${size}`).toBe(error);
    }
  });

  it('a paid run refuses the cut file before its first request', async () => {
    const file = temp.file('cut.csv', `${HEADER}${ROWS}3,it was o`);
    await expect(refuseUnreadableInput(file, { gzip: false, stop: new AbortController().signal, csv: { delimiter: ',' } })).rejects.toThrow(/^the input ends inside a row: the record starting at line 4, byte 47/);
    await expect(refuseUnreadableInput(temp.file('whole.csv', `${HEADER}${ROWS}3,fine,4`), { gzip: false, stop: new AbortController().signal, csv: { delimiter: ',' } })).resolves.toBeUndefined();
  });
});

/**
 * A MySQL-style export (--quote none --escape backslash) ends every record with a line break no backslash escapes. One
 * whose last bytes are a backslash and a line break was cut just after an escaped line break, inside a review: was read
 * as a whole record, exit 0, its text ending in a backslash. Now cut short (exit 3), as an RFC file cut inside a quoted
 * value after a line break in it is.
 */
describe('an unquoted export (--quote none) cut after an escaped line break', () => {
  const options = { delimiter: '\t', escape: 'backslash' as const, quote: 'none' as const };
  async function readUnquoted(content: string, chunk?: number): Promise<Read> {
    const file = temp.file(`unquoted-${Math.random().toString(36).slice(2)}.tsv`, content);
    const header = await readCsvHeader(file, { gzip: false, ...options });
    const bytes = Buffer.from(content);
    const records: InputRecord[] = [];
    try {
      const stream = trickle(bytes.subarray(header.byteEnd), chunk ?? bytes.length);
      for await (const record of readCsvRecords(stream, { ...options, header, textColumn: 'text', startOffset: header.byteEnd, startIndex: 0 })) records.push(record);
      return { records };
    } catch (error) {
      expect(error).toBeInstanceOf(CutShortError);
      return { records, error: (error as Error).message };
    }
  }
  const cut = 'id\ttext\n1\tgreat\n2\tfirst line of a review\\\n';
  const said =
    `the input ends inside a row: the record starting at line 3, byte 16 ends with an escaped line break (a backslash before it), and the line that continues it is missing; ${CUT_SHORT}. ` +
    'If the file is complete and that row only ends in a backslash, write it as two (\\\\) before that line break';

  it('the reader stops (exit 3) naming the row, after the rows before it, whatever the chunks; CRLF too', async () => {
    for (const size of [1, 2, 5, Buffer.byteLength(cut)]) {
      const read = await readUnquoted(cut, size);
      expect(textsOf(read.records), `chunks of ${size}`).toEqual(['great']);
      expect(read.error, `chunks of ${size}`).toBe(said);
    }
    expect((await readUnquoted('id\ttext\r\n1\tgreat\r\n2\tfirst line\\\r\n')).error).toMatch(/^the input ends inside a row: the record starting at line 3, byte 18 ends with an escaped line break/);
  });

  // The advice, followed, gives what it promises: a row whose text ends in a backslash. The advice before it ('end it with
  // one more line break') gave a text ending in a line break (the escaped one), its backslash gone.
  it('the mend it advises reads the row with its text ending in a backslash', async () => {
    expect(textsOf((await readUnquoted('id\ttext\n1\tgreat\n2\tfirst line of a review\\\\\n')).records)).toEqual(['great', 'first line of a review\\']);
    expect(textsOf((await readUnquoted(`${cut}\n`)).records)).toEqual(['great', 'first line of a review\n']);
  });

  it('the read-through before a paid run says the same, before its first request', async () => {
    for (const size of [1, 2, 5, Buffer.byteLength(cut)]) expect(await endCheck(new CsvEndCheck('\t', 'backslash', 'none'), cut, size), `chunks of ${size}`).toBe(said);
    const file = temp.file('cut-unquoted.tsv', cut);
    await expect(refuseUnreadableInput(file, { gzip: false, stop: new AbortController().signal, csv: { delimiter: '\t', escape: 'backslash', quote: 'none' } })).rejects.toThrow(said);
    // A short row cut so: the escaped line break is said, by both, not the missing fields.
    const short = 'id\tn\ttext\n1\t5\tgreat\n2\tends\\\n';
    const shortError = (await readUnquoted(short)).error;
    expect(shortError).toMatch(/^the input ends inside a row: the record starting at line 3, byte 20 ends with an escaped line break/);
    for (const size of [1, 3, Buffer.byteLength(short)]) expect(await endCheck(new CsvEndCheck('\t', 'backslash', 'none'), short, size), `chunks of ${size}`).toBe(shortError);
  });

  it('a last record over 16 MiB (not parsed, scanned for its end) is said alike by the reader and the read-through', async () => {
    const big = `id\ttext\n1\tgreat\n2\t${'a'.repeat(17 * 1024 * 1024)}\\\n`;
    const read = await readUnquoted(big, 1024 * 1024);
    expect(textsOf(read.records)).toEqual(['great']);
    expect(read.error).toMatch(/^the input ends inside a row: the record starting at line 3, byte 16 ends with an escaped line break/);
    expect(await endCheck(new CsvEndCheck('\t', 'backslash', 'none'), big, 1024 * 1024)).toBe(read.error);
  });

  // A lone backslash as the input's last byte (or before a last CR) escapes nothing: read as text before, exit 0, the row
  // scored. MySQL's INTO OUTFILE writes a backslash of the data as \\ and ends every row with a line break, as does
  // Python's csv with QUOTE_NONE: the export was cut between a backslash and the character it escaped (a line break of
  // the review, a tab...), as one ending in an escaped line break was cut after it. MySQL's LOAD DATA would keep that
  // backslash as text, and would read the escaped line break as data too: no writer of the dialect ends a file so.
  const lone = 'id\ttext\n1\tgreat\n2\tfirst line of a review\\';
  const loneSaid =
    `the input ends inside a row: the record starting at line 3, byte 16 ends with a backslash that escapes nothing (the character after it is missing: an export that quotes nothing writes a backslash of its text as \\\\ and ends every row with a line break); ${CUT_SHORT}. ` +
    'If the file is complete and that row only ends in a backslash, write it as two (\\\\) and end the row with a line break';

  it('a lone backslash at the very end (or before a last CR): the reader and the read-through stop (exit 3), whatever the chunks', async () => {
    for (const content of [lone, `${lone}\r`, 'id\ttext\n1\tgreat\n2\tfirst line of a review\\\\\\']) {
      for (const size of [1, 2, 5, Buffer.byteLength(content)]) {
        const read = await readUnquoted(content, size);
        expect(textsOf(read.records), `${JSON.stringify(content)} in chunks of ${size}`).toEqual(['great']);
        expect(read.error, `${JSON.stringify(content)} in chunks of ${size}`).toBe(loneSaid);
        expect(await endCheck(new CsvEndCheck('\t', 'backslash', 'none'), content, size), `${JSON.stringify(content)} in chunks of ${size}`).toBe(loneSaid);
      }
    }
    const big = `id\ttext\n1\tgreat\n2\t${'a'.repeat(17 * 1024 * 1024)}\\`;
    expect((await readUnquoted(big, 1024 * 1024)).error).toBe(loneSaid);
    expect(await endCheck(new CsvEndCheck('\t', 'backslash', 'none'), big, 1024 * 1024)).toBe(loneSaid);
  });

  it('a last line with no line break, a doubled backslash before the last line break, or a line break after the escaped one: read whole, as before', async () => {
    for (const content of ['id\ttext\n1\tgreat\n2\tends here', 'id\ttext\n1\tgreat\n2\tC:\\\\\n', 'id\ttext\n1\tgreat\n2\tC:\\\\', 'id\ttext\n1\tgreat\n2\tline one\\\nline two\n', 'id\ttext\n1\tgreat\n2\ttwo lines\\\n\n']) {
      const read = await readUnquoted(content);
      expect(read.error, JSON.stringify(content)).toBeUndefined();
      expect(read.records).toHaveLength(2);
      expect(await endCheck(new CsvEndCheck('\t', 'backslash', 'none'), content, 3), JSON.stringify(content)).toBeUndefined();
    }
  });
});

describe('a JSONL export cut short', () => {
  const whole = '{"review":"great product"}\n\n{"review":"terrible"}\n';
  const lastStart = Buffer.byteLength(whole); // 50

  it('cut mid-object: the reader stops (exit 3) naming the line, after the lines before it', async () => {
    const read = await readJsonl(`${whole}{"review":"it was o`);
    expect(textsOf(read.records)).toEqual(['great product', 'terrible']);
    expect(read.error).toBe(
      `the input ends inside a record: the line starting at line 4, byte ${Buffer.byteLength(whole)} is not complete JSON and has no line ending; ${CUT_SHORT}. ` +
        'If the file is complete and that line is only broken, end it with a line break: it is then an invalid_json row, written with its error',
    );
  });

  it('cut mid-string after an escape, mid-number, between keys: cut short too', async () => {
    for (const last of ['{"review":"he said \\"hi\\', '{"review":"he said \\"hi\\"', '{"review":"ok","stars":4', '{"review":"ok",', '\uFEFF{"rev', '{']) {
      expect((await readJsonl(`${whole}${last}`)).error, last).toMatch(new RegExp(`^the input ends inside a record: the line starting at line 4, byte ${lastStart} is not complete JSON`));
    }
  });

  it('the same line with its line ending is an invalid_json row, as before; a whole last line without one is read', async () => {
    expect(textsOf((await readJsonl(`${whole}{"review":"it was o\n`)).records)).toEqual(['great product', 'terrible', 'invalid_json']);
    expect(textsOf((await readJsonl(`${whole}{"review":"fine"}`)).records)).toEqual(['great product', 'terrible', 'fine']);
    expect(textsOf((await readJsonl(`${whole}42`)).records)).toEqual(['great product', 'terrible', 'not_an_object']);
    expect(textsOf((await readJsonl(`${whole}\u00a0`)).records)).toEqual(['great product', 'terrible', 'invalid_json']);
  });

  // The startup checks read the first lines through the reader: a file that is no JSON Lines also ends in a line that is
  // no JSON, often with no line ending (JSON.stringify(data, null, 2) written as it is), and is said as what it is.
  it('the startup checks: a file that is no JSON Lines is said so, not cut short; one cut object line alone is cut short', async () => {
    const refusal = async (content: string): Promise<string | undefined> => {
      const file = temp.file(`sample-${Math.random().toString(36).slice(2)}.jsonl`, content);
      return sampleJsonl(file, false, ['review']).then((sample) => refuseNotJsonLines(sample)).then(
        () => undefined,
        (error: unknown) => (error as Error).message,
      );
    };
    expect(await refusal('[\n  {"review": "great"},\n  {"review": "awful"}\n]')).toMatch(/^the first line is '\[' alone: this is one JSON document/);
    // A pretty-printed object (or a stream of them) is put on one line a record by jq -c . ('.[]' made one object its values).
    expect(await refusal('{\n  "review": "great"\n}')).toBe(
      "the first line is '{' alone: this is pretty-printed JSON, not JSON Lines; write one object per line, e.g. jq -c . in.json > in.jsonl",
    );
    expect(await refusal('id,review\n1,great\n2,awful')).toMatch(/^none of the first 3 non-blank lines is a JSON object, so this is not JSON Lines: give the format with --format csv/);
    expect(await refusal('{"review":"great"}\r{"review":"awful"}')).toMatch(/so this is not JSON Lines: its lines seem to end in CR alone/);
    // Python's json.dumps of records whose every rating is a float NaN: it said to give --format csv.
    expect(await refusal('{"rating": NaN, "review": "great"}\n{"rating": NaN, "review": "awful"}\n')).toBe(
      "none of the first 2 non-blank lines is a JSON object, so this is not JSON Lines: its first line holds NaN, which Python's json.dumps writes for a float NaN or infinity and JSON has no value for: write null instead (json.dumps(..., allow_nan=False) finds them)",
    );
    expect(await refusal('id,review')).toMatch(/^the first non-blank line is not a JSON object, so this is not JSON Lines/);
    expect(await refusal('{"review":"it was gr')).toMatch(/^the input ends inside a record: the line starting at line 1, byte 0 is not complete JSON/);
    // JSON Lines cut in its last line: the checks pass on the lines before it; the reader says the cut.
    expect(await refusal(`${whole}{"review":"it was o`)).toBeUndefined();
  });

  it('after a resume, the place is the byte only', async () => {
    const read = await readJsonl(`${whole}{"review":"it was o`, { startOffset: 27 });
    expect(read.error).toMatch(new RegExp(`^the input ends inside a record: the line starting at byte ${lastStart} is not complete JSON`));
  });

  const cases: Array<[string, string]> = [
    ['mid-object', `${whole}{"review":"it was o`],
    ['mid-escape', `${whole}{"review":"a \\u00`],
    ['CRLF', '{"review":"a"}\r\n{"review":"b'],
    ['complete, no final newline', `${whole}{"review":"fine"}`],
    ['a broken line that ends', `${whole}{"review":"x\n`],
    ['blank last line', `${whole}  `],
  ];
  it.each(cases)('%s: the read-through before a paid run says what the reader says', async (_name, content) => {
    const { error } = await readJsonl(content);
    for (const size of [1, 2, 3, 5, Buffer.byteLength(content)]) {
      expect(await endCheck(new JsonlEndCheck(), content, size), `chunks of ${size}`).toBe(error);
      expect((await readJsonl(content, { chunk: size })).error, `reader, chunks of ${size}`).toBe(error);
    }
  });

  it('a paid run refuses the cut file before its first request', async () => {
    const file = temp.file('cut.jsonl', `${whole}{"review":"it was o`);
    await expect(refuseUnreadableInput(file, { gzip: false, stop: new AbortController().signal })).rejects.toThrow(`the input ends inside a record: the line starting at line 4, byte ${lastStart} is not complete JSON`);
    await expect(refuseUnreadableInput(temp.file('whole.jsonl', `${whole}{"review":"fine"}`), { gzip: false, stop: new AbortController().signal })).resolves.toBeUndefined();
  });
});

describe('awkward exports cut anywhere (test/support/awkward-export.ts)', () => {
  const inChunks = (bytes: Buffer, size: number): Readable => {
    const parts: Buffer[] = [];
    for (let at = 0; at < bytes.length; at += size) parts.push(bytes.subarray(at, at + size));
    return Readable.from(parts, { objectMode: false });
  };

  // Every line ending and mix, BOMs, quoted line breaks, multi-byte delimiters, ragged rows, lines that are no object:
  // whatever byte the export is cut at, the read-through before a paid run says exactly what the reader says, so a
  // paid run is refused before its first request exactly when the reader would fail at the end.
  it('the reader and the read-through before a paid run agree on every cut (past the header)', async () => {
    const rng = createRng(20261203);
    const seen = { cutShort: 0, other: 0, none: 0 };
    for (let seed = 0; seed < 30; seed++) {
      const { bytes, format, delimiter, textNames } = awkwardExport(seed);
      if (bytes.length > 30_000) continue; // the big ones add time, not kinds of cut
      const headerEnd = format === 'jsonl' ? 0 : (await splitCsvHeader(inChunks(bytes, bytes.length), { delimiter })).header.byteEnd;
      for (let k = 0; k < 4; k++) {
        const cut = bytes.subarray(0, headerEnd + Math.floor(rng() * (bytes.length - headerEnd + 1)));
        const size = 1 + Math.floor(rng() * 4000);
        const reading = async (): Promise<void> => {
          if (format === 'jsonl') {
            for await (const _record of readJsonlRecords(inChunks(cut, size), { textField: textNames, startOffset: 0, startIndex: 0 }));
            return;
          }
          const { header, rest } = await splitCsvHeader(inChunks(cut, size), { delimiter });
          for await (const _record of readCsvRecords(rest, { delimiter, header, textColumn: textNames, startOffset: header.byteEnd, startIndex: 0 }));
        };
        const byReader = await reading().then(() => undefined, (error: unknown) => (error as Error).message);
        const byCheck = await pipeline(inChunks(cut, size), new Utf8Check(), format === 'jsonl' ? new JsonlEndCheck() : new CsvEndCheck(delimiter)).then(
          () => undefined,
          (error: unknown) => (error as Error).message,
        );
        expect(byCheck, `seed ${seed} cut at ${cut.length} of ${bytes.length}, chunks of ${size}`).toBe(byReader);
        seen[byReader === undefined ? 'none' : /cut short/.test(byReader) ? 'cutShort' : 'other']++;
      }
    }
    // The cuts land inside records (cut short) and between them (read whole).
    expect(seen.cutShort).toBeGreaterThan(20);
    expect(seen.none).toBeGreaterThan(2);
  });
});

/**
 * A header cut short with no line ending (`printf 'id,te' > x.csv`): exit 2 'the text column ... is not in the header
 * ... (did you mean 'te'?)', a setting to fix, where every other cut export is exit 3, "cut short". A header that is the
 * file's only line, with no line ending, whose last name is the start of the missing text column's, is that: exit 3.
 * Any other such header missing it may be cut too (before the text column) or a header-only export written without a
 * final newline: exit 2 as before, its line saying the other cause.
 */
describe('a header with no line ending, the text column missing', () => {
  /** The job's start on `content` (its checks of the header), the default text column. */
  const open = async (content: string) => {
    const file = temp.file(`header-${Math.random().toString(36).slice(2)}.csv`, Buffer.from(content));
    const source = await openSource({ ...DEFAULTS, input: file, output: `${file}.out.csv` }, file);
    await source.release();
  };
  const UNENDED = ". The header is the file's only line and has no line ending: if the export was cut short inside it (still being written?), let it finish or export it again, then run the same command";

  it('is cut short (exit 3) when its last name is the start of the text column', async () => {
    const error = await open('id,te').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CutShortError);
    expect((error as InputError).exitCode).toBe(3);
    expect((error as Error).message).toBe(
      "the input ends inside its header: the header, the file's only line, has no line ending, and its last name 'te' is the start of the text column 'text'; " +
        'the export looks cut short (still being written when it was read, or the job that wrote it stopped): let it finish or export it again, then run the same command. ' +
        'If the file is complete, name its text column with --text-column',
    );
  });

  it('is still the missing column (exit 2) otherwise, its line naming a cut as the other cause; with a line ending, as before', async () => {
    const unended = await open('id,rating').catch((e: unknown) => e);
    expect(unended).toBeInstanceOf(ConfigError);
    expect((unended as Error).message).toBe(`the text column 'text' (the default; name yours with --text-column) is not in the header; the columns are: 'id', 'rating'${UNENDED}`);
    const ended = await open('id,rating\n').catch((e: unknown) => e);
    expect((ended as Error).message).toBe("the text column 'text' (the default; name yours with --text-column) is not in the header; the columns are: 'id', 'rating'");
    // A whole header that has the column reads, rows or not; a name longer than the last one is no cut of it.
    await expect(open('id,text')).resolves.toBeUndefined();
    expect(await open('id,texts').catch((e: unknown) => e)).toBeInstanceOf(ConfigError);
  });
});

/**
 * The read-through before a paid run (read-through.ts) reads the input as the job's Source does: JSON Lines as such,
 * a gzip input decompressed, a CSV's --escape, and whether its first rows quote no cell (the open quote's advice). Read
 * otherwise, a cut export passed it and was paid for up to its cut, or a whole one was refused before its first request.
 */
describe('the read-through reads the input as its Source', () => {
  const readThrough = async (name: string, content: string | Buffer, settings: Partial<typeof DEFAULTS> = {}): Promise<void> => {
    const file = temp.file(name, content);
    const source = await openSource({ ...DEFAULTS, text: ['review'], ...settings, input: file, output: `${file}.out.csv` }, file);
    try {
      await readThroughOf({ path: file, shownAs: file }, source, { size: Buffer.byteLength(content) } as InputIdentity, quiet())('why', new AbortController().signal);
    } finally {
      await source.release();
    }
  };

  it('JSON Lines cut short: refused as such', async () => {
    await expect(readThrough('through.jsonl', '{"review":"fine"}\n{"review":"it was o')).rejects.toThrow(/^the input ends inside a record: the line starting at line 2, byte 18 is not complete JSON/);
  });

  it('a gzip CSV cut short: decompressed, refused as cut inside a row', async () => {
    await expect(readThrough('through.csv.gz', gzipSync('id,review\n1,fine\n2,"it was o'))).rejects.toThrow(/^unterminated quoted field: the record starting at line 3, byte 17 opens a quote/);
  });

  // Read as RFC 4180 instead, the file passes, and the reader (which does take the flag) refuses it after rows were paid for.
  it('--escape backslash: a closing quote its backslash escapes leaves the field open, refused before the first request', async () => {
    await expect(readThrough('through-escaped.csv', 'id,review\n1,"x \\"\n2,fine\n', { escape: 'backslash' })).rejects.toThrow(/^unterminated quoted field: the record starting at line 2, byte 10 opens a quote/);
  });

  it('a file whose first rows quote no cell: the open quote names --quote none', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => `${i},plain review ${i}`).join('\n');
    await expect(readThrough('through-unquoted.csv', `id,review\n${rows}\n20,"an open quote\n21,fine\n`)).rejects.toThrow(/--quote none/);
  });
});
