import { EMPTY_TEXT_CODE } from '../job/row-plan.js';
import { blankRowsLine } from '../job/skipped-rows-lines.js';
import type { Figures } from './figures.js';

/**
 * A row of a scored CSV that score read as a blank row (io/csv-row.ts isBlankRow): every cell of the input's columns
 * empty, skipped as `empty_text`; a short one was padded to the header's width when written. A file of one input
 * column has none: its empty cell is an empty text, as score counts it. The report counts them apart, as the run's
 * summary does (`empty_text: 2 rows are blank, …`), so that a spreadsheet's rows kept after its last review are not
 * taken for reviews left blank.
 */
export function isBlankScoredRow(fields: readonly string[], inputColumns: number, code: string): boolean {
  return code === EMPTY_TEXT_CODE && inputColumns > 1 && fields.length >= inputColumns && fields.slice(0, inputColumns).every((field) => field === '');
}

/** The summary's line on them, as the page and the report command say it; undefined when there are none. */
export function blankRowsSentence(figures: Pick<Figures, 'blankRows'>): string | undefined {
  return figures.blankRows === undefined ? undefined : blankRowsLine(figures.blankRows);
}
