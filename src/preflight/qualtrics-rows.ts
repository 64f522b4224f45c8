/**
 * Qualtrics' CSV export has three header rows: the column ids (`Q1`, `Q2`), the question text, and one of JSON,
 * `{"ImportId":"QID2_TEXT"}`. Read with the first as the header, the other two were scored as responses (the question
 * labelled like an answer, the JSON too), and billed with Workers AI. Which rows are an export's is the export's
 * business, so the rows are read as before; the ImportId text, which no response is, says so at start-up, once, with a
 * line that writes the export without them.
 */

// The whole text, one object of string values whose first key is ImportId, as Qualtrics writes it.
const IMPORT_ID = /^\{"ImportId":"[^"]*"(?:,"[^"]+":"[^"]*")*\}$/;

const REMOVE =
  'python3 -c \'import csv, sys; rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8-sig"))); ' +
  'csv.writer(sys.stdout, lineterminator="\\r\\n").writerows(rows[:1] + rows[3:])\' export.csv > export-data.csv';

/**
 * The warning for the texts of the first records (as the job would send them), or undefined when none is an ImportId.
 * `subject` names the text column as given; `billed`: the backend is Workers AI, which bills such a row.
 */
export function qualtricsRowsWarning(texts: readonly string[], subject: string, billed: boolean): string | undefined {
  const found = texts.find((text) => IMPORT_ID.test(text.trim()));
  if (found === undefined) return undefined;
  return (
    `${subject} is '${found.trim()}' in a row of the first ${texts.length}: a Qualtrics export, whose three header rows are the column ids, ` +
    `the question text and this ImportId row; the two below the first are scored${billed ? ', and billed with Workers AI,' : ''} as responses, ` +
    `the question too; remove them first, e.g. ${REMOVE}`
  );
}
