import { constants, gunzipSync } from 'node:zlib';
import { shellWord } from '../wording/shell-word.js';
import { tarByBytes } from './other-compression.js';
import { peekFile } from './peek-file.js';
import { startsAsGzip } from './gzip-magic.js';

/** Compressed bytes read from the start of the file: enough for a tar's first 512-byte header many times over. */
const PEEK_BYTES = 64 * 1024;

/**
 * What to say of a file named as a gzip tar (.tar.gz, .tgz) given without --format whose bytes are one gzip-compressed
 * text, not a tar (a CSV export misnamed): --format reads it (other-compression.ts otherCompressionByName), which the
 * refusal "is a tar archive: extract it (tar -xf …)" did not say, and tar -xf fails on it. Undefined for a real tar, a
 * file that is not gzip, or one that cannot be read (the refusal by name stands). `formatFlag`: report's is --input-format.
 */
export function gzipNotTarAdvice(path: string, formatFlag = '--format'): string | undefined {
  // One read serves both questions (a pipe named so is not waited on: peek-file.ts); one byte past the head tells a
  // file that ends within it, which alone can be gunzipped whole.
  const raw = peekFile(path, PEEK_BYTES + 1);
  const text = raw === undefined ? undefined : gunzippedHead(raw.subarray(0, PEEK_BYTES));
  if (text?.length === 0 && raw !== undefined && emptyGzip(raw)) {
    // `gzip < /dev/null > x.tgz`: no tar to extract, as the refusal by name said, and no text for --format to read.
    return `'${path}' is named as a tar archive but is an empty file compressed with gzip (it decompresses to nothing), not a tar: there is nothing in it to score`;
  }
  if (text === undefined || text.length === 0 || tarByBytes(text) !== undefined) return undefined;
  // NUL bytes are no text's, but for UTF-16's (an export saved so: --format reads it, then says to convert it).
  const utf16 = utf16Text(text);
  if (utf16 === undefined && text.includes(0)) return undefined;
  const format = formatOf(utf16 ?? text.subarray(0, 4096).toString('utf8'));
  const stem = path.replace(/(\.tar\.gz|\.tgz)$/i, '');
  // A name that says its format already (`reviews.csv.tar.gz`) keeps it once: `reviews.csv.gz`, not `reviews.csv.csv.gz`.
  const renamed = stem.toLowerCase().endsWith(`.${format}`) ? `${stem}.gz` : `${stem}.${format}.gz`;
  return (
    `'${path}' is named as a tar archive but is one gzip-compressed file, not a tar: ${formatFlag} ${format} reads a gzip ` +
    `${format.toUpperCase()} so named (add it), or name it ${shellWord(renamed)}`
  );
}

/** The first decompressed bytes of a gzip file's first bytes (`head`); undefined when they are no gzip's. */
function gunzippedHead(head: Buffer): Buffer | undefined {
  if (!startsAsGzip(head)) return undefined;
  try {
    // A sync flush: the start of a stream longer than the bytes read decompresses without "unexpected end of file".
    return gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH });
  } catch {
    return undefined;
  }
}

/**
 * Whether the whole file (`raw`: its bytes, read one past the head) is gzip of nothing: it ends within the head and
 * decompresses, to its end and CRC, to no bytes. A file cut in its first bytes also gives no bytes under the sync flush
 * of gunzippedHead, but fails here (no end to its stream).
 */
function emptyGzip(raw: Buffer): boolean {
  if (raw.length > PEEK_BYTES) return false;
  try {
    return gunzipSync(raw).length === 0;
  } catch {
    return false;
  }
}

/**
 * The text of a UTF-16 file by its byte-order mark (FF FE little-endian, FE FF big-endian), else undefined. A gzip of one
 * (`iconv -t UTF-16 x.csv | gzip > x.tar.gz`) was told to be a tar archive, to extract with tar -xf, which fails on it.
 */
function utf16Text(bytes: Buffer): string | undefined {
  const head = bytes.subarray(0, 4096 - (4096 % 2));
  if (head[0] === 0xff && head[1] === 0xfe) return head.toString('utf16le');
  if (head[0] === 0xfe && head[1] === 0xff) return Buffer.from(head).swap16().toString('utf16le');
  return undefined;
}

/** The format the text looks like: JSON Lines when it opens an object, TSV when its first line has tabs and no comma. */
function formatOf(text: string): 'csv' | 'tsv' | 'jsonl' {
  const first = text.replace(/^\uFEFF/, '').split('\n')[0]!;
  if (/^\s*\{/.test(first)) return 'jsonl';
  return first.includes('\t') && !first.includes(',') ? 'tsv' : 'csv';
}
