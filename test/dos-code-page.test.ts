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

  // CP852's ű (0xFB) is CP850's ¹, and Windows-1252's û: only in an export that reads as DOS does it name Hungarian.
  it("counts ű (0xFB) after a letter for CP852 only in a DOS export: French Windows-1252's goût stays Windows-1252", () => {
    expect(dosCodePage(bytes('un go', 0xfb, 't s', 0xfb, 'r, tr', 0xe8, 's bien'))).toBeUndefined();
    // minőség, könnyű in CP852 (ő 0x8B, ö 0x94, ű 0xFB, é 0x82, ü 0x81).
    expect(dosCodePage(bytes('min', 0x8b, 's', 0x82, 'g, k', 0x94, 'nny', 0xfb, ' ', 0x81, 'gy'))).toBe('CP852');
  });

  it("keeps CP850 for French ï (0x8B, CP852's ő) without a ű: très naïf, maïs", () => {
    expect(dosCodePage(bytes('tr', 0x8a, 's na', 0x8b, 'f, ma', 0x8b, 's'))).toBe('CP850');
  });

  // Windows-1250's ť Ť Ź (0x9D 0x8D 0x8F) are bytes Windows-1252 lacks, as are CP850's Ø ì Å.
  it('names Windows-1250 for a byte Windows-1252 lacks that is a Windows-1250 letter, in a text whose letters read as Windows ones', () => {
    // dobrá ťukání (á 0xE1, ť 0x9D, í 0xED).
    expect(dosCodePage(bytes('dobr', 0xe1, ' ', 0x9d, 'uk', 0xe1, 'n', 0xed))).toBe('WINDOWS-1250');
    // Danish in CP850: Øl, smør (Ø 0x9D, ø 0x9B): no Windows letter between letters, so CP850.
    expect(dosCodePage(bytes(0x9d, 'l er godt, sm', 0x9b, 'r'))).toBe('CP850');
    // German in CP850: Straße für (ß 0xE1, ü 0x81, a byte Windows-1250 lacks too).
    expect(dosCodePage(bytes('Stra', 0xe1, 'e f', 0x81, 'r'))).toBe('CP850');
  });
});
