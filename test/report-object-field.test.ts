// mongoexport writes a number as {"$numberDouble": "4.5"} and a date as {"$date": "…"}: `report --rating rating --date
// createdAt` on its output was exit 0 with an empty ratings table and no trend, every value counted as missing (4 of 4).
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/errors.js';
import { checkNamedFields } from '../src/report/jsonl-check.js';

const sample = (objects: Array<Record<string, unknown>>) => ({ records: objects.length, objects, firstLine: '' });
const mongo = [
  { _id: { $oid: 'a1' }, createdAt: { $date: '2026-11-01T10:00:00Z' }, review: { text: 'good' }, rating: { $numberDouble: '4.5' } },
  { _id: { $oid: 'a2' }, createdAt: { $date: '2026-11-02T10:00:00Z' }, review: { text: 'bad' }, rating: null },
];

describe('a report field that holds an object in every record', () => {
  it('is refused, naming the field inside it that holds the value', () => {
    expect(() => checkNamedFields(sample(mongo), [{ flag: '--rating', field: 'rating' }])).toThrow(ConfigError);
    expect(() => checkNamedFields(sample(mongo), [{ flag: '--rating', field: 'rating' }])).toThrow(
      "--rating 'rating' is an object, not a value, in the only one of the first 2 records that has a value there; the value is inside it: use --rating 'rating.$numberDouble'",
    );
    expect(() => checkNamedFields(sample(mongo), [{ flag: '--date', field: 'createdAt' }])).toThrow(
      "--date 'createdAt' is an object, not a value, in each of the first 2 records; the value is inside it: use --date 'createdAt.$date'",
    );
  });

  it('takes the path to the value, and a field whose values are values', () => {
    expect(() => checkNamedFields(sample(mongo), [{ flag: '--rating', field: 'rating.$numberDouble' }, { flag: '--date', field: 'createdAt.$date' }, { flag: '--by', field: 'review.text' }])).not.toThrow();
  });
});
