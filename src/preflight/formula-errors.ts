/**
 * A spreadsheet formula's error as the text: Excel and Google Sheets export a cell whose formula failed as its error
 * code (`#VALUE!`, `#N/A`…), and Google Sheets one not computed yet as `Loading...`. A review column made by a formula
 * (=GOOGLETRANSLATE to translate the reviews first, a VLOOKUP join) so exported was scored as reviews of those
 * characters, and paid for with Workers AI. The job cannot take them for no text, so it says so at start-up, once, with
 * what to change in the sheet; the rows are read as before (null-words.ts does the same for NULL and nan).
 */

// Whole texts only, as the sheets write them: a review that mentions one, or a hashtag, is text.
const FORMULA_ERRORS = new Set(['#N/A', '#VALUE!', '#REF!', '#NAME?', '#DIV/0!', '#NUM!', '#NULL!', '#ERROR!', '#SPILL!', '#CALC!', '#GETTING_DATA', 'Loading...']);

/**
 * The warning for the texts of the first records (as the job would send them), or undefined when none is such a code.
 * `subject` names the text column or field as given; `billed`: the backend is Workers AI, which bills such a row.
 */
export function formulaErrorWarning(texts: readonly string[], subject: string, billed: boolean): string | undefined {
  const found = texts.map((text) => text.trim()).filter((text) => FORMULA_ERRORS.has(text));
  if (found.length === 0) return undefined;
  const codes = [...new Set(found)].map((code) => `'${code}'`).join(' or ');
  return (
    `${subject} is ${codes} in ${found.length} of the first ${texts.length} rows: a spreadsheet formula's error (Excel, Google Sheets: a ` +
    `GOOGLETRANSLATE or VLOOKUP that failed, or Loading... for a cell not computed yet), which is scored${billed ? ', and billed with Workers AI,' : ''} ` +
    `as a review of those characters; let the sheet finish computing and fix or clear those cells (IFERROR(formula, "") leaves them empty, ` +
    `skipped as empty_text${billed ? ' and not sent' : ''}), then export it again`
  );
}
