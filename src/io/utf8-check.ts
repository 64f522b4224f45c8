import { isUtf8 } from 'node:buffer';
import { Transform, type TransformCallback } from 'node:stream';
import { InputError } from '../errors.js';
import { SAVE_AS_CSV } from '../wording/save-as-csv.js';
import { looksUtf16NoMark, Utf16InputError, utf16FirstLineTabbed, utf16NoMarkAdvice, utf16NoMarkFirstLineTabbed } from './utf16-advice.js';
import { otherCompressionByBytes } from './other-compression.js';
import { startsAsGzip } from './gzip-magic.js';
import { CENTRAL_DOS_ENCODING, codePageGuess, DOS_ENCODING, WINDOWS_CENTRAL_ENCODING } from './dos-code-page.js';

/** Options of {@link Utf8Check}. */
export interface Utf8CheckOptions {
  /**
   * Absolute offset (in the decompressed input) of the first byte this stream sees,
   * so error messages name the byte in the whole file, also after a resume.
   * @default 0
   */
  startOffset?: number;
}

/** How much text before a bad byte an error message shows. */
const CONTEXT_BYTES = 24;

/**
 * A pass-through Transform that fails with an InputError at the first byte
 * that is not valid UTF-8. Chunks pass through unchanged (no copy); a multi-byte
 * sequence split across chunks is checked once the next chunk arrives, and a
 * sequence left incomplete at the end of the input is an error too.
 *
 * Passing the chunk on before its incomplete tail is verified is safe: a record
 * cannot end inside a multi-byte character, so no consumer can complete a record
 * from bytes this stream has not validated yet — except at the very end, where
 * `_flush` fails before the consumer sees the end of the input.
 */
export class Utf8Check extends Transform {
  /** Absolute offset of the first byte of the next chunk. */
  #offset: number;
  /** Up to 3 bytes of a sequence started at the end of the previous chunk. */
  #carry: Buffer = Buffer.alloc(0);
  /** The last few validated bytes before the carry, to show context in an error. */
  #recent: Buffer = Buffer.alloc(0);

  constructor(options: Utf8CheckOptions = {}) {
    super();
    this.#offset = options.startOffset ?? 0;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const carried = this.#carry.length;
    const bytes = carried === 0 ? chunk : Buffer.concat([this.#carry, chunk]);
    const base = this.#offset - carried;
    const complete = completePrefixLength(bytes);
    const head = bytes.subarray(0, complete);
    if (!isUtf8(head)) {
      const context = Buffer.concat([this.#recent, bytes]);
      const index = this.#recent.length + Math.max(firstInvalidUtf8(head), 0);
      callback(invalidUtf8Error(context, index, base - this.#recent.length));
      return;
    }
    // Copies: neither may pin the whole chunk in memory.
    this.#recent = Buffer.from(
      head.length >= CONTEXT_BYTES ? head.subarray(-CONTEXT_BYTES) : Buffer.concat([this.#recent, head]).subarray(-CONTEXT_BYTES),
    );
    this.#carry = Buffer.from(bytes.subarray(complete));
    this.#offset += chunk.length;
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (this.#carry.length > 0) {
      callback(truncatedCharacterError(this.#offset - this.#carry.length));
      return;
    }
    callback();
  }
}

/**
 * Throws the same InputError as {@link Utf8Check} when `bytes` (which start at
 * absolute offset `base`) are not valid UTF-8. With `final` false, a sequence
 * cut off at the end is accepted: more bytes are still to come.
 */
export function assertUtf8(bytes: Buffer, base: number, final: boolean): void {
  const head = final ? bytes : bytes.subarray(0, completePrefixLength(bytes));
  if (isUtf8(head)) return;
  const index = firstInvalidUtf8(head);
  throw final && sequenceLength(bytes[index] ?? 0) > bytes.length - index
    ? truncatedCharacterError(base + index)
    : invalidUtf8Error(bytes, index, base);
}

/**
 * Length of the longest prefix of `bytes` that does not end inside a multi-byte
 * sequence: a trailing lead byte whose continuation bytes have not arrived yet is
 * left for the next chunk. Invalid bytes are left in the prefix for `isUtf8` to reject.
 */
function completePrefixLength(bytes: Buffer): number {
  const length = bytes.length;
  // A sequence is at most 4 bytes, so its lead byte is among the last 4.
  for (let i = length - 1; i >= 0 && i >= length - 4; i--) {
    const byte = bytes[i]!;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    const needed = sequenceLength(byte);
    return needed > 0 && i + needed > length ? i : length;
  }
  return length;
}

/** Bytes in the sequence a lead byte starts; 0 when it cannot start one. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/**
 * Index of the first byte of the first invalid or incomplete sequence, or -1 when
 * all of `bytes` is valid UTF-8. Follows the WHATWG decoder's rules (no overlong
 * forms, no surrogates, nothing above U+10FFFF). Only called once isUtf8 said no.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i]!;
    const needed = sequenceLength(lead);
    if (needed === 0) return i;
    if (needed === 1) {
      i++;
      continue;
    }
    // The second byte's range is narrower after some lead bytes.
    let low = 0x80;
    let high = 0xbf;
    if (lead === 0xe0) low = 0xa0;
    else if (lead === 0xed) high = 0x9f;
    else if (lead === 0xf0) low = 0x90;
    else if (lead === 0xf4) high = 0x8f;
    for (let k = 1; k < needed; k++) {
      const byte = bytes[i + k];
      if (byte === undefined || byte < low || byte > high) return i;
      low = 0x80;
      high = 0xbf;
    }
    i += needed;
  }
  return -1;
}

function invalidUtf8Error(bytes: Buffer, index: number, base: number): InputError {
  const at = base + index;
  const byte = bytes[index] ?? 0;
  if (at === 0 && (byte === 0xff || byte === 0xfe)) {
    // The command names the user's file in the conversion (utf16-advice.ts).
    return new Utf16InputError('UTF-16', 'csv', (convert) => `input is not valid UTF-8 at byte ${at} (it starts with a UTF-16 byte-order mark; save the file as UTF-8, ${convert})`, utf16FirstLineTabbed(bytes));
  }
  let detail: string | undefined;
  const otherCompression = base === 0 ? otherCompressionByBytes(bytes) : undefined;
  if (base === 0 && startsAsGzip(bytes)) {
    // gzip's magic number: a compressed file read as text (piped in, or named without .gz).
    detail = 'it is gzip-compressed: give the file itself with a name ending in .gz, or decompress it first (gunzip -c FILE.gz | sentiment-batch ... -)';
  } else if (otherCompression !== undefined) {
    detail = otherCompression;
  } else if (base === 0 && startsWith(bytes, ZIP_MAGIC)) {
    // An .xlsx (a ZIP archive) saved or renamed as .csv: no encoding would make it text.
    detail = `it is a ZIP archive (an Excel .xlsx workbook, or a zipped export), not text: ${SAVE_AS_CSV}, or unzip the export, and score that file`;
  } else if (base === 0 && startsWith(bytes, OLE2_MAGIC)) {
    detail = `it is an Excel .xls workbook (or another Office file), not text: ${SAVE_AS_CSV} and score that file`;
  }
  if (detail !== undefined) return new InputError(`input is not valid UTF-8 at byte ${at} (${detail})`);
  if (base === 0 && looksUtf16NoMark(bytes)) {
    // UTF-16 without a mark whose first lines hold a letter past ASCII ('é' is E9 00) is caught here, before the header
    // row's NUL check (csv-header.ts) that names it otherwise: Windows-1252's iconv would keep a NUL after each letter.
    const utf16 = utf16NoMarkAdvice(bytes);
    const say = (convert: string) => `input is not valid UTF-8 at byte ${at} (every other byte is NUL: the file looks like UTF-16, ${utf16.order}; save it as UTF-8, ${convert})`;
    return new Utf16InputError(utf16.from, 'csv', say, utf16NoMarkFirstLineTabbed(bytes));
  }
  // Show the text just before the bad byte, from the start of its line.
  const before = bytes.subarray(Math.max(0, index - CONTEXT_BYTES), index).toString('utf8').split(/[\r\n]/).at(-1) ?? '';
  const found = `byte 0x${byte.toString(16).padStart(2, '0')}${before.length > 0 ? ` after ${JSON.stringify(before)}` : ''}`;
  // The conversion names the user's file, as a UTF-16 one does: a bare `iconv -f windows-1252 -t utf-8` left the file
  // to guess, and run on a .gz export it converts the compressed bytes (the command names it: utf16-advice.ts).
  // Excel's "CSV (MS-DOS)" is in the DOS code page, which the Windows-1252 conversion garbles (dos-code-page.ts).
  // Told from the bytes from the first bad one on (those before are UTF-8: ASCII, mostly), 256 KiB of them at most: the
  // guess reads each byte four times, ~30 ms for 256 KiB, and a refusal after a 16 MiB look-ahead took ~2 s whole.
  const guess = codePageGuess(bytes.subarray(Math.max(0, index - CONTEXT_BYTES), index + GUESS_BYTES));
  // Bytes that read as words in two encodings (a few accented letters, each a letter in both): the other is named too,
  // as the conversion the first gives then has wrong letters and exits 0.
  const too =
    guess.alternatives.length === 0
      ? ''
      : `, or else in ${guess.alternatives.join(' or ')} (its bytes read as words in each: if the copy's accented letters look wrong, ` +
        `convert from ${guess.alternatives.length === 1 ? 'that' : 'one of those'} instead)`;
  return new Utf16InputError(
    guess.encoding,
    'csv',
    (convert) => `input is not valid UTF-8 at byte ${at} (${found}; the file is probably in ${encodingWords(guess.encoding)}${too}: convert it to UTF-8, ${convert})`,
  );
}

/** How the refusal names an encoding: Excel's "CSV (MS-DOS)" is in the DOS code page, which the Windows-1252 conversion garbles (dos-code-page.ts). */
function encodingWords(encoding: string): string {
  if (encoding === WINDOWS_CENTRAL_ENCODING) return `Central Europe's Windows code page ${encoding} (as Excel's "CSV" writes it there)`;
  if (encoding === DOS_ENCODING) return `the DOS code page ${encoding} (as Excel's "CSV (MS-DOS)" writes it; CP437 in the US)`;
  if (encoding === CENTRAL_DOS_ENCODING) return `the DOS code page ${encoding} (Central Europe's, as Excel's "CSV (MS-DOS)" writes it there)`;
  return 'another encoding such as Windows-1252 or Latin-1';
}

/** The most bytes the encoding of a file that is not UTF-8 is guessed from (dos-code-page.ts). */
const GUESS_BYTES = 256 * 1024;

/** iconv's name for the encoding a non-UTF-8 export is most likely in: Windows-1252, a superset of Latin-1's letters. */
const LEGACY_ENCODING = 'WINDOWS-1252';

/** The first bytes of a ZIP archive (an .xlsx is one) and of an OLE2 compound file (an old .xls). */
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE2_MAGIC = [0xd0, 0xcf, 0x11, 0xe0];

function startsWith(bytes: Buffer, magic: readonly number[]): boolean {
  return magic.every((byte, i) => bytes[i] === byte);
}

/** Most often an export cut short (cut-short.ts); a last character in another encoding (one Windows-1252 'é' ending the file) reads the same. */
function truncatedCharacterError(at: number): InputError {
  return new Utf16InputError(
    LEGACY_ENCODING,
    'csv',
    (convert) =>
      `input is not valid UTF-8 at byte ${at} (the input ends in the middle of a multi-byte character: the file may be truncated or in another encoding). ` +
      'An export cut short (still being written when it was read, or the job that wrote it stopped): let it finish or export it again, then run the same command; ' +
      `a complete file in another encoding: convert it to UTF-8, ${convert}`,
  );
}
