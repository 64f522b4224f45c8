import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { csvOutputHeader, formatCsvRecord, quoteCsvCell } from '../src/io/csv-format.js';
import type { InputRecord, Outcome } from '../src/io/record.js';
import { fixture, readCsvFile, tempDir } from './io-helpers.js';

const temp = tempDir();
afterAll(() => temp.cleanup());

const NEW_COLUMNS = ['sentiment_label', 'sentiment_positive', 'sentiment_negative', 'sentiment_truncated', 'sentiment_error'];

/** A deterministic outcome per record that exercises every cell kind. */
function outcomeFor(record: InputRecord): Outcome {
  if (!record.text.ok) return { kind: 'failed', failure: record.text.failure };
  switch (record.index % 4) {
    case 0:
      return { kind: 'scored', label: 'POSITIVE', positive: 0.9998765432101234, negative: 0.00012345678987654321 };
    case 1:
      return { kind: 'scored', label: 'NEGATIVE', positive: 1e-7, negative: 0.9999999, truncated: true };
    case 2:
      return { kind: 'failed', failure: { code: 'bad_input', message: 'the model said "no", twice;\nsee log' } };
    default:
      return { kind: 'skipped', failure: { code: 'empty_text', message: 'text is empty' } };
  }
}

/** Formats a whole file and returns the output text, plus the inputs used. */
async function formatFile(file: string, delimiter: string, textColumn: string) {
  const { header, records } = await readCsvFile(file, { delimiter, textColumn });
  const options = { delimiter, prefix: 'sentiment', headerWidth: header.columns.length, lineEnding: header.lineEnding };
  const output =
    csvOutputHeader(header, delimiter, 'sentiment') + records.map((r) => formatCsvRecord(r, outcomeFor(r), options)).join('');
  return { header, records, output };
}

function expectedCells(outcome: Outcome): string[] {
  if (outcome.kind === 'scored') {
    return [outcome.label, String(outcome.positive), String(outcome.negative), outcome.truncated ? 'true' : '', ''];
  }
  return ['', '', '', '', `${outcome.failure.code}: ${outcome.failure.message}`];
}

describe('csvOutputHeader', () => {
  it('appends the new column names before the header line ending, keeping the BOM', async () => {
    const { header } = await readCsvFile(fixture('bom-semicolon.csv'), { delimiter: ';', textColumn: 'text' });
    expect(csvOutputHeader(header, ';', 'sentiment')).toBe(
      '\uFEFFid;text;note;sentiment_label;sentiment_positive;sentiment_negative;sentiment_truncated;sentiment_error\n',
    );
  });

  it('uses the prefix, and quotes a name that needs it', async () => {
    const { header } = await readCsvFile(fixture('quoted-crlf.csv'), { textColumn: 'review' });
    expect(csvOutputHeader(header, ',', 'ai')).toBe('id,review,stars,ai_label,ai_positive,ai_negative,ai_truncated,ai_error\r\n');
    expect(csvOutputHeader(header, ',', 'a,b').split('\r\n')[0]).toContain(',"a,b_label",');
  });
});

describe('formatCsvRecord', () => {
  const options = { delimiter: ',', prefix: 'sentiment', headerWidth: 3, lineEnding: '\r\n' as const };
  const record = (raw: string, text: InputRecord['text'] = { ok: true, value: 'x' }): InputRecord => ({ index: 0, byteEnd: 0, raw, text });

  it('inserts the cells before the record\'s own line ending, with full-precision numbers', () => {
    const outcome: Outcome = { kind: 'scored', label: 'POSITIVE', positive: 0.1 + 0.2, negative: 1 - (0.1 + 0.2) };
    expect(formatCsvRecord(record('1,"a\r\nb",2\r\n'), outcome, options)).toBe(
      '1,"a\r\nb",2,POSITIVE,0.30000000000000004,0.7,,\r\n',
    );
    expect(Number('0.30000000000000004')).toBe(0.1 + 0.2);
  });

  it('keeps a last record without line ending without one', () => {
    const outcome: Outcome = { kind: 'skipped', failure: { code: 'empty_text', message: 'text is empty' } };
    expect(formatCsvRecord(record('3,,4'), outcome, options)).toBe('3,,4,,,,,empty_text: text is empty');
  });

  it('pads a short ragged row to the header width so the new cells line up', () => {
    const failure = { code: 'ragged_row', message: 'expected 3 fields, got 2' };
    const short = record('1,"a,b"\r\n', { ok: false, failure });
    expect(formatCsvRecord(short, { kind: 'failed', failure }, options)).toBe('1,"a,b",,,,,,"ragged_row: expected 3 fields, got 2"\r\n');
  });

  it('returns a pass-through line unchanged', () => {
    expect(formatCsvRecord({ ...record('\r\n'), passThrough: true }, { kind: 'scored', label: 'NEGATIVE', positive: 0, negative: 1 }, options)).toBe('\r\n');
  });

  it('quotes cells holding the delimiter, quotes, CR or LF', () => {
    expect(quoteCsvCell('plain text', ',')).toBe('plain text');
    expect(quoteCsvCell('a;b', ';')).toBe('"a;b"');
    // A line break alone asks for quotes (a header name or cell holding no quote or delimiter besides).
    expect(quoteCsvCell('night\nrun', ',')).toBe('"night\nrun"');
    expect(quoteCsvCell('night\rrun', ',')).toBe('"night\rrun"');
    expect(quoteCsvCell('say "hi"', ',')).toBe('"say ""hi"""');
    expect(quoteCsvCell('a\rb', '\t')).toBe('"a\rb"');
    expect(quoteCsvCell('a\tb', ',')).toBe('a\tb');
  });
});

describe('output parses back into the original fields plus the new ones', () => {
  const cases: Array<[string, string, string]> = [
    ['quoted-crlf.csv', ',', 'review'],
    ['bom-semicolon.csv', ';', 'text'],
    ['reviews.tsv', '\t', 'text'],
  ];
  for (const [name, delimiter, textColumn] of cases) {
    it(name, async () => {
      const { header, records, output } = await formatFile(fixture(name), delimiter, textColumn);
      const originals = parse(readFileSync(fixture(name)), { delimiter, bom: true }) as string[][];
      const parsed = parse(output, { delimiter, bom: true }) as string[][];
      expect(parsed[0]).toEqual([...header.columns, ...NEW_COLUMNS]);
      expect(parsed).toHaveLength(records.length + 1);
      records.forEach((r, i) => {
        expect(parsed[i + 1]).toEqual([...originals[i + 1]!, ...expectedCells(outcomeFor(r))]);
      });
      // Removing the inserted cells gives back the input byte for byte.
      expect(output.startsWith(header.bom ? '\uFEFF' : '')).toBe(true);
    });
  }

  it('a file with ragged rows, blank lines and a last line without ending', async () => {
    const content = 'a,text,c\r\n1,ok,3\r\n2,short\r\n\r\n3,long,x,y\r\n4,"q""uote",4';
    const file = temp.file('ragged.csv', content);
    const { header, records, output } = await formatFile(file, ',', 'text');
    expect(output).toBe(
      'a,text,c,sentiment_label,sentiment_positive,sentiment_negative,sentiment_truncated,sentiment_error\r\n' +
        // String(0.00012345678987654321): the shortest text that reads back as the same double.
        '1,ok,3,POSITIVE,0.9998765432101234,0.00012345678987654322,,\r\n' +
        '2,short,,,,,,"ragged_row: expected 3 fields, got 2: no cell for \'c\' at its end; if it is empty (Excel\'s CSV leaves out the delimiters of empty cells that end a row), add \',\' at the row\'s end to score it"\r\n' +
        '\r\n' +
        '3,long,x,y,,,,,"ragged_row: expected 3 fields, got 4"\r\n' +
        '4,"q""uote",4,,,,,empty_text: text is empty',
    );
    const parsed = parse(output, { relax_column_count: true, skip_empty_lines: true }) as string[][];
    expect(parsed.map((row) => row.length)).toEqual([8, 8, 8, 9, 8]);
    expect(header.lineEnding).toBe('\r\n');
    expect(records).toHaveLength(5);
  });
});
