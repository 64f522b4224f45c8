import { describe, expect, it } from 'vitest';
import { oneLine } from '../src/wording/one-line.js';

describe('oneLine', () => {
  it('writes line breaks and control characters as escapes, and leaves the rest', () => {
    expect(oneLine('a\nb\r\nc')).toBe('a\\nb\\r\\nc');
    expect(oneLine('\u001b[31mred\u0000\u007f\u0085\u2028')).toBe('\\u001b[31mred\\u0000\\u007f\\u0085\\u2028');
    expect(oneLine('tab\tstays, é 日本 😀 too')).toBe('tab\tstays, é 日本 😀 too');
  });
});
