import { expect } from 'vitest';

/** The five new CSV cells of a scored row (label, positive, negative, truncated, error). */
export const SCORED_CELLS = String.raw`(?:POSITIVE|NEGATIVE),[-0-9.e]+,[-0-9.e]+,(?:true)?,`;
/** The five new CSV cells of a row that failed with `code`. */
export const failedCells = (code: string): string => String.raw`,,,,"?${code}: [^\r\n]*`;
export const OUTPUT_COLUMNS = 'sentiment_label,sentiment_positive,sentiment_negative,sentiment_truncated,sentiment_error';

/** One input line as the test wrote it: its text, its own line ending, and the cells expected after it. */
export interface WrittenLine {
  body: string;
  ending: string;
  /** A regular expression source for the appended cells; none for a blank line passed through. */
  cells?: string;
}

/**
 * Asserts the CSV output is the input byte for byte, with the new cells inserted
 * before each record's own line ending (header first, with the column names).
 */
export function expectCsvCellsAppended(output: string, header: WrittenLine, lines: WrittenLine[]): void {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  let pattern = `^${escape(header.body)},${OUTPUT_COLUMNS}${escape(header.ending)}`;
  for (const line of lines) {
    pattern += line.cells === undefined ? escape(line.body + line.ending) : `${escape(line.body)},${line.cells}${escape(line.ending)}`;
  }
  expect(output).toMatch(new RegExp(`${pattern}$`));
}

/** The input text of the lines, as written. */
export function joinLines(header: WrittenLine, lines: WrittenLine[]): string {
  return [header, ...lines].map((line) => line.body + line.ending).join('');
}
