import { shellWord } from '../wording/shell-word.js';

/**
 * Archives and compressions other than gzip, which the reader does not open: named at once, with the command that
 * does. Before, an export shipped as .zip, .tar.gz or .csv.bz2 was told to name its format with --format, which then
 * read the compressed bytes as text ("probably in another encoding such as Windows-1252 … iconv", "looks like UTF-16").
 */

const READS = 'sentiment-batch reads one CSV, TSV or JSONL file, plain or gzip-compressed (.gz)';

/** A gzip tar's names: under --format read as gzip, their bytes then tell a tar (tarByBytes) from a gzip file misnamed. */
const GZIP_TAR_ENDS: readonly string[] = ['.tar.gz', '.tgz'];

/** Archives of several files, by the end of their name (lower case), with how to extract one. */
const ARCHIVES: ReadonlyArray<{ ends: readonly string[]; kind: string; extract: (file: string) => string }> = [
  { ends: ['.zip'], kind: 'a ZIP archive', extract: (file) => `unzip it (unzip ${file})` },
  { ends: ['.tar', ...GZIP_TAR_ENDS, '.tar.bz2', '.tbz2', '.tar.xz', '.txz', '.tar.zst'], kind: 'a tar archive', extract: (file) => `extract it (tar -xf ${file})` },
  { ends: ['.7z'], kind: 'a 7-Zip archive', extract: (file) => `extract it (7z x ${file})` },
  { ends: ['.rar'], kind: 'a RAR archive', extract: (file) => `extract it (unrar x ${file})` },
];

/** One file compressed by another tool than gzip: its extension, its name, the command that decompresses it. */
const COMPRESSIONS: ReadonlyArray<{ end: string; kind: string; tool: string }> = [
  { end: '.bz2', kind: 'bzip2', tool: 'bunzip2' },
  { end: '.xz', kind: 'xz', tool: 'unxz' },
  { end: '.zst', kind: 'zstd', tool: 'unzstd' },
];

const READ_ONLY_GZIP = 'and of compressions only gzip (.gz) is read';

/**
 * What to say of an input named as an archive or as compressed by another tool than gzip; undefined otherwise.
 * `formatGiven` (--format): the compressions are left to their bytes (otherCompressionByBytes), and so is a gzip tar's
 * name (.tar.gz, .tgz: read as gzip, a tar inside is told by its bytes, tarByBytes, with the same advice): a gzip CSV so
 * misnamed was refused though --format said what is inside. Any other archive is still refused by its name: no
 * --format reads one, and a tar's NUL-padded header was told "looks like UTF-16 … iconv" before its bytes were asked.
 */
export function otherCompressionByName(path: string, hasFormat: (stem: string) => boolean, formatGiven = false): string | undefined {
  const lower = path.toLowerCase();
  const file = shellWord(path);
  if (formatGiven && isGzipTarName(lower)) return undefined;
  const archive = ARCHIVES.find(({ ends }) => ends.some((end) => lower.endsWith(end)));
  if (archive) return `'${path}' is ${archive.kind}: ${READS}: ${archive.extract(file)} and score the file inside`;
  if (formatGiven) return undefined;
  const compression = COMPRESSIONS.find(({ end }) => lower.endsWith(end));
  if (compression === undefined) return undefined;
  const inner = path.slice(0, -compression.end.length);
  const decompress = `decompress it (${compression.tool} -k ${file}) and score ${shellWord(inner)}`;
  const said = `'${path}' is ${compression.kind}-compressed, ${READ_ONLY_GZIP}: ${decompress}`;
  if (!hasFormat(inner.toLowerCase())) return said;
  return `${said}, or recompress it (${compression.tool} -c ${file} | gzip > ${shellWord(`${inner}.gz`)}) and score that`;
}

/** Whether a lower-case name is a gzip tar's (.tar.gz, .tgz). */
export function isGzipTarName(lowerCaseName: string): boolean {
  return GZIP_TAR_ENDS.some((end) => lowerCaseName.endsWith(end));
}

/**
 * The first bytes of a bzip2, xz and zstd stream. bzip2's are text ('BZh', a block size '1'-'9'), so its first block's
 * own magic ('1AY&SY', or the empty stream's) is asked for too: a Windows-1252 export whose header begins "BZh9" is text.
 */
const MAGIC: ReadonlyArray<{ starts: (bytes: Uint8Array) => boolean; kind: string }> = [
  { starts: (bytes) => /^BZh[1-9](1AY&SY|\x17rE8P\x90)/.test(Buffer.from(bytes.subarray(0, 10)).toString('latin1')), kind: 'bzip2' },
  { starts: (bytes) => [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00].every((byte, i) => bytes[i] === byte), kind: 'xz' },
  { starts: (bytes) => [0x28, 0xb5, 0x2f, 0xfd].every((byte, i) => bytes[i] === byte), kind: 'zstd' },
];

/** What to say of bytes that start as another compression than gzip (read as text under --format); undefined otherwise. */
export function otherCompressionByBytes(bytes: Uint8Array): string | undefined {
  const found = MAGIC.find((magic) => magic.starts(bytes));
  return found && `it is ${found.kind}-compressed, ${READ_ONLY_GZIP}: decompress it first, and score the file it gives`;
}

/**
 * A tar archive by its bytes (POSIX and GNU tar write "ustar" at byte 257 of each header; a v7 tar, `tar --format=v7`,
 * writes nothing there, so its header's checksum tells it): one named so that its name does not say it (export.gz,
 * standard input), or read under --format. Its NUL-padded header was read as UTF-16 text, and told to run iconv.
 * The readers do not know the file's name, so the command says FILE.
 */
export function tarByBytes(bytes: ArrayLike<number> | string): string | undefined {
  const at = typeof bytes === 'string' ? (i: number) => bytes.charCodeAt(i) : (i: number) => bytes[i] ?? 0;
  const magic = String.fromCharCode(...Array.from({ length: 5 }, (_, i) => at(257 + i) || 0));
  const tar = magic === 'ustar' || checksummedHeader(at, bytes.length);
  return tar ? `the input is a tar archive, not text: ${READS}: extract it (tar -xf FILE) and score the file inside` : undefined;
}

/**
 * Whether the first 512 bytes are a tar header by its checksum (bytes 148-155: octal digits, then NUL or space), the
 * sum of the header's bytes with the checksum's own counted as spaces. Every tar format has it; no text matches it.
 */
function checksummedHeader(at: (i: number) => number, length: number): boolean {
  if (length < 512 || at(0) === 0) return false;
  const field = String.fromCharCode(...Array.from({ length: 8 }, (_, i) => at(148 + i)));
  const written = /^ *([0-7]{1,7})[\0 ]/.exec(field);
  if (written === null) return false;
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : at(i);
  return sum === parseInt(written[1]!, 8);
}
