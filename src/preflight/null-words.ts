/**
 * A missing review written as a word: SQL Server Management Studio's "Save Results As" CSV writes a NULL as `NULL`
 * (so do `psql … null 'NULL'` and other SQL clients' defaults), and pandas' astype(str) turns a missing value into
 * `nan`. Such a row is scored as a review of that word, and paid for with Workers AI, where an empty cell is skipped
 * (empty_text) and not sent. The job cannot take the word for no text (a review may be that word), so it says so at
 * start-up, once, with what to change in the export; the rows are read as before. `\N` is backslash-null.ts's.
 */

// Whole texts only, as the writers leave them; 'None' is left out: it is a survey's answer as often as Python's None.
const NULL_WORDS = new Set(['NULL', 'null', '(null)', 'nan', 'NaN']);

/**
 * The warning for the texts of the first records (as the job would send them), or undefined when none is such a word.
 * `subject` names the text column or field as given; `billed`: the backend is Workers AI, which bills such a row (the
 * embedded and local models bill and send nothing, so the line says neither); `column`, the name to put in the SQL advice.
 */
export function nullWordWarning(texts: readonly string[], subject: string, billed: boolean, column = 'column'): string | undefined {
  const found = texts.map((text) => text.trim()).filter((text) => NULL_WORDS.has(text));
  if (found.length === 0) return undefined;
  const words = [...new Set(found)].map((word) => `'${word}'`).join(' or ');
  return (
    `${subject} is ${words} in ${found.length} of the first ${texts.length} rows: a missing value written as a word (SQL Server Management ` +
    `Studio writes NULL so, pandas' astype(str) nan), which is scored${billed ? ', and billed with Workers AI,' : ''} as a review of that word; write missing ` +
    `values as empty cells in the export (ISNULL(${column}, '') in SQL, fillna('') in pandas), which are skipped (empty_text)${billed ? ' and not sent' : ''}`
  );
}
