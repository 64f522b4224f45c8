// Byte-exactness of the CSV reader and formatter on real exported review data.
// The data lives outside the project (../shared); a clone without it skips this suite.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvOutputHeader, formatCsvRecord } from '../src/io/csv-format.js';
import { readCsvHeader, readCsvRecords } from '../src/io/csv-reader.js';
import type { Outcome } from '../src/io/record.js';
import { collect, readCsvFile, reassemble, sharedDir, sliceProblems, tempDir, trickle } from './io-helpers.js';

const reviewsDir = path.join(sharedDir, 'data/reviews');
const present = existsSync(reviewsDir);
const files = present ? readdirSync(reviewsDir).filter((name) => name.endsWith('.csv')).sort() : [];

// Row counts as documented in ../shared/data/SOURCES.md.
const documentedRows: Record<string, number> = {
  'chatgpt-app-reviews.csv': 2292,
  'yelp-reviews-4k.csv': 4086,
  'booking-515k-hotel-reviews-sample.csv': 10000,
  'amazon-musical-instruments-reviews-500.csv': 499,
  'imdb-50k-reviews-sample.csv': 22,
  'imdb-labelled-sentences-bom.csv': 1000,
  'tripadvisor-hotel-reviews-sample.csv': 109,
};

/** Any column will do as the text column: these checks are about bytes. */
async function readWholeFile(file: string) {
  const { columns } = await readCsvHeader(file, { gzip: false, delimiter: ',' });
  return readCsvFile(file, { textColumn: columns[0]! });
}

describe.skipIf(!present)('shared review exports (skipped: ../shared/data/reviews is not here)', () => {
  it('finds the data files', () => {
    expect(files.length).toBeGreaterThanOrEqual(7);
  });

  for (const name of files) {
    describe(name, () => {
      const file = path.join(reviewsDir, name);

      it('header raw + every record raw reproduces the file; byteEnds increase and match the slices', async () => {
        const original = readFileSync(file);
        const { header, records } = await readWholeFile(file);
        expect(reassemble(header, records).equals(original)).toBe(true);
        expect(sliceProblems(original, header.byteEnd, records)).toEqual([]);
        if (documentedRows[name] !== undefined) expect(records.length).toBe(documentedRows[name]);
        expect(records.filter((r) => !r.text.ok)).toEqual([]);
        expect(records.map((r) => r.index)).toEqual(records.map((_, i) => i));
        // A resume from the middle yields exactly the remaining records.
        const middle = Math.floor(records.length / 2);
        const resumed = await readCsvFile(file, {
          textColumn: header.columns[0]!,
          startOffset: records[middle]!.byteEnd,
          startIndex: middle + 1,
        });
        expect(resumed.records).toEqual(records.slice(middle + 1));
        // Odd chunk boundaries give the same records.
        const chunked = await collect(
          readCsvRecords(trickle(original.subarray(header.byteEnd), 997), {
            delimiter: ',', header, textColumn: header.columns[0]!, startOffset: header.byteEnd, startIndex: 0,
          }),
        );
        expect(chunked).toEqual(records);
      });

      it('formatted output parses back into the original fields plus the new cells', async () => {
        const original = readFileSync(file);
        const { header, records } = await readWholeFile(file);
        const options = { delimiter: ',', prefix: 'sentiment', headerWidth: header.columns.length, lineEnding: header.lineEnding };
        const outcome = (i: number): Outcome =>
          i % 3 === 0
            ? { kind: 'failed', failure: { code: 'http_500', message: 'server said "busy", retry later' } }
            : { kind: 'scored', label: 'NEGATIVE', positive: i / 7919, negative: 1 - i / 7919 };
        const output = csvOutputHeader(header, ',', 'sentiment') + records.map((r, i) => formatCsvRecord(r, outcome(i), options)).join('');
        const before = parse(original, { bom: true }) as string[][];
        const after = parse(output, { bom: true }) as string[][];
        expect(after.length).toBe(before.length);
        expect(after[0]!.slice(0, -5)).toEqual(before[0]);
        for (let i = 1; i < after.length; i++) {
          const cells = i % 3 === 1 ? ['', '', '', '', 'http_500: server said "busy", retry later'] : ['NEGATIVE', String((i - 1) / 7919), String(1 - (i - 1) / 7919), '', ''];
          expect(after[i]).toEqual([...before[i]!, ...cells]);
        }
      });
    });
  }
});

const yelp = path.join(reviewsDir, 'yelp-reviews-4k.csv');
describe.skipIf(!existsSync(yelp))('a real CRLF export re-saved with other line endings (skipped: ../shared is not here)', () => {
  // Every CRLF of the file, inside quoted fields too, turned into another ending: Python's csv reads the same 4,086 records.
  it.each([
    ['a CRLF header followed by LF rows (an edited export)', (text: string) => { const end = text.indexOf('\r\n') + 2; return text.slice(0, end) + text.slice(end).replaceAll('\r\n', '\n'); }],
    ['CR only (Excel for Mac)', (text: string) => text.replaceAll('\r\n', '\r')],
  ])('%s: 4,086 records, the same texts, every byte kept', async (_name, convert) => {
    const original = readFileSync(yelp, 'utf8');
    const converted = Buffer.from(convert(original));
    const temp = tempDir();
    try {
      const file = temp.file('converted.csv', converted);
      const before = await readCsvFile(yelp, { textColumn: 'text' });
      const after = await readCsvFile(file, { textColumn: 'text' });
      expect(after.records.length).toBe(4086);
      expect(after.records.every((r) => r.text.ok)).toBe(true);
      const normalise = (text: string) => text.replace(/\r\n|\r/g, '\n');
      const texts = (read: typeof before) => read.records.map((r) => (r.text.ok ? normalise(r.text.value) : ''));
      expect(texts(after)).toEqual(texts(before));
      expect(reassemble(after.header, after.records).equals(converted)).toBe(true);
    } finally {
      temp.cleanup();
    }
  });
});

const sst2 = path.join(sharedDir, 'data/sst2/train.tsv');
describe.skipIf(!existsSync(sst2))('shared SST-2 train.tsv (skipped: ../shared/data/sst2 is not here)', () => {
  it('reads as tab-separated with every byte accounted for', async () => {
    const original = readFileSync(sst2);
    const { header, records } = await readCsvFile(sst2, { textColumn: 'sentence', delimiter: '\t' });
    expect(header.columns).toEqual(['sentence', 'label']);
    expect(records.length).toBe(67_349);
    expect(reassemble(header, records).equals(original)).toBe(true);
    expect(records.every((r) => r.text.ok && r.text.value.endsWith(' '))).toBe(true);
  });
});
