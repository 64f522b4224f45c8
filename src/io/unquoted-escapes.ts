import type { CastingContext } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import { csvDialect } from './csv-dialect.js';

/**
 * The fields of one record of a backslash-escaped export (--escape backslash), each backslash read as the writers of
 * such exports mean it in an unquoted cell too. csv-parse reads it in quoted cells only: a backslash makes the next
 * character plain and is dropped. Python's csv with an escapechar (pandas' to_csv(escapechar='\\', doublequote=False))
 * quotes a cell only for a delimiter or a line break, and writes `say \"hi\"` and `C:\\dir` unquoted, which its reader
 * reads as `say "hi"` and `C:\dir`: so does this. MySQL's INTO OUTFILE ... ENCLOSED BY '"' quotes every value but NULL,
 * which it writes `\N` unquoted: such a cell is empty (a missing text is skipped, not sent). A backslash before the
 * delimiter or a line break (`\,`, written when nothing is quoted) splits the record all the same: csv-parse has split
 * it already, and the row reads ragged, failed, not scored. The record's bytes are untouched: only values change.
 */
export function withUnquotedEscapes(fields: string[], raw: string, delimiter: string): string[] {
  // A quoted cell's escapes are gone from its value but for `\\`: no backslash in any value, nothing to read again.
  if (!fields.some((field) => field.includes('\\'))) return fields;
  // Read again with a cast, which tells a quoted cell from an unquoted one: only here, as a cast slows csv-parse six-fold.
  const again = parse(raw, { ...csvDialect('backslash'), delimiter, bom: false, relax_column_count: true, cast: unescapeUnquoted }) as string[][];
  const [only] = again;
  return again.length === 1 && only !== undefined && only.length === fields.length ? only : fields;
}

function unescapeUnquoted(value: string, context: CastingContext): string {
  if (context.quoting || !value.includes('\\')) return value;
  // MySQL's NULL: no text at all, not the two characters.
  if (value === '\\N') return '';
  return value.replace(/\\([\s\S])/g, '$1');
}
