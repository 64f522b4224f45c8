import type { JobSettings } from '../config/options.js';
import { lookupPath, parseDottedPath } from '../io/dotted-path.js';
import { nameIndexes } from '../io/unicode-name.js';
import { parseDay } from '../report/dates.js';
import { primitiveText } from '../report/primitive-text.js';
import { parseRating } from '../report/ratings.js';
import { scoreReportFlags } from '../report/settings-check.js';
import { noDateRead, noRatingRead } from '../report/unread-refusal.js';
import { readInputRecords, type CsvInput } from './csv-sample.js';
import { SAMPLE_RECORDS, type JsonlSample } from './jsonl-sample.js';
import { startWithin } from '../wording/shown-start.js';

/**
 * `score --report` with a --report-date or --report-rating column none of whose values the report can read (`--report-date
 * title`, dates written `11/3/26`): the report refused it (report/unread-refusal.ts), but only after the run, every row
 * scored and, with Workers AI, paid for. The first rows tell as much: when they hold MIN_VALUES values in that column
 * and the report's own parsers (dates.ts, ratings.ts) read none, the job is refused at its start (exit 2) in the
 * report's words. Not when the column is blank there: a day's export without dates must not stop a nightly job (the
 * report says so, as before). Fewer values than that are left to the report, as numbers-as-text.ts leaves a quiet
 * night's few texts: a handful of odd values is no proof of a wrong column.
 */
const MIN_VALUES = 10;

/** What the report's examples show of an unread value (tally.ts keeps as much). */
const EXAMPLE_CHARS = 40;

/** The values of the report's date and rating columns in the first rows: undefined for a column not named (or not the input's). */
interface ReportValues {
  rows: number;
  date?: string[];
  rating?: string[];
}

export function refuseUnreadReportValues(settings: JobSettings, values: ReportValues): void {
  const flags = scoreReportFlags(settings);
  const where = `any of the first ${values.rows} rows`;
  const end = 'nothing was scored, no report written';
  const date = nonBlank(values.date);
  if (date.length >= MIN_VALUES && date.every((value) => parseDay(value) === undefined)) {
    // Three distinct examples, as the report's own (tally.ts): one form on every row was shown three times.
    const examples = [...new Set(date.map((value) => startWithin(value, EXAMPLE_CHARS)))].slice(0, 3);
    throw noDateRead(`${flags.date} ${settings.reportDate}`, where, examples, end);
  }
  const rating = nonBlank(values.rating);
  if (rating.length >= MIN_VALUES && rating.every((value) => parseRating(value) === undefined)) throw noRatingRead(`${flags.rating} ${settings.reportRating}`, where, end);
}

/** Whether the job's start needs the report's columns' first values at all. */
export function wantsReportValues(settings: JobSettings): boolean {
  return settings.report !== undefined && (settings.reportDate !== undefined || settings.reportRating !== undefined);
}

/** The report's columns' values in a JSONL input's first records, as the report reads a field (scored-rows.ts). */
export function jsonlReportValues(settings: JobSettings, sample: JsonlSample): ReportValues {
  const of = (name: string | undefined): string[] | undefined => {
    if (name === undefined) return undefined;
    const path = parseDottedPath(name);
    return sample.objects.flatMap((object) => {
      const found = lookupPath(object, path);
      const text = found.found ? primitiveText(found.value) : undefined;
      return text === undefined ? [] : [text];
    });
  };
  return { rows: sample.records, date: of(settings.reportDate), rating: of(settings.reportRating) };
}

/** The report's columns' cells in a CSV input's first records (rows with the header's width, as the report reads them). */
export async function csvReportValues(settings: JobSettings, input: CsvInput): Promise<ReportValues> {
  const { header } = input;
  // A column the run adds (sentiment_positive) is not in the input: nothing to look at.
  const indexOf = (name: string | undefined): number | undefined => {
    const found = name === undefined ? [] : nameIndexes(header.columns, name);
    return found.length === 1 ? found[0] : undefined;
  };
  const [dateAt, ratingAt] = [indexOf(settings.reportDate), indexOf(settings.reportRating)];
  const values: ReportValues = { rows: 0, ...(dateAt !== undefined ? { date: [] } : {}), ...(ratingAt !== undefined ? { rating: [] } : {}) };
  if (dateAt === undefined && ratingAt === undefined) return values;
  try {
    const records = readInputRecords(input, { textColumn: header.columns[0]!, keepFields: true });
    for await (const record of records) {
      if (record.passThrough === true || record.fields === undefined) continue;
      values.rows += 1;
      if (record.fields.length === header.columns.length) {
        if (dateAt !== undefined) values.date?.push(record.fields[dateAt]!);
        if (ratingAt !== undefined) values.rating?.push(record.fields[ratingAt]!);
      }
      if (values.rows >= SAMPLE_RECORDS) break;
    }
  } catch {
    // An unreadable input is reported when the job reads it, with its place: the rows read so far are judged.
  }
  return values;
}

function nonBlank(values: readonly string[] | undefined): string[] {
  return (values ?? []).filter((value) => value.trim() !== '');
}
