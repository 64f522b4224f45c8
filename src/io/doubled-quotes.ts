import type { InputRecord } from './record.js';

/**
 * With --escape backslash, a quote doubled inside a quoted cell (`"said ""hi"""`) is what RFC 4180 writers (Excel,
 * Python's csv and pandas by default) write, and what a backslash-escaped writer (MySQL INTO OUTFILE, pandas'
 * escapechar with doublequote off) never does: it writes `\"`. Read with backslash escapes such a cell keeps its quotes
 * (its text is `"said ""hi"""`) and is scored so, with no error to show for it. Nothing is changed in how the row is
 * read or scored (the flag is the user's choice, docs/input-formats.md), but the run says it once (source.ts).
 *
 * True when `raw` (one record) has a quoted cell, read with backslash escapes, holding two quotes in a row. An empty
 * quoted cell (`""`, MySQL's empty string) is no doubled quote: its second quote closes it before a delimiter or the
 * line's end.
 */
export function hasDoubledQuote(raw: string, delimiter: string): boolean {
  // Most records have no two quotes in a row: one search, no scan.
  if (!raw.includes('""')) return false;
  let cellStart = true;
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const char = raw[i]!;
    if (quoted) {
      if (char === '\\') i++;
      else if (char === '"') {
        const next = raw[i + 1];
        if (next === '"') return true;
        // Closed: what follows up to the delimiter (nothing, in a well-formed cell) is read as unquoted text.
        quoted = false;
      }
      continue;
    }
    if (char === delimiter || char === '\n' || char === '\r') cellStart = true;
    else if (cellStart) {
      quoted = char === '"';
      cellStart = false;
    }
  }
  return false;
}

/** The run's one line about the first such row (source.ts says it once). */
export function doubledQuoteWarning(record: InputRecord): string {
  return (
    `data row ${record.index + 1} has a quote doubled inside a quoted cell (""), which RFC 4180 writers write and a backslash-escaped export never does: ` +
    'read with --escape backslash, such a cell is scored with its quotes in its text; the file looks RFC 4180: run it without --escape backslash. ' +
    'Rows are scored as read; later rows like it are not named here'
  );
}
