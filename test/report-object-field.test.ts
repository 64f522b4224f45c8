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

  it('offers the first ten paths inside it that hold a value, no more', () => {
    const wide = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`f${i}`, `v${i}`]));
    const first10 = Array.from({ length: 10 }, (_, i) => `'attrs.f${i}'`).join(', ');
    expect(() => checkNamedFields(sample([{ attrs: wide }]), [{ flag: '--by', field: 'attrs' }])).toThrow(
      `--by 'attrs' is an object, not a value, in the first record; the values inside it are ${first10}: name one with --by`,
    );
  });

  it('takes the path to the value, and a field whose values are values', () => {
    expect(() => checkNamedFields(sample(mongo), [{ flag: '--rating', field: 'rating.$numberDouble' }, { flag: '--date', field: 'createdAt.$date' }, { flag: '--by', field: 'review.text' }])).not.toThrow();
  });

  // A record nested 20,000 levels deep: the fields are walked 32 levels, and `--by meta` offered 'meta.a.a…' 33 levels
  // deep, itself an object, whose refusal offered one 65 deep, and so on. Advice never names a path it would refuse.
  it('says the nesting is too deep rather than offer a path that is an object too', () => {
    const nested = (depth: number): unknown => {
      let value: unknown = 1;
      for (let i = 0; i < depth; i++) value = { a: value };
      return value;
    };
    const deep = [
      { id: 1, review: 'good', meta: nested(20_000) },
      { id: 2, review: 'bad', meta: nested(20_000) },
    ];
    let said = '';
    try {
      checkNamedFields(sample(deep), [{ flag: '--by', field: 'meta' }]);
    } catch (error) {
      said = (error as Error).message;
    }
    expect(said).toBe("--by 'meta' is an object, not a value, in each of the first 2 records; the values inside it are nested more than 32 levels below it, too deep to list: name the full path to a value with --by, or flatten the records");
    // Nor does "did you mean" offer the path listed 32 levels down, which is an object there.
    const typo = `meta.${'a.'.repeat(30)}b`;
    expect(() => checkNamedFields(sample(deep), [{ flag: '--by', field: typo }])).toThrow(`--by '${typo}' is in none of the first 2 records; their fields are: 'id', 'review', 'meta.${'a.'.repeat(30)}a'`);
    expect(() => checkNamedFields(sample(deep), [{ flag: '--by', field: typo }])).not.toThrow('did you mean');
    // Any path it offers is taken: none is an object again, nor an array.
    const mixed = [{ meta: { deep: nested(40), tags: ['x'], region: 'EU' } }, { meta: { deep: nested(40), tags: ['y'], region: 'US' } }];
    expect(() => checkNamedFields(sample(mixed), [{ flag: '--by', field: 'meta' }])).toThrow("--by 'meta' is an object, not a value, in each of the first 2 records; the value is inside it: use --by 'meta.region'");
    expect(() => checkNamedFields(sample(mixed), [{ flag: '--by', field: 'meta.region' }])).not.toThrow();
  });

  // "Too deep to name: name a field nearer the top" was untrue: the full path is taken (report --by <it> grouped the
  // rows), and a field nearer the top is an object again, refused with the same line ('meta.l1' after 'meta').
  it('says the full path to a value is what to name, which is taken', () => {
    const path = Array.from({ length: 34 }, (_, i) => `l${i + 1}`);
    const nest = (value: string): unknown => path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value);
    const records = [{ id: 1, meta: nest('EU') }, { id: 2, meta: nest('US') }];
    for (const field of ['meta', 'meta.l1']) {
      expect(() => checkNamedFields(sample(records), [{ flag: '--by', field }])).toThrow(`--by '${field}' is an object, not a value, in each of the first 2 records; the values inside it are nested more than 32 levels below it, too deep to list: name the full path to a value with --by, or flatten the records`);
    }
    expect(() => checkNamedFields(sample(records), [{ flag: '--by', field: `meta.${path.join('.')}` }])).not.toThrow();
  });
});

