/**
 * A `;`-separated German or French Excel export writes its own numbers with a decimal comma (`4,5`); scored with the
 * default --decimal point, its new score cells read `0.97`, which a spreadsheet in that locale takes as text (sorting,
 * charts and formulas then skip them). Nothing said so: --decimal comma was found only in the README. The first
 * records' cells other than the text say it at start-up, once.
 */

/** A number with a decimal comma: digits, one comma, digits; not one whose comma may group thousands (`1,000`). */
const COMMA_DECIMAL = /^-?\d+,\d+$/;
const GROUPED = /^-?\d{1,3}(?:,\d{3})+$/;
/** A cell of a column of numbers in such an export: a whole number, or one with a decimal comma (or grouped digits). */
const NUMBER_CELL = /^-?\d+(?:,\d+)*$/;
/**
 * A decimal comma that no list of whole numbers is written as: digits after it that begin with a 0 (`3,0`, `5,00`,
 * `12,05`), or four or more of them (`0,9819`).
 */
const UNLIKE_LIST = /^-?\d+,(?:0\d*|\d{4,})$/;
/** A half-step rating (`4,5`, `3,5` of 5; `7,5` of 10): a list's look, one by one, but not a list column's all through. */
const HALF_STEP = /^\d,5$/;

interface Found {
  column: string;
  cell: string;
  /** A cell of the column is UNLIKE_LIST. */
  unlikeList: boolean;
  /** The column's decimal-comma cells that are HALF_STEP, and whether any is not. */
  halfSteps: Set<string>;
  otherThanHalfStep: boolean;
}

/**
 * The first cell with a decimal comma among the first records' cells outside the text columns, with its column; of a
 * column whose every non-blank cell is a number so written. A tab-separated export's list of sizes (`8,10` beside
 * `6,8,10` or `S,M`) was taken for one: a cell with two commas that cannot group thousands, or no number, leaves its
 * column out. So was one whose every list has two sizes (`8,10`, `6,8`, tab-separated): not `;`-separated (the list
 * separator Excel writes where the comma is the decimal mark), a column counts only with a cell no list is written as
 * (`3,0`, `5,00`, `0,9819`), or beside a second column of such numbers (a rating `4,5` and a price `12,99`), or when
 * every one of its decimal commas is a half step, two of them at least (`4,5` and `3,5`: a German rating column; a list
 * column holds other lists too, `8,10`, `6,8`, and a lone `4,5` may be one).
 */
export class CommaDecimalCells {
  /** Per column index, its first decimal comma; null once a cell shows the column holds no such number. */
  private readonly seen = new Map<number, Found | null>();

  constructor(
    private readonly columns: readonly string[],
    private readonly text: readonly string[],
    private readonly delimiter: string,
  ) {}

  add(fields: readonly string[]): void {
    fields.forEach((raw, i) => {
      const column = this.columns[i];
      const cell = raw.trim();
      if (column === undefined || cell === '' || this.text.includes(column) || this.seen.get(i) === null) return;
      if (!NUMBER_CELL.test(cell) || (cell.split(',').length > 2 && !GROUPED.test(cell))) this.seen.set(i, null);
      else if (COMMA_DECIMAL.test(cell) && !GROUPED.test(cell)) {
        const found = this.seen.get(i) ?? { column, cell, unlikeList: false, halfSteps: new Set<string>(), otherThanHalfStep: false };
        if (UNLIKE_LIST.test(cell)) found.unlikeList = true;
        if (HALF_STEP.test(cell)) found.halfSteps.add(cell);
        else found.otherThanHalfStep = true;
        this.seen.set(i, found);
      }
    });
  }

  /** The first column's (in the header's order) with a decimal comma, if any. */
  get first(): { column: string; cell: string } | undefined {
    const found = [...this.seen.entries()].sort(([a], [b]) => a - b).flatMap(([, column]) => (column === null ? [] : [column]));
    const rating = (column: Found): boolean => column.halfSteps.size >= 2 && !column.otherThanHalfStep;
    const named = this.delimiter === ';' || found.length >= 2 ? found[0] : found.find((column) => column.unlikeList || rating(column));
    return named === undefined ? undefined : { column: named.column, cell: named.cell };
  }
}

/** The start-up line; `advice` is how to set it (`add --decimal comma`, or the job file's key). */
export function commaDecimalWarning(found: { column: string; cell: string }, advice: string): string {
  return (
    `the export writes its numbers with a decimal comma ('${found.cell}' in column '${found.column}'), as Excel does in a German or French locale, ` +
    `and the scores are appended with a point (0.97), which a spreadsheet in that locale reads as text: ${advice} to write them 0,97`
  );
}
