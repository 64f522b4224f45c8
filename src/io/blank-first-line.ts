import { InputError } from '../errors.js';
import { CR, LF } from './csv-bytes.js';

const BLANK = 'the first line of the input is blank: expected a header row with the column names';

/**
 * The refusal of a CSV whose first line is blank (a line ending alone), saying what to do: the blank lines above the
 * header are counted (CRLF, LF and CR each end one, as for records) and the first line that is not blank is named, or,
 * when the input holds nothing else, that the export wrote no header. `body` is the input's first bytes after any BOM;
 * `eof` whether they are all of it. Undefined while those bytes are blank lines alone, not the whole input and under
 * `limit` (the header's): read on to tell which it is.
 */
export function blankFirstLineError(body: Buffer, eof: boolean, limit: number): InputError | undefined {
  let lines = 0;
  let at = 0;
  while (at < body.length && (body[at] === LF || body[at] === CR)) {
    at += body[at] === CR && body[at + 1] === LF ? 2 : 1;
    lines++;
  }
  if (at < body.length) {
    const above = lines === 1 ? 'the blank line' : `the ${lines} blank lines`;
    return new InputError(`${BLANK}; line ${lines + 1} is the first that is not blank: delete ${above} above it so that the header comes first, then run the same command`);
  }
  if (!eof && body.length <= limit) return undefined;
  if (eof) return new InputError(`${BLANK}; the input holds only blank lines (${lines}): check the export, which wrote no header row and no records`);
  // Blank lines past the bytes read so far (a megabyte of them?): the header is further down, if anywhere.
  return new InputError(`${BLANK}; delete the blank lines above the header so that it comes first, then run the same command`);
}
