import { splitLineEnding } from './csv-dialect.js';

/**
 * A record whose quoted cell ran across a line break and closed mid-text: the line breaks that cell spans, else
 * undefined. Read as RFC 4180 (and Python's csv) reads it, a quote that opens a cell in an export written without
 * quoting (`1<TAB>"Best purchase ever`) runs on into the next rows, to the next quote: those rows are one record.
 * A cell quoted properly closes just before a delimiter or the line's end, so text after its closing quote, with a
 * line break inside, is the sign. (An undoubled quote inside a multi-line quoted review looks the same: the reading
 * is kept, and the run only says where.) A cell is walked only up to the first text after a closing quote: past it,
 * the reader's own splitting is not this one's.
 */
export function strayQuoteLines(raw: string, delimiter: string): number | undefined {
  const { body } = splitLineEnding(raw);
  // Most records are one line: nothing to walk.
  if (!/[\r\n]/.test(body)) return undefined;
  let i = 0;
  while (i < body.length) {
    if (body[i] !== '"') {
      const next = body.indexOf(delimiter, i);
      if (next === -1) return undefined;
      i = next + delimiter.length;
      continue;
    }
    let j = i + 1;
    let breaks = 0;
    for (;;) {
      if (j >= body.length) return undefined;
      const c = body[j];
      if (c === '"') {
        if (body[j + 1] === '"') {
          j += 2;
          continue;
        }
        break;
      }
      if (c === '\n' || (c === '\r' && body[j + 1] !== '\n')) breaks++;
      j++;
    }
    const after = j + 1;
    if (after === body.length) return undefined;
    if (!body.startsWith(delimiter, after)) return breaks > 0 ? breaks : undefined;
    i = after + delimiter.length;
  }
  return undefined;
}

/** Where the reader found such a record: its first line (when known) and byte, and the line breaks its cell spans. */
export interface StrayQuote {
  line: number | undefined;
  byte: number;
  lines: number;
}

/** The run's one line about the first such record (source.ts says it once). */
export function strayQuoteWarning(at: StrayQuote): string {
  const where = at.line !== undefined ? `line ${at.line}` : `the record at byte ${at.byte}`;
  return (
    `${where}: a quoted cell opens in this record and closes ${at.lines} line${at.lines === 1 ? '' : 's'} later with text after its closing quote, ` +
    'so those lines were read as one record (a stray quote?); if they are separate reviews, remove that quote, or quote the cell and double each quote inside (""). ' +
    'Later records like it are not named'
  );
}
