import { describe, expect, it } from 'vitest';
import { leftOutFields } from '../src/preflight/left-out-fields.js';
import { leftOutWarning } from '../src/preflight/left-out-warning.js';
import type { JsonlSample } from '../src/preflight/jsonl-sample.js';
import type { FieldsFurtherOn } from '../src/preflight/field-look-ahead.js';

/** `records` objects, `title` in the first `having` of them, the reviews in `review` in each. */
function sample(records: number, having: number, lines = records): JsonlSample {
  const objects = Array.from({ length: records }, (_, i) => ({ id: String(i), review: `a review long enough to be the text, number ${i}`, ...(i < having ? { title: 'Great app' } : {}) }));
  return { records: lines, objects, firstLine: JSON.stringify(objects[0]) };
}

const warningFor = (given: JsonlSample): string | undefined => leftOutWarning(given, ['title'], leftOutFields(given, ['title']), '--text-field');

describe('leftOutWarning: a text field left out of most sampled records while another holds text', () => {
  it('is said when more than half of the sampled records lack the field, not when half do', () => {
    expect(warningFor(sample(100, 49))).toBe(
      "--text-field 'title' is left out of 51 of the first 100 records, whose rows are skipped as no text (empty_text); the field 'review' holds text in them: if it holds the reviews, run again with --text-field 'review'",
    );
    // Half the rows scored from the field: the file's usual text, not a stray field.
    expect(warningFor(sample(100, 50))).toBeUndefined();
  });

  it('counts the JSON objects, not the lines that are none', () => {
    expect(warningFor(sample(90, 10, 100))).toMatch(/^--text-field 'title' is left out of 80 of the 90 JSON objects among the first 100 records, /);
  });

  it('is not said for a field in every sampled record (the left-out rule is not in force)', () => {
    expect(warningFor(sample(100, 100))).toBeUndefined();
  });
});

describe('leftOutWarning: a text field none of the sampled records has, found further on (field-look-ahead.ts)', () => {
  /** 100 records with a short `title` and no `review`: the star-only ratings an export sorted first. */
  const titled: JsonlSample = (() => {
    const objects = Array.from({ length: 100 }, (_, i) => ({ id: String(i), title: i % 2 ? 'Great app' : 'Meh' }));
    return { records: 100, objects, firstLine: JSON.stringify(objects[0]) };
  })();
  const further = (having: Array<Record<string, unknown>>): FieldsFurtherOn => ({ found: new Set(['review']), others: [], having, records: 300, whole: true });
  const warningOf = (given: FieldsFurtherOn): string | undefined =>
    leftOutWarning(titled, ['review'], leftOutFields(titled, ['review'], given), '--text-field', given);

  it('is not said when the field\'s texts further on are longer than the other field\'s', () => {
    // Until 2026-12-05 the sample alone was judged: review had no text there, and the short titles drew the warning.
    expect(warningOf(further([{ id: '120', title: 'Meh', review: 'crashes all the time, awful support team' }]))).toBeUndefined();
  });

  it('is said when they are shorter: a stray field, found further on, beside a field of longer texts', () => {
    expect(warningOf(further([{ id: '120', title: 'Meh', review: 'ok' }]))).toBe(
      "--text-field 'review' is left out of 100 of the first 100 records, whose rows are skipped as no text (empty_text); the field 'title' holds text in them: if it holds the reviews, run again with --text-field 'title'",
    );
  });
});
