import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/errors.js';
import { parseJobFlags, readJobFile, resolveSettings } from '../src/config/resolve.js';
import { CsvEndCheck } from '../src/io/csv-end-check.js';
import { formatCsvRecord } from '../src/io/csv-format.js';
import { readCsvHeader, readCsvRecords } from '../src/io/csv-reader.js';
import { CsvRecordEndScanner } from '../src/io/oversized-record.js';
import type { CsvEscape } from '../src/io/csv-dialect.js';
import { openInput } from '../src/io/open-input.js';
import type { InputRecord } from '../src/io/record.js';
import { hashSettings } from '../src/state/checkpoint.js';
import { outputSettingsOf } from '../src/job/output-settings.js';
import { DEFAULTS } from '../src/config/options.js';
import { openSource } from '../src/job/source.js';
import { collect, reassemble, sliceProblems, tempDir, trickle } from './io-helpers.js';

const temp = tempDir();
afterAll(() => temp.cleanup());

/**
 * What MySQL's SELECT ... INTO OUTFILE ... FIELDS ENCLOSED BY '"' (ESCAPED BY '\\') and pandas' to_csv(escapechar='\\',
 * doublequote=False) write: a quote inside a quoted cell as \", here just before a line break inside the cell.
 */
const MYSQL = 'id,text,n\n1,"said \\"hi\\" and\nmore, stuff",5\n2,"plain, \\\\ good",6\n3,"ends \\"quoted\\"",7\n';

async function read(content: string, escape?: CsvEscape, chunk?: number, textColumn = 'text') {
  const bytes = Buffer.from(content);
  const file = temp.file(`in-${Math.random().toString(36).slice(2)}.csv`, bytes);
  const header = await readCsvHeader(file, { gzip: false, delimiter: ',', ...(escape ? { escape } : {}) });
  const stream = chunk === undefined ? openInput(file, { gzip: false, startOffset: header.byteEnd }) : trickle(bytes.subarray(header.byteEnd), chunk);
  const records = await collect(readCsvRecords(stream, { delimiter: ',', header, textColumn, startOffset: header.byteEnd, startIndex: 0, ...(escape ? { escape } : {}) }));
  // Correct to the byte whatever the escape: the records' bytes are the input's.
  expect(reassemble(header, records).equals(bytes)).toBe(true);
  expect(sliceProblems(bytes, header.byteEnd, records)).toEqual([]);
  return { header, records, file };
}

const outcomes = (records: InputRecord[]) => records.map((r) => (r.text.ok ? r.text.value : `!${r.text.failure.code}: ${r.text.failure.message}`));

describe('a backslash-escaped export read with the default escape (quote, RFC 4180)', () => {
  it('scores no half of a row split at a line break after \\" and says to use --escape backslash', async () => {
    const { records } = await read(MYSQL);
    // Was: the second half `more, stuff",5` had the header's width and was scored, its text ` stuff"`.
    expect(outcomes(records)[0]).toBe(
      '!ragged_row: the row spans 2 lines, which RFC 4180 reads as 2 records (a quote after a backslash closes its cell there): it looks backslash-escaped (MySQL/pandas escapechar): use --escape backslash; not scored',
    );
    // One record, so no checkpoint can fall between the halves; the rows after it numbered on.
    expect(records.map((r) => [r.index, r.text.ok])).toEqual([[0, false], [1, true], [2, true]]);
    expect(records[0]!.raw).toBe('1,"said \\"hi\\" and\nmore, stuff",5\n');
    // Its width read with backslash escapes: written with no padding before the new cells.
    expect(formatCsvRecord(records[0]!, { kind: 'failed', failure: { code: 'ragged_row', message: 'm' } }, { delimiter: ',', prefix: 'sentiment', headerWidth: 3 })).toBe('1,"said \\"hi\\" and\nmore, stuff",5,,,,,ragged_row: m\n');
  });

  it('joins every line of a cell split over several, blank ones too, and only the rows of that one record', async () => {
    const { records } = await read('id,text,n\n1,"a \\"b\\"\nc, d\n\ne",5\n2,fine,6\n', undefined, 2);
    expect(records.map((r) => [r.index, r.text.ok ? r.text.value : r.text.failure.code])).toEqual([[0, 'ragged_row'], [1, 'fine']]);
    expect(records[0]!.text.ok ? '' : records[0]!.text.failure.message).toMatch(/^the row spans 4 lines, which RFC 4180 reads as 4 records/);
  });

  it('says a one-line ragged row that is one whole row with backslash escapes looks backslash-escaped', async () => {
    const { records } = await read('id,text,n\n1,"a \\"b, c\\" d",5\n2,"x, y",3,4\n');
    // Was: only 'expected 3 fields, got 4', with nothing to say what to do.
    expect(outcomes(records)).toEqual([
      '!ragged_row: expected 3 fields, got 4; read with backslash escapes it is one row of 3: it looks backslash-escaped (MySQL/pandas escapechar): use --escape backslash',
      '!ragged_row: expected 3 fields, got 4',
    ]);
  });

  it('hands on a held row as it was read before an input error after it', async () => {
    const bytes = Buffer.from('id,text,n\n1,"a \\"b\\" c\n2,"never closed\n');
    const file = temp.file('held-then-error.csv', bytes);
    const header = await readCsvHeader(file, { gzip: false, delimiter: ',' });
    const seen: InputRecord[] = [];
    const reading = (async () => {
      for await (const record of readCsvRecords(openInput(file, { gzip: false, startOffset: header.byteEnd }), { delimiter: ',', header, textColumn: 'text', startOffset: header.byteEnd, startIndex: 0 })) seen.push(record);
    })();
    await expect(reading).rejects.toThrow(/unterminated quoted field: the record starting at line 3/);
    expect(outcomes(seen)).toEqual(['!ragged_row: expected 3 fields, got 2']);
  });

  it('reads an RFC 4180 file whose cells end in a backslash before their quote exactly as before', async () => {
    // `"C:\dir\"` is a whole RFC cell ending in a backslash: aligned rows scored, a ragged one alone failed, its next row scored.
    const { records } = await read('id,path,n\n1,"C:\\dir\\",5\n2,"C:\\x\\"\n3,"a, \\"b\\"",7\n4,"D:\\",8\n', undefined, undefined, 'path');
    expect(outcomes(records)).toEqual(['C:\\dir\\', '!ragged_row: expected 3 fields, got 2', '"a, \\"b\\""', 'D:\\']);
  });
});

describe('--escape backslash', () => {
  it('reads the export as its records, the text unescaped, at every chunk size', async () => {
    for (const chunk of [undefined, 1, 2, 3, 5, 8]) {
      const { records } = await read(MYSQL, 'backslash', chunk);
      expect(outcomes(records)).toEqual(['said "hi" and\nmore, stuff', 'plain, \\ good', 'ends "quoted"']);
    }
  });

  // Python's csv with escapechar='\\', doublequote=False (pandas' to_csv) quotes a cell only for a delimiter or a line
  // break: a quote or a backslash in any other is written escaped, unquoted (the bytes below are what Python 3.11 wrote
  // for these values). MySQL's INTO OUTFILE ... ENCLOSED BY '"' writes NULL as \N, unquoted. The texts were scored with
  // their backslashes (`I said \"great\"`, `C:\\temp\\`) and \N as a text of two characters, a paid request.
  it('reads backslashes in unquoted cells as in quoted ones (pandas), and an unquoted \\N (MySQL NULL) as no text', async () => {
    const pandas = 'id,text,n\n1,I said \\"great\\" and meant it,5\n2,path C:\\\\temp\\\\ is awful,6\n3,"fine, \\"really\\"",7\n';
    const mysql = 'id,text,n\n1,"ok \\"good\\"",\\N\n2,\\N,6\n3,"\\N",7\n4,a\\Nb \\0,8\n';
    for (const chunk of [undefined, 1, 3]) {
      expect(outcomes((await read(pandas, 'backslash', chunk)).records)).toEqual(['I said "great" and meant it', 'path C:\\temp\\ is awful', 'fine, "really"']);
      // Inside a cell, quoted or not, a backslash makes the next character plain: a quoted "\N" is N (MySQL writes NULL unquoted).
      expect(outcomes((await read(mysql, 'backslash', chunk)).records)).toEqual(['ok "good"', '', 'N', 'aNb 0']);
    }
    // Every cell, not the text's only (the report reads others): MySQL's NULL rating is no rating.
    const { header } = await read(mysql, 'backslash');
    const file = temp.file('fields.csv', Buffer.from(mysql));
    const fields = await collect(readCsvRecords(openInput(file, { gzip: false, startOffset: header.byteEnd }), { delimiter: ',', escape: 'backslash', header, textColumn: 'text', startOffset: header.byteEnd, startIndex: 0, keepFields: true }));
    expect(fields.map((r) => r.fields)).toEqual([['1', 'ok "good"', ''], ['2', '', '6'], ['3', 'N', '7'], ['4', 'aNb 0', '8']]);
    // The default escape reads the unquoted ones as they are written.
    expect(outcomes((await read(pandas)).records).slice(0, 2)).toEqual(['I said \\"great\\" and meant it', 'path C:\\\\temp\\\\ is awful']);
  });

  // MySQL's INTO OUTFILE without ENCLOSED BY (its default) and Python's csv with QUOTE_NONE write a line break in a cell
  // after a backslash, unquoted, and read the lines as one row. csv-parse ends the record there: its first line, of the
  // header's width when the cell was the last one, was scored cut at the line break ('first line\'), and a second line
  // of the header's width scored as a row of its own ('second'): texts nobody wrote.
  it('scores no line of a row whose unquoted cell holds a line break written after a backslash: one record, failed', async () => {
    const lastCell = 'id,text\n1,first line\\\nsecond line\n2,C:\\\\dir\\\\\n';
    for (const chunk of [undefined, 1, 2, 3, 7]) {
      const { records } = await read(lastCell, 'backslash', chunk);
      expect(records.map((r) => [r.index, r.text.ok ? r.text.value : r.text.failure.code])).toEqual([[0, 'ragged_row'], [1, 'C:\\dir\\']]);
      expect(records[0]!.raw).toBe('1,first line\\\nsecond line\n');
      expect(records[0]!.text.ok ? '' : records[0]!.text.failure.message).toMatch(/^the row spans 2 lines, its line breaks written after a backslash in an unquoted cell .*; not scored/);
    }
    // The cell first: the row's second line had the header's width.
    const firstCell = 'text,n\nfirst\\\nsecond,5\nplain,6\n';
    expect(outcomes((await read(firstCell, 'backslash')).records).map((o) => o.slice(0, 12))).toEqual(['!ragged_row:', 'plain']);
    // Several line breaks, a blank line among them, CRLF (Python's QUOTE_NONE escapes the CR and the LF): one row, the
    // rows after it numbered on, its cells as the writer meant them (the report reads them), written with no padding.
    const { header, records } = await read('id,text,n\r\n1,a\\\r\\\nb\\\n\\\n,5\r\n2,ok,6\r\n', 'backslash', 2);
    expect(records.map((r) => [r.index, r.text.ok])).toEqual([[0, false], [1, true]]);
    const file = temp.file('breaks.csv', Buffer.from(`${header.raw}${records.map((r) => r.raw).join('')}`));
    const kept = await collect(readCsvRecords(openInput(file, { gzip: false, startOffset: header.byteEnd }), { delimiter: ',', escape: 'backslash', header, textColumn: 'text', startOffset: header.byteEnd, startIndex: 0, keepFields: true }));
    expect(kept.map((r) => r.fields)).toEqual([['1', 'a\r\nb\n\n', '5'], ['2', 'ok', '6']]);
    expect(formatCsvRecord(records[0]!, { kind: 'failed', failure: { code: 'ragged_row', message: 'm' } }, { delimiter: ',', escape: 'backslash', prefix: 'sentiment', headerWidth: 3 })).toBe('1,a\\\r\\\nb\\\n\\\n,5,,,,,ragged_row: m\r\n');
    // At the end of the input, and before an input error: the lines held go out as one failed row, never scored.
    expect(outcomes((await read('id,text\n1,cut\\\n', 'backslash')).records).map((o) => o.slice(0, 12))).toEqual(['!ragged_row:']);
    const broken = temp.file('broken.csv', Buffer.from('id,text\n1,held\\\nstill\\\n2,"open\n'));
    const brokenHeader = await readCsvHeader(broken, { gzip: false, delimiter: ',', escape: 'backslash' });
    const before: InputRecord[] = [];
    await expect(async () => {
      for await (const record of readCsvRecords(openInput(broken, { gzip: false, startOffset: brokenHeader.byteEnd }), { delimiter: ',', escape: 'backslash', header: brokenHeader, textColumn: 'text', startOffset: brokenHeader.byteEnd, startIndex: 0 })) before.push(record);
    }).rejects.toThrow(/unterminated quoted field/);
    expect(before.map((r) => [r.index, r.text.ok, r.raw])).toEqual([[0, false, '1,held\\\nstill\\\n']]);
    // The default escape reads such a file as before: a backslash there is no escape.
    expect(outcomes((await read(lastCell)).records)).toEqual(['first line\\', '!ragged_row: expected 2 fields, got 1', 'C:\\\\dir\\\\']);
    // A row of more than 1 MiB of such lines goes out in parts, each failed, none scored, the rows after it numbered on.
    const line = `${'x'.repeat(400 * 1024)}\\\n`;
    const long = await read(`id,text\n1,${line.repeat(4)}end\n2,ok\n`, 'backslash', 64 * 1024);
    expect(long.records.map((r) => [r.index, r.text.ok ? r.text.value : r.text.failure.code])).toEqual([[0, 'ragged_row'], [1, 'ragged_row'], [2, 'ok']]);
  });

  it('reads a header with escaped quotes, and writes the new cells escaped the same way', async () => {
    const { header, records } = await read('id,"the \\"text\\"",n\n1,"a ""b",2\n', 'backslash', undefined, 'the "text"');
    expect(header.columns).toEqual(['id', 'the "text"', 'n']);
    // `""` is no escape here: the first quote closes the cell (as csv-parse reads it), the rest is data.
    expect(records[0]!.text.ok).toBe(true);
    const line = formatCsvRecord({ ...records[0]!, text: { ok: false, failure: { code: 'x', message: 'say "a\\b"' } } }, { kind: 'failed', failure: { code: 'x', message: 'say "a\\b"' } }, { delimiter: ',', escape: 'backslash', prefix: 'sentiment', headerWidth: 3 });
    expect(line).toBe('1,"a ""b",2,,,,,"x: say \\"a\\\\b\\""\n');
  });

  it('the checks before a paid run and the oversized-record scanner find the record ends the parser finds', async () => {
    const endCheck = async (content: string, escape: CsvEscape) => {
      const file = temp.file(`end-${Math.random().toString(36).slice(2)}.csv`, content);
      await pipeline(openInput(file, { gzip: false }), new CsvEndCheck(',', escape));
    };
    // An RFC cell ending in a backslash is closed; read with backslash escapes its quote is escaped, the cell open to the end.
    await expect(endCheck('id,text\n1,"C:\\"\n', 'quote')).resolves.toBeUndefined();
    await expect(endCheck('id,text\n1,"C:\\"\n', 'backslash')).rejects.toThrow(/unterminated quoted field/);
    await expect(endCheck(MYSQL, 'backslash')).resolves.toBeUndefined();
    const scanner = new CsvRecordEndScanner(',', 'backslash');
    const body = Buffer.from('1,"said \\"hi\\" and\nmore, stuff",5\n2,x,6\n');
    expect(scanner.feed(body)).toBe(body.indexOf('2,x'));
    expect(new CsvRecordEndScanner(',').feed(body)).toBe(body.indexOf('more'));
  });
});

describe('a quote left open, read with --escape backslash', () => {
  // An RFC 4180 file given --escape backslash: `"C:\dir\"` has its closing quote escaped, the cell runs to the end. The
  // line advised doubling every quote (""), which that flag reads as no escape: the file stayed unreadable.
  it('says to escape quotes with a backslash, or to read a file of doubled quotes without the flag', async () => {
    const rfc = 'id,text\n1,"C:\\dir\\"\n2,ok\n';
    const advice = /^unterminated quoted field: the record starting at line 2, byte 8 opens a quote \("\) that is never closed before the end of the input\. Close the quote, or write every quote inside a quoted field after a backslash \(\\"\); a file that doubles them \(""\) reads without --escape backslash$/;
    // The reader's (the embedded model's run, estimate, report) and the check before a paid run's.
    await expect(read(rfc, 'backslash')).rejects.toThrow(advice);
    const file = temp.file('rfc.csv', rfc);
    await expect(pipeline(openInput(file, { gzip: false }), new CsvEndCheck(',', 'backslash'))).rejects.toThrow(advice);
    // The header's, cut mid-line: the same advice after the cut one's.
    const header = temp.file('rfc-header.csv', 'id,"C:\\dir\\",n\n1,a');
    await expect(readCsvHeader(header, { gzip: false, delimiter: ',', escape: 'backslash' })).rejects.toThrow(/mid-line: .*If the file is complete, close the quote, or write every quote inside a quoted field after a backslash \(\\"\); a file that doubles them \(""\) reads without --escape backslash$/);
    // The default escape's advice is as before.
    await expect(read('id,text\n1,"open\n2,ok\n')).rejects.toThrow(/\. Close the quote, or double every quote inside a quoted field \(""\)$/);
  });
});

describe('an RFC 4180 file (quotes doubled) given --escape backslash', () => {
  // `1,"said ""hi"""` read with backslash escapes keeps its quotes in the text, and was scored so with no word: a
  // backslash-escaped writer never doubles a quote in a quoted cell. The run now says so once; nothing else changes.
  it('is said once, naming the flag to drop, and every row is read and scored as before', async () => {
    const rfc = 'id,text\n1,"plain"\n2,"said ""hi"""\n3,"a ""b"" c"\n4,""\n';
    const readTexts = ['plain', '"said ""hi"""', '"a ""b"" c"', ''];
    const warnings = async (content: string) => {
      const file = temp.file(`doubled-${Math.random().toString(36).slice(2)}.csv`, Buffer.from(content));
      const warned: string[] = [];
      const source = await openSource({ ...DEFAULTS, input: file, output: `${file}.out.csv`, escape: 'backslash' }, file, (line) => warned.push(line));
      try {
        const texts: string[] = [];
        for await (const record of source.records(source.firstRecordOffset, 0)) texts.push(record.text.ok ? record.text.value : `!${record.text.failure.code}`);
        return { warned, texts };
      } finally {
        await source.release();
      }
    };
    const found = await warnings(rfc);
    expect(found.texts).toEqual(readTexts);
    expect(found.warned).toEqual([
      'data row 2 has a quote doubled inside a quoted cell (""), which RFC 4180 writers write and a backslash-escaped export never does: read with --escape backslash, such a cell is scored with its quotes in its text; the file looks RFC 4180: run it without --escape backslash. Rows are scored as read; later rows like it are not named here',
    ]);
    // The reader's records themselves are unchanged: same texts, same bytes.
    expect(outcomes((await read(rfc, 'backslash')).records)).toEqual(readTexts);
    // A backslash-escaped export says nothing: `\"` in a cell, an empty quoted cell (MySQL's empty string), `""` unquoted.
    expect((await warnings('id,text,n\n1,"said \\"hi\\"","",5\n2,"",a""b\n3,"x\\\\","\\""\n')).warned).toEqual([]);
  });
});

describe('the escape setting', () => {
  it('is a flag and a job-file key, quote or backslash, refused otherwise in one line', () => {
    expect(parseJobFlags(['--escape', 'backslash']).flags.escape).toBe('backslash');
    expect(() => parseJobFlags(['--escape', 'mysql'])).toThrow(new ConfigError("--escape expects one of quote, backslash, got 'mysql'"));
    const job = path.join(temp.dir, 'job.json');
    writeFileSync(job, JSON.stringify({ input: 'in.csv', escape: 'backslash' }));
    expect(resolveSettings({ flags: {}, jobFile: readJobFile(job), jobFilePath: job, env: {} }).escape).toBe('backslash');
  });

  it('is part of the settings a checkpoint hashes; the default leaves the hash as before', () => {
    const source = { format: 'csv' as const, delimiter: ',', text: 'text' };
    const scorer = { modelId: 'm', endpoint: undefined };
    const settings = { ...DEFAULTS, input: 'in.csv', output: 'out.csv' };
    const quote = outputSettingsOf(settings, { ...source, escape: 'quote' }, scorer);
    const backslash = outputSettingsOf(settings, { ...source, escape: 'backslash' }, scorer);
    expect(quote).toEqual(outputSettingsOf(settings, source, scorer));
    expect(quote).not.toHaveProperty('escape');
    expect(hashSettings(backslash)).not.toBe(hashSettings(quote));
  });
});
