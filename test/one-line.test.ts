import { describe, expect, it } from 'vitest';
import { oneLine } from '../src/wording/one-line.js';

describe('oneLine', () => {
  it('writes line breaks and control characters as escapes, and leaves the rest', () => {
    expect(oneLine('a\nb\r\nc')).toBe('a\\nb\\r\\nc');
    expect(oneLine('\u001b[31mred\u0000\u007f\u0085\u2028')).toBe('\\u001b[31mred\\u0000\\u007f\\u0085\\u2028');
    // C1 controls: CSI (U+009B) and OSC (U+009D) start escape sequences on terminals that read 8-bit controls.
    expect(oneLine('a\u0080b\u009b31mc\u009d0;t\u009cd')).toBe('a\\u0080b\\u009b31mc\\u009d0;t\\u009cd');
    expect(oneLine('tab\tstays, é 日本 😀 too')).toBe('tab\tstays, é 日本 😀 too');
  });

  it('writes invisible format characters as escapes: a column named with a second BOM reads as text, not as the name typed', () => {
    // "did you mean 'text'?" for a header whose column is '\ufefftext' (a second byte-order mark) was a dead end.
    expect(oneLine("the columns are: '\ufefftext' (did you mean '\ufefftext'?)")).toBe("the columns are: '\\ufefftext' (did you mean '\\ufefftext'?)");
    expect(oneLine('a\u200bb\u2060d\u200ee\u202ef\u2066g')).toBe('a\\u200bb\\u2060d\\u200ee\\u202ef\\u2066g');
    // Joiners are parts of emoji and of Persian and Indic words: they stay.
    expect(oneLine('👨\u200d👩 می\u200cخواهم')).toBe('👨\u200d👩 می\u200cخواهم');
  });
});
