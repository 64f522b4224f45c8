import { ConfigError } from '../errors.js';
import type { CsvEscape } from '../io/csv-dialect.js';
import { quoteNoneAdvice } from '../io/unquoted-look.js';
import { count } from './html-text.js';

/**
 * A --quote none run's output read as RFC 4180 (a copy sent on, no checkpoint beside it to say how it was written, and
 * report given no --quote): a review that opens with a quote joins rows up to the next quote, each such record short
 * of the header's cells, or as wide, its last cells the last line's (a stray quote, stray-quote.ts). score never writes
 * a short row (it pads one) and a joined one only where its own reading joined it, so in a file whose first rows quote
 * no cell, with no checkpoint or --quote to say how it was written, they are the file misread: the report counted them
 * failed (ragged_row), exit 0 ('rows 4,456: scored 1,735, failed 2,667' of 3,000 rows all scored or skipped), or the
 * joined lines as one row ('rows 6: scored 6' of 9). Refused (exit 2), as a --date column none of whose values reads
 * is (unread-refusal.ts): nothing written, the flags named.
 */
export class UnquotedCopyCheck {
  #short = 0;
  #firstRow: number | undefined;

  /** `looksUnquoted`: the file's first rows quote no cell (io/unquoted-look.ts); else short rows are counted as before. */
  constructor(private readonly looksUnquoted: boolean) {}

  /** A row read with fewer cells than the header, or lines joined by a quote into one record (stray-quote.ts). */
  misread(row: number): void {
    this.#short++;
    this.#firstRow ??= row;
  }

  /** Throws once the file is read, when it looks written with --quote none and rows were read short. */
  end(escape: CsvEscape): void {
    if (!this.looksUnquoted || this.#short === 0) return;
    const rows = this.#short === 1 ? `1 row (row ${count(this.#firstRow ?? 0)}) was` : `${count(this.#short)} rows (the first: row ${count(this.#firstRow ?? 0)}) were`;
    throw new ConfigError(
      `${rows} read short of the header's cells or joined to the next lines by a quote, which score never writes (it pads a short row, and ` +
        `fails a joined one where it reads it), so the file is misread (no checkpoint beside it says how it was written): ${quoteNoneAdvice(escape)} ` +
        `(if its run read it with the default quote, say so with --quote '"'); no report written`,
    );
  }
}
