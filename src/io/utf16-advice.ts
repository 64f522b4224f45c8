/**
 * What to do with a UTF-16 file (Excel's "Unicode Text", PowerShell's `>` before version 7): the command that converts
 * it, so a user need not look up iconv's names for the encoding. With a byte-order mark iconv's `UTF-16` reads either
 * order and drops the mark; without one it would assume big-endian, so the order the bytes show is named.
 */

/** `e.g. iconv -f UTF-16 -t UTF-8 in.csv > in-utf8.csv`, for a file that starts with a UTF-16 byte-order mark. */
export function utf16MarkAdvice(extension = 'csv'): string {
  return `e.g. iconv -f UTF-16 -t UTF-8 in.${extension} > in-utf8.${extension}`;
}

/**
 * For text whose every other byte is NUL (UTF-16 without a mark): its byte order, read from where the NULs fall in the
 * first two bytes (ASCII `i` is `69 00` little-endian, `00 69` big-endian), and the conversion for it.
 */
export function utf16NoMarkAdvice(first: ArrayLike<number>, extension = 'csv'): { order: string; convert: string } {
  const big = first[0] === 0 && first[1] !== 0;
  const name = big ? 'UTF-16BE' : 'UTF-16LE';
  return { order: big ? 'big-endian, no byte-order mark' : 'little-endian, no byte-order mark', convert: `e.g. iconv -f ${name} -t UTF-8 in.${extension} > in-utf8.${extension}` };
}
