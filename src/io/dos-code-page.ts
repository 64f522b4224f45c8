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

/**
 * Bytes Windows-1252 lacks, letters of the DOS code page (ü ì Å É ¥/Ø): iconv's WINDOWS-1252 refuses them (exit 1, a
 * copy cut there), so one anywhere names the DOS code page whatever the letters between words say (its 'ß' is 0xE1,
 * Windows-1252's 'á': `Straße heißt` outweighed `für`).
 */
const NOT_WINDOWS_1252: ReadonlySet<number> = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

/**
 * Central Europe's DOS code page, CP852 (Polish, Czech, Slovak, Hungarian): its letters ą ę ź ż ž č ď ě ś (0xA5 0xA9 0xAB
 * 0xBE 0xA7 0x9F 0xD4 0xD8 0x98) are no lower-case letter of CP850 (Ñ ® ½ ¥ º ƒ È Ï ÿ) nor of Windows-1252, so either
 * conversion wrote wrong letters (`zażółć` as `za¥ó²å` through CP850). Against them stand CP850's letters whose bytes
 * CP852 gives other letters (à ê è ï ì ò ñ: ů ł Ő ő Ź Ĺ Ą).
 */
const CENTRAL_LOWER_CASE_LETTERS: ReadonlySet<number> = new Set([0xa5, 0xa9, 0xab, 0xbe, 0xa7, 0x9f, 0xd4, 0xd8, 0x98]);
const WESTERN_ONLY_LOWER_CASE_LETTERS: ReadonlySet<number> = new Set([0x85, 0x88, 0x8a, 0x8b, 0x8d, 0x95, 0xa4]);

/**
 * Central Europe's Windows code page, Windows-1250 (Excel's plain "CSV" on a Polish or Czech Windows): its letters ą ł ż ť
 * (0xB9 0xB3 0xBF 0x9D) are box lines or capitals in CP852 and CP850 and no lower-case letter of Windows-1252 (¹ ³ ¿,
 * 0x9D lacking), so between two lower-case letters they name it. Its ź (0x9F) is CP852's č and ť a byte Windows-1252
 * lacks: such an export was named CP852 or CP850, whose iconv writes other letters and exits 0 (review72).
 */
const WINDOWS_CENTRAL_LOWER_CASE_LETTERS: ReadonlySet<number> = new Set([0xb9, 0xb3, 0xbf, 0x9d]);

/**
 * Bytes Windows-1252 lacks that are letters of Windows-1250 (Ť Ź ť, 0x8D 0x8F 0x9D), as they are of CP850 (ì Å Ø). One
 * where no Windows-1250 letter stands between two letters (a Czech `ťukání`, its ť starting the word) named CP850 for
 * lacking; when the letters between letters read as Windows ones (Czech á é í ý, 0xE1 0xE9 0xED 0xFD: CP850's ß Ú Ý ²),
 * it names Windows-1250. The other bytes Windows-1252 lacks (0x81, 0x90: CP850's ü É) Windows-1250 lacks too.
 */
const WINDOWS_CENTRAL_NOT_WINDOWS_1252: ReadonlySet<number> = new Set([0x8d, 0x8f, 0x9d]);

/**
 * Hungarian's ő and ű are CP852's 0x8B and 0xFB, CP850's ï and ¹; its other accented letters (á é í ó ö ú ü) are the
 * same bytes in both, and none of CENTRAL_LOWER_CASE_LETTERS: a Hungarian CP852 export was named CP850 (`minőség` as
 * `minïség`, `könnyű` as `könny¹`). A ¹ after a letter is no word of CP850's, so in a text that reads as DOS one names
 * CP852 and makes its ï's ő's. Windows-1252's û is 0xFB too (`goût`): such a text does not read as DOS.
 */
const HUNGARIAN_U = 0xfb;
const HUNGARIAN_O = 0x8b;

/** iconv's name for Central Europe's Windows code page. */
export const WINDOWS_CENTRAL_ENCODING = 'WINDOWS-1250';

/** iconv's name for the DOS code page of Western Europe, whose accented letters are also CP437's (the US one). */
export const DOS_ENCODING = 'CP850';

/** iconv's name for the DOS code page of Central Europe. */
export const CENTRAL_DOS_ENCODING = 'CP852';

/** The DOS code page the bytes look written in (iconv's name), Windows-1250, or undefined for Windows-1252. */
export function dosCodePage(bytes: Uint8Array): string | undefined {
  let dos = 0;
  let windows = 0;
  let central = 0;
  let western = 0;
  let windowsCentral = 0;
  let hungarianU = 0;
  let hungarianO = 0;
  // Bytes Windows-1252 lacks: how many, and how many of them are Windows-1250 letters.
  let lacking = 0;
  let lackingWindowsCentral = 0;
  const noteLacking = (byte: number): void => {
    if (!NOT_WINDOWS_1252.has(byte)) return;
    lacking += 1;
    if (WINDOWS_CENTRAL_NOT_WINDOWS_1252.has(byte)) lackingWindowsCentral += 1;
  };
  if (bytes.length > 0) noteLacking(bytes[0]!);
  if (bytes.length > 1) noteLacking(bytes[bytes.length - 1]!);
  for (let i = 1; i + 1 < bytes.length; i += 1) {
    const byte = bytes[i]!;
    noteLacking(byte);
    // Word-final too (`könnyű`, `egyszerű`): a ¹ after a letter is no Western word.
    if (byte === HUNGARIAN_U && isLowerAscii(bytes[i - 1]!)) hungarianU += 1;
    // Beside another accented letter too (`zażółć`: ż before ó): Polish words put them side by side.
    if (WINDOWS_CENTRAL_LOWER_CASE_LETTERS.has(byte) && letterByte(bytes[i - 1]!) && letterByte(bytes[i + 1]!)) windowsCentral += 1;
    if (byte < 0x80 || !isLowerAscii(bytes[i - 1]!) || !isLowerAscii(bytes[i + 1]!)) continue;
    if (CENTRAL_LOWER_CASE_LETTERS.has(byte)) central += 1;
    if (WESTERN_ONLY_LOWER_CASE_LETTERS.has(byte)) western += 1;
    if (byte === HUNGARIAN_O) hungarianO += 1;
    if (DOS_LOWER_CASE_LETTERS.has(byte)) dos += 1;
    else if (byte >= 0xdf) windows += 1;
  }
  if (windowsCentral > 0 && windowsCentral >= central) return WINDOWS_CENTRAL_ENCODING;
  if (central > western) return CENTRAL_DOS_ENCODING;
  if (lacking > 0 && lacking === lackingWindowsCentral && windows > dos) return WINDOWS_CENTRAL_ENCODING;
  const readsAsDos = lacking > 0 || dos > windows;
  if (!readsAsDos) return undefined;
  // With a ű seen, the ï's are ő's: counted for CP852, no longer for CP850.
  if (hungarianU > 0 && central + hungarianU + hungarianO > western - hungarianO) return CENTRAL_DOS_ENCODING;
  return DOS_ENCODING;
}

/** A lower-case ASCII letter, or a byte past ASCII (a letter in most 8-bit exports): not a space, digit or mark. */
function letterByte(byte: number): boolean {
  return isLowerAscii(byte) || byte >= 0x80;
}

function isLowerAscii(byte: number): boolean {
  return byte >= 0x61 && byte <= 0x7a;
}
