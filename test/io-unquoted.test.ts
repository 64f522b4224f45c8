import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { readCsvHeader, readCsvRecords } from '../src/io/csv-reader.js';
import { csvOutputHeader, formatCsvRecord } from '../src/io/csv-format.js';
import { escapeUnquotedCell, unquotedCells } from '../src/io/unquoted-cells.js';
import { looksUnquoted } from '../src/io/unquoted-look.js';
import { firstQuotedCellLine } from '../src/io/quoted-cells-look.js';
import { openInput } from '../src/io/open-input.js';
import { CsvEndCheck } from '../src/io/csv-end-check.js';
import { pipeline } from 'node:stream/promises';
import { collect, reassemble, sliceProblems, tempDir } from './io-helpers.js';

const dir = tempDir();
afterAll(() => dir.cleanup());

/** Reads a file as --quote none --escape backslash does, from `startOffset` (default: just past the header). */
async function readUnquoted(file: string, delimiter = '\t', startOffset?: number) {
  const options = { gzip: false, delimiter, escape: 'backslash' as const, quote: 'none' as const };
  const header = await readCsvHeader(file, options);
  const from = startOffset ?? header.byteEnd;
  const records = await collect(readCsvRecords(openInput(file, { gzip: false, startOffset: from }), { ...options, header, textColumn: 'text', startOffset: from, startIndex: 0, keepFields: true }));
  return { header, records };
}

describe('unquotedCells (--quote none)', () => {
  it('reads a quote as text and each backslash sequence as MySQL LOAD DATA does', () => {
    expect(unquotedCells('1\t"Great app, love it', '\t')).toEqual(['1', '"Great app, love it']);
    expect(unquotedCells('a\\tb\\nc\\rd\\\\e\\0f\\Zg\\bh', '\t')).toEqual(['a\tb\nc\rd\\e\0f\x1ag\bh']);
    // MySQL writes a tab and a line break in a value as a backslash before the character itself.
    expect(unquotedCells('one\\\ttwo\tthree\\\nfour\\\r\nfive', '\t')).toEqual(['one\ttwo', 'three\nfour\r\nfive']);
    expect(unquotedCells('\\N\t\\N2\tx\\N\t\\\\N', '\t')).toEqual(['', 'N2', 'xN', '\\N']);
    expect(unquotedCells('a\\,b,c\\', ',')).toEqual(['a,b', 'c\\']);
  });

  it('writes a cell back so that it reads back the same, on one line, never quoted', () => {
    const values = ['plain', 'say "hi"', 'tab\there', 'two\nlines\r\nthree', 'C:\\dir\\', 'comma, here', '\0', '\\N'];
    for (const delimiter of ['\t', ',', ';']) {
      for (const value of values) {
        const written = escapeUnquotedCell(value, delimiter);
        expect(written).not.toMatch(/[\r\n\t]/);
        expect(written.startsWith('"') && value.startsWith('"') === false).toBe(false);
        expect(unquotedCells(`x${delimiter}${written}`, delimiter)).toEqual(['x', value]);
      }
    }
    expect(escapeUnquotedCell('ragged_row: a\tb\\c\nd', '\t')).toBe('ragged_row: a\\tb\\\\c\\nd');
  });
});

describe('readCsvRecords with --quote none', () => {
  const bytes = Buffer.from(
    'id\ttext\tn\n' +
      '1\t"Great app, love it\t5\n' +
      '2\tsaid "hi" and\\\nmore\\\ttabbed\t4\r\n' +
      '3\tC:\\\\dir\\\\\t\\N\n' +
      '4\ttwo breaks\\\n\\\nhere\t3\n' +
      '5\tterrible "quote" here\t1',
  );
  const file = dir.file('mysql.tsv', bytes);

  it('gives one record per row, a line break after a backslash inside it, its bytes verbatim', async () => {
    const { header, records } = await readUnquoted(file);
    expect(header.columns).toEqual(['id', 'text', 'n']);
    expect(records.map((record) => record.text)).toEqual([
      { ok: true, value: '"Great app, love it' },
      { ok: true, value: 'said "hi" and\nmore\ttabbed' },
      { ok: true, value: 'C:\\dir\\' },
      { ok: true, value: 'two breaks\n\nhere' },
      { ok: true, value: 'terrible "quote" here' },
    ]);
    expect(records.map((record) => record.index)).toEqual([0, 1, 2, 3, 4]);
    expect(records[2]!.fields).toEqual(['3', 'C:\\dir\\', '']);
    expect(reassemble(header, records).equals(bytes)).toBe(true);
    expect(sliceProblems(bytes, header.byteEnd, records)).toEqual([]);
  });

  it('resumes from any record boundary with the same records', async () => {
    const whole = await readUnquoted(file);
    for (let k = 1; k < whole.records.length; k++) {
      const { records } = await readUnquoted(file, '\t', whole.records[k - 1]!.byteEnd);
      expect(records.map((record) => record.raw)).toEqual(whole.records.slice(k).map((record) => record.raw));
    }
  });

  it('keeps a held line across chunks of one byte', async () => {
    const { header } = await readUnquoted(file);
    const oneByte = Readable.from((function* () { for (const byte of bytes.subarray(header.byteEnd)) yield Buffer.from([byte]); })());
    const records = await collect(readCsvRecords(oneByte, { delimiter: '\t', escape: 'backslash', quote: 'none', header, textColumn: 'text', startOffset: header.byteEnd, startIndex: 0 }));
    expect(records.map((record) => record.raw)).toEqual((await readUnquoted(file)).records.map((record) => record.raw));
  });

  it("a CR alone is data: MySQL writes a review's CRLF as a CR, a backslash and the LF", async () => {
    const { records } = await readUnquoted(dir.file('cr.tsv', 'id\ttext\r\n1\tGreat\r\\\nproduct\r\n2\ta\rb\n'));
    expect(records.map((record) => [record.raw, record.text])).toEqual([
      ['1\tGreat\r\\\nproduct\r\n', { ok: true, value: 'Great\r\nproduct' }],
      ['2\ta\rb\n', { ok: true, value: 'a\rb' }],
    ]);
  });

  it('a record over 16 MiB of lines joined by escaped line breaks counts all its cells (the new ones line up)', async () => {
    const text = Buffer.concat([Buffer.from('id\ttext\tn\n'), Buffer.from('1\t'), Buffer.alloc(9 * 1024 * 1024, 'a'), Buffer.from('\\\n'), Buffer.alloc(8 * 1024 * 1024, 'b'), Buffer.from('\t5\n2\tshort\t4\n')]);
    const options = { delimiter: '\t', escape: 'backslash' as const, quote: 'none' as const };
    const header = await readCsvHeader(dir.file('big.tsv', text.subarray(0, 10)), { gzip: false, ...options });
    const records = await collect(readCsvRecords(Readable.from([text.subarray(header.byteEnd)]), { ...options, header, textColumn: 'text', startOffset: header.byteEnd, startIndex: 0 }));
    expect(records.map((record) => [record.text.ok ? 'ok' : record.text.failure.code, record.fieldCount])).toEqual([['record_too_large', 3], ['ok', undefined]]);
  });

  it('a last line whose line break is escaped is cut short (exit 3): the line that continued it is missing (was: a record, exit 0)', async () => {
    await expect(readUnquoted(dir.file('end.tsv', 'id\ttext\n1\tends here\\\n'))).rejects.toThrow(/^the input ends inside a row: the record starting at line 2, byte 8 ends with an escaped line break/);
  });

  it('writes the new cells escaped, not quoted, and the output reads back with the same cells', async () => {
    const { header, records } = await readUnquoted(file);
    const options = { delimiter: '\t', escape: 'backslash' as const, quote: 'none' as const, prefix: 'sentiment', headerWidth: 3 };
    const out = dir.file(
      'out.tsv',
      csvOutputHeader(header, '\t', 'sentiment', 'backslash', 'none') +
        records.map((record) => formatCsvRecord(record, { kind: 'failed', failure: { code: 'x', message: 'a "q"\tb\nc\\d' } }, options)).join(''),
    );
    const back = await readUnquoted(out);
    expect(back.header.columns.slice(3)).toEqual(['sentiment_label', 'sentiment_positive', 'sentiment_negative', 'sentiment_truncated', 'sentiment_error']);
    expect(back.records.map((record) => record.fields?.at(-1))).toEqual(records.map(() => 'x: a "q"\tb\nc\\d'));
    expect(back.records.map((record) => record.text)).toEqual(records.map((record) => record.text));
  });
});

describe('--quote none: a last record ending in a backslash that escapes nothing', () => {
  // The reader stops on such a file now, as an export cut after that backslash (io-cut-short.test.ts). The writer still
  // doubles such a backslash before the new cells, so that a record that reached it so would read back with its cells:
  // written alone, it escaped the delimiter after it, and the output read back a cell short.
  it('the reader stops (cut short); a record so written by hand reads back with the same cells, the new ones after it', async () => {
    await expect(readUnquoted(dir.file('trailing.tsv', 'id\tn\ttext\n1\t5\tgreat\n2\t4\tends in C:\\'))).rejects.toThrow(/ends with a backslash that escapes nothing/);
    const { header } = await readUnquoted(dir.file('header.tsv', 'id\tn\ttext\n'));
    const options = { delimiter: '\t', escape: 'backslash' as const, quote: 'none' as const, prefix: 'sentiment', headerWidth: 3 };
    const records = [{ index: 0, byteEnd: 0, text: { ok: true as const, value: 'ends in C:\\' }, raw: '2\t4\tends in C:\\' }];
    const out = dir.file(
      'trailing-out.tsv',
      csvOutputHeader(header, '\t', 'sentiment', 'backslash', 'none') +
        records.map((record) => formatCsvRecord(record, { kind: 'scored', label: 'POSITIVE', positive: 0.9, negative: 0.1 }, options)).join(''),
    );
    const back = await readUnquoted(out);
    expect(back.records.map((record) => record.fields)).toEqual([['2', '4', 'ends in C:\\', 'POSITIVE', '0.9', '0.1', '', '']]);
  });
});

describe('looksUnquoted', () => {
  it('is true when no cell of the first rows is quoted whole, false when one is', () => {
    expect(looksUnquoted('id\ttext\n1\t"Great app, love it\n2\tbad app\n4\tterrible "quote" here\n', '\t')).toBe(true);
    expect(looksUnquoted('id,text\n1,"fine, really"\n2,"said \\"hi\\""\n', ',')).toBe(false);
    expect(looksUnquoted('"id","text"\n"1","x"\n', ',')).toBe(false);
  });
});

/**
 * The two looks at a file's first lines judge the same lines: all of them, but the last when the look stopped inside
 * the file (it may be cut there). firstQuotedCellLine dropped the last line always: a file whose whole content fits
 * the look, its one quoted cell on its last line (no line break after it), got no start-up warning under --quote none.
 */
describe('firstQuotedCellLine and looksUnquoted judge the same lines', () => {
  const whole = 'id,text\n1,fine phone\n2,"great, love it"';
  // Longer than the look (64 KiB), as inputHead gives it: its last line is where the look stopped.
  const cut = `id,text\n1,${'a'.repeat(64 * 1024)}\n2,"great, love it"`;

  it('a whole file: its last line is judged, line break or not', () => {
    expect(firstQuotedCellLine(whole, ',', 2)).toEqual({ line: 3, cell: '"great, love it"' });
    expect(firstQuotedCellLine(`${whole}\n`, ',', 2)).toEqual({ line: 3, cell: '"great, love it"' });
    expect(looksUnquoted(whole, ',')).toBe(false);
  });

  it('a look cut short: its last line is not judged', () => {
    expect(firstQuotedCellLine(cut, ',', 2)).toBeUndefined();
    expect(looksUnquoted(cut, ',')).toBe(true);
  });
});

describe('the advice on a quote never closed, with --escape backslash', () => {
  const check = (looks: boolean, quote: '"' | 'none' = '"') => pipeline(Readable.from([Buffer.from('id\ttext\n1\t"Great app\n2\tbad\n')]), new CsvEndCheck('\t', 'backslash', quote, looks));

  it('names --quote none first when the first rows quote no cell', async () => {
    await expect(check(true)).rejects.toThrow(/before the end of the input\. No cell in the file's first rows is quoted: .* read it with --quote none\. Else close the quote, or write every quote inside a quoted field after a backslash/);
    await expect(check(false)).rejects.toThrow(/before the end of the input\. Close the quote, or write every quote/);
  });

  it('finds no open quote with --quote none', async () => {
    await expect(check(false, 'none')).resolves.toBeUndefined();
  });
});
