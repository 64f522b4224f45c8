import { describe, expect, it } from 'vitest';
import { allTextEmptyWarning, type TextChoice } from '../src/job/empty-text.js';
import { CsvTextElsewhere, jsonlTextElsewhere } from '../src/job/text-elsewhere.js';
import { emptyTotals, type Totals } from '../src/state/totals.js';
import { readCsvFile, tempDir } from './io-helpers.js';

const totals = (read: number, skipped: number): Totals => ({ ...emptyTotals(), read, skipped, scored: read - skipped });
const summary = (job: Totals, run: Totals, skippedByCode: Record<string, number>) => ({
  totals: job,
  run: { totals: run, labels: {}, failuresByCode: {}, skippedByCode, answeredRequests: 0, billableTokens: 0, billableNeurons: 0 },
});
const csv: TextChoice = { format: 'csv', text: ['text'], named: false, longTextSkip: false };
const nowhere = { likely: () => undefined };

describe('a job whose every row was skipped for an empty text', () => {
  it('is said in one line, with the column that holds text, or what to do without one', () => {
    const all = summary(totals(300, 300), totals(300, 300), { empty_text: 300 });
    expect(allTextEmptyWarning(all, csv, { likely: () => 'review' })).toBe(
      "no row was scored: the text column 'text' (the default) is empty in every one of the 300 rows; the column 'review' holds text: run again with --text-column 'review'",
    );
    expect(allTextEmptyWarning(all, { ...csv, text: ['body'], named: true }, nowhere)).toBe(
      "no row was scored: --text-column 'body' is empty in every one of the 300 rows; if another column holds the reviews, run again with --text-column NAME",
    );
    const one = summary(totals(1, 1), totals(1, 1), { empty_text: 1 });
    expect(allTextEmptyWarning(one, { format: 'jsonl', text: ['title', 'body'], named: true, longTextSkip: false }, nowhere)).toBe(
      "no row was scored: the text fields 'title', 'body' are empty, null or left out in the only row; if another field holds the reviews, run again with --text-field NAME",
    );
  });

  it('is not said when a row was scored or failed, none was read, or some were skipped for another reason', () => {
    expect(allTextEmptyWarning(summary(totals(300, 299), totals(300, 299), { empty_text: 299 }), csv, nowhere)).toBeUndefined();
    expect(allTextEmptyWarning(summary(totals(0, 0), totals(0, 0), {}), csv, nowhere)).toBeUndefined();
    const failed = { ...totals(2, 1), scored: 0, failed: 1 };
    expect(allTextEmptyWarning(summary(failed, failed, { empty_text: 1 }), csv, nowhere)).toBeUndefined();
    expect(allTextEmptyWarning(summary(totals(3, 3), totals(3, 3), { empty_text: 2, text_too_long: 1 }), csv, nowhere)).toBeUndefined();
  });

  it('a resumed job counts its rows across runs; under --long-text skip the earlier runs cannot tell why they skipped', () => {
    const resumed = summary(totals(300, 300), totals(100, 100), { empty_text: 100 });
    expect(allTextEmptyWarning(resumed, csv, nowhere)).toMatch(/every one of the 300 rows/);
    expect(allTextEmptyWarning(resumed, { ...csv, longTextSkip: true }, nowhere)).toBeUndefined();
    expect(allTextEmptyWarning(summary(totals(300, 300), totals(300, 300), { empty_text: 300 }), { ...csv, longTextSkip: true }, nowhere)).toBeDefined();
  });
});

describe('the likeliest other text column, from records read anyway', () => {
  it('CSV: the longest values with a letter among the first records, the text column left out; no record keeps its fields', async () => {
    const { file, cleanup } = tempDir();
    try {
      const elsewhere = new CsvTextElsewhere(['id', 'review', 'text', 'date'], ['text']);
      // The second row is ragged: its longer text does not line up with the header and is not looked at.
      const input = file('in.csv', 'id,review,text,date\n1,great stuff,,2024-01-02\n2,x,a much longer text than the review,2024-01-02,ragged\n');
      const { records } = await readCsvFile(input, { textColumn: 'text', onFields: elsewhere.look });
      expect(records.map((one) => one.fields)).toEqual([undefined, undefined]);
      expect(elsewhere.likely()).toBe('review');
      expect(new CsvTextElsewhere(['id', 'text'], ['text']).likely()).toBeUndefined();
      // A column with no name is no answer (--text-column '' is refused).
      const unnamed = new CsvTextElsewhere(['id', '', 'text'], ['text']);
      await readCsvFile(file('unnamed.csv', 'id,,text\n1,great movie,\n'), { textColumn: 'text', onFields: unnamed.look });
      expect(unnamed.likely()).toBeUndefined();
    } finally {
      cleanup();
    }
  });

  it('JSONL: the startup sample\'s longest string field with a letter, the text field left out', () => {
    const sample = { records: 2, firstLine: '', objects: [{ id: 'x', date: '2024-01-02 10:00:00', text: '', review: { body: 'fine' } }, { id: 'y', text: null, review: { body: 'lovely' } }] };
    expect(jsonlTextElsewhere(sample, ['text']).likely()).toBe('review.body');
    expect(jsonlTextElsewhere(sample, ['review.body']).likely()).toBe('id');
    expect(jsonlTextElsewhere({ ...sample, objects: [{ '': 'a long text', text: '' }] }, ['text']).likely()).toBeUndefined();
  });
});
