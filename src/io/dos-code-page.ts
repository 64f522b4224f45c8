/**
 * Whether a file that is not UTF-8 looks written in the DOS code page (CP850, CP437's Western European successor,
 * whose letters below 0xA6 are CP437's) rather than in Windows-1252. Excel's "CSV (MS-DOS)" writes it: its 'é' is
 * 0x82, which Windows-1252 reads as a low quote, so the Windows-1252 conversion advised turned `Catégorie` into
 * `Cat‚gorie` without a word, and stopped at an 'É' (0x90, a byte Windows-1252 lacks), leaving a copy cut there.
 *
 * Told by the bytes between two lower-case ASCII letters, where a word's accented letter stands: CP850's lower-case
 * accented letters (é è ç ü ö ä â ê ë ï î ì ò í ó ú ñ) against Windows-1252's (0xDF–0xFF). Windows-1252's bytes that
 * do stand between letters are no DOS letter here, so such an export stays Windows-1252's: the apostrophe ’ (0x92) of
 * `don’t`, the dashes – — (0x96, 0x97) of `word—word`, the ellipsis … (0x85, CP850's à, mostly a word of its own
 * anyway) and the no-break space (0xA0, CP850's á).
 */
const DOS_LOWER_CASE_LETTERS: ReadonlySet<number> = new Set([
  0x81, 0x82, 0x83, 0x84, 0x87, 0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x94, 0x95, 0xa1, 0xa2, 0xa3, 0xa4,
]);

/** iconv's name for the DOS code page of Western Europe, whose accented letters are also CP437's (the US one). */
export const DOS_ENCODING = 'CP850';

export function looksDosCodePage(bytes: Uint8Array): boolean {
  let dos = 0;
  let windows = 0;
  for (let i = 1; i + 1 < bytes.length; i += 1) {
    const byte = bytes[i]!;
    if (byte < 0x80 || !isLowerAscii(bytes[i - 1]!) || !isLowerAscii(bytes[i + 1]!)) continue;
    if (DOS_LOWER_CASE_LETTERS.has(byte)) dos += 1;
    else if (byte >= 0xdf) windows += 1;
  }
  return dos > windows;
}

function isLowerAscii(byte: number): boolean {
  return byte >= 0x61 && byte <= 0x7a;
}
