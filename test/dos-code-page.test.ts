// Whether an export that is not UTF-8 is in a DOS code page (CP850, CP852) or in Windows-1252 (io/dos-code-page.ts): told by
// the bytes between two lower-case letters, where a word's accented letter stands.
import { describe, expect, it } from 'vitest';
import { dosCodePage } from '../src/io/dos-code-page.js';

const bytes = (...parts: (string | number)[]): Uint8Array => Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.of(part))));

describe('dosCodePage', () => {
  it("counts 'ß' (0xDF, Windows-1252's lowest lower-case letter) for Windows-1252: Straße beside a low quote between letters stays Windows-1252", () => {
    // 0x82 is CP850's 'é' and Windows-1252's low quote '‚': one each way is no majority for the DOS code page.
    expect(dosCodePage(bytes('stra', 0xdf, 'e und ab', 0x82, 'c'))).toBeUndefined();
  });

  it('takes only a byte with a letter on both sides: German low quotes („ 0x84, CP850\'s ä) before words are no DOS letters', () => {
    // Windows-1252: sagt „gut“ und „schön“ (0x84 … 0x93, ö 0xF6).
    expect(dosCodePage(bytes('sagt ', 0x84, 'gut', 0x93, ' und ', 0x84, 'sch', 0xf6, 'n', 0x93))).toBeUndefined();
  });

  it("takes 'a' to 'z' as the letters around, both ends: zéro and año in CP850", () => {
    expect(dosCodePage(bytes('z', 0x82, 'ro'))).toBe('CP850');
    expect(dosCodePage(bytes('a', 0xa4, 'o'))).toBe('CP850');
  });
});
