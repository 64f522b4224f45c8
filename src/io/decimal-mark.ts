/**
 * --decimal: the mark the appended score cells of a CSV/TSV output are written with. A German or French Excel export
 * (`;`-separated, its own numbers `4,5`) scored with points (`0.97`) has no spreadsheet locale that reads both as
 * numbers: a de-DE Excel takes `0.97` as text. `comma` writes `0,97`; the input's own cells are never touched.
 */
export const DECIMAL_MARKS = ['point', 'comma'] as const;
export type DecimalMark = (typeof DECIMAL_MARKS)[number];

/**
 * A score's cell: String's shortest text that reads back as the same double, its point a comma under `comma`
 * (`0,9819919168033151`; the exponent form keeps its `e`: `1,5e-7`, `1e-7`).
 */
export function scoreCell(value: number, mark: DecimalMark = 'point'): string {
  const text = String(value);
  return mark === 'comma' ? text.replace('.', ',') : text;
}

/** Digits, one decimal mark (point or comma) between digits, and an optional exponent: every form scoreCell writes. */
const SCORE_FORM = /^\d+(?:[.,]\d+)?(?:e[-+]?\d+)?$/i;

/** A whole number with its thousands grouped (`1,000`, `1.000`, `12,345,678`): what a spreadsheet locale may make of one. */
const GROUPED_FORM = /^[1-9]\d{0,2}(?:([.,])\d{3})(?:\1\d{3})*$/;

/**
 * A score cell read back, in either form: whatever --decimal the run had (a report run on a copy without its
 * checkpoint cannot know it), a score is a number from 0 to 1 and `0,97` can mean nothing else. NaN for an empty cell
 * or any other text, as the readers count those as no score: a cell of more than digits, a mark and an exponent (`0x1`,
 * ` 0.5`, `+0.5`), and one whose mark could group thousands (`1,000` or `1.000`: a thousand in one locale, 1 in another;
 * score writes 1 as `1`), which read as 1 counted a hand-edited cell as a score.
 */
export function readScoreCell(cell: string): number {
  if (!SCORE_FORM.test(cell) || GROUPED_FORM.test(cell)) return NaN;
  return Number(cell.replace(',', '.'));
}

/** Names of the setting as it was given, for the refusal (a job file's `"decimal": "comma"` is no flag anybody typed). */
export interface DecimalNames {
  /** `--decimal comma`, or the job file's key and value. */
  decimal: string;
  /** How to go without it: `drop --decimal comma`, or the job file's key to remove. */
  drop: string;
  /** Where the delimiter comes from when none is given (`a .csv file's default`, `the default of --format csv`); undefined when one is. */
  defaultOf: string | undefined;
  /** The advice to give `;`: `give --delimiter ';'`, or a job file's key to set or add. */
  semicolon: string;
}

/**
 * Why a decimal comma cannot go with this delimiter, or undefined when it can. With `,` every score cell would need
 * quotes (`"0,97"`): refused rather than quoted, as a `,`-separated file is what the decimal-point locales open as
 * columns, and a decimal-comma locale opens it as one column; the quotes would only hide that the two forms clash.
 * A delimiter that is a digit, `e`, `+` or `-` would be quoted already (csv-format.ts), comma or point.
 */
export function decimalCommaClash(delimiter: string, names: DecimalNames): string | undefined {
  if (delimiter !== ',') return undefined;
  const which = names.defaultOf === undefined ? '' : ` (no delimiter is given, and ',' is ${names.defaultOf})`;
  return (
    `${names.decimal} and the delimiter ','${which} cannot go together: every score (0,97) would need quotes in a ','-separated file. ` +
    `A German or French Excel export separates its cells with ';': ${names.semicolon} (or the export's own delimiter); a ','-separated file keeps the decimal point (${names.drop})`
  );
}
