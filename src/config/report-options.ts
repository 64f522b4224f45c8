import path from 'node:path';
import { ConfigError } from '../errors.js';
import { parseArgv } from './argv.js';
import { spacedInputAdvice } from './spaced-input.js';
import { FORMATS, LANGUAGE_CHECKS } from './options.js';
import { CSV_ESCAPES, CSV_QUOTES } from '../io/csv-dialect.js';
import { STDOUT_PATH } from '../io/format.js';
import { outputSideFiles } from '../paths/job-paths.js';
import { fileIdentity, sameFile } from '../paths/same-file.js';
import { namedFolder } from '../paths/folder-target.js';
import { refuseNonRegularTarget } from '../paths/regular-target.js';
import { prefixName } from './prefix-name.js';
import { flagWords, type SettingWords } from './setting-names.js';
import { booleanValue, delimiter, nonEmptyString, nonNegativeInteger, oneOf, positiveInteger } from './validate.js';
import type { ReportRequest } from '../report/index.js';
import { optionRows } from '../wording/option-rows.js';

const REPORT_FORMATS = ['html', 'json'] as const;

interface ReportFlag {
  flag: string;
  short?: string;
  boolean?: boolean;
  /** May be given more than once. */
  multiple?: boolean;
  /** Its value is a name that may hold a space (argv.ts FlagSpec.named). */
  named?: boolean;
  help: string;
}

/** The flags of `report`, for parsing and for --help. */
const REPORT_FLAGS: readonly ReportFlag[] = [
  { flag: 'output', named: true, short: 'o', help: 'where to write the report; - for standard output (default: <input name>.report.html or .json); a name ending in another format (.csv, .pdf...) is refused' },
  { flag: 'format', help: 'html | json (default: from the -o extension, .json or .html, else html)' },
  { flag: 'by', named: true, help: 'column/field to group by: positive share of the largest groups (default: none)' },
  { flag: 'date', named: true, help: 'column/field with a date: positive share by day or week (default: none)' },
  { flag: 'rating', named: true, help: 'column/field with a star rating: positive share per value; on a 1–5 scale, agreement of labels and stars (default: none)' },
  { flag: 'text-column', named: true, multiple: true, help: "column/field of the review text (default: the run's, else text); repeat to join several" },
  { flag: 'text-field', named: true, multiple: true, help: "same as --text-column, for JSONL (dotted paths allowed) (default: the run's, else text)" },
  { flag: 'prefix', named: true, help: "prefix of the sentiment columns/field (default: the run's, else sentiment)" },
  { flag: 'input-format', help: 'csv | tsv | jsonl (default: from the extension; .gz allowed)' },
  { flag: 'delimiter', help: "CSV delimiter: one character, or 'tab' (default: the run's, else , or tab for .tsv)" },
  { flag: 'escape', help: "quote | backslash: how a quote is written inside a quoted CSV cell (default: the run's, else quote)" },
  { flag: 'quote', help: `'"' | none: none reads a file that never quotes a cell, with backslash escapes (needs --escape backslash) (default: the run's, else ")` },
  { flag: 'groups', help: 'largest groups shown (default 20, at most 1000)' },
  { flag: 'examples', help: "most negative and most positive texts shown, each (default 5, at most 1000: the page shows 25 of each and folds the rest under 'N more'; 0: none)" },
  { flag: 'day-first', boolean: true, help: 'read ambiguous dates such as 03/04/2026 or 03 04, 2026 as day first' },
  { flag: 'language-check', help: "on | off: say on the page when one in ten of the first 100 texts looks written in another language than English, as score does, unless the run's summary beside the file says what it found; off for a file scored so on purpose (default on)" },
  { flag: 'summary', named: true, help: "the run summary JSON (default: looked for beside the input); it must name a file of the input's name" },
];

/** `report INPUT [flags]` → a validated request; unknown flags and bad values are one-line ConfigErrors. */
export function parseReportArgs(argv: string[]): { help: true } | { help: false; request: ReportRequest } {
  // estimate's way to ask for JSON: report's is --format json.
  if (argv.includes('--json')) throw new ConfigError("unknown option '--json' for report: it writes JSON with --format json (or -o NAME.json); see sentiment-batch report --help");
  const parsed = parseArgv(argv, [{ flag: 'help', short: 'h', boolean: true }, ...REPORT_FLAGS], 'report');
  // Repeatable flags keep every value; any other given twice takes the last, as in `score` (a wrapper's defaults
  // followed by the caller's own flags: `report $DEFAULTS --format json`).
  const v: Record<string, string | boolean | string[] | undefined> = {};
  for (const flag of parsed.booleans) v[flag] = true;
  for (const f of REPORT_FLAGS) {
    const values = parsed.strings.get(f.flag);
    if (values !== undefined) v[f.flag] = f.multiple ? values : values[values.length - 1];
  }
  if (v['help'] === true) return { help: true };
  if (parsed.positionals.length !== 1) {
    const spaced = spacedInputAdvice('report', parsed.positionals);
    throw new ConfigError(`report takes one scored file, got ${parsed.positionals.length}: sentiment-batch report reviews.scored.csv -o report.html${spaced}`);
  }
  const input = parsed.positionals[0]!;
  // One setting, as in `score` (config/resolve.ts): with both, --text-field was dropped without a word.
  if (v['text-column'] !== undefined && v['text-field'] !== undefined) throw new ConfigError('--text-column and --text-field set the same thing; give only one of them');
  if (input === '-') throw new ConfigError('report reads a scored file by name (it is read from disk, not standard input): save the scored records to a file (score ... -o scored.csv) and give its name');
  const text = (name: string): string | undefined => (v[name] === undefined ? undefined : nonEmptyString(`--${name}`, v[name]));
  const output = text('output');
  // score's and estimate's --format (the input's): report calls that --input-format.
  if ((FORMATS as readonly unknown[]).includes(v['format'])) {
    throw new ConfigError(`--format ${String(v['format'])}: report's --format is the report's own, html or json; the scored file's format is --input-format ${String(v['format'])}`);
  }
  const format = v['format'] === undefined ? undefined : oneOf('--format', v['format'], REPORT_FORMATS);
  const as = format ?? (output === undefined ? 'html' : formatOfName(output) ?? 'html');
  const target = output ?? defaultReportPath(input, as);
  if (target !== STDOUT_PATH && sameFile(fileIdentity(target), fileIdentity(input))) throw new ConfigError(`-o ${target} would overwrite the scored file; choose another path`);
  // Nor the files its job keeps beside it: a report over the checkpoint would make the next run start over. A job's
  // partial output (or a gzip copy of an output) is reported as that output (report/job-output-context.ts): its job's
  // files, and the output the run renames its partial output to, are as near (`report out.csv.partial -o
  // out.csv.checkpoint.json` replaced the checkpoint of the unfinished run).
  const sides = [...outputSideFiles(input), ...outputNamedBy(input).flatMap((output) => [{ role: 'the output', file: output }, ...outputSideFiles(output)])];
  const side = target === STDOUT_PATH ? undefined : sides.find(({ file }) => sameFile(fileIdentity(target), fileIdentity(file)));
  if (side) throw new ConfigError(`-o ${target} would overwrite ${side.role} of the scored file's job; choose another path`);
  const folder = target === STDOUT_PATH ? undefined : namedFolder(target);
  if (folder) throw new ConfigError(`-o ${target} ${folder}: give the path of a file (in it or elsewhere), or - for standard output`);
  if (target !== STDOUT_PATH) refuseNonRegularTarget(flagWords('-o', target), target, true);
  // After the checks naming the file -o would replace, which say more.
  if (output !== undefined && output !== STDOUT_PATH) refuseOtherFormatName(flagWords('-o', output), output, format);
  return {
    help: false,
    request: {
      input,
      output: target,
      ...(output === undefined ? { defaultOutput: true } : {}),
      as,
      inputFormat: v['input-format'] === undefined ? undefined : oneOf('--input-format', v['input-format'], FORMATS),
      delimiter: v['delimiter'] === undefined ? undefined : delimiter('--delimiter', v['delimiter']),
      ...(v['escape'] === undefined ? {} : { escape: oneOf('--escape', v['escape'], CSV_ESCAPES) }),
      ...(v['quote'] === undefined ? {} : { quote: oneOf('--quote', v['quote'], CSV_QUOTES) }),
      text: textNames(v['text-column'], '--text-column') ?? textNames(v['text-field'], '--text-field'),
      ...(v['text-column'] !== undefined ? { textFlag: '--text-column' as const } : v['text-field'] !== undefined ? { textFlag: '--text-field' as const } : {}),
      // Refused as score refuses it (a line break, a quote, a control character): no scored file's columns are so named.
      prefix: v['prefix'] === undefined ? undefined : prefixName('--prefix', v['prefix'], 'reads'),
      by: text('by'),
      date: text('date'),
      rating: text('rating'),
      groups: v['groups'] === undefined ? 20 : groupsCount(v['groups']),
      examples: v['examples'] === undefined ? 5 : examplesCount(v['examples']),
      dayFirst: v['day-first'] === undefined ? false : booleanValue('--day-first', v['day-first']),
      summaryPath: text('summary'),
      ...(v['language-check'] === undefined ? {} : { languageCheck: oneOf('--language-check', v['language-check'], LANGUAGE_CHECKS) }),
    },
  };
}

/**
 * The examples are kept in memory through the pass and all listed on the page, so their number bounds both:
 * `--examples 100000` on a 200,000-row file took 510 MB (116 MB with 5) and wrote a 42 MB page.
 */
const MAX_EXAMPLES = 1000;

function examplesCount(value: unknown): number {
  const n = nonNegativeInteger('--examples', value);
  if (n > MAX_EXAMPLES) {
    throw new ConfigError(`--examples ${n}: at most ${MAX_EXAMPLES} at each end (they are kept in memory while the file is read, and all listed on the page)`);
  }
  return n;
}

/**
 * Each group shown is a bar on the page and an entry in its JSON, so their number bounds the page: `--groups 100000`
 * (up to the 10,000 distinct values counted) wrote a 9.5 MB page of a 30,000-row file, 50 KB with 20 and 1 MB with 1,000.
 */
const MAX_GROUPS = 1000;

function groupsCount(value: unknown): number {
  const n = positiveInteger('--groups', value);
  if (n > MAX_GROUPS) throw new ConfigError(`--groups ${n}: at most ${MAX_GROUPS} groups are shown (each is a bar on the page and an entry in its JSON)`);
  return n;
}

/** What an -o extension says: `.html`/`.htm` HTML, `.json` JSON; undefined for none or another. */
function formatOfName(output: string): 'html' | 'json' | undefined {
  const ext = path.extname(output).toLowerCase();
  return ext === '.json' ? 'json' : ext === '.html' || ext === '.htm' ? 'html' : undefined;
}

/** Extensions of formats a report is not (score's inputs and outputs, documents, images, archives). */
const OTHER_FORMAT_EXTENSIONS = new Set(
  ['csv', 'tsv', 'jsonl', 'ndjson', 'gz', 'zip', 'bz2', 'xz', 'zst', 'tar', 'pdf', 'png', 'jpg', 'jpeg', 'gif', 'webp', 'svg', 'txt', 'md', 'xml', 'xls', 'xlsx', 'ods', 'doc', 'docx', 'parquet'].map(
    (ext) => `.${ext}`,
  ),
);

/**
 * A report is HTML or JSON: an -o whose extension says another format (`x.pdf`, `x.csv`) is refused rather than
 * filled with HTML, and so is one that says the other of the two (`--format json -o x.html`). A name with no
 * extension, or one no format is known by (`report.2026-12-02`), is written as --format says (else HTML).
 * `score --report` (which has no --format: `.json` is JSON, any other name HTML) is held to the same rule.
 */
export function refuseOtherFormatName(named: SettingWords, output: string, format: 'html' | 'json' | undefined): void {
  const ext = path.extname(output).toLowerCase();
  const wanted = formatOfName(output);
  if (wanted !== undefined && format !== undefined && wanted !== format) {
    throw new ConfigError(`${named.head} names ${wanted === 'json' ? 'a JSON' : 'an HTML'} file, but --format ${format} writes ${format === 'json' ? 'JSON' : 'HTML'}: end it in .${format}, or drop --format`);
  }
  if (OTHER_FORMAT_EXTENSIONS.has(ext)) {
    throw new ConfigError(`${named.head}: a report is an HTML page or JSON, not a ${ext} file; end the name in .html or .json`);
  }
}

function textNames(value: unknown, flag: string): string[] | undefined {
  return Array.isArray(value) ? value.map((name: unknown) => nonEmptyString(flag, name)) : undefined;
}

/** The output a name stands for: `out.csv` for its partial output `out.csv.partial` or a gzip copy `out.csv.gz`. */
function outputNamedBy(input: string): string[] {
  const suffix = ['.partial', '.gz'].find((end) => input.endsWith(end) && input.length > end.length);
  return suffix === undefined ? [] : [input.slice(0, -suffix.length)];
}

/** reviews.scored.csv.gz → reviews.scored.report.html beside it. */
function defaultReportPath(input: string, as: 'html' | 'json'): string {
  const base = path.basename(input).replace(/\.gz$/i, '');
  const ext = path.extname(base);
  return path.join(path.dirname(input), `${base.slice(0, base.length - ext.length)}.report.${as}`);
}

export function reportHelp(): string {
  return `Usage: sentiment-batch report SCORED_FILE [options]   (a file written by score: .csv .tsv .jsonl, optionally .gz)

A self-contained HTML page (or JSON figures) from one streaming pass: totals, positive share with its
95 % interval, a histogram of the positive score, shares by group, by day or week and by star rating,
and the most negative and most positive texts (each among the rows of that label).

Options:
${optionRows(REPORT_FLAGS)}
`;
}
