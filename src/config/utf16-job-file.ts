import { ConfigError } from '../errors.js';

/** What UTF-16's byte-order mark (FF FE or FE FF) is when its bytes are read as UTF-8: two replacement characters. */
const MARK_READ_AS_UTF8 = '\uFFFD\uFFFD';

/**
 * A job file saved as UTF-16 (Windows PowerShell 5's `>` and Out-File write it so, as Notepad's "Unicode" does), read
 * as UTF-8: every other character is NUL. JSON.parse said `Unexpected token '�', "��{\u0000\n\u0000 \u0000"...`,
 * naming neither the encoding nor the way out. `text`: the file read as UTF-8, its UTF-8 mark removed; undefined when
 * it does not look like UTF-16.
 */
export function utf16JobFileError(file: string, text: string): ConfigError | undefined {
  const marked = text.startsWith(MARK_READ_AS_UTF8);
  const body = marked ? text.slice(MARK_READ_AS_UTF8.length) : text;
  // The first character of a JSON object is ASCII ('{' or white space): its NUL comes after it (LE) or before it (BE).
  const order = body[1] === '\u0000' && body[0] !== '\u0000' ? 'LE' : body[0] === '\u0000' && body[1] !== '\u0000' ? 'BE' : undefined;
  if (order === undefined) return undefined;
  // With its mark, iconv reads the order from it; without, it must be told (plain UTF-16 would be taken as big-endian).
  const from = marked ? 'UTF-16' : `UTF-16${order}`;
  const converted = /\.json$/i.test(file) ? file.replace(/\.json$/i, '-utf8.json') : `${file}-utf8.json`;
  return new ConfigError(
    `job file ${file} is UTF-16 text (as Windows PowerShell's > and Out-File, and Notepad's "Unicode", save it), not UTF-8: ` +
      `save it as UTF-8, e.g. iconv -f ${from} -t UTF-8 ${file} > ${converted}`,
  );
}
