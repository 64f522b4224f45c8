import { describe, expect, it } from 'vitest';
import { leftOutFields } from '../src/preflight/left-out-fields.js';
import { leftOutWarning } from '../src/preflight/left-out-warning.js';
import type { JsonlSample } from '../src/preflight/jsonl-sample.js';

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
