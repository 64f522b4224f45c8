/**
 * The summary's lines on rows skipped as `empty_text` that are no review left blank: a JSONL text field left out of
 * them, a CSV row whose every field is empty. Said apart from the empty_text count, which alone tells neither. The
 * report says the second in the same words (report/blank-rows.ts).
 */
import { counted } from '../wording/counted.js';

/**
 * The line for rows skipped because the text field is left out of them (run-tally.ts leftOutRows): an export's NULL,
 * as BigQuery writes one, or a field renamed further on, which the empty_text count alone did not tell from a null.
 */
export function leftOutRowsLine(rows: number): string {
  return `empty_text: ${counted(rows, 'row')} ${rows === 1 ? 'lacks' : 'lack'} the text field (an export that leaves out a NULL writes them so), read as no text; if later records renamed the field, name the new one as well`;
}

/**
 * The line for rows skipped because every field of the CSV row is empty (run-tally.ts blankRows): a spreadsheet's rows
 * kept after its last review, which the empty_text count alone did not tell from reviews left blank.
 */
export function blankRowsLine(rows: number): string {
  return `empty_text: ${counted(rows, 'row')} ${rows === 1 ? 'is' : 'are'} blank, every field empty (rows a spreadsheet kept after clearing or formatting them); written back as read`;
}
