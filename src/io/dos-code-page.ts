/**
 * Which 8-bit encoding a file that is not UTF-8 is in, for the conversion the refusal names (utf8-check.ts): Windows-1252
 * (Excel's plain "CSV" in Western Europe), Windows-1250 (the same in Central Europe: Polish, Czech, Slovak, Hungarian),
 * or the DOS code pages Excel's "CSV (MS-DOS)" writes, CP850 (Western) and CP852 (Central). A wrong name's iconv either
 * stops at a byte the encoding lacks (exit 1, a copy cut there) or exits 0 with other letters (`Catégorie` as
 * `Cat‚gorie`, `zażółć` as `za¥ó²å`), a copy that scores, wrongly.
 *
 * The file is read in each encoding, and each reading scored by what stands beside letters, where a word's accented
 * letter stands: a letter of one language counts for it, a letter of none (or a capital after a small letter, or a box
 * line, ¹ or ¤ between letters) against it. The reading whose letters make one language's words best names the
 * encoding. Rules of a byte here and there (review72, lowfix80) named a Czech Windows-1250 export with none of ť ą ł ż
 * as Windows-1252 (`pøímo`, `dorueení`) and a Slovak one with ľ as CP852 (`ż` there): lowfix86.
 *
 * Punctuation counts for an encoding where it stands as punctuation does: the apostrophe ’ and dashes – — inside a word
 * (`don’t`, CP852's ĺ), quotes „ “ ‘ and ¿ ¡ opening one, ” “ ’ … closing it. Bytes the same character in two encodings
 * count alike in both, so a text told by none (German ä ö ü ß, Czech á é í ý: the same bytes in both Windows code pages)
 * keeps the first of ENCODINGS, whose conversion gives the same text. Where two readings give different text and score
 * the same (`très`, or Czech `trčs`: one letter of each), the bytes cannot tell them apart: both are named.
 */
import { LANGUAGE_LETTERS, VOWELS } from './code-page-letters.js';
import { LACKING, UPPER_HALVES } from './code-page-tables.js';

/** iconv's name for Western Europe's Windows code page, a superset of Latin-1's letters. */
export const WINDOWS_WESTERN_ENCODING = 'WINDOWS-1252';

/** iconv's name for Central Europe's Windows code page. */
export const WINDOWS_CENTRAL_ENCODING = 'WINDOWS-1250';

/** iconv's name for the DOS code page of Western Europe, whose accented letters are also CP437's (the US one). */
export const DOS_ENCODING = 'CP850';

/** iconv's name for the DOS code page of Central Europe. */
export const CENTRAL_DOS_ENCODING = 'CP852';

/** The encodings told apart, the first kept on a tie: Western Europe's before Central Europe's, Windows before DOS. */
const ENCODINGS = [WINDOWS_WESTERN_ENCODING, DOS_ENCODING, WINDOWS_CENTRAL_ENCODING, CENTRAL_DOS_ENCODING] as const;

/** Marks that stand inside a word (`don’t`, `word—word`, Catalan `l·l`), that open one, and that close one. */
const INSIDE_WORD_MARKS = new Set(['’', '–', '—', '·']);
const OPENING_MARKS = new Set(['‘', '“', '„', '‚', '«', '¿', '¡']);
const CLOSING_MARKS = new Set(['’', '”', '“', '»', '…']);

/** The encoding the bytes most likely are in (iconv's name), and others their bytes fit as well, if any. */
export interface CodePageGuess {
  encoding: string;
  /** Encodings whose readings score the same but give other text: the bytes cannot tell which (best first). */
  alternatives: string[];
}

/** The DOS code page the bytes look written in (iconv's name), Windows-1250, or undefined for Windows-1252. */
export function dosCodePage(bytes: Uint8Array): string | undefined {
  const { encoding } = codePageGuess(bytes);
  return encoding === WINDOWS_WESTERN_ENCODING ? undefined : encoding;
}

/** The encoding whose reading of `bytes` makes the most plausible words (see above). */
export function codePageGuess(bytes: Uint8Array): CodePageGuess {
  const scored = ENCODINGS.map((encoding) => ({ encoding, score: readingScore(bytes, READINGS[encoding]!) }));
  const possible = scored.filter((reading) => reading.score !== undefined) as { encoding: string; score: number }[];
  // The DOS code pages have a character for every byte: one reading at least is possible.
  // A stable sort: on a tie the first of ENCODINGS stays first.
  possible.sort((a, b) => b.score - a.score);
  const best = possible[0]!;
  // With nothing to go on (no accented letter nor mark beside a letter), Windows-1252 alone, the most common, as before.
  const alternatives: string[] = [];
  for (const { encoding, score } of possible.slice(1)) {
    if (best.score > 0 && score === best.score && [best.encoding, ...alternatives].every((named) => readsOtherwise(bytes, named, encoding))) alternatives.push(encoding);
  }
  return { encoding: best.encoding, alternatives };
}

/** One encoding's reading of a byte: its character lower-cased, and what kind of character it is. */
interface ByteReading {
  lower: string;
  letter: boolean;
  upper: boolean;
  vowel: boolean;
  lacking: boolean;
  char: string;
}

const READINGS: Record<string, ByteReading[]> = Object.fromEntries(ENCODINGS.map((encoding) => [encoding, bytesAsRead(encoding)]));

function bytesAsRead(encoding: string): ByteReading[] {
  const half = UPPER_HALVES[encoding] as string;
  return Array.from({ length: 256 }, (_, byte) => {
    const char = byte < 0x80 ? String.fromCharCode(byte) : (half[byte - 0x80] as string);
    const lower = char.toLowerCase();
    const letter = /\p{L}/u.test(char);
    return { char, lower, letter, upper: letter && char !== lower, vowel: VOWELS.includes(lower), lacking: char === LACKING };
  });
}

/**
 * How plausible the text is read in one encoding (undefined when the file holds a byte it lacks): per byte past ASCII
 * beside a letter (weighing 2 between two letters, 1 at a word's edge), its letter for or against each language,
 * punctuation where punctuation stands for it, anything else between letters against it.
 */
function readingScore(bytes: Uint8Array, reading: readonly ByteReading[]): number | undefined {
  const letters = new Map<string, number>();
  let marks = 0;
  for (let i = 0; i < bytes.length; i += 1) {
    const byte = bytes[i]!;
    if (byte < 0x80) continue;
    const here = reading[byte]!;
    if (here.lacking) return undefined;
    const before = i > 0 ? reading[bytes[i - 1]!]! : undefined;
    const after = i + 1 < bytes.length ? reading[bytes[i + 1]!]! : undefined;
    const letterBefore = before?.letter === true;
    const letterAfter = after?.letter === true;
    if (!letterBefore && !letterAfter) continue;
    const weight = letterBefore && letterAfter ? 2 : 1;
    if (here.letter) {
      // A capital inside a word is no word's but in capitals: after a small letter (`doruÈení`, CP850's reading of
      // Windows-1252's `réglée` as `rÚglÚe`) or before one (its `Déçu` as `DÚþu`).
      if (here.upper && letterBefore && (!before!.upper || (letterAfter && !after!.upper))) {
        marks -= weight;
        continue;
      }
      // An accented consonant between two consonants is seldom a word's (`trčs` for `très`).
      if (!here.vowel && before?.letter && after?.letter && !before.vowel && !after.vowel) marks -= 1;
      // German's ß follows a vowel (`Straße`, `groß`): CP850's reading of Windows-1252's á (`zodpovedß`) follows a consonant.
      else if (here.char === 'ß' && before?.letter && !before.vowel) marks -= weight;
      letters.set(here.lower, (letters.get(here.lower) ?? 0) + weight);
    } else if (letterBefore && letterAfter) {
      marks += INSIDE_WORD_MARKS.has(here.char) ? weight : -weight;
    } else if (letterAfter ? OPENING_MARKS.has(here.char) : CLOSING_MARKS.has(here.char)) {
      marks += weight;
    }
  }
  return marks + bestLanguage(letters);
}

/** The letters' weight for the language they fit best: its letters for it, any other against it (0 with none). */
function bestLanguage(letters: ReadonlyMap<string, number>): number {
  if (letters.size === 0) return 0;
  let best = -Infinity;
  for (const language of LANGUAGE_LETTERS) {
    let score = 0;
    for (const [letter, weight] of letters) score += language.includes(letter) ? weight : -weight;
    best = Math.max(best, score);
  }
  return best;
}

/** Whether the two encodings read some byte of the file as different characters (their conversions differ). */
function readsOtherwise(bytes: Uint8Array, one: string, other: string): boolean {
  const [a, b] = [READINGS[one]!, READINGS[other]!];
  const seen = new Uint8Array(256);
  for (const byte of bytes) {
    if (byte < 0x80 || seen[byte] === 1) continue;
    seen[byte] = 1;
    if (a[byte]!.char !== b[byte]!.char) return true;
  }
  return false;
}
