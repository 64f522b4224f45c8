// The start-up checks list a sample's field paths to name 30 of them and guess the likeliest: a record of 1,000,000
// keys was listed whole in each check (a Set and an array of 1,000,000 paths, 0.9 GB at the peak for six such lines),
// and the refusal ended its 30 names with '...', not saying how many more there were.
import { describe, expect, it } from 'vitest';
import { checkTextFields, fieldPaths, MAX_FIELD_PATHS } from '../src/preflight/jsonl-fields.js';

const sample = (objects: Array<Record<string, unknown>>) => ({ records: objects.length, objects, firstLine: '' });
const wide = (keys: number, name = (i: number) => `k${i}`): Record<string, unknown> => {
  const object: Record<string, unknown> = { text: 'great' };
  for (let i = 0; i < keys; i++) object[name(i)] = 1;
  return object;
};

describe('field paths of wide records', () => {
  it('knows at most MAX_FIELD_PATHS paths, the first seen', () => {
    const paths = fieldPaths([wide(20_000), { other: 1 }]);
    expect(paths).toHaveLength(MAX_FIELD_PATHS);
    expect(paths.slice(0, 3)).toEqual(['text', 'k0', 'k1']);
    expect(paths.at(-1)).toBe(`k${MAX_FIELD_PATHS - 2}`);
  });

  it('says how many fields it does not list', () => {
    expect(() => checkTextFields(sample([wide(44)]), ['review'], true)).toThrow(/'k28', and 15 more \(did you mean 'text'\?\)$/);
    // 20,001 paths, 30 listed: the rest counted past the bound.
    expect(() => checkTextFields(sample([wide(20_000)]), ['review'], true)).toThrow(/'k28', and 19,971 more \(did you mean 'text'\?\)$/);
    // Two records past the bound: their paths there may differ, so it says no more than one record's.
    expect(() => checkTextFields(sample([wide(20_000), wide(20_000)]), ['review'], true)).toThrow(/'k28', and at least 19,971 more \(/);
  });

  it('says "at least" when several records have paths past the bound, which may differ', () => {
    const objects = [wide(20_000, (i) => `a${i}`), wide(20_000, (i) => `b${i}`)];
    // 10,000 listed (30 shown), the second record's 20,000 b-paths past them: 40,001 in all, more than it says.
    expect(() => checkTextFields(sample(objects), ['review'], true)).toThrow(/'a28', and at least 29,970 more \(/);
  });
});

// Walked to depth 32 (MAX_DEPTH): a value that deep is named by its own path, one deeper by the object 32 deep that holds
// it (a record nested thousands deep must not overflow the stack).
describe('field paths of deeply nested records', () => {
  /** `{ text, l1: { l2: … { l<depth>: 'v' } } }`: a value `depth` keys deep. */
  const nested = (depth: number): Record<string, unknown> => {
    let value: unknown = 'v';
    for (let level = depth; level >= 1; level--) value = { [`l${level}`]: value };
    return { text: 'great', ...(value as Record<string, unknown>) };
  };
  const pathOf = (depth: number) => Array.from({ length: depth }, (_, i) => `l${i + 1}`).join('.');

  it('a value 32 keys deep is listed by its path, as a flag names it', () => {
    expect(fieldPaths([nested(32)])).toEqual(['text', pathOf(32)]);
    expect(() => checkTextFields(sample([nested(32)]), ['review'], true)).toThrow(`'${pathOf(32)}'`);
  });

  it('one 33 keys deep, by the object 32 deep that holds it', () => {
    expect(fieldPaths([nested(33)])).toEqual(['text', pathOf(32)]);
  });

  // That path is an object: offered as "did you mean", the next run refused it ("is an object, not text"). Only a path
  // that holds text is offered, as the report's fields are (report/object-field.ts).
  it('"did you mean" never offers that object 32 deep, only a path that holds text', () => {
    const typo = `${pathOf(31)}.l3z`;
    expect(() => checkTextFields(sample([nested(33)]), [typo], true)).toThrow(`its fields are: 'text', '${pathOf(32)}'`);
    expect(() => checkTextFields(sample([nested(33)]), [typo], true)).not.toThrow(`did you mean '${pathOf(32)}'`);
    // At 32 keys deep it is the text, and offered.
    expect(() => checkTextFields(sample([nested(32)]), [typo], true)).toThrow(`(did you mean '${pathOf(32)}'?)`);
  });

  // A path only records past the sample have (field-look-ahead.ts `others`) is judged by those records: judged by the
  // sample, which lacks it, the object 32 deep was offered, and the run naming it failed every such row text_not_string.
  it('nor that object when only records further on have it', () => {
    const typo = `${pathOf(31)}.l3z`;
    const further = (objects: Array<Record<string, unknown>>) => ({ found: new Set<string>(), others: objects, having: [], records: 101, whole: true });
    const head = sample([{ id: 1, text: 'x' }]);
    expect(() => checkTextFields(head, [typo], true, further([nested(33)]))).toThrow(`'${pathOf(32)}'`);
    expect(() => checkTextFields(head, [typo], true, further([nested(33)]))).not.toThrow(`did you mean '${pathOf(32)}'`);
    expect(() => checkTextFields(head, [typo], true, further([nested(32)]))).toThrow(`(did you mean '${pathOf(32)}'?)`);
  });
});
