import { describe, expect, it } from 'vitest';
import { lookupPath, parseDottedPath } from '../src/io/dotted-path.js';
import { nameIndexes, ownKey } from '../src/io/unicode-name.js';
import { columnIndex } from '../src/report/columns.js';

// "critiqué" typed (precomposed é, NFC) and as macOS writes it (e + combining accent, NFD).
const typed = 'critiqu\u00e9';
const decomposed = 'critique\u0301';

describe('a name in another Unicode form is the same name', () => {
  it('finds columns and keys exactly first, else in the other form', () => {
    expect(nameIndexes(['id', decomposed], typed)).toEqual([1]);
    expect(nameIndexes([decomposed, typed], typed)).toEqual([1]);
    expect(nameIndexes(['id'], typed)).toEqual([]);
    expect(ownKey({ [decomposed]: 'x' }, typed)).toBe(decomposed);
    expect(ownKey({ other: 'x' }, typed)).toBeUndefined();
  });

  it('JSONL fields (dotted paths too) and report columns match it', () => {
    expect(lookupPath({ review: { [decomposed]: 'very good' } }, parseDottedPath(`review.${typed}`))).toEqual({ found: true, value: 'very good' });
    expect(columnIndex(['id', decomposed], typed, '--by')).toBe(1);
  });
});
