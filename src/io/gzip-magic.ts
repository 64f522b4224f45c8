/**
 * Whether bytes start as a gzip stream: its magic number, 1f 8b, which no UTF-8 text starts with (8b is a continuation
 * byte). The one test of it: standard input read as gzip (open-input.ts), a gzip file misnamed as a tar
 * (gzip-not-tar.ts), and gzip bytes read as text (utf8-check.ts).
 */
export function startsAsGzip(bytes: ArrayLike<number> | undefined): boolean {
  return bytes !== undefined && bytes[0] === 0x1f && bytes[1] === 0x8b;
}
