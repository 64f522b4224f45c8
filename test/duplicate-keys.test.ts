import { describe, expect, it } from 'vitest';
import { firstDuplicateKey } from '../src/config/duplicate-keys.js';

describe('firstDuplicateKey (JSON.parse keeps the last of two equal keys silently)', () => {
  it('finds a key given twice, with the line of each', () => {
    expect(firstDuplicateKey('{\n  "rpm": 100,\n  "output": "a.csv",\n  "rpm": 200\n}\n')).toEqual({ key: 'rpm', firstLine: 2, secondLine: 4 });
    expect(firstDuplicateKey('{"a":1,"a":2}')).toEqual({ key: 'a', firstLine: 1, secondLine: 1 });
  });

  it('compares keys as JSON.parse decodes them', () => {
    expect(firstDuplicateKey('{"rpm": 1,\n"\\u0072pm": 2}')).toEqual({ key: 'rpm', firstLine: 1, secondLine: 2 });
  });

  it('does not mistake values, strings holding JSON punctuation, or keys of other objects for keys given twice', () => {
    expect(firstDuplicateKey('{"textColumn": ["rpm", "rpm"], "rpm": 1}')).toBeUndefined();
    expect(firstDuplicateKey('{"a": "x\\", \\"a\\": {", "b": "}, \\"a\\": 1"}')).toBeUndefined();
    expect(firstDuplicateKey('{"a": {"b": 1}, "b": {"a": 2}}')).toBeUndefined();
    expect(firstDuplicateKey('[{"a": 1}, {"a": 2}]')).toBeUndefined();
    expect(firstDuplicateKey('{"description": "a, b", "input": "x.csv"}')).toBeUndefined();
  });

  it('finds one in a nested object too', () => {
    expect(firstDuplicateKey('{"a": [1, {"b": 1,\n"b": 2}]}')).toEqual({ key: 'b', firstLine: 1, secondLine: 2 });
  });
});
