import { textChoiceOf } from '../io/text-parts.js';
import type { CsvEscape, CsvQuote } from '../io/csv-dialect.js';
import { figuresOf, type Figures } from './figures.js';
import { findRunContext, runFromSummary, type RunContext } from './run-info.js';
import type { Summary } from '../job/summary.js';
import { STDOUT_PATH, type InputFormat } from '../io/format.js';
import type { TextFlag } from '../io/text-parts.js';
import { readScoredRows } from './scored-rows.js';
import { DEFAULT_LIMITS, SKIP_CODES, Tally } from './tally.js';
import { refuseUnreadColumns } from './unread-refusal.js';
import { writeReportFile } from './write-report-file.js';
import { cutShortOutputError } from './cut-short-output.js';
import { csvOnlyFlagWarnings } from './csv-only-flags.js';
import { dayOrderLine } from './mixed-day-order.js';
import { convertedFile, namingUtf16Input } from '../io/utf16-advice.js';
import { writeReportToStdout } from './write-report-stdout.js';
import { refuseJobFileTarget } from './report-target.js';
import { refuseReplacingNonReport } from '../paths/report-replace.js';
import { jobOutputContext } from './job-output-context.js';
import type { FaultAdvice } from '../machine-fault-advice.js';

export type { Figures } from './figures.js';

/** What `report` and `score --report` ask for. */
export interface ReportRequest {
  /** The scored file (CSV, TSV, JSONL, optionally .gz). */
  input: string;
  /** Where to write the report; `-` is standard output. */
  output: string;
  /** No -o was given: `output` is the default, beside the scored file (messages then say so). */
  defaultOutput?: boolean;
  as: 'html' | 'json';
  inputFormat: InputFormat | undefined;
  delimiter: string | undefined;
  /** --escape; default: the run's (from its checkpoint), else quote. */
  escape?: CsvEscape;
  /** --quote; default: the run's (from its checkpoint), else `"`. */
  quote?: CsvQuote;
  /** Text column(s)/field(s); default: the run's (from its checkpoint), else `text`. */
  text: string | readonly string[] | undefined;
  /** The flag that gave `text` (either reads a column or a field): the messages about it name that one. */
  textFlag?: TextFlag;
  /** Sentiment column prefix; default: the run's, else `sentiment`. */
  prefix: string | undefined;
  by: string | undefined;
  date: string | undefined;
  rating: string | undefined;
  /** The flags that named the format and by/date/rating when not report's own (`score --format`, `--report-by`). */
  flagNames?: { format: string; by: string; date: string; rating: string };
  /** Largest groups shown. */
  groups: number;
  /** Examples at each end. */
  examples: number;
  dayFirst: boolean;
  /** `--language-check`: off for a file scored mixed-language on purpose (report/other-language.ts); default on. */
  languageCheck?: 'on' | 'off';
  /** An explicit summary JSON (`--summary`). */
  summaryPath: string | undefined;
  /** The run that just wrote the input (`score --report`): its summary, no file needed. */
  summary?: Summary;
  /** Where `report` says a flag is ignored (standard error); none for `score --report`, whose run has said it. */
  warn?: (line: string) => void;
  /** What a machine fault writing the report advises; default: report's own -o. */
  writeAdvice?: FaultAdvice;
}

/** One streaming pass over the scored file, then the figures written as HTML or JSON. */
export async function writeReport(request: ReportRequest): Promise<Figures> {
  const context = await contextOf(request);
  // `report -o`, before the pass: the checkpoint or summary just read names the job's input and the summary used, which
  // it must not replace. (`score --report` checks its path against the job's files before the run.)
  if (request.summary === undefined && request.output !== STDOUT_PATH) {
    refuseJobFileTarget(request.output, request.input, context.jobFiles);
    // After the lines naming the job's file it would replace, which say more: someone's page or notes there, replaced whole.
    const named = request.defaultOutput === true ? { head: `the default report ${request.output}` } : { head: `-o ${request.output}` };
    refuseReplacingNonReport(named, request.output, request.defaultOutput === true ? 'name the report with -o' : 'choose another -o');
  }
  const settings = context.settings;
  const skipCodes = [...SKIP_CODES, ...(settings?.longText === 'skip' ? ['text_too_long'] : [])];
  const tally = new Tally({ ...DEFAULT_LIMITS, examples: request.examples, dayFirst: request.dayFirst }, skipCodes);
  // The text is read for the examples, and to count the texts that are only a number: with no example asked for, the
  // run's or the default text column is read where it is there, not needed (a copy of an output with the reviews taken
  // out is reported as it is); one named with --text-column is still checked.
  const text = request.text ?? textChoiceOf(settings?.text);
  const textIfThere = request.text === undefined && request.examples === 0;
  const quote = request.quote ?? settings?.quote;
  // Told by the reader (onJsonl below), which knows the format whatever names it: a flag, the checkpoint, the extension.
  let jsonl = false;
  const rows = readScoredRows(request.input, {
    // An unfinished output's name ends in .partial, and score names the output of a BigQuery export (.json) .scored.json:
    // its run's checkpoint says the format it is written in.
    format: request.inputFormat ?? (context.copyOf?.kind === 'unfinished' || namedJson(request.input) ? formatOf(settings?.format) : undefined),
    // The run wrote its output with its input's delimiter, which its checkpoint records, as it does the text column and prefix.
    delimiter: request.delimiter ?? settings?.delimiter,
    // And its escape (--escape backslash): the rows it copied are read as it read them.
    ...((request.escape ?? settings?.escape) !== undefined ? { escape: request.escape ?? settings?.escape } : {}),
    // And its --quote none (io/unquoted-cells.ts): its cells were never quoted, its own new ones neither.
    ...(quote !== undefined ? { quote } : {}),
    quoteUnknown: request.quote === undefined && (settings ?? undefined) === undefined,
    text: text ?? 'text',
    ...(textIfThere ? { textIfThere } : {}),
    textNamed: request.text !== undefined ? request.textFlag ?? true : text !== undefined ? 'checkpoint' : false,
    prefix: request.prefix ?? settings?.prefix ?? 'sentiment',
    ...(context.copyOf?.kind === 'unfinished' ? { unfinished: true } : {}),
    by: request.by,
    date: request.date,
    rating: request.rating,
    ...(request.flagNames ? { flagNames: request.flagNames } : {}),
    // The flags as given, not the checkpoint's delimiter, which a JSONL job's records too.
    onJsonl: () => {
      jsonl = true;
      csvOnlyFlagWarnings(request).forEach((line) => request.warn?.(line));
    },
  });
  try {
    for await (const row of rows) tally.add(row);
  } catch (error) {
    // A file cut inside its last row: said for what report reads (a job's output), not as score's input.
    // A UTF-16 copy (saved so by Excel): the conversion named is of the file itself (io/utf16-advice.ts).
    throw cutShortOutputError(error, request.input, context.copyOf) ?? namingUtf16Input(error, convertedFile(request.input, request.inputFormat));
  }
  const figures = figuresOf(tally, {
    input: request.input,
    by: request.by,
    date: request.date,
    rating: request.rating,
    groupsShown: request.groups,
    maxDailyPoints: 120,
    run: context.run,
    runLeftAside: context.runLeftAside,
    copyOf: context.copyOf,
    model: context.model,
    now: new Date(),
    languageCheck: request.languageCheck,
    jsonl,
  });
  // A --date or --rating column none of whose values could be read: refused, nothing written over the last report.
  refuseUnreadColumns(figures, { date: request.flagNames?.date ?? '--date', rating: request.flagNames?.rating ?? '--rating' }, request.summary !== undefined);
  const mixed = dayOrderLine(figures.trend, request.flagNames?.date ?? '--date');
  if (mixed !== undefined) request.warn?.(mixed);
  // vega and vega-lite are loaded only now, after the pass: they are not in the heap while the file streams.
  const body = request.as === 'json' ? `${JSON.stringify(figures, null, 2)}\n` : await (await import('./html-page.js')).renderHtml(figures);
  // `report -o -` writes the page (or JSON) to standard output, for a pipe.
  if (request.output === STDOUT_PATH) await writeReportToStdout(body);
  else await writeReportFile(request.output, body, request.writeAdvice);
  return figures;
}

/** A name no format is told from, `.json` or `.json.gz`: a JSON Lines output named after its input. */
function namedJson(path: string): boolean {
  return /\.json(?:\.gz)?$/i.test(path);
}

function formatOf(recorded: string | undefined): InputFormat | undefined {
  return recorded === 'csv' || recorded === 'tsv' || recorded === 'jsonl' ? recorded : undefined;
}


async function contextOf(request: ReportRequest): Promise<RunContext> {
  // `score --report` has its run's summary: one beside the file is not read for figures, nor refused for its kind.
  let found = await findRunContext(request.input, request.summaryPath, request.summary !== undefined);
  // Nothing names the file: it may be a job's unfinished output or a gzip copy of one, which the page then says it is.
  const bare = request.summaryPath === undefined && request.summary === undefined && found.run === null && found.settings === null && found.runLeftAside === undefined;
  if (bare) found = (await jobOutputContext(request.input)) ?? found;
  if (request.summary === undefined) return found;
  const { runLeftAside: _other, ...rest } = found;
  return { ...rest, run: runFromSummary(request.summary, 'this run'), model: request.summary.model };
}
