/**
 * A missing review written as a word: SQL Server Management Studio's "Save Results As" CSV writes a NULL as `NULL`
 * (so do `psql … null 'NULL'` and other SQL clients' defaults), and pandas' astype(str) turns a missing value into
 * `nan`. Such a row is scored as a review of that word, and paid for with Workers AI, where an empty cell is skipped
 * (empty_text) and not sent. The job cannot take the word for no text (a review may be that word), so it says so at
 * start-up, once, with what to change in the export; the rows are read as before. So do R's write.csv (NA), pandas' <NA>
 * and a form's N/A. `\N` is backslash-null.ts's.
 */

// Whole texts only, as the writers leave them, each with who writes it so and how to write an empty cell instead.
// 'None' is left out: it is a survey's answer as often as Python's None. NULL and nan, the first two, are said together
// (most exports that hold one come from a tool that may write the other).
interface Writer {
  words: readonly string[];
  who: string;
  fix: (column: string) => string;
}
const WRITERS: readonly Writer[] = [
  { words: ['NULL', 'null', '(null)'], who: 'SQL Server Management Studio writes NULL so', fix: (column) => `ISNULL(${column}, '') in SQL` },
  { words: ['nan', 'NaN'], who: "pandas' astype(str) nan", fix: () => "fillna('') in pandas" },
  // R's write.csv and readr's write_csv default to na = "NA".
  { words: ['NA'], who: "R's write.csv and readr's write_csv write NA so", fix: () => "write.csv(na = '') in R" },
  // pandas' astype(str) of pd.NA, the missing value of its nullable dtypes (string, Int64).
  { words: ['<NA>'], who: "pandas' astype(str) <NA>", fix: () => "fillna('') in pandas" },
  // Typed by a respondent or in a sheet for "not applicable": no review, and the models read it NEGATIVE (0.75).
  { words: ['N/A', 'n/a'], who: "a form's or a sheet's N/A for no answer", fix: () => 'N/A replaced with an empty cell' },
];
const NULL_WORDS = new Set(WRITERS.flatMap((writer) => writer.words));

/**
 * The warning for the texts of the first records (as the job would send them), or undefined when none is such a word.
 * `subject` names the text column or field as given; `billed`: the backend is Workers AI, which bills such a row (the
 * embedded and local models bill and send nothing, so the line says neither); `column`, the name to put in the SQL advice.
 * `jsonl`: a JSONL field, and the records its texts were read from (jsonlNullWordWarning).
 */
export function nullWordWarning(texts: readonly string[], subject: string, billed: boolean, column = 'column', jsonl?: { records: number }): string | undefined {
  const found = texts.map((text) => text.trim()).filter((text) => NULL_WORDS.has(text));
  if (found.length === 0) return undefined;
  const words = [...new Set(found)].map((word) => `'${word}'`).join(' or ');
  if (jsonl !== undefined) return jsonlNullWordWarning(found, words, subject, billed, jsonl.records);
  const said = (writer: Writer) => writer.words.some((word) => found.includes(word));
  const sqlOrPandas = WRITERS.slice(0, 2).some(said);
  const writers = WRITERS.filter((writer, index) => (index < 2 && sqlOrPandas) || said(writer));
  const who = writers.map((writer) => writer.who).join(', ');
  const fix = [...new Set(writers.map((writer) => writer.fix(column)))].join(', ');
  return (
    `${subject} is ${words} in ${found.length} of the first ${texts.length} rows: a missing value written as a word (${who}), ` +
    `which is scored${billed ? ', and billed with Workers AI,' : ''} as a review of that word; write missing ` +
    `values as empty cells in the export (${fix}), which are skipped (empty_text)${billed ? ' and not sent' : ''}`
  );
}

// pandas' astype(str) before to_json: the writer of these words that a JSON export has (to_json alone writes null).
const PANDAS_WORDS = new Set(['nan', 'NaN', '<NA>']);

/**
 * A JSONL export has no cells, and no CSV writer (SSMS, write.csv) wrote it: JSON's missing value is null, and a null,
 * a field left out and an empty string are each skipped (empty_text). The count is of the records read, those three
 * included: their texts are not among `found`'s, but they are records of the first ones (`records`).
 */
function jsonlNullWordWarning(found: readonly string[], words: string, subject: string, billed: boolean, records: number): string {
  const pandas = found.filter((word) => PANDAS_WORDS.has(word));
  const who = pandas.length > 0 ? ` (pandas' astype(str) writes ${[...new Set(pandas)].join(' and ')} so)` : '';
  const fix = pandas.length > 0 ? ' (to_json without astype(str) in pandas)' : '';
  return (
    `${subject} is ${words} in ${found.length} of the first ${records} records: a missing value written as a word, a string where JSON has null${who}, ` +
    `which is scored${billed ? ', and billed with Workers AI,' : ''} as a review of that word; write a missing text as null in the export${fix}, ` +
    `or leave the field out, or write an empty string: each is skipped (empty_text)${billed ? ' and not sent' : ''}`
  );
}
