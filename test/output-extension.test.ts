// -o report.xlsx for a CSV export: an analyst asks for a workbook and got CSV bytes in a file named .xlsx, exit 0, which
// a spreadsheet refuses to open as a workbook. -o out.jsonl for a CSV input was refused already (a format mismatch).
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/errors.js';
import { checkOutputExtension } from '../src/io/output-extension.js';

describe('an output named as a spreadsheet workbook', () => {
  it('is refused at startup, saying what is written and the name to give', () => {
    for (const name of ['out.xlsx', 'OUT.XLSX', 'out.xls', 'out.ods', 'out.numbers', 'out.xlsm']) {
      expect(() => checkOutputExtension('reviews.csv', undefined, name)).toThrow(ConfigError);
      expect(() => checkOutputExtension('reviews.csv', undefined, name)).toThrow(
        `output ${name} is named as a spreadsheet workbook, but the records would be written as CSV text, like the input ` +
          "(sentiment-batch keeps each record's original bytes and does not convert formats); name the output .csv, " +
          'which a spreadsheet opens as it opens the input (or leave -o out: the default is <input>.scored.csv)',
      );
    }
    expect(() => checkOutputExtension('reviews.tsv', undefined, 'out.xlsx')).toThrow(/written as TSV text.*name the output \.tsv/);
    expect(() => checkOutputExtension('reviews.jsonl', undefined, 'out.xlsx')).toThrow(/written as JSONL text.*name the output \.jsonl/);
  });

  it('leaves names that tell no format alone, as before', () => {
    expect(() => checkOutputExtension('reviews.csv', undefined, 'out.txt')).not.toThrow();
    expect(() => checkOutputExtension('reviews.csv', undefined, 'xlsx-export')).not.toThrow();
  });
});
