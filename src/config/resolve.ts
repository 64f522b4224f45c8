import { httpBaseUrl } from '../scoring/base-url.js';
import { arrayExportAsJobFile, exportAsJobFile, recordAsJobFileHint, shownShort, type JobFileCommand } from './export-as-job-file.js';
import { utf16JobFileError } from './utf16-job-file.js';
import path from 'node:path';
import { ConfigError, errorMessage } from '../errors.js';
import { checkOutputExtension } from '../io/output-extension.js';
import { detectFormat, keepsCheckpoint, STDIN_PATH, STDOUT_PATH, type InputFormat } from '../io/format.js';
import { parseArgv, type FlagSpec } from './argv.js';
import { DEFAULTS, OPTION_SPECS, type JobSettings, type OptionSpec } from './options.js';
import { show } from './validate.js';
import { checkJobPaths } from '../paths/job-paths.js';
import { resolveKeepingSlash } from '../paths/folder-target.js';
import { refuseHomeTilde } from '../paths/home-tilde.js';
import { jobFileText } from './job-file-text.js';
import { jsonSyntaxError } from './json-syntax-place.js';
import { refuseRelativeInPipedJobFile } from '../paths/piped-job-file.js';
import { didYouMean } from './did-you-mean.js';
import { firstDuplicateKey } from './duplicate-keys.js';
import { fromJobFile, jobFileChange, jobFileKey, settingName, settingWords } from './setting-names.js';
import { refuseBackslashDelimiter } from './backslash-delimiter.js';
import { decimalCommaClash } from '../io/decimal-mark.js';
import { unreadableTokenFile } from './credentials.js';
import { whyUnreadable } from '../wording/unreadable-file.js';
import type { TextFlag } from '../io/text-parts.js';
import { refuseOtherFormatName } from './report-options.js';
import { readSecret } from './secret-source.js';

type Partial_ = Partial<JobSettings>;

/**
 * Job-file key → setting: the flags in camelCase (what docs/options.md#job-files documents;
 * durations take their unit in the value, "timeout": "30s", as the flags do).
 */
const JOB_FILE_KEYS = new Map<string, keyof JobSettings | 'input'>([['input', 'input'], ...OPTION_SPECS.map((s) => [jobFileKey(s.flag), s.key] as const)]);
/** Keys a job file may hold that set nothing (docs/options.md#job-files): accepted, and ignored. */
const IGNORED_JOB_FILE_KEYS = ['$schema', 'description'];
/** Every key a job file may hold, for the unknown-key line and its did-you-mean: the ignored ones are known too. */
const JOB_FILE_KEY_NAMES = [...JOB_FILE_KEYS.keys(), ...IGNORED_JOB_FILE_KEYS].sort();
/** A flag's one letter (`-o`) written as a key, "o" or "-o", is too short for a did-you-mean by spelling: the long key. */
const KEY_OF_SHORT_FLAG = new Map(OPTION_SPECS.filter((s) => s.short).map((s) => [s.short as string, jobFileKey(s.flag)]));

/**
 * A job file's key, or one written as its flag or in snake case (`text-column`, `max_requests`, `-o`): a job file's key
 * misspelt, no record's column, for the line that says a file most of whose keys are none may be data (export-as-job-file.ts).
 */
function spellsJobKey(key: string): boolean {
  const loose = key.replace(/^-+/, '').replace(/[-_]/g, '').toLowerCase();
  return JOB_FILE_KEY_NAMES.some((name) => name.toLowerCase() === loose) || KEY_OF_SHORT_FLAG.has(key.replace(/^-/, ''));
}

export interface ParsedCommandLine {
  positionals: string[];
  flags: Partial_;
  help: boolean;
  /** Extra boolean flags of one command that were given (estimate's --json). */
  switches: Set<string>;
}

const HELP_FLAG: FlagSpec = { flag: 'help', short: 'h', boolean: true };

/**
 * Parses score/run/estimate flags: an unknown flag is one line naming it with
 * a did-you-mean. `specs` are the options the command accepts (estimate takes
 * fewer than score); `extra` are boolean flags of its own.
 */
export function parseJobFlags(
  argv: string[],
  command = 'score',
  specs: readonly OptionSpec[] = OPTION_SPECS,
  extra: readonly FlagSpec[] = [],
): ParsedCommandLine {
  const parsed = parseArgv(argv, [HELP_FLAG, ...specs, ...extra], command);
  const flags: Partial_ = {};
  const setBy = new Map<keyof JobSettings, string>();
  for (const spec of specs) {
    if (spec.boolean) {
      if (parsed.booleans.has(spec.flag)) assign(flags, spec.key, spec.parse(`--${spec.flag}`, true));
      continue;
    }
    const values = parsed.strings.get(spec.flag);
    if (values === undefined) continue;
    refuseTwoSpellings(setBy, spec.key, `--${spec.flag}`);
    // A repeatable flag keeps every value (--text-column title --text-column review); otherwise the last one wins.
    assign(flags, spec.key, spec.parse(`--${spec.flag}`, spec.multiple ? values : values[values.length - 1]));
    if (spec.key === 'text') flags.textFlag = `--${spec.flag}` as TextFlag;
  }
  const switches = new Set(extra.map((spec) => spec.flag).filter((flag) => parsed.booleans.has(flag)));
  return { positionals: parsed.positionals, flags, help: parsed.booleans.has('help'), switches };
}

/**
 * The job files read whose "input" was written absolute: the settings hold it resolved, so it is kept aside for
 * resolveSettings, which records it in `jobFile` (a key of the settings themselves would be merged as a setting).
 */
const ABSOLUTE_INPUT = new WeakSet<Partial_>();

/** Reads and validates a JSON job file; relative paths in it are relative to the file's folder. */
export function readJobFile(file: string, command: JobFileCommand = 'run'): Partial_ {
  // 'run reviews.csv' for 'score reviews.csv': said before reading it (it may be gigabytes), not as a JSON syntax error.
  if (formatNamedBy(path.extname(file.replace(/\.gz$/i, ''))) !== undefined) {
    throw new ConfigError(`run takes a job file (JSON), and ${file} is a review export: to score it, run sentiment-batch score ${file} (with the same options)`);
  }
  let text: string;
  try {
    text = jobFileText(file);
  } catch (error) {
    // A relative path in a working folder removed under the shell: that folder's line (escaped-error.ts, exit 2), not
    // "no such file ... check the path" of a path that may well be right. process.cwd() throws it (uv_cwd).
    if (!path.isAbsolute(file)) process.cwd();
    throw new ConfigError(`cannot read job file ${file}: ${whyUnreadable(error)}`, { cause: error });
  }
  // A BOM (Windows editors save one) is no part of the JSON, which JSON.parse would refuse as an invisible 'Unexpected token'.
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const utf16 = utf16JobFileError(file, text);
    if (utf16) throw utf16;
    const anExport = exportAsJobFile(file, text, command);
    if (anExport) throw anExport;
    throw new ConfigError(`job file ${file} is not valid JSON: ${jsonSyntaxError(text, errorMessage(error))}`, { cause: error });
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw arrayExportAsJobFile(file, data, command) ?? new ConfigError(`job file ${file} must hold a JSON object ({"input": …, "textColumn": …}), got ${shownShort(show(data))}`);
  }
  const twice = firstDuplicateKey(text);
  if (twice) throw new ConfigError(`job file ${file}: ${JSON.stringify(twice.key)} is given twice, on lines ${twice.firstLine} and ${twice.secondLine}; keep one`);
  const settings: Partial_ = {};
  const setBy = new Map<keyof JobSettings, string>();
  const base = path.dirname(path.resolve(file));
  for (const [rawKey, value] of Object.entries(data)) {
    if (rawKey === 'apiToken') {
      throw new ConfigError(`job file ${file}: do not store the API token in a job file; set CLOUDFLARE_API_TOKEN or CLOUDFLARE_API_TOKEN_FILE`);
    }
    if (IGNORED_JOB_FILE_KEYS.includes(rawKey)) continue;
    const key = JOB_FILE_KEYS.get(rawKey);
    if (key === undefined) {
      const long = KEY_OF_SHORT_FLAG.get(rawKey.replace(/^-/, ''));
      const hint = long === undefined ? didYouMean(rawKey, JOB_FILE_KEY_NAMES) : ` (did you mean ${long}?)`;
      const asData = recordAsJobFileHint(file, Object.keys(data), spellsJobKey, command, !/[\r\n]/.test(text.trim()));
      throw new ConfigError(`job file ${file}: unknown key '${rawKey}'${hint}${asData}. Known keys: ${JOB_FILE_KEY_NAMES.join(', ')}`);
    }
    // The file as the command line named it, like every other job-file message (was the base name here only).
    const name = `job file ${file}: "${rawKey}"`;
    refuseTwoSpellings(setBy, key as keyof JobSettings, `"${rawKey}"`);
    if (key === 'input') {
      if (typeof value !== 'string' || value === '') throw new ConfigError(`${name} expects a path, got ${show(value)}`);
      refuseHomeTilde(name, value);
      if (value !== STDIN_PATH) refuseRelativeInPipedJobFile(base, name, value);
      settings.input = value === STDIN_PATH ? value : path.resolve(base, value);
      if (value !== STDIN_PATH && path.isAbsolute(value)) ABSOLUTE_INPUT.add(settings);
      continue;
    }
    const spec = OPTION_SPECS.find((s) => s.key === key) as OptionSpec;
    let parsed = spec.parse(name, value);
    // "textField" or "textColumn": the spec found is the first of the two, so the key says which.
    if (key === 'text') settings.textFlag = rawKey === jobFileKey('text-field') ? '--text-field' : '--text-column';
    // '-' stays '-', as on the command line: standard output for "output"; refused for "summaryJson" and "report"
    // (job-paths.ts). Resolved, it was a file named '-' beside the job file.
    const writesFile = key === 'output' || key === 'summaryJson' || key === 'report';
    if ((writesFile || key === 'cache' || key === 'modelDir') && typeof parsed === 'string' && !(writesFile && parsed === STDOUT_PATH)) {
      refuseHomeTilde(name, parsed);
      refuseRelativeInPipedJobFile(base, name, parsed);
      // A trailing slash (-o out/) names a folder, refused as such (paths/folder-target.ts): not dropped here.
      parsed = writesFile ? resolveKeepingSlash(base, parsed) : path.resolve(base, parsed);
    }
    assign(settings, key as keyof JobSettings, parsed);
  }
  return settings;
}

/** Every variable readEnvironment reads: the options' (base URL, account id, Redis) and the token's two. */
const ENVIRONMENT_VARIABLES = [...OPTION_SPECS.flatMap((spec) => (spec.env ? [spec.env] : [])), 'CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_API_TOKEN_FILE'];

/**
 * Environment: credentials, base URL, Redis. CLOUDFLARE_API_TOKEN_FILE reads a secret file (Docker/Kubernetes).
 * `unread`: variables of options the command does not use (estimate shares no rate limit: REDIS_URL), neither read
 * nor refused.
 */
export function readEnvironment(env: NodeJS.ProcessEnv, unread: ReadonlySet<string> = new Set()): Partial_ {
  const settings: Partial_ = {};
  // A variable set to nothing is not set (an env file's `CLOUDFLARE_ACCOUNT_ID=`): two blank credentials were one
  // "set" account id and no token. One set to only spaces is refused: a template that filled in nothing, read as unset,
  // sent the run to the embedded model without a word (a credential), a run meant for a local server to the real
  // service (CLOUDFLARE_BASE_URL), or a job meant to share its rate limit to the full rate alone (REDIS_URL).
  for (const name of ENVIRONMENT_VARIABLES) {
    if (env[name] && !env[name].trim() && !unread.has(name)) {
      throw new ConfigError(`${name} is set to only white space (a template that filled in nothing?): set it to its value, or unset it`);
    }
  }
  const given = (name: string): string | undefined => (env[name]?.trim() ? env[name] : undefined);
  for (const spec of OPTION_SPECS) {
    const value = spec.env && !unread.has(spec.env) ? given(spec.env) : undefined;
    // CLOUDFLARE_BASE_URL is checked once the backend is known (resolveSettings): a stale one beside the embedded model is read by nothing.
    if (value !== undefined) assign(settings, spec.key, spec.key === 'baseUrl' ? value : spec.parse(spec.env as string, value));
  }
  // A Kubernetes secret made --from-file keeps the file's last line break, which the token below is trimmed of: the
  // account id was refused for it. Only a trailing CR/LF: a space or a line break inside is still refused (workers-ai.ts).
  if (settings.accountId !== undefined) settings.accountId = settings.accountId.replace(/[\r\n]+$/, '');
  const tokenFile = given('CLOUDFLARE_API_TOKEN_FILE');
  const token = readSecret({
    env,
    variable: 'CLOUDFLARE_API_TOKEN',
    trim: 'white-space',
    file: tokenFile === undefined ? undefined : { path: tokenFile, name: 'CLOUDFLARE_API_TOKEN_FILE', unreadable: (error) => unreadableTokenFile(tokenFile, error), empty: `CLOUDFLARE_API_TOKEN_FILE ${tokenFile} is empty: write the token in it, bare, on one line` },
    twice: () => 'both CLOUDFLARE_API_TOKEN and CLOUDFLARE_API_TOKEN_FILE are set: unset one of them, so that the token used is the one you mean',
  });
  if (token) {
    settings.apiToken = token.value;
    settings.apiTokenFrom = token.from === 'file' ? 'CLOUDFLARE_API_TOKEN_FILE' : 'CLOUDFLARE_API_TOKEN';
  }
  return settings;
}

/** flags ?? job file ?? environment ?? defaults, then the checks that need the whole picture. */
export function resolveSettings(layers: { flags: Partial_; jobFile?: Partial_; jobFilePath?: string; env: Partial_; input?: string }): JobSettings {
  const merged: Partial_ = { ...DEFAULTS };
  for (const layer of [layers.env, layers.jobFile ?? {}, layers.flags]) {
    for (const [key, value] of Object.entries(layer)) {
      if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
    }
  }
  if (layers.input !== undefined) merged.input = layers.input;
  // --restart and --resume are two sides of one choice: either on the command line overrides the job file's other
  // ("restart": true could not be undone for one run: no flag turns it off, and --resume was refused as a conflict).
  if (layers.flags.resume !== undefined && layers.flags.restart === undefined) merged.restart = DEFAULTS.restart;
  if (layers.flags.restart === true && layers.flags.resume === undefined) merged.resume = DEFAULTS.resume;
  merged.given = givenKeys(layers.flags, layers.jobFile ?? {});
  // The environment's base URL, like REDIS_URL, describes the machine rather than this run: it is refused (exit 2) only
  // where Workers AI would read it, an explicit backend or both credentials under auto (a flag's or a job file's is
  // checked where it is read, whatever the backend). Until 2026-12-05 a malformed one stopped embedded runs too.
  const remote = merged.backend === 'workers-ai' || (merged.backend === 'auto' && Boolean(merged.accountId) && Boolean(merged.apiToken));
  if (remote && merged.baseUrl !== undefined && !merged.given.has('baseUrl')) httpBaseUrl('CLOUDFLARE_BASE_URL', merged.baseUrl);
  if (layers.jobFile && layers.jobFilePath) {
    const fromFlags = givenKeys(layers.flags);
    const keys = new Set([...givenKeys(layers.jobFile)].filter((key) => !fromFlags.has(key)));
    merged.jobFile = { path: layers.jobFilePath, keys, ...(ABSOLUTE_INPUT.has(layers.jobFile) ? { absoluteInput: true as const } : {}) };
  }
  if (!merged.input) {
    // run takes the job file alone: the file is where the input goes.
    if (layers.jobFilePath) throw new ConfigError(`job file ${layers.jobFilePath} names no input: add "input": "PATH" to it (relative to its folder; "-" reads standard input)`);
    throw new ConfigError('no input: give an input file (or - for standard input), or a job file naming one');
  }
  if (!merged.output) {
    const unnamed = unnamedOutput(merged.input, merged.format);
    if (unnamed === undefined) {
      // A job file's "input": "-": its key to add (a -o would serve one run).
      const add = jobFileChange(merged, 'output');
      throw new ConfigError(`reading standard input needs an output: ${add ? `${add('PATH')} ("-" writes the records to standard output)` : 'add -o PATH, or -o - to write the records to standard output'}`);
    }
    merged.output = unnamed;
  }
  if (/\.gz$/i.test(merged.output)) {
    // Resuming truncates the output to a recorded length, which a gzip stream cannot do.
    throw new ConfigError(
      `output ${merged.output}: compressed output is not supported (a checkpointed output must be cut back to a byte length to resume); ` +
        `write ${merged.output.replace(/\.gz$/i, '')} and gzip it afterwards, or use -o - | gzip`,
    );
  }
  checkOutputExtension(merged.input, merged.format, merged.output);
  // Each setting named as it was given: a job file's "report" is no flag anybody typed (config/setting-names.ts).
  const named = (key: keyof JobSettings, flag: string, value?: string | boolean): string => settingName(merged, key, flag, value);
  if (merged.report && merged.output === STDOUT_PATH) {
    // The report is read from the output file after the run; standard output leaves no file to read.
    throw new ConfigError(`${named('report', '--report')} needs an output file; with ${named('output', '-o', '-')} write the records to a file, or run 'sentiment-batch report' on them later`);
  }
  if (merged.resume === 'require' && merged.restart === true) {
    throw new ConfigError(`${named('restart', '--restart', true)} starts the job over and ${named('resume', '--resume', 'require')} forbids starting over: give only one of them`);
  }
  if (merged.resume === 'require' && !keepsCheckpoint(merged as JobSettings)) {
    // Such a run keeps no checkpoint, so "require" could only ever be broken by a silent fresh start.
    const which = merged.input === STDIN_PATH ? 'standard input' : named('output', '-o', '-');
    const require = named('resume', '--resume', 'require');
    throw new ConfigError(`${require} needs a checkpoint, and a run with ${which} keeps none (it always starts from the beginning); drop ${require}, or read a file and write one`);
  }
  // The input's format, by --format or its name: a JSONL job ignores the CSV settings, with a warning (job/ignored-settings.ts).
  const format = knownFormat(merged.input, merged.format);
  if (format !== 'jsonl') {
    const delimiterName = fromJobFile(merged, 'delimiter') ? named('delimiter', '--delimiter', '\\') : "--delimiter '\\'";
    const names = { delimiter: delimiterName, escape: named('escape', '--escape', 'backslash'), quoteNone: merged.quote === 'none', quote: named('quote', '--quote', 'none') };
    refuseBackslashDelimiter(merged.delimiter, merged.escape, names);
  }
  // An input of no known format (standard input without --format, a .txt) has no default delimiter yet: its format's
  // refusal comes, not this one (--format tsv reads tabs, and jsonl ignores --decimal).
  if (merged.decimal === 'comma' && format !== undefined && format !== 'jsonl') {
    // Refused before anything is read or written (why not quoted: io/decimal-mark.ts). The delimiter is the one the
    // run would read with: given, else the format's default (a .csv file's ',').
    const delimiter = merged.delimiter ?? (format === 'tsv' ? '\t' : ',');
    const semicolon = jobFileChange(merged, 'delimiter')?.(';') ?? "give --delimiter ';'";
    const drop = fromJobFile(merged, 'decimal') ? 'remove "decimal" from the job file' : 'drop --decimal comma';
    const defaultOf = merged.delimiter !== undefined ? undefined : merged.format !== undefined ? `the default of ${named('format', '--format', merged.format)}` : "a .csv file's default";
    const clash = decimalCommaClash(delimiter, { decimal: named('decimal', '--decimal', 'comma'), drop, defaultOf, semicolon });
    if (clash !== undefined) throw new ConfigError(clash);
  }
  if (merged.quote === 'none' && merged.escape !== 'backslash' && format !== 'jsonl') {
    // With neither a quote nor an escape character no cell can hold the delimiter or a line break, and the error
    // cells the job writes can (a model's message with a comma): refused before anything is read or written.
    const add = jobFileChange(merged, 'escape')?.('backslash') ?? `${merged.escape === undefined ? 'add' : 'give'} --escape backslash`;
    throw new ConfigError(
      `${named('quote', '--quote', 'none')} needs an escape character, and ${merged.escape === undefined ? 'none is given' : `${named('escape', '--escape', merged.escape)} is no escape character where nothing is quoted`}: ` +
        `${add} (MySQL's INTO OUTFILE and Python's csv QUOTE_NONE escape with a backslash); without one no cell could hold the delimiter or a line break, and the error cells a run writes may`,
    );
  }
  // Input, job file, output (and the files beside it), --report and --summary-json: distinct files, through links too.
  checkJobPaths(merged as JobSettings, layers.jobFilePath);
  // As `report -o` does, after the checks naming the file it would replace (they say more): a name of another format
  // (x.pdf) is refused before any row is scored, not filled with HTML.
  if (merged.report) refuseOtherFormatName(settingWords(merged, 'report', '--report', merged.report), merged.report, undefined);
  return merged as JobSettings;
}

/**
 * The output a run writes when none is named: defaultOutputPath's, beside the input; undefined for standard input,
 * which has no such place (a run of it is refused without one, and estimate, which writes nothing, has no earlier
 * output to look at). estimate asks here too, so its warning of an earlier output looks where the run would write.
 */
export function unnamedOutput(input: string, format?: InputFormat): string | undefined {
  return input === STDIN_PATH ? undefined : defaultOutputPath(input, format);
}

/**
 * reviews.csv → reviews.scored.csv; reviews.jsonl.gz → reviews.scored.jsonl (output is never compressed).
 * With --format the output keeps the input's extension unless it names another format or there is
 * none: then it takes the format's (tabs.csv --format tsv → tabs.scored.tsv, data --format csv →
 * data.scored.csv), which checkOutputExtension accepts. An extension naming no format stays (x.txt → x.scored.txt);
 * a gzip tar's goes (x.tgz --format csv → x.scored.csv).
 */
export function defaultOutputPath(input: string, format?: InputFormat): string {
  const dir = path.dirname(input);
  // A gzip tar's name read under --format (format.ts): the output is plain text, named for its format, not x.scored.tgz.
  const base = path.basename(input).replace(/\.(tar\.gz|tgz)$/i, '').replace(/\.gz$/i, '');
  const ext = path.extname(base);
  const named = formatNamedBy(ext);
  const outputExt = format === undefined || named === format || (ext !== '' && named === undefined) ? ext : `.${format}`;
  return path.join(dir, `${base.slice(0, base.length - ext.length)}.scored${outputExt}`);
}

/** The input's format, by --format or its name; undefined when neither tells it (detectFormat's refusal is due). */
function knownFormat(input: string, format: InputFormat | undefined): InputFormat | undefined {
  try {
    return detectFormat(input, format).format;
  } catch {
    return undefined;
  }
}

function formatNamedBy(ext: string): InputFormat | undefined {
  try {
    return ext === '' ? undefined : detectFormat(ext).format;
  } catch {
    return undefined;
  }
}

/** The settings the flags and the job file set, for the warnings about those the backend ignores (job/ignored-settings.ts). */
function givenKeys(...layers: Partial_[]): ReadonlySet<keyof JobSettings> {
  return new Set(layers.flatMap((layer) => (Object.keys(layer) as (keyof JobSettings)[]).filter((key) => layer[key] !== undefined)));
}

/** --text-column and --text-field (textColumn, textField) set one setting: naming both is a mistake, not an override. */
function refuseTwoSpellings(setBy: Map<keyof JobSettings, string>, key: keyof JobSettings, name: string): void {
  const earlier = setBy.get(key);
  if (earlier !== undefined) throw new ConfigError(`${earlier} and ${name} set the same thing; give only one of them`);
  setBy.set(key, name);
}

function assign(target: Partial_, key: keyof JobSettings, value: unknown): void {
  (target as Record<string, unknown>)[key] = value;
}
