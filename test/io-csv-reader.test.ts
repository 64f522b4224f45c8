import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, ExitCode, InputError } from '../src/errors.js';
import { readCsvHeader, readCsvRecords, splitCsvHeader, textColumnIndex, type CsvHeader } from '../src/io/csv-reader.js';
import { MAX_HEADER_BYTES } from '../src/io/csv-header.js';
import { openInput } from '../src/io/open-input.js';
import type { InputRecord } from '../src/io/record.js';
import { collect, fixture, readCsvFile, reassemble, sliceProblems, tempDir, trickle } from './io-helpers.js';

const temp = tempDir();
afterAll(() => temp.cleanup());

/** Reads `content` from a temp file and checks the byte-exact round trip before returning. */
async function roundTrip(content: string | Buffer, options: { textColumn: string; delimiter?: string; name?: string }) {
  const bytes = Buffer.from(content);
  const file = temp.file(options.name ?? `in-${Math.random().toString(36).slice(2)}.csv`, bytes);
  const read = await readCsvFile(file, options);
  expect(reassemble(read.header, read.records).equals(bytes)).toBe(true);
  expect(sliceProblems(bytes, read.header.byteEnd, read.records)).toEqual([]);
  return { ...read, file, bytes };
}

const texts = (records: InputRecord[]) => records.map((r) => (r.text.ok ? r.text.value : `!${r.text.failure.code}`));

/** Reads records from bytes delivered in chunks of `size` (stresses every chunk boundary). */
async function readChunked(bytes: Buffer, header: CsvHeader, size: number, textColumn: string, delimiter = ',') {
  return collect(
    readCsvRecords(trickle(bytes.subarray(header.byteEnd), size), { delimiter, header, textColumn, startOffset: header.byteEnd, startIndex: 0 }),
  );
}

describe('readCsvHeader', () => {
  it('reads columns, line ending and the offset just past the header', async () => {
    const header = await readCsvHeader(fixture('quoted-crlf.csv'), { gzip: false, delimiter: ',' });
    expect(header).toEqual({ columns: ['id', 'review', 'stars'], raw: 'id,review,stars\r\n', bom: false, lineEnding: '\r\n', byteEnd: 17, delimiter: ',', quote: '"' });
  });

  it('counts the BOM in byteEnd but keeps it out of raw', async () => {
    const header = await readCsvHeader(fixture('bom-semicolon.csv'), { gzip: false, delimiter: ';' });
    expect(header).toEqual({ columns: ['id', 'text', 'note'], raw: 'id;text;note\n', bom: true, lineEnding: '\n', byteEnd: 16, delimiter: ';', quote: '"' });
  });

  it('reads a quoted header with a line break inside and CR-only line endings', async () => {
    const file = temp.file('cr.csv', '"multi\nline",text\r1,a\r2,b\r');
    const header = await readCsvHeader(file, { gzip: false, delimiter: ',' });
    expect(header).toMatchObject({ columns: ['multi\nline', 'text'], raw: '"multi\nline",text\r', lineEnding: '\r', byteEnd: 18 });
  });

  it('fails on an empty file, a BOM-only file and a blank first line', async () => {
    for (const content of ['', '\uFEFF']) {
      const file = temp.file('empty.csv', content);
      const error = await readCsvHeader(file, { gzip: false, delimiter: ',' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).message).toBe(`input '${file}' is empty: expected a header row with the column names`);
      expect((error as InputError).exitCode).toBe(ExitCode.Input);
    }
    const blank = temp.file('blank.csv', '\na,b\n');
    await expect(readCsvHeader(blank, { gzip: false, delimiter: ',' })).rejects.toThrow(/first line of the input is blank/);
  });

  // A refusal says what to do (found by the input fuzz, seed 3171: a CR before the header): the blank lines above the
  // header are counted, CRLF as one line ending, and a file of blank lines alone is told apart.
  it('says to delete the blank lines above the header, naming the first line that is not blank', async () => {
    const cases: Array<[string, string]> = [
      ['\na,b\n1,2\n', 'the first line of the input is blank: expected a header row with the column names; line 2 is the first that is not blank: delete the blank line above it so that the header comes first, then run the same command'],
      ['\uFEFF\r\n\r\r\na\tb\n', 'the first line of the input is blank: expected a header row with the column names; line 4 is the first that is not blank: delete the 3 blank lines above it so that the header comes first, then run the same command'],
      ['\n\r\n\n', 'the first line of the input is blank: expected a header row with the column names; the input holds only blank lines (3): check the export, which wrote no header row and no records'],
    ];
    for (const [content, message] of cases) {
      const error = await readCsvHeader(temp.file('blank.csv', content), { gzip: false, delimiter: content.includes('\t') ? '\t' : ',' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).message).toBe(message);
    }
  });

  it("refuses Excel's sep= first line, with or without a BOM, whatever delimiter is in use, naming the one it gives", async () => {
    const cases: Array<[string, string, RegExp]> = [
      ['sep=;\nid;text\n', ',', /^the first line is Excel's 'sep=;', .*: delete that line so the header comes first, then run with --delimiter ';'$/],
      ['\uFEFFsep=;\r\nid;text\r\n', ';', /: delete that line so the header comes first$/],
      ['SEP=,\nid,text\n', ',', /^the first line is Excel's 'SEP=,', .*first$/],
      ['sep=\t\nid\ttext\n', ',', /'sep=\\t'.*--delimiter tab$/],
    ];
    for (const [content, delimiter, message] of cases) {
      const file = temp.file('excel.csv', content);
      const error = await readCsvHeader(file, { gzip: false, delimiter }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).message).toMatch(message);
    }
    // Quoted, as some exporters write it ("sep=;"): the same line. It was read as a one-column header 'sep=;',
    // whose hint said to add --delimiter ';', also to a run that had it already.
    for (const delimiter of [';', ',']) {
      const error = await readCsvHeader(temp.file('quoted-sep.csv', '"sep=;"\r\nid;text\r\n'), { gzip: false, delimiter }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).message).toBe(
        `the first line is Excel's '"sep=;"', which names the delimiter, not a header row with the column names: delete that line so the header comes first${delimiter === ';' ? '' : ", then run with --delimiter ';'"}`,
      );
    }
    // A column that only starts so is a column.
    const header = await readCsvHeader(temp.file('sep-col.csv', 'sep=;x,text\n'), { gzip: false, delimiter: ',' });
    expect(header.columns).toEqual(['sep=;x', 'text']);
  });

  // Each UTF-16 refusal names the command that converts it, with the byte order a file without a mark is in.
  it('rejects a header with NUL bytes (UTF-16 without BOM looks like that), with the iconv that converts it', async () => {
    const file = temp.file('utf16.csv', Buffer.from('id,text\n1,a\n', 'utf16le'));
    await expect(readCsvHeader(file, { gzip: false, delimiter: ',' })).rejects.toThrow(
      'the header row contains NUL bytes: the file looks like UTF-16 (little-endian, no byte-order mark) or binary data; save it as UTF-8 text, e.g. iconv -f UTF-16LE -t UTF-8 in.csv > in-utf8.csv',
    );
    const big = temp.file('utf16be.csv', Buffer.from('id,text\n1,a\n', 'utf16le').swap16());
    await expect(readCsvHeader(big, { gzip: false, delimiter: ',' })).rejects.toThrow(/\(big-endian, no byte-order mark\) or binary data; save it as UTF-8 text, e.g. iconv -f UTF-16BE -t UTF-8 in.csv > in-utf8.csv$/);
  });

  it('rejects a UTF-16 byte-order mark as invalid UTF-8 at byte 0', async () => {
    const file = temp.file('utf16bom.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('id,text\n', 'utf16le')]));
    await expect(readCsvHeader(file, { gzip: false, delimiter: ',' })).rejects.toThrow(
      'input is not valid UTF-8 at byte 0 (it starts with a UTF-16 byte-order mark; save the file as UTF-8, e.g. iconv -f UTF-16 -t UTF-8 in.csv > in-utf8.csv)',
    );
  });

  it('finds a header that is longer than one chunk (multi-chunk accumulation)', async () => {
    const columns = Array.from({ length: 9000 }, (_, i) => `column_${i}`);
    const content = `${columns.join(',')}\r\n${columns.map((_, i) => i).join(',')}\r\n`;
    const { header, records } = await roundTrip(content, { textColumn: 'column_8999' });
    expect(header.columns).toEqual(columns);
    expect(header.byteEnd).toBeGreaterThan(64 * 1024);
    expect(texts(records)).toEqual(['8999']);
  });

  it('gives up on a header that never ends (an unclosed quote) instead of reading the whole file', async () => {
    const file = temp.file('open-header.csv', `id,"text\n${'1,a\n'.repeat(600_000)}`);
    await expect(readCsvHeader(file, { gzip: false, delimiter: ',' })).rejects.toThrow(
      /^the header row is longer than the limit of 1 MiB \(1,048,576 bytes\): no end of it in the first 1,[01]\d\d,\d\d\d bytes read; taken as a broken file; check for a quote/,
    );
    const small = temp.file('open-header-small.csv', 'id,"text\n1,a\n');
    await expect(readCsvHeader(small, { gzip: false, delimiter: ',' })).rejects.toThrow(
      /^unterminated quoted field: the record starting at line 1, byte 0 opens a quote/,
    );
  });

  it('refuses a header row one byte over 1 MiB, even with its end in reach, and reads one of exactly 1 MiB (line ending counted, BOM not)', async () => {
    const headerOf = (bytes: number) => `id,${'c'.repeat(bytes - 'id,'.length - 1)}\n`;
    const exact = temp.file('header-exact.csv', `\uFEFF${headerOf(MAX_HEADER_BYTES)}1,a\n`);
    const header = await readCsvHeader(exact, { gzip: false, delimiter: ',' });
    expect(header.byteEnd).toBe(3 + MAX_HEADER_BYTES);
    const over = temp.file('header-over.csv', `${headerOf(MAX_HEADER_BYTES + 1)}1,a\n`);
    await expect(readCsvHeader(over, { gzip: false, delimiter: ',' })).rejects.toThrow(
      'the header row is 1,048,577 bytes, longer than the limit of 1 MiB (1,048,576 bytes); taken as a broken file; check for a quote',
    );
    // The operator's case: a 1,488,895-byte header was scored. Now it is refused once 1 MiB is read with no end in sight.
    const wide = temp.file('header-wide.csv', `${headerOf(1_488_895)}1,a\n`);
    await expect(readCsvHeader(wide, { gzip: false, delimiter: ',' })).rejects.toThrow(/^the header row is longer than the limit of 1 MiB \(1,048,576 bytes\): no end of it in the first 1,/);
  });

  it('splitCsvHeader hands back the rest of a one-shot stream (stdin) from byteEnd on', async () => {
    const bytes = readFileSync(fixture('quoted-crlf.csv'));
    const { header, rest } = await splitCsvHeader(trickle(bytes, 5), { delimiter: ',' });
    expect(header.byteEnd).toBe(17);
    const records = await collect(readCsvRecords(rest, { delimiter: ',', header, textColumn: 'review', startOffset: 17, startIndex: 0 }));
    expect(reassemble(header, records).equals(bytes)).toBe(true);
  });
});

describe('textColumnIndex', () => {
  const header: CsvHeader = { columns: ['id', 'Review ', 'x', 'x'], raw: '', bom: false, lineEnding: '\n', byteEnd: 0, delimiter: ',', quote: '"' };

  it('finds the column by exact name', () => {
    expect(textColumnIndex(header, 'id')).toBe(0);
  });

  it('finds a name written in another Unicode form (decomposed accents) as the same name', () => {
    const decomposed = { ...header, columns: ['id', 'Revi\u0301ew'] };
    expect(textColumnIndex(decomposed, 'Rev\u00edew')).toBe(1);
  });

  it('lists the columns that exist and suggests a near match', () => {
    expect(() => textColumnIndex(header, 'review')).toThrow(ConfigError);
    expect(() => textColumnIndex(header, 'review')).toThrow(
      "--text-column 'review' is not in the header; the columns are: 'id', 'Review ', 'x', 'x' (did you mean 'Review '?)",
    );
    // A typo a letter or two off is suggested too.
    expect(() => textColumnIndex(header, 'Reveiw')).toThrow(/\(did you mean 'Review '\?\)$/);
  });

  // An Excel or Google Sheets header pasted from a web page: 'Review' + a no-break space. It was listed and suggested as
  // 'Review ', which looks like a plain space: typing --text-column 'Review ' was refused with the same suggestion again.
  it('shows a no-break space or an invisible character in a name as an escape, and how to type it', () => {
    const nbsp = { ...header, columns: ['ID', 'Review\u00a0', 'Rating\u200b'] };
    expect(() => textColumnIndex(nbsp, 'Review ')).toThrow(
      "--text-column 'Review ' is not in the header; the columns are: 'ID', 'Review\\u00a0', 'Rating\\u200b' (did you mean 'Review\\u00a0'? " +
        "\\u00a0 is a no-break space, not a plain one: in bash or zsh type it as $'Review\\u00a0' (in a job file, \"Review\\u00a0\"), or rename the column in the file)",
    );
  });

  // Excel lets a header cell hold a line break (Alt+Enter): listed as 'Review\ntext' already, but with no word of how to type it.
  it('says how to type a name holding a line break', () => {
    const broken = { ...header, columns: ['ID', 'Review\ntext'] };
    expect(() => textColumnIndex(broken, 'Review')).toThrow(
      "(did you mean 'Review\\ntext'? \\n is a line break: in bash or zsh type it as $'Review\\ntext' (in a job file, \"Review\\ntext\"), or rename the column in the file)",
    );
  });

  // `--text-column text,date` (a list, as other tools take one) was told "did you mean 'text'?": following it scored the
  // one column and dropped the other without a word. Each part being a column, the line says how to name several.
  it('says how to join several columns named as one list', () => {
    const four = { ...header, columns: ['id', 'title', 'review', 'rating'] };
    expect(() => textColumnIndex(four, 'title,review')).toThrow(
      new ConfigError(
        "--text-column 'title,review' is not in the header; the columns are: 'id', 'title', 'review', 'rating'; it names 2 of them: to join their texts, repeat the flag: --text-column 'title' --text-column 'review'",
      ),
    );
    expect(() => textColumnIndex(four, 'title; review')).toThrow(/; it names 2 of them: to join their texts, repeat the flag: --text-column 'title' --text-column 'review'$/);
    expect(() => textColumnIndex(four, 'title,review', { named: '--text-field' })).toThrow(/repeat the flag: --text-field 'title' --text-field 'review'$/);
    // Quoted with a space between, as `--text-column "title review"`: offered 'review' alone, the title dropped.
    expect(() => textColumnIndex(four, 'title review')).toThrow(/; it names 2 of them: to join their texts, repeat the flag: --text-column 'title' --text-column 'review'$/);
    // A part that is no column: the list is not offered.
    expect(() => textColumnIndex(four, 'title,body')).not.toThrow(/it names/);
    expect(() => textColumnIndex(four, 'title body')).not.toThrow(/it names/);
    // Spaces as typed, more than one or around the names: the same list.
    expect(() => textColumnIndex(four, ' title  review ')).toThrow(/; it names 2 of them: to join their texts, repeat the flag: --text-column 'title' --text-column 'review'$/);
  });

  // `--text-column 3` (a column counted as cut and awk count them) was offered the nearest name by letters, with no
  // word that columns are named: the line now says which column that number is.
  it('says a column is named, not numbered, and which one the number counts to', () => {
    const four = { ...header, columns: ['id', 'title', 'review', 'rating'] };
    expect(() => textColumnIndex(four, '3')).toThrow(
      new ConfigError(
        "--text-column '3' is not in the header; the columns are: 'id', 'title', 'review', 'rating'; a column is named, not numbered: column 3, counting from 1, is 'review': run again with --text-column 'review'",
      ),
    );
    // A number past the last column: no column to offer.
    expect(() => textColumnIndex(four, '9')).not.toThrow(/counting from 1/);
  });

  // A header-only export whose one name is garbled (input-fuzz seed 7727, `"id""körp:er"` and CR): no likely column, no
  // near name, and the line ended at the list, saying nothing to do.
  it('a name near none of the columns, none likely: says to name one of them', () => {
    const garbled = { ...header, columns: ['id"körp:er'] };
    expect(() => textColumnIndex(garbled, 'körper')).toThrow("--text-column 'körper' is not in the header; the columns are: 'id\"körp:er'; name one of them: run again with --text-column NAME");
  });

  it('never offers a column with no name, which --text-column refuses', () => {
    const unnamed = { ...header, columns: ['id', ''] };
    expect(() => textColumnIndex(unnamed, 'x')).toThrow("--text-column 'x' is not in the header; the columns are: 'id', ''");
    expect(() => textColumnIndex(unnamed, 'text', { named: false, likely: 1 })).toThrow(/\(column 2 holds text but has no name, and --text-column needs one: write a name for it in the header, such as text, which is read by default\)$/);
    expect(() => textColumnIndex({ ...header, columns: ['id', 'body'] }, 'text', { likely: 1 })).toThrow(/\(did you mean 'body'\?\)$/);
  });

  // A headerless export (psql's \copy ... csv without `header`, COPY ... TO, MySQL's INTO OUTFILE) has a record for its
  // first line. It was offered that record's review as a column ("did you mean 'Great product, works well'?"), and the
  // run that followed the advice exited 0 with the first record taken for the header: read, written back, never scored.
  it('says a first line that reads as a record is no header, and offers none of its values as a column', () => {
    const record = { ...header, columns: ['1', 'Great product, works well', '5'] };
    const said =
      "--text-column 'review' is not in the header; the columns are: '1', 'Great product, works well', '5'; the first line reads as a record, " +
      "not a header ('1' is a value, 'Great product, works well' a text), so the export has no header row (psql's \\copy ... csv without header, " +
      "COPY ... TO and MySQL's INTO OUTFILE write none) and its first record would be taken for one, never scored: export it with its header " +
      "(\\copy ... csv header), or put a line of column names in front of it, naming column 2 review";
    expect(() => textColumnIndex(record, 'review')).toThrow(new ConfigError(said));
    // The default nobody typed, the likely text column offered, and a column number: still no value offered as a name.
    const byDefault = () => textColumnIndex(record, 'text', { named: false, likely: 1 });
    expect(byDefault).toThrow(/naming column 2 text \(the text column read by default\)$/);
    expect(byDefault).not.toThrow(/did you mean/);
    expect(() => textColumnIndex(record, '2')).toThrow(/naming column 2 text \(the text column read by default\)$/);
    // A review with a line break in it (an export of multi-line reviews) and a date are a record too.
    const multiline = { ...header, columns: ['2026-11-01', 'Great sound.\nBattery lasts all week.'] };
    expect(() => textColumnIndex(multiline, 'body')).toThrow(/\('2026-11-01' is a value, 'Great sound\.\\nBattery lasts all week\.' a text\)/);
    // Real headers are left alone: a question as a column name (Google Forms), names with numbers, pandas' 0, 1, 2.
    const forms = { ...header, columns: ['Timestamp', 'How satisfied were you with the product?', 'Q3 2026'] };
    expect(() => textColumnIndex(forms, 'review')).not.toThrow(/reads as a record/);
    const pandas = { ...header, columns: ['', '0', '1'] };
    expect(() => textColumnIndex(pandas, 'review')).not.toThrow(/reads as a record/);
  });

  // A headerless export whose ids are codes, not numbers (jq -r '.[]|[.id,.review]|@csv': `"a1b2","Absolutely love it…"`):
  // no value or date in the line, so the missing-column line offered the review as the name ("did you mean 'Absolutely
  // love it…'?"). A line shaped as the record below it, a code above a code and a text above a text, is a record too.
  it('says a first line shaped as the record below it is no header, when its ids are codes', () => {
    const review = 'Absolutely love it, the battery lasts for days and the screen is bright.';
    const record = { ...header, columns: ['a1b2', review] };
    const next = ['c3d4', 'Terrible. Broke after a week and support never answered my emails.'];
    const byDefault = () => textColumnIndex(record, 'text', { named: false, likely: 1, next });
    expect(byDefault).toThrow(
      `; the first line reads as a record, not a header ('a1b2' is shaped as the 'c3d4' below it, '${review}' is a text), so the export has no header row`,
    );
    expect(byDefault).toThrow(/naming column 2 text \(the text column read by default\)$/);
    expect(byDefault).not.toThrow(/did you mean/);
    expect(() => textColumnIndex(record, 'review', { likely: 1, next })).toThrow(/reads as a record.*naming column 2 review$/);
    // A survey's header is not so shaped: a name above a code, or a question, whatever is below it.
    const below = ['r001', 'Great service and friendly staff all round'];
    const survey = { ...header, columns: ['respondent', 'Tell us what you think of the service'] };
    expect(() => textColumnIndex(survey, 'text', { named: false, likely: 1, next: below })).toThrow(/\(did you mean 'Tell us what you think of the service'\?\)$/);
    const question = { ...header, columns: ['q1', 'What did you think of our service?'] };
    expect(() => textColumnIndex(question, 'text', { named: false, likely: 1, next: below })).toThrow(/\(did you mean 'What did you think of our service\?'\?\)$/);
    // A code above a text, or a text above a short value: not the shape of the record below.
    expect(() => textColumnIndex(record, 'text', { named: false, likely: 1, next: ['c3d4', 'ok'] })).not.toThrow(/reads as a record/);
  });

  // A headerless export with two text columns (Booking.com's: Negative_Review is column 5, Positive_Review column 8). The
  // advice named the first text it met: "naming column 5 Positive_Review", which, followed, scored the negative reviews
  // under the name asked for, exit 0 (operator11). It names every column that reads as a text now, and asserts none.
  it('names every column of a headerless first line that reads as a text, not the first one as the one asked for', () => {
    const booking = { ...header, columns: ['8/3/2017', '7.7', 'Hotel Arena', 'Russia', 'I am so angry that i made this post', '397', '1403', 'Only the park outside of the hotel was beautiful', '11', '7', '2.9'] };
    const said = () => textColumnIndex(booking, 'Positive_Review');
    expect(said).toThrow(/reads as a record/);
    expect(said).not.toThrow(/naming column 5 Positive_Review/);
    expect(said).toThrow(/naming Positive_Review the column of the texts to score \(columns 5 and 8 read as texts\)$/);
  });

  // The real Booking.com sample's first record holds a review of 1,861 characters: the refusal quoted it whole twice (the
  // columns listed, then "'…' a text"), a line of 4,388 bytes with the advice at its end. A headerless line's
  // cells are values, not names to type, so each is shown cut at 80 characters.
  it("shows a headerless first line's long cells cut, in the list and in the advice", () => {
    const review = `I am so angry that i made this post available via all possible sites ${'and the room was not the one we booked '.repeat(50)}`;
    const booking = { ...header, columns: ['8/3/2017', '7.7', 'Hotel Arena', 'Russia', review, '397', '1403', 'Only the park outside of the hotel was beautiful', '11', '7', '2.9'] };
    let message = '';
    try {
      textColumnIndex(booking, 'Positive_Review');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/reads as a record/);
    expect(message).not.toContain(review.slice(0, 81));
    expect(message).toContain(`'${review.slice(0, 80)}…'`);
    expect(message.length).toBeLessThan(1000);
  });

  // A header whose names include a date or a number (a pivot's columns) beside a question: the typed name nearly one of
  // its cells is a typo of a header name. It was told "the export has no header row ... put a line of column names in
  // front of it", which, followed, turns the real header into a record that is scored.
  it('offers the near name of a header with a date-named column, not the headerless advice', () => {
    const pivot = { ...header, columns: ['id', '2024-01-01', 'Tell us about your stay'] };
    expect(() => textColumnIndex(pivot, 'Tell us about you stay')).toThrow(/\(did you mean 'Tell us about your stay'\?/);
    expect(() => textColumnIndex(pivot, 'Tell us about you stay')).not.toThrow(/reads as a record/);
  });

  // A survey export's header: number-named columns (question numbers, pandas' 0, 1, 2) beside a question. It was told
  // "the export has no header row ... put a line of column names in front of it", which, followed, makes the real header
  // a scored record; the column whose values read as reviews is offered, as for other headers.
  it('offers the likely text column of a header with number-named columns beside a question, not the headerless advice', () => {
    const survey = { ...header, columns: ['respondent', '0', '1', '2', 'What could we do better?'] };
    const byDefault = () => textColumnIndex(survey, 'text', { named: false, likely: 4 });
    expect(byDefault).toThrow(/\(did you mean 'What could we do better\?'\?\)$/);
    expect(byDefault).not.toThrow(/reads as a record/);
    // Numbers that do not count up are a record's (an id, a rating, a count): still the headerless advice.
    const record = { ...header, columns: ['17', '3', '1', '4', 'The checkout kept timing out'] };
    expect(() => textColumnIndex(record, 'text', { named: false, likely: 4 })).toThrow(/reads as a record/);
    // Ratings counting up beside an id (2 of the 10,000 records of the Booking sample count up so): a record still.
    const ratings = { ...header, columns: ['1001', '3', '4', '5', 'The room was clean but the staff were rude'] };
    expect(() => textColumnIndex(ratings, 'text', { named: false, likely: 4 })).toThrow(/reads as a record/);
    const years = { ...header, columns: ['2024', '2025', '2026', 'What changed over these three years?'] };
    expect(() => textColumnIndex(years, 'text', { named: false, likely: 3 })).not.toThrow(/reads as a record/);
    const twoOnly = { ...header, columns: ['1', '2', 'Great product, works well'] };
    expect(() => textColumnIndex(twoOnly, 'review')).toThrow(/reads as a record/);
  });

  // Ratings counting up with no id beside them (`3,4,5,<review>`) were taken for column numbers, the line for a header,
  // and its review offered as the text column's name: followed, the first record is never scored. Column numbers count
  // from 0 (pandas) or 1 (question numbers), or are years; a run from elsewhere is a record's, unless a name stands beside it.
  it('reads ratings counting up from 2 or more, with nothing but a text beside them, as a record', () => {
    const ratings = { ...header, columns: ['3', '4', '5', 'The room was clean but the staff were rude.'] };
    expect(() => textColumnIndex(ratings, 'text', { named: false, likely: 3 })).toThrow(/reads as a record/);
    expect(() => textColumnIndex(ratings, 'text', { named: false, likely: 3 })).not.toThrow(/did you mean/);
    // Headers all the same: numbered from 0 or 1, years, or a name (respondent) beside numbers counted from 3.
    for (const columns of [
      ['0', '1', '2', 'What could we do better?'],
      ['1', '2', '3', 'What could we do better?'],
      ['respondent', '3', '4', '5', 'What could we do better?'],
      ['', '3', '4', '5', 'What could we do better?'],
    ]) {
      expect(() => textColumnIndex({ ...header, columns }, 'text', { named: false, likely: columns.length - 1 }), columns.join(',')).not.toThrow(/reads as a record/);
    }
  });

  // Ratings counting from 1 with no id (`1,2,3,<review>`): the line alone cannot tell them from question numbers over a
  // question, but the record below can: values under the numbers and a text under the text, and no question (`?`, `:`).
  // It was read as a header, and its review offered as the text column's name.
  it('reads ratings counting up from 1 as a record when the record below is shaped as it', () => {
    const ratings = { ...header, columns: ['1', '2', '3', 'The room was clean but the staff were rude.'] };
    const next = ['4', '5', '3', 'Breakfast was cold and the coffee was awful'];
    const said = () => textColumnIndex(ratings, 'text', { named: false, likely: 3, next });
    expect(said).toThrow(/the first line reads as a record, not a header \('1' is a value, 'The room was clean but the staff were rude\.' a text\).*naming column 4 text \(the text column read by default\); if the line is a survey's question numbers over its question instead, it is the header: run again with --text-column 'The room was clean but the staff were rude\.'$/);
    expect(said).not.toThrow(/did you mean/);
    // Headers still: a question over the answers, numbers from 0 (pandas), a name beside them, no record read below, a
    // record below of another shape (a text under a number).
    const headers: Array<[string[], string[] | undefined]> = [
      [['1', '2', '3', 'What could we do better?'], ['4', '5', '3', 'Faster delivery would be great']],
      [['1', '2', '3', 'Anything else to tell us:'], ['4', '5', '3', 'Faster delivery would be great']],
      [['respondent', '1', '2', '3', 'Tell us about your stay here'], ['r1', '4', '5', '3', 'The room was clean and quiet']],
      [['1', '2', '3', 'Tell us about your stay here'], undefined],
      [['1', '2', '3', 'Tell us about your stay here'], ['very good indeed', '5', '3', 'The room was clean and quiet']],
    ];
    for (const [columns, below] of headers) {
      const call = () => textColumnIndex({ ...header, columns }, 'text', { named: false, likely: columns.length - 1, ...(below ? { next: below } : {}) });
      expect(call, columns.join(',')).not.toThrow(/reads as a record/);
    }
  });

  // The same line is a survey's question numbers over a question that ends in no `?` or `:` (`1,2,3,Tell us about your
  // stay` over answers of the same shape): told flatly that it was no header and to put a line of names in front, which,
  // followed, scored the question as a review. The advice says it may be the header, and how to name its question then.
  it('says a line of ratings from 1 over a record of its shape may be a survey question header, and how to name it', () => {
    const survey = { ...header, columns: ['1', '2', '3', 'Tell us about your stay'] };
    const next = ['4', '5', '3', 'The room was clean but the staff were rude and slow'];
    const byDefault = () => textColumnIndex(survey, 'text', { named: false, likely: 3, next });
    expect(byDefault).toThrow(/reads as a record.*naming column 4 text \(the text column read by default\); if the line is a survey's question numbers over its question instead, it is the header: run again with --text-column 'Tell us about your stay'$/);
    expect(() => textColumnIndex(survey, 'review', { likely: 3, next })).toThrow(/naming column 4 review; if the line is a survey's question numbers over its question instead, it is the header: run again with --text-column 'Tell us about your stay'$/);
    // A line with an id or a date beside the text is a record however its numbers run: no such clause.
    const record = { ...header, columns: ['1', 'Great product, works well', '5'] };
    expect(() => textColumnIndex(record, 'review')).not.toThrow(/survey/);
    // A review longer than a question (or of several lines) is not offered as one.
    const long = `The room was clean but the staff were rude, ${'and the breakfast was cold every morning '.repeat(3)}`;
    expect(() => textColumnIndex({ ...header, columns: ['1', '2', '3', long] }, 'text', { named: false, likely: 3, next })).toThrow(/naming column 4 text \(the text column read by default\)$/);
    const lines = { ...header, columns: ['1', '2', '3', 'Great room.\nFriendly staff.'] };
    expect(() => textColumnIndex(lines, 'text', { named: false, likely: 3, next })).toThrow(/naming column 4 text \(the text column read by default\)$/);
  });

  // A headerless file of reviews only: its first review was offered as the text column's name ("did you mean 'Great
  // product and it works well'?"), which names a column of one review. The record below, a text too, tells it.
  it('reads a one-column first line that is a text over another text as a record', () => {
    const reviews = { ...header, columns: ['Great product and it works well'] };
    const said = () => textColumnIndex(reviews, 'text', { named: false, likely: 0, next: ['Terrible service and slow delivery'] });
    expect(said).toThrow(
      new ConfigError(
        "the text column 'text' (the default; name yours with --text-column) is not in the header; the columns are: 'Great product and it works well'; " +
          "the first line reads as a record, not a header ('Great product and it works well' is a text, as the 'Terrible service and slow delivery' below it is), " +
          "so the export has no header row (psql's \\copy ... csv without header, COPY ... TO and MySQL's INTO OUTFILE write none) and its first record would be taken for one, " +
          'never scored: export it with its header (\\copy ... csv header), or put a line of column names in front of it, naming column 1 text (the text column read by default)',
      ),
    );
    // A header still: a short name, a question or an instruction ending in ':', a name typed nearly, or no record read below.
    for (const [columns, below, name] of [
      [['review text'], ['Terrible service and slow delivery'], 'text'],
      [['What did you think of it?'], ['Terrible service and slow delivery'], 'text'],
      [['Please write your review here:'], ['Terrible service and slow delivery'], 'text'],
      [['Your review of the product'], ['Terrible service and slow delivery'], 'Your review of the prodct'],
      [['Great product and it works well'], undefined, 'text'],
      [['Great product and it works well'], ['5'], 'text'],
    ] as Array<[string[], string[] | undefined, string]>) {
      const call = () => textColumnIndex({ ...header, columns }, name, { named: false, likely: 0, ...(below ? { next: below } : {}) });
      expect(call, columns.join(',')).not.toThrow(/reads as a record/);
    }
  });

  // An empty cell is a name beside column numbers only where pandas writes its unnamed index's (`,3,4,5,…`, first): a
  // record's empty title after its ratings (`3,4,5,,<review>`) left the line a header, its review offered as a name.
  it('reads ratings counting up from 2 or more with an empty cell after them as a record', () => {
    const ratings = { ...header, columns: ['3', '4', '5', '', 'The room was clean but the staff were rude.'] };
    expect(() => textColumnIndex(ratings, 'text', { named: false, likely: 4 })).toThrow(/reads as a record/);
  });

  it('refuses an ambiguous name and hints at the delimiter for a one-column header', () => {
    expect(() => textColumnIndex(header, 'x')).toThrow(/ambiguous: the header has it 2 times \(columns 3, 4\)/);
    // Said as the delimiter the one column holds, with no "did you mean 'id;text'?" (that column is the whole header).
    const semicolons = { ...header, columns: ['id;text'] };
    expect(() => textColumnIndex(semicolons, 'text')).toThrow(
      new ConfigError("--text-column 'text' is not in the header; the columns are: 'id;text'; the header has only one column and the file looks ';'-separated: add --delimiter ';'"),
    );
    // A German Excel export scored with the default name, or one not in it: the columns the delimiter would give are
    // listed with the near one, so one run says both changes (it said only the delimiter, then the name a run later).
    const excel = { ...header, columns: ['Datum;Bewertung;Review Text;Preis'] };
    expect(() => textColumnIndex(excel, 'text')).toThrow(
      new ConfigError(
        "--text-column 'text' is not in the header; the columns are: 'Datum;Bewertung;Review Text;Preis'; the header has only one column and the file looks ';'-separated: add --delimiter ';' (read so, its columns are 'Datum', 'Bewertung', 'Review Text', 'Preis')",
      ),
    );
    expect(() => textColumnIndex(excel, 'review text')).toThrow(/add --delimiter ';' \(read so, its columns are 'Datum', 'Bewertung', 'Review Text', 'Preis': did you mean 'Review Text'\?\)$/);
    expect(() => textColumnIndex({ ...excel, columns: ['"Datum";"Review; full"'] }, 'text')).toThrow(/add --delimiter ';' \(read so, its columns are 'Datum', 'Review; full'\)$/);
    expect(() => textColumnIndex(excel, 'Review Text')).toThrow(/add --delimiter ';'$/);
    // The delimiter in use is never the advice: a one-column ','-separated file whose quoted cell holds commas (a file of
    // reviews alone, `"Great product, it works well"`) was told to add --delimiter ','. It gets the no-header advice.
    const reviews = { ...header, columns: ['Great product, it works well'] };
    const below = ['Terrible service, slow delivery'];
    const commas = () => textColumnIndex({ ...reviews, delimiter: ',' }, 'text', { named: false, likely: 0, next: below });
    expect(commas).not.toThrow(/-separated/);
    expect(commas).toThrow(/; the first line reads as a record, not a header \('Great product, it works well' is a text, as the 'Terrible service, slow delivery' below it is\).*naming column 1 text \(the text column read by default\)$/);
    expect(() => textColumnIndex({ ...semicolons, delimiter: ';' }, 'text')).not.toThrow(/-separated/);
    // One only inside quotes separates nothing under any delimiter: `"Great product; really, it works well"` was told to
    // add --delimiter ';', and read so, to add --delimiter ',' (one column again). Unquoted, or under --quote none, it is said.
    const quoted = { ...header, columns: ['Great product; really, it works well'], raw: '"Great product; really, it works well"\n' };
    const quotedBelow = ['Terrible service; slow, delivery too'];
    for (const delimiter of [',', ';']) {
      const call = () => textColumnIndex({ ...quoted, delimiter }, 'text', { named: false, likely: 0, next: quotedBelow });
      expect(call, delimiter).not.toThrow(/-separated/);
      expect(call, delimiter).toThrow(/the first line reads as a record, not a header \('Great product; really, it works well' is a text/);
    }
    expect(() => textColumnIndex({ ...quoted, raw: 'Great product; really, it works well\n', delimiter: ',' }, 'text', { next: quotedBelow })).toThrow(/the file looks ';'-separated/);
    expect(() => textColumnIndex({ ...quoted, columns: ['"Great product; really'], delimiter: ',', quote: 'none' }, 'text')).toThrow(/the file looks ';'-separated/);
    // Another delimiter in the one cell is still said, whichever is in use.
    expect(() => textColumnIndex({ ...header, columns: ['id,text'], delimiter: ';' }, 'text')).toThrow(/the file looks ','-separated: add --delimiter ','$/);
    const tabs = { ...header, columns: ['id\ttext'] };
    expect(() => textColumnIndex(tabs, 'text')).toThrow(/the file looks tab-separated: add --delimiter tab$/);
    // A JSON Lines file read as CSV: its "columns" are pieces of the first object.
    const json = { ...header, columns: ['{"id":1', '"text":"great"}'] };
    expect(() => textColumnIndex(json, 'text')).toThrow(/; the file looks like JSON Lines, not CSV: name it \.jsonl, or add --format jsonl$/);
    expect(() => textColumnIndex(json, 'text')).not.toThrow(/did you mean/);
  });

  // The header line alone cannot tell a delimiter from a review's character: a headerless list of unquoted reviews in a
  // ','-separated file, its first holding a ';', was told to add --delimiter ';' (read so, the next run offered pieces of
  // the review as names). The records read below decide: a delimiter splits most of them as it splits the header.
  it("gives another delimiter's advice only when most records read split by it as the header does", () => {
    const reviews = { ...header, columns: ['Great product; works well'], raw: 'Great product; works well\n', delimiter: ',' };
    const below = [['Terrible broke in a day'], ['Fine for the price'], ['Love it; really; would buy again'], ['Not bad'], ['Arrived late; box damaged; item fine']];
    const told = () => textColumnIndex(reviews, 'text', { named: false, likely: 0, next: below[0]!, sampled: below });
    expect(told).not.toThrow(/-separated/);
    expect(told).toThrow(/the first line reads as a record, not a header \('Great product; works well' is a text, as the 'Terrible broke in a day' below it is\)/);
    // A ';'-separated file: its records split as its header does (one ragged row among them changes nothing).
    const semicolons = { ...header, columns: ['id;text;stars'], raw: 'id;text;stars\n', delimiter: ',' };
    const rows = [['1;great;5'], ['2;bad;1'], ['3;fine;;']];
    expect(() => textColumnIndex(semicolons, 'text', { sampled: rows })).toThrow(/the file looks ';'-separated: add --delimiter ';'$/);
    // None read (a header-only file, or the reader's own call): said as before.
    expect(() => textColumnIndex(reviews, 'text', { sampled: [] })).toThrow(/the file looks ';'-separated/);
  });

  // A ';'-separated file whose every line is quoted whole (`"id;text"` over `"1;Great product"`): no --delimiter splits
  // it, and the name offered ("did you mean 'id;text'?") scored each whole line, its id too, as the review.
  it('says a file whose lines are each quoted whole is so, and offers none of them as a name', () => {
    const whole = { ...header, columns: ['id;text'], raw: '"id;text"\n', delimiter: ',' };
    const call = () => textColumnIndex(whole, 'text', { named: false, likely: 0, next: ['1;Great product'], sampled: [['1;Great product'], ['2;Terrible']] });
    expect(call).not.toThrow(/did you mean/);
    expect(call).toThrow(
      /; the header is one quoted cell holding ';' \('id;text'\), as are the records below it: each line of a ';'-separated file looks quoted whole, which no --delimiter splits; export it again with each cell quoted apart or none quoted$/,
    );
    // A quoted review over reviews (a headerless list) is none: its clauses are no names, nor do the records split so.
    const review = { ...whole, columns: ['Great product; really, it works well'], raw: '"Great product; really, it works well"\n' };
    expect(() => textColumnIndex(review, 'text', { named: false, likely: 0, sampled: [['Terrible'], ['Fine; ok']] })).not.toThrow(/quoted whole/);
    expect(() => textColumnIndex(whole, 'text', { named: false, likely: 0, sampled: [['Terrible'], ['Fine for the price']] })).not.toThrow(/quoted whole/);
  });

  // The delimiter and quote setting the advice weighs are those the header was read with, carried by the header (no
  // caller passes them): '"id;text"' read with --quote none is one column holding ';' outside any quote (';' advice);
  // read with quotes, its ';' is inside one, and in a ','-separated file of quoted reviews ',' is the one in use.
  it('gives the one-column advice for the delimiter and quote setting the header was read with', async () => {
    const file = temp.file('one-quoted.csv', '"id;text"\n"1;great, really"\n');
    const unquoted = await readCsvHeader(file, { gzip: false, delimiter: ',', quote: 'none' });
    expect(unquoted).toMatchObject({ columns: ['"id;text"'], delimiter: ',', quote: 'none' });
    expect(() => textColumnIndex(unquoted, 'text')).toThrow(/the file looks ';'-separated: add --delimiter ';'$/);
    const quoted = await readCsvHeader(file, { gzip: false, delimiter: ',' });
    expect(quoted).toMatchObject({ columns: ['id;text'], delimiter: ',', quote: '"' });
    expect(() => textColumnIndex(quoted, 'text')).not.toThrow(/-separated/);
  });

  // `psql -c 'SELECT …' > reviews.csv` writes psql's aligned table: names padded with spaces, ' | ' between them, a
  // ----+---- line below. It was told to add --delimiter '|', which then offered "did you mean '       review'?", and the
  // ----+---- line and the '(2 rows)' footer would have been rows.
  // A report's title above the header (`Customer reviews Q4,,` then a blank row, as a sheet laid out for people exports
  // it): the name given is in a row below. It was told 'column 2 holds text but has no name: write a name for it'.
  it('says the header is further down when a row below holds the name given', () => {
    const titled = { ...header, columns: ['Customer reviews Q4', '', ''] };
    const sampled = [['', '', ''], ['id', 'body', 'rating'], ['1', 'good stuff', '5']];
    expect(() => textColumnIndex(titled, 'body', { likely: 1, sampled })).toThrow(
      new ConfigError(
        "--text-column 'body' is not in the header; the columns are: 'Customer reviews Q4', '', ''; record 2 below it holds 'body' among 'id', 'body', 'rating': the export has a title or other lines above its header row; delete them so that the header comes first, then run the same command",
      ),
    );
    // A review that is the word itself is no header: the row must hold other names too.
    expect(() => textColumnIndex(titled, 'body', { likely: 1, sampled: [['1', 'body', '']] })).toThrow(/has no name/);
    // A full header over a record that holds the name as a value (a form export's type column: `1,text,Great product`
    // under `id,type,answer`) is no title above a header: the nearest name is offered, as at 8a849ced (review66).
    const survey = { ...header, columns: ['id', 'type', 'answer'] };
    expect(() => textColumnIndex(survey, 'text', { named: false, likely: 2, sampled: [['1', 'text', 'Great product'], ['2', 'rating', '5']] })).toThrow(
      new ConfigError("the text column 'text' (the default; name yours with --text-column) is not in the header; the columns are: 'id', 'type', 'answer' (did you mean 'answer'?)"),
    );
    // `--text-column 2` (a column counted, as cut counts them) under a plain header: the record whose id is 2 is no
    // header below, and the line says which column 2 counts to (review66: it said to delete a title above the header).
    const plain = { ...header, columns: ['id', 'review', 'rating'] };
    const rows = [['1', 'great phone', '5'], ['2', 'awful battery', '1']];
    expect(() => textColumnIndex(plain, '2', { likely: 1, sampled: rows })).toThrow(
      new ConfigError(
        "--text-column '2' is not in the header; the columns are: 'id', 'review', 'rating'; a column is named, not numbered: column 2, counting from 1, is 'review': run again with --text-column 'review'",
      ),
    );
  });

  // The same titled sheet with the default name, its header holding no 'text' (`Reviews export 2026-12-01,,` above
  // `id,review,rating`): it was told 'column 2 holds text but has no name … write a name for it in the header', which
  // renames the title's empty cell (newuser21, left item 2).
  it('says the header is further down for the default name too, when a title is above a row shaped as a header', () => {
    const titled = { ...header, columns: ['Reviews export 2026-12-01', '', ''] };
    const advice = "record 2 below it looks like the header ('id', 'review', 'rating'): the export has a title or other lines above its header row; delete them so that the header comes first, then run again with --text-column 'review'";
    const sampled = [['', '', ''], ['id', 'review', 'rating'], ['1', 'good stuff, would buy again', '5'], ['2', 'broke in a week', '1']];
    expect(() => textColumnIndex(titled, 'text', { named: false, likely: 1, sampled })).toThrow(
      new ConfigError(`the text column 'text' (the default; name yours with --text-column) is not in the header; the columns are: 'Reviews export 2026-12-01', '', ''; ${advice}`),
    );
    // A title of one cell (no delimiter after it): the column is the one whose cells below are longest, not the header's.
    expect(() => textColumnIndex({ ...header, columns: ['Customer reviews Q4'] }, 'text', { named: false, likely: 0, sampled })).toThrow(advice);
    // A headerless export whose second line is all words, under a first one of two filled cells: no title, no advice.
    const headerless = { ...header, columns: ['great', '', 'Berlin'] };
    expect(() => textColumnIndex(headerless, 'text', { named: false, likely: 0, sampled: [['bad', 'meh', 'Paris'], ['fine', 'ok', 'Rome']] })).not.toThrow(/looks like the header/);
    // Nor a title over a lone row of words with nothing below it.
    expect(() => textColumnIndex(titled, 'text', { named: false, likely: 1, sampled: [['bad', 'meh', 'Paris']] })).not.toThrow(/looks like the header/);
    // A record of another width below it (a short line, a note in one cell): the same advice, from the records of its width.
    expect(() => textColumnIndex(titled, 'text', { named: false, likely: 1, sampled: [...sampled, ['exported by the shop']] })).toThrow(advice);
    // Nor a title over a row of one word repeated (a headerless export's review line): names are all different.
    expect(() => textColumnIndex(titled, 'text', { named: false, likely: 1, sampled: [['good', 'good', 'good'], ...sampled.slice(2)] })).not.toThrow(/looks like the header/);
    // Nor one over values: an id, a rating.
    expect(() => textColumnIndex(titled, 'text', { named: false, likely: 1, sampled: sampled.slice(2) })).toThrow(/column 2 holds text but has no name/);
    // Nor a first record of reviews (as long as those below it) under a header or review of one filled cell: `review,`
    // over `Great stay,Would return` was told to delete its header and give --text-column 'Would return' (review68).
    const unnamed = { ...header, columns: ['review', ''] };
    const reviews = [['Great stay', 'Would return'], ['Bad room', 'Never again']];
    expect(() => textColumnIndex(unnamed, 'text', { named: false, likely: 1, sampled: reviews })).toThrow(/column 2 holds text but has no name/);
    const firstReview = { ...header, columns: ['Great product', '', ''] };
    const more = [['Terrible', 'would not buy', 'again'], ['Nice', 'ok', 'fine']];
    expect(() => textColumnIndex(firstReview, 'text', { named: false, likely: 1, sampled: more })).not.toThrow(/looks like the header/);
    // At the bound: a name as long as the values below it on average ('review' over two of 6 characters) names none.
    const bound = [['', '', ''], ['id', 'review', 'rating'], ['1', 'so bad', '5'], ['2', 'superb', '1']];
    expect(() => textColumnIndex(titled, 'text', { named: false, likely: 1, sampled: bound })).not.toThrow(/looks like the header/);
  });

  // The same titled sheet run with a name that is in neither the title nor the header below it (`--text-column body`
  // over `id,review,rating`): it was told 'column 2 holds text but has no name … write a name for it in the header',
  // which renames the title's empty cell (testgap7, M25). It is told where the header is and which column to name.
  it('says the header is further down for a name given that is not in it either', () => {
    const titled = { ...header, columns: ['Reviews export 2026-12-01', '', ''] };
    const sampled = [['', '', ''], ['id', 'review', 'rating'], ['1', 'good stuff, would buy again', '5'], ['2', 'broke in a week', '1']];
    expect(() => textColumnIndex(titled, 'body', { likely: 1, sampled })).toThrow(
      new ConfigError(
        "--text-column 'body' is not in the header; the columns are: 'Reviews export 2026-12-01', '', ''; record 2 below it looks like the header ('id', 'review', 'rating'): the export has a title or other lines above its header row; delete them so that the header comes first, then run again with --text-column 'review'",
      ),
    );
    // A first record of reviews under a titled line is no header below, named or not: column 2 is still told it has no name.
    expect(() => textColumnIndex(titled, 'body', { likely: 1, sampled: sampled.slice(2) })).toThrow(/column 2 holds text but has no name/);
    // A near miss of a name below the title is offered that name, as under a plain header, not the longest column
    // ('comment' over `id,comments,notes` was told --text-column 'notes': review69).
    const notes = [['', '', ''], ['id', 'comments', 'notes'], ['1', 'great', 'called twice about the delivery'], ['2', 'awful', 'returned it the next day']];
    expect(() => textColumnIndex(titled, 'comment', { likely: 2, sampled: notes })).toThrow(
      new ConfigError(
        "--text-column 'comment' is not in the header; the columns are: 'Reviews export 2026-12-01', '', ''; record 2 below it looks like the header ('id', 'comments', 'notes'): the export has a title or other lines above its header row; delete them so that the header comes first, then run again with --text-column 'comments'",
      ),
    );
  });

  it("names psql's aligned table output, with or without --delimiter '|', and how to export CSV instead", () => {
    const advice = "the file looks like psql's aligned table output (names padded with spaces, a line of dashes below them), not an export: write CSV instead, e.g. psql --csv -c 'SELECT …' > reviews.csv, or \\copy (SELECT …) TO 'reviews.csv' CSV HEADER";
    const aligned = { ...header, columns: [' id |       review'], raw: ' id |       review\n' };
    expect(() => textColumnIndex(aligned, 'review')).toThrow(new ConfigError(`--text-column 'review' is not in the header; the columns are: ' id |       review'; ${advice}`));
    const split = { ...header, columns: [' id ', '       review '], raw: ' id |       review \n' };
    expect(() => textColumnIndex(split, 'review')).toThrow(new ConfigError(`--text-column 'review' is not in the header; the columns are: ' id ', '       review '; ${advice}`));
    // psql's unaligned output (-A) is '|'-separated with no padding: the delimiter advice stands.
    expect(() => textColumnIndex({ ...header, columns: ['id|review'], raw: 'id|review\n' }, 'text')).toThrow(/the file looks '\|'-separated: add --delimiter '\|' \(read so, its columns are 'id', 'review'\)$/);
  });

  // `psql -c 'SELECT review FROM …'`: one column, its name centred (` review `) over a line of dashes. It offered "did
  // you mean ' review '?", and followed, the dashes and '(2 rows)' were scored as reviews (3 POSITIVE of 4 rows).
  it("names psql's aligned output of one column, and a plain header with a space on one side keeps its advice", () => {
    const one = { ...header, columns: ['       review       '], raw: '       review       \n' };
    expect(() => textColumnIndex(one, 'review')).toThrow(/; the file looks like psql's aligned table output \(names padded with spaces, a line of dashes below them\), not an export: /);
    expect(() => textColumnIndex(one, 'review')).not.toThrow(/did you mean/);
    expect(() => textColumnIndex({ ...header, columns: ['review '], raw: 'review \n' }, 'text')).not.toThrow(/psql/);
    expect(() => textColumnIndex({ ...header, columns: [' id ; review '], raw: ' id ; review \n' }, 'text')).toThrow(/looks ';'-separated: add --delimiter ';' \(read so, its columns are ' id ', ' review '\)$/);
  });
});

describe('readCsvRecords', () => {
  it('reads quotes, doubled quotes and CRLF inside quoted fields (CRLF file)', async () => {
    const { records } = await roundTrip(readFileSync(fixture('quoted-crlf.csv')), { textColumn: 'review' });
    expect(texts(records)).toEqual(['Great "value", would buy again', 'Line one\r\nline two', 'plain text']);
    expect(records.map((r) => r.index)).toEqual([0, 1, 2]);
    expect(records.map((r) => r.byteEnd)).toEqual([57, 83, 99]);
  });

  it('reads a BOM, semicolons, LF, multi-byte characters and a last record without line ending', async () => {
    const { records, bytes } = await roundTrip(readFileSync(fixture('bom-semicolon.csv')), { textColumn: 'text', delimiter: ';' });
    expect(texts(records)).toEqual(['Très bien', 'Nul\n\nmultiline', '😀 emoji']);
    expect(records.at(-1)!.byteEnd).toBe(bytes.length);
    expect(records.at(-1)!.raw).toBe('3;😀 emoji;last');
  });

  it('reads a TSV with tab delimiter, keeping trailing spaces', async () => {
    const { records } = await roundTrip(readFileSync(fixture('reviews.tsv')), { textColumn: 'text', delimiter: '\t' });
    expect(texts(records)).toEqual(['it is a charming film ', 'the plot drags ']);
  });

  it('gives the same records whatever the chunk boundaries', async () => {
    for (const [name, delimiter, column] of [['quoted-crlf.csv', ',', 'review'], ['bom-semicolon.csv', ';', 'text']] as const) {
      const bytes = readFileSync(fixture(name));
      const whole = await readCsvFile(fixture(name), { delimiter, textColumn: column });
      for (const size of [1, 2, 3, 5, 7, 16]) {
        expect(await readChunked(bytes, whole.header, size, column, delimiter)).toEqual(whole.records);
      }
    }
  });

  it('resumes from every record boundary with the right indexes', async () => {
    const file = fixture('quoted-crlf.csv');
    const all = await readCsvFile(file, { textColumn: 'review' });
    for (let k = 0; k < all.records.length; k++) {
      const resumed = await readCsvFile(file, { textColumn: 'review', startOffset: all.records[k]!.byteEnd, startIndex: k + 1 });
      expect(resumed.records).toEqual(all.records.slice(k + 1));
    }
  });

  it('reads gzip input with offsets counted in decompressed bytes, and resumes inside it', async () => {
    const plain = readFileSync(fixture('quoted-crlf.csv'));
    const file = temp.file('in.csv.gz', gzipSync(plain));
    const all = await readCsvFile(file, { textColumn: 'review', gzip: true });
    expect(reassemble(all.header, all.records).equals(plain)).toBe(true);
    const resumed = await readCsvFile(file, { textColumn: 'review', gzip: true, startOffset: all.records[0]!.byteEnd, startIndex: 1 });
    expect(resumed.records).toEqual(all.records.slice(1));
  });

  it('marks rows with the wrong field count as ragged_row failures and keeps reading', async () => {
    const { records } = await roundTrip('a,text,c\n1,ok,3\n2,short\n3,long,x,y\n4,fine,4\n', { textColumn: 'text' });
    expect(records.map((r) => r.text)).toEqual([
      { ok: true, value: 'ok' },
      { ok: false, failure: { code: 'ragged_row', message: expect.stringMatching(/^expected 3 fields, got 2: no cell for 'c' at its end; if it is empty/) } },
      { ok: false, failure: { code: 'ragged_row', message: 'expected 3 fields, got 4' } },
      { ok: true, value: 'fine' },
    ]);
    expect(records.map((r) => r.index)).toEqual([0, 1, 2, 3]);
  });

  // Excel's CSV leaves out the delimiters of empty cells that end a row: such a row failed 'expected 4 fields, got 2' with
  // no word of which cells, nor why it is not read as if they were empty (a row cut by an unquoted line break is as
  // short), nor how to score it (lowfix58). A row short of its text column, or long, keeps the plain line.
  it('a row short of its last cells, its text there: the failure names them and how to score it', async () => {
    const { records } = await roundTrip('id,review,rating,notes\r\n1,great,5\r\n2,awful\r\n3\r\n4,fine,4,ok,x\r\n', { textColumn: 'review' });
    const advice = (missing: string, add: string) =>
      `: no cell for ${missing} at its end; if they are empty (Excel's CSV leaves out the delimiters of empty cells that end a row), add ${add} at the row's end to score it`;
    expect(records.map((r) => r.text)).toEqual([
      { ok: false, failure: { code: 'ragged_row', message: `expected 4 fields, got 3${advice("'notes'", "','").replace('if they are', 'if it is')}` } },
      { ok: false, failure: { code: 'ragged_row', message: `expected 4 fields, got 2${advice("'rating', 'notes'", "',,'")}` } },
      { ok: false, failure: { code: 'ragged_row', message: 'expected 4 fields, got 1' } },
      { ok: false, failure: { code: 'ragged_row', message: 'expected 4 fields, got 5' } },
    ]);
    // A tab is named, not shown (a quoted tab is invisible).
    const tsv = await roundTrip('id\treview\tstars\n1\tgreat\n', { textColumn: 'review', delimiter: '\t' });
    expect(tsv.records[0]!.text).toMatchObject({ ok: false, failure: { message: expect.stringContaining("if it is empty (Excel's CSV leaves out the delimiters of empty cells that end a row), add a tab at the row's end") } });
  });

  // psql's unaligned output (`psql -A -c 'SELECT …' > x.csv`, read with --delimiter '|') ends with its row count, '(2 rows)':
  // failed as 'expected 2 fields, got 1', with no word of what that line is.
  it("names psql's row-count footer in its ragged_row failure", async () => {
    const { records } = await roundTrip('id|text\nr1|great\nr2|awful\n(2 rows)\n\n', { textColumn: 'text', delimiter: '|' });
    expect(records.filter((r) => r.passThrough !== true).map((r) => r.text)).toEqual([
      { ok: true, value: 'great' },
      { ok: true, value: 'awful' },
      { ok: false, failure: { code: 'ragged_row', message: "expected 2 fields, got 1: '(2 rows)' is psql's row count, no record; export with psql --csv, or -P footer=off, to leave it out" } },
    ]);
    // A one-cell row of another text stays a plain ragged row.
    const other = await roundTrip('id|text\nr1|great\n(see above)\n', { textColumn: 'text', delimiter: '|' });
    expect(other.records[1]!.text).toEqual({ ok: false, failure: { code: 'ragged_row', message: 'expected 2 fields, got 1' } });
  });

  it('fails a row that repeats the header (exports joined with cat, each with its header and BOM) instead of scoring it as a review', async () => {
    // Was: 'id,text' read as a record whose text is 'text', scored (POSITIVE) and counted, exit 0.
    const { records } = await roundTrip('\uFEFFid,text\r\n1,great\r\n\uFEFFid,text\r\n2,awful\r\nid,text\r\n3,"id"\r\n', { textColumn: 'text' });
    const repeated = { ok: false, failure: { code: 'repeated_header', message: 'the row repeats the header (files joined, such as cat a.csv b.csv?); not scored' } };
    expect(records.map((r) => r.text)).toEqual([{ ok: true, value: 'great' }, repeated, { ok: true, value: 'awful' }, repeated, { ok: true, value: 'id' }]);
    expect(records.map((r) => r.index)).toEqual([0, 1, 2, 3, 4]);
  });

  it('fails a repeated header that every cell quotes, after a BOM (exports that quote all cells, joined with cat)', async () => {
    // Was: the BOM before the quote kept the quotes in the cell ('\uFEFF"id"'), so the row was no header and was scored
    // as the review 'text'; with a delimiter inside the first name the cells split and it was a ragged row.
    const first = '\uFEFF"id","text"\r\n"1","great"\r\n';
    const { records } = await roundTrip(`${first}${first}\uFEFF"id","text"\n"2","awful"\r\n`, { textColumn: 'text' });
    const repeated = { ok: false, failure: { code: 'repeated_header', message: 'the row repeats the header (files joined, such as cat a.csv b.csv?); not scored' } };
    expect(records.map((r) => r.text)).toEqual([{ ok: true, value: 'great' }, repeated, { ok: true, value: 'great' }, repeated, { ok: true, value: 'awful' }]);
    const split = await roundTrip('\uFEFF"id, no","text"\r\n"1","great"\r\n\uFEFF"id, no","text"\r\n', { textColumn: 'text' });
    expect(split.records.map((r) => r.text)).toEqual([{ ok: true, value: 'great' }, repeated]);
  });

  it('passes blank lines through without an index of their own', async () => {
    const { records } = await roundTrip('a,text\r\n1,x\r\n\r\n2,y\r\n\r\n', { textColumn: 'text' });
    expect(records.map((r) => [r.index, r.passThrough ?? false, r.raw])).toEqual([
      [0, false, '1,x\r\n'],
      [1, true, '\r\n'],
      [1, false, '2,y\r\n'],
      [2, true, '\r\n'],
    ]);
  });

  it('keeps NUL bytes in fields as ordinary characters', async () => {
    const { records } = await roundTrip('id,text\n1,a\0b\n2,"\0"\n', { textColumn: 'text' });
    expect(texts(records)).toEqual(['a\0b', '\0']);
  });

  it('reads a 10 MB field', async () => {
    const big = 'x'.repeat(10 * 1024 * 1024 - 3) + 'é"';
    const content = `id,text,n\n1,"${big.replaceAll('"', '""')}",1\n2,small,2\n`;
    const bytes = Buffer.from(content);
    const file = temp.file('big.csv', bytes);
    const { header, records } = await readCsvFile(file, { textColumn: 'text' });
    expect(records).toHaveLength(2);
    expect(records[0]!.text).toEqual({ ok: true, value: big });
    expect(records[0]!.byteEnd).toBe(bytes.length - '2,small,2\n'.length);
    expect(reassemble(header, records).equals(bytes)).toBe(true);
  });

  it('yields no records for a header-only file, with or without a final line ending', async () => {
    for (const content of ['id,text\n', 'id,text', '\uFEFFid,text\r\n']) {
      const { header, records } = await roundTrip(content, { textColumn: 'text' });
      expect(records).toEqual([]);
      expect(header.byteEnd).toBe(Buffer.byteLength(content));
    }
  });

  it('fails on an unterminated quote, naming the line and byte where that record starts', async () => {
    const content = 'id,text\n1,fine\n2,"multi\nline"\n3,"never closed\n4,more\n';
    const file = temp.file('unterminated.csv', content);
    const header = await readCsvHeader(file, { gzip: false, delimiter: ',' });
    const seen: InputRecord[] = [];
    const reading = (async () => {
      for await (const record of readCsvRecords(openInput(file, { gzip: false, startOffset: header.byteEnd }), {
        delimiter: ',', header, textColumn: 'text', startOffset: header.byteEnd, startIndex: 0,
      })) seen.push(record);
    })();
    const error = await reading.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(
      'unterminated quoted field: the record starting at line 5, byte 30 opens a quote (") that is never closed before the end of the input. ' +
        'Close the quote, or double every quote inside a quoted field ("")',
    );
    // Every record before the bad one was delivered first.
    expect(texts(seen)).toEqual(['fine', 'multi\nline']);
    expect(content.slice(30)).toMatch(/^3,"never/);
  });

  it('reads a bare quote inside an unquoted value as data, as Python csv and Excel do', async () => {
    const content = 'id,text,place\n1,5" screen is great,x\n2,5 "inch" screen,37°36\'37.8"N\n3,"quoted ""still"" works",y\n';
    const { records } = await roundTrip(content, { textColumn: 'text' });
    expect(texts(records)).toEqual(['5" screen is great', '5 "inch" screen', 'quoted "still" works']);
  });

  it('reads a CRLF header followed by LF rows record for record', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => `${i},review ${i}\n`).join('');
    const { records } = await roundTrip(`id,text\r\n${rows}`, { textColumn: 'text' });
    expect(records).toHaveLength(50);
    expect(texts(records)).toEqual(Array.from({ length: 50 }, (_, i) => `review ${i}`));
    expect(records.every((r) => r.text.ok)).toBe(true);
  });

  it('reads CR-only files (Excel for Mac) and any mix of endings, each record keeping its own', async () => {
    const cr = await roundTrip('id,text\r1,good\r2,"multi\rline"\r3,bad\r', { textColumn: 'text' });
    expect(texts(cr.records)).toEqual(['good', 'multi\rline', 'bad']);
    const mixed = await roundTrip('id,text\n1,a\r\n2,b\r3,c\n\r\n4,d', { textColumn: 'text' });
    expect(mixed.records.map((r) => [r.index, r.passThrough ?? false, r.raw])).toEqual([
      [0, false, '1,a\r\n'],
      [1, false, '2,b\r'],
      [2, false, '3,c\n'],
      [3, true, '\r\n'],
      [3, false, '4,d'],
    ]);
    // A CRLF split across two chunks is still one line ending.
    for (const size of [1, 2, 3, 5]) {
      expect(await readChunked(mixed.bytes, mixed.header, size, 'text')).toEqual(mixed.records);
    }
    // Resuming at any record's end reads exactly the records after it.
    for (let k = 0; k < mixed.records.length; k++) {
      const at = mixed.records[k]!;
      const resumed = await readCsvFile(mixed.file, { textColumn: 'text', startOffset: at.byteEnd, startIndex: at.passThrough ? at.index : at.index + 1 });
      expect(resumed.records).toEqual(mixed.records.slice(k + 1));
    }
  });

  it('counts lines across mixed endings in messages', async () => {
    const file = temp.file('mixed-bad.csv', 'id,text\r\n1,a\n2,b\r3,"never closed\n');
    await expect(readCsvFile(file, { textColumn: 'text' })).rejects.toThrow(/record starting at line 4, byte 17 /);
  });

  it('gives only the byte offset after a resume (line numbers are unknown there)', async () => {
    const content = 'id,text\n1,ok\n2,"open\n';
    const file = temp.file('resume-bad.csv', content);
    await expect(readCsvFile(file, { textColumn: 'text', startOffset: 13, startIndex: 1 })).rejects.toThrow(
      /^unterminated quoted field: the record starting at byte 13 opens/,
    );
  });

  it('fails on invalid UTF-8 with the absolute byte offset, also after a resume and across chunks', async () => {
    const content = Buffer.concat([Buffer.from('id,text\n1,ok\n2,Caf'), Buffer.from([0xe9]), Buffer.from(' au lait\n')]);
    const file = temp.file('latin1.csv', content);
    const expected = /^input is not valid UTF-8 at byte 18 \(byte 0xe9 after "2,Caf"; the file is probably in another encoding/;
    await expect(readCsvFile(file, { textColumn: 'text' })).rejects.toThrow(expected);
    await expect(readCsvFile(file, { textColumn: 'text', startOffset: 13, startIndex: 1 })).rejects.toThrow(/at byte 18 /);
    // The header reader sees the bad byte in its first chunk already and fails as early as it can.
    await expect(readCsvHeader(file, { gzip: false, delimiter: ',' })).rejects.toThrow(expected);
    const header: CsvHeader = { columns: ['id', 'text'], raw: 'id,text\n', bom: false, lineEnding: '\n', byteEnd: 8, delimiter: ',', quote: '"' };
    await expect(readChunked(content, header, 1, 'text')).rejects.toThrow(/at byte 18 /);
  });

  it('fails on a multi-byte character cut off at the end of the input', async () => {
    const content = Buffer.concat([Buffer.from('id,text\n1,ok\n2,'), Buffer.from([0xe2, 0x82])]);
    const file = temp.file('cut.csv', content);
    await expect(readCsvFile(file, { textColumn: 'text' })).rejects.toThrow(
      'input is not valid UTF-8 at byte 15 (the input ends in the middle of a multi-byte character: the file may be truncated or in another encoding)',
    );
  });

  it('checks the text column before reading', async () => {
    await expect(readCsvFile(fixture('quoted-crlf.csv'), { textColumn: 'body' })).rejects.toThrow(ConfigError);
  });

  it('stops reading (and closes the file) when the consumer stops early', async () => {
    const file = fixture('quoted-crlf.csv');
    const header = await readCsvHeader(file, { gzip: false, delimiter: ',' });
    const stream = openInput(file, { gzip: false, startOffset: header.byteEnd });
    for await (const record of readCsvRecords(stream, { delimiter: ',', header, textColumn: 'review', startOffset: header.byteEnd, startIndex: 0 })) {
      expect(record.index).toBe(0);
      break;
    }
    expect(stream.destroyed).toBe(true);
  });
});
