import type { RowFailure } from '../errors.js';
import { quotedNames } from '../wording/quoted-names.js';

/**
 * The advice of a ragged row short of its last cells, its text all there (`2,great` under `id,review,rating`): Excel's
 * CSV leaves out the delimiters of empty cells that end a row, in parts of a sheet, and such a row failed `expected 3
 * fields, got 2` with no word of which cells, nor how to score it. It is not read as if they were empty, as pandas and
 * Python's DictReader read it: a review with a line break in it that is not quoted cuts its row in two rows as short
 * (`5,great` and `phone,4,x` under `id,review,rating,notes`), and each would be scored, a half review and the text '4'.
 * The failure as it is for a row that is not short, or short of a text column (nothing to score), or of every cell, and
 * for one with a backslash before a quote: a backslash-escaped export read as RFC 4180 splits its rows short, which no
 * cell added mends (`--escape backslash`: docs/input-formats.md).
 */
export function shortRowAdvice(failure: RowFailure, columns: readonly string[], got: number, textIndexes: readonly number[], delimiter: string, raw: string): RowFailure {
  if (got === 0 || got >= columns.length || textIndexes.some((index) => index >= got) || raw.includes('\\"')) return failure;
  const missing = columns.slice(got);
  const names = missing.length <= 3 ? quotedNames(missing) : `${quotedNames(missing.slice(0, 2))} and ${missing.length - 2} more`;
  // A tab is named, not shown: quoted, it is invisible.
  const add = delimiter === '\t' ? (missing.length === 1 ? 'a tab' : `${missing.length} tabs`) : `'${delimiter.repeat(missing.length)}'`;
  return {
    ...failure,
    message:
      `${failure.message}: no cell for ${names} at its end; if ${missing.length === 1 ? 'it is' : 'they are'} empty (Excel's CSV leaves out the delimiters of ` +
      `empty cells that end a row), add ${add} at the row's end to score it`,
  };
}
