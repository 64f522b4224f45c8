import { ConfigError, CutShortError } from '../errors.js';
import { lineEndingOf } from './csv-dialect.js';
import type { CsvHeader } from './csv-header.js';
import { cutShort } from './cut-short.js';
import { textSetting, type TextNamed } from './text-parts.js';

/**
 * A header with no line ending is the file's only line: a header-only export written without a final newline (legal
 * CSV), or an export cut short inside its header (still being written, or the job that wrote it stopped), as
 * `printf 'id,te'` is. When the text column is missing from it, the two read alike, and the missing column was said as a
 * setting to fix (exit 2), which a cut export is not: let it finish, as for a row cut short (exit 3, cut-short.ts).
 *
 * Cut short, exit 3, when the header's last name is the start of the missing text column's ('te' of 'text'): a name
 * cut there, which a complete header would not end with. Otherwise, unknowable (a cut before the text column
 * leaves a whole name last), the missing column stays exit 2 and its line says that cause too.
 */
export function unendedHeaderCut(header: CsvHeader, name: string, named: TextNamed): CutShortError | undefined {
  if (lineEndingOf(header.raw) !== undefined) return undefined;
  const last = header.columns.at(-1) ?? '';
  if (last === '' || last.length >= name.length || !name.startsWith(last)) return undefined;
  return cutShort(
    `the input ends inside its header: the header, the file's only line, has no line ending, and its last name '${last}' is the start of the text column '${name}'`,
    `. If the file is complete, name its text column with ${textSetting(named, false).setting}`,
  );
}

/** The missing text column's error (exit 2) of a header with no line ending, its other likely cause said; else as it was. */
export function withUnendedHeader(error: unknown, header: CsvHeader): unknown {
  if (!(error instanceof ConfigError) || lineEndingOf(header.raw) !== undefined) return error;
  return new ConfigError(
    `${error.message}. The header is the file's only line and has no line ending: if the export was cut short inside it (still being written?), let it finish or export it again, then run the same command`,
    { cause: error },
  );
}
