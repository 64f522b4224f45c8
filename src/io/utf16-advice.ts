import { InputError } from '../errors.js';
import { detectFormat, STDIN_PATH, type InputFormat } from './format.js';
import { shellWord } from '../wording/shell-word.js';
import { copyBeside } from '../wording/copy-beside.js';

/**
 * What to do with a UTF-16 file (Excel's "Unicode Text", PowerShell's `>` before version 7): the command that converts
 * it, so a user need not look up iconv's names for the encoding. With a byte-order mark iconv's `UTF-16` reads either
 * order and drops the mark; without one it would assume big-endian, so the order the bytes show is named.
 *
 * The readers that find it do not know the file's name (they read a stream), so they say `in.csv`; the command, which
 * knows it, names the user's own file in its place ({@link namingUtf16Input}): a JSON Lines file was told
 * `iconv … in.csv > in-utf8.csv`, a name of neither its file nor its kind.
 */

/** The file a conversion is for: its path as given, its format, and whether it is gzipped. */
export interface ConvertedFile {
  path: string;
  format: InputFormat;
  gzip: boolean;
}

/**
 * For text whose every other byte is NUL (UTF-16 without a mark): its byte order, read from where the NULs fall in the
 * first two bytes (ASCII `i` is `69 00` little-endian, `00 69` big-endian), and the conversion for it.
 */
export function utf16NoMarkAdvice(first: ArrayLike<number>, extension = 'csv'): { order: string; convert: string; from: string } {
  const big = bigEndianNoMark(first);
  const from = big ? 'UTF-16BE' : 'UTF-16LE';
  return { order: big ? 'big-endian, no byte-order mark' : 'little-endian, no byte-order mark', convert: iconvLine(from, extension), from };
}

/** The conversion, of `in.<extension>` or of the file itself, its copy written beside it in the same format. */
function iconvLine(from: string, file: string | ConvertedFile, tabs = false): string {
  const convert = `iconv -f ${from} -t UTF-8`;
  const format = typeof file === 'string' ? file : file.format;
  // Tableau's crosstab export is tab-separated UTF-16 named .csv: a .csv copy of it was refused
  // next as one column, 'add --delimiter tab'. Named .tsv, the copy reads as it is.
  const tsv = tabs && format === 'csv';
  const extension = tsv ? 'tsv' : format;
  const why = tsv ? ': its columns are tab-separated, which a .tsv name reads' : '';
  if (typeof file === 'string' || file.path === STDIN_PATH) {
    return `e.g. ${convert} in.${format} > in-utf8.${extension}${why}`;
  }
  const copy = copyBeside(file.path, 'utf8', extension);
  return (file.gzip ? `e.g. gunzip -c ${shellWord(file.path)} | ${convert} > ${shellWord(copy)}` : `e.g. ${convert} ${shellWord(file.path)} > ${shellWord(copy)}`) + why;
}

/**
 * A refusal of an input in another encoding than UTF-8 (UTF-16, or Windows-1252 from utf8-check.ts), worded by `say` around the
 * conversion it names: {@link naming} names the user's file.
 */
export class Utf16InputError extends InputError {
  readonly #from: string;
  readonly #say: (convert: string) => string;
  readonly #tabs: boolean;

  /** `tabs`: the text's first line is tab-separated (the copy of a .csv is then named .tsv). */
  constructor(from: string, extension: string, say: (convert: string) => string, tabs = false) {
    super(say(iconvLine(from, extension, tabs)));
    this.#from = from;
    this.#say = say;
    this.#tabs = tabs;
  }

  /** The same refusal, its conversion of `file`. */
  naming(file: ConvertedFile): InputError {
    return new InputError(this.#say(iconvLine(this.#from, file, this.#tabs)), { cause: this });
  }
}

/** `error` as the command says it: a UTF-16 refusal names `file` (when known); any other error passes unchanged. */
export function namingUtf16Input<T>(error: T, file: ConvertedFile | undefined): T | InputError {
  return error instanceof Utf16InputError && file !== undefined ? error.naming(file) : error;
}

/** The input as a command names it (its path as given, its --format if any); undefined when no format can be told. */
export function convertedFile(input: string, format: InputFormat | undefined): ConvertedFile | undefined {
  try {
    return { path: input, ...detectFormat(input, format) };
  } catch {
    return undefined;
  }
}

/** Whether UTF-16 text after a byte-order mark (ff fe little-endian, fe ff big-endian) has a tab and no comma in its first line. */
export function utf16FirstLineTabbed(bytes: Buffer): boolean {
  return firstLineTabbed(bytes.subarray(2), bytes[0] === 0xfe);
}

/**
 * The same for UTF-16 text without a mark, its byte order told as utf16NoMarkAdvice tells it: a tab-separated export
 * saved so (Tableau's crosstab without its mark) got a `.csv` copy, which was refused next as one column.
 */
export function utf16NoMarkFirstLineTabbed(bytes: Buffer): boolean {
  return firstLineTabbed(bytes, bigEndianNoMark(bytes));
}

/**
 * Whether bytes from the start of a file read as UTF-16 without a mark: in text of mostly Latin letters each ASCII
 * character has a NUL beside it, always on the same side (after it little-endian, before it big-endian), which no
 * 8-bit encoding's text has. At least a quarter of the first pairs so, and at most a tenth as many NULs on the other side.
 */
export function looksUtf16NoMark(bytes: Uint8Array): boolean {
  const pairs = Math.floor(Math.min(bytes.length, 4096) / 2);
  let first = 0;
  let second = 0;
  for (let i = 0; i < pairs; i += 1) {
    if (bytes[2 * i] === 0) first += 1;
    if (bytes[2 * i + 1] === 0) second += 1;
  }
  const [more, fewer] = first > second ? [first, second] : [second, first];
  return pairs >= 2 && more >= pairs / 4 && fewer * 10 <= more;
}

/** ASCII `i` is `69 00` little-endian, `00 69` big-endian: the NUL comes first in big-endian text. */
function bigEndianNoMark(first: ArrayLike<number>): boolean {
  return first[0] === 0 && first[1] !== 0;
}

function firstLineTabbed(text: Buffer, big: boolean): boolean {
  const body = Buffer.from(text.subarray(0, Math.min(text.length, 4096) & ~1));
  if (big) body.swap16();
  const first = body.toString('utf16le').split(/\r?\n|\r/)[0] ?? '';
  return first.includes('\t') && !first.includes(',');
}
