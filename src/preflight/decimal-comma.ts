/**
 * A `;`-separated German or French Excel export writes its own numbers with a decimal comma (`4,5`); scored with the
 * default --decimal point, its new score cells read `0.97`, which a spreadsheet in that locale takes as text (sorting,
 * charts and formulas then skip them). Nothing said so: --decimal comma was found only in the README. The first
 * records' cells other than the text say it at start-up, once.
 */

/** A number with a decimal comma: digits, one comma, digits; not one whose comma may group thousands (`1,000`). */
const COMMA_DECIMAL = /^-?\d+,\d+$/;
const GROUPED = /^-?\d{1,3}(?:,\d{3})+$/;

/** The first cell with a decimal comma among the first records' cells outside the text columns, with its column. */
export class CommaDecimalCells {
  private found: { column: string; cell: string } | undefined;

  constructor(
    private readonly columns: readonly string[],
    private readonly text: readonly string[],
  ) {}

  add(fields: readonly string[]): void {
    if (this.found) return;
    fields.forEach((cell, i) => {
      const column = this.columns[i];
      if (this.found || column === undefined || this.text.includes(column)) return;
      if (COMMA_DECIMAL.test(cell) && !GROUPED.test(cell)) this.found = { column, cell };
    });
  }

  get first(): { column: string; cell: string } | undefined {
    return this.found;
  }
}

/** The start-up line; `advice` is how to set it (`add --decimal comma`, or the job file's key). */
export function commaDecimalWarning(found: { column: string; cell: string }, advice: string): string {
  return (
    `the export writes its numbers with a decimal comma ('${found.cell}' in column '${found.column}'), as Excel does in a German or French locale, ` +
    `and the scores are appended with a point (0.97), which a spreadsheet in that locale reads as text: ${advice} to write them 0,97`
  );
}
