/**
 * `report --by order_id`: a column whose values are (nearly) all distinct draws the 20 largest groups of one row each,
 * which says nothing, and the page gave no hint. The groups say when the column looks like an id; a sample of the
 * file's first rows names the columns whose values repeat, which would group. Bounded: the first SAMPLE_ROWS rows, and
 * at most MAX_VALUES distinct values kept per column (a column past that groups nothing anyway).
 */
import { quotedNames } from '../wording/quoted-names.js';
import { startWithin } from '../wording/shown-start.js';

/** As tally.ts cuts a group value (never inside an emoji: startWithin): a long text column cannot fill memory. */
const VALUE_CHARS = 120;
/** Rows whose other columns are sampled. */
export const SAMPLE_ROWS = 1_000;
/** A column with more distinct values than this in the sample is not suggested (nor counted further). */
const MAX_VALUES = 50;
/** Fewer groups than this are read whatever their sizes: a short file's 8 rows in 8 groups is no id column. */
const MIN_ID_GROUPS = 20;

/** Distinct values of each column other than --by, the text and the sentiment columns, in the file's first rows. */
export class ColumnSample {
  readonly #values = new Map<string, Set<string> | 'many'>();
  #rows = 0;

  add(cells: ReadonlyArray<readonly [string, string]>): void {
    this.#rows += 1;
    for (const [column, value] of cells) {
      const seen = this.#values.get(column) ?? new Set<string>();
      const key = startWithin(value.trim(), VALUE_CHARS);
      if (seen === 'many' || key === '') continue;
      seen.add(key);
      this.#values.set(column, seen.size > MAX_VALUES ? 'many' : seen);
    }
  }

  /** Columns whose values repeat (two or more rows a value on average, at least two values), in the file's order. */
  grouping(): string[] {
    return [...this.#values].filter(([, seen]) => seen !== 'many' && seen.size >= 2 && seen.size * 2 <= this.#rows).map(([column]) => column);
  }
}

/** Nearly every grouped row has a value of its own: 90 % or more of them, over at least MIN_ID_GROUPS groups. */
export function looksLikeId(distinct: number, groupedRows: number): boolean {
  return distinct >= MIN_ID_GROUPS && distinct >= 0.9 * groupedRows;
}

/** The hint, on the page and the terminal alike; a JSONL file's are fields (it has no columns). */
export function idColumnHint(column: string, distinct: number, groupedRows: number, grouping: readonly string[], laterRows = 0, jsonl = false): string {
  const kind = jsonl ? 'field' : 'column';
  const instead = grouping.length === 0 ? `no other ${kind} of the first rows repeats its values enough to group by` : `${kind}s that would group: ${quotedNames(grouping)}`;
  const later = laterRows === 0 ? '' : `, and ${laterRows.toLocaleString('en-US')} rows more with values first seen after those`;
  return `'${column}' looks like an id: ${distinct.toLocaleString('en-US')} distinct values for ${groupedRows.toLocaleString('en-US')} rows${later}, so each group is a row or two; ${instead}`;
}
