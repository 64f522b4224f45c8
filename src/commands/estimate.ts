import { convertedFile, namingUtf16Input } from '../io/utf16-advice.js';
import { DEFAULT_BASE_URL, OPTION_SPECS, type JobSettings } from '../config/options.js';
import { parseJobFlags, unnamedOutput } from '../config/resolve.js';
import { gzipExportAsJobFile } from '../config/export-as-job-file.js';
import { ConfigError } from '../errors.js';
import { STDIN_PATH, STDOUT_PATH } from '../io/format.js';
import { refuseDiscardedEstimate } from '../io/discarded-stdout.js';
import { assertInputReadable, refuseNonFileInput } from '../io/open-input.js';
import { inputNamedBy } from '../config/setting-names.js';
import { askedJsonLogs } from '../config/asked-log-format.js';
import { jobFileWord } from '../config/job-file-word.js';
import { setJsonLinesAsked } from '../process/error-line.js';
import { chooseBackend } from '../job/backend.js';
import { estimateJob, formatEstimate } from '../job/estimate.js';
import { earlierOutputNote } from '../job/earlier-output-note.js';
import { tempCopyAdvice, withTempStdinCopy } from '../job/stdin.js';
import { scoreHelp } from './help.js';
import { settingsFor, type CommandIo } from './score.js';

/**
 * The options that change what estimate counts (the rest only shape a run,
 * which estimate does not make), each with its own help where score's would
 * speak of an output or a checkpoint, which estimate has neither of.
 */
const ESTIMATE_OPTIONS = new Map<string, string | undefined>([
  ['format', undefined],
  ['delimiter', undefined],
  ['escape', undefined],
  ['quote', undefined],
  ['text-column', undefined],
  ['text-field', undefined],
  ['allow-numeric-text', undefined],
  ['language-check', undefined],
  ['backend', 'auto | workers-ai | embedded | local: the backend to estimate for (default auto: Workers AI when both credentials are set, as score decides)'],
  ['model', undefined],
  // The result cache keeps Workers AI's answers by the address that gave them, so which are cached depends on it.
  ['base-url', `the Workers AI-compatible API base the run would use: the cached texts counted are its answers (default ${DEFAULT_BASE_URL})`],
  ['model-dir', '--backend local: the model folder the estimate names, as score would use it (default: SENTIMENT_BATCH_MODEL_DIR, else what \'model pull\' fetched into the Hub cache)'],
  ['account-id', undefined],
  ['rpm', 'requests per minute the time figure assumes (default 2000)'],
  ['long-text', undefined],
  ['limit', 'count only the first N records, as score --limit N would score only those (default: all)'],
  ['cache', 'result cache directory: texts it already holds are counted as cached, not as sent (default: none)'],
  ['cache-max-age-days', 'cache entries older than this are counted as not cached (default 90)'],
]);
const ESTIMATE_SPECS = OPTION_SPECS.filter((spec) => ESTIMATE_OPTIONS.has(spec.flag)).map((spec) => ({ ...spec, help: ESTIMATE_OPTIONS.get(spec.flag) ?? spec.help }));
/** The variables of options estimate does not use (REDIS_URL: it sends nothing, so shares no rate limit): neither read nor refused. */
const UNREAD_ENV: ReadonlySet<string> = new Set(OPTION_SPECS.flatMap((spec) => (spec.env !== undefined && !ESTIMATE_OPTIONS.has(spec.flag) ? [spec.env] : [])));
const JSON_FLAG = { flag: 'json', boolean: true, help: 'print the figures as JSON' };

/** What estimate says to a pipe or a device given as its input: it reads standard input, as score does, under its own name. */
const ESTIMATE_PIPE_ADVICE = "pipe it in as standard input instead ('... | sentiment-batch estimate - --format csv')";

/** `estimate INPUT [flags] [--json]`: what the run would send and cost, without sending anything. */
export async function estimateCommand(argv: string[], io: CommandIo): Promise<number> {
  let settings: JobSettings | undefined;
  try {
    return await estimateWith(argv, io, (resolved) => (settings = resolved));
  } catch (error) {
    // The line the error ends with is JSON when the job file's "logFormat" asks for it, as run's is (process/error-line.ts),
    // also when the job file itself was refused; not for `--log-format`, an option estimate refuses. "logLevel" does not
    // silence it, as it does not run's: it is the one line that says why the command stopped.
    setJsonLinesAsked(askedJsonLogs([], { settings, jobFile: estimatedJobFile(argv) }));
    throw error;
  }
}

async function estimateWith(argv: string[], io: CommandIo, onSettings: (settings: JobSettings) => void): Promise<number> {
  // report's way to ask for JSON (estimate's is --json), said before --format's own check of its values.
  if (argv.some((arg, at) => arg === '--format=json' || (arg === '--format' && argv[at + 1] === 'json'))) {
    throw new ConfigError("--format json: estimate's --format is the input's, csv, tsv or jsonl; it prints its figures as JSON with --json");
  }
  // Parsed against every option so that a score-only one gets its own message, not "unknown".
  const parsed = parseJobFlags(argv, 'estimate', OPTION_SPECS, [JSON_FLAG]);
  if (parsed.help) {
    io.stdout.write(scoreHelp('estimate', ESTIMATE_SPECS, [JSON_FLAG]));
    return 0;
  }
  const refused = OPTION_SPECS.filter((spec) => !ESTIMATE_OPTIONS.has(spec.flag) && parsed.flags[spec.key] !== undefined);
  if (refused.length > 0) {
    const names = [...new Set(refused.map((spec) => `--${spec.flag}`))].join(', ');
    throw new ConfigError(`${names}: ${refused.length > 1 ? 'options' : 'an option'} of score that estimate does not use (it reads the input and sends nothing); see sentiment-batch estimate --help`);
  }
  // A job file, as `run` takes it (a nightly job's settings): a name ending in .json, which no input format has, unless
  // --format says it is the input. Its output is resolved as run resolves it, and not written.
  const jobFile = parsed.positionals.length === 1 && /\.json$/i.test(parsed.positionals[0]!) && parsed.flags.format === undefined;
  // Its gzip twin (BigQuery's .json.gz) is an export, never a job file: estimate's own advice, as the .json gets.
  if (parsed.positionals.length === 1 && /\.json\.gz$/i.test(parsed.positionals[0]!) && parsed.flags.format === undefined) {
    throw gzipExportAsJobFile(parsed.positionals[0]!, 'estimate');
  }
  // No output is written, so none is needed, not even for standard input: '-' names no file to check.
  const settings: JobSettings = jobFile
    ? settingsFor('run', parsed.positionals, parsed.flags, io.env, { unreadEnv: UNREAD_ENV })
    : settingsFor('estimate', parsed.positionals, { ...parsed.flags, output: STDOUT_PATH }, io.env, { unreadEnv: UNREAD_ENV });
  onSettings(settings);
  // Before the readers shared with score, which would give score's advice (`score - ... -o OUT`).
  refuseNonFileInput(settings.input, ESTIMATE_PIPE_ADVICE);
  // A job file's input not there: the line names its "input" key, as run's does (a typed path is left to the reader).
  if (jobFile) assertInputReadable(settings.input, inputNamedBy(settings));
  if (io.stdout === process.stdout) refuseDiscardedEstimate();
  // It sends nothing: Workers AI asked for without credentials is priced, saying that score refuses (job/backend.ts).
  const choice = chooseBackend(settings, { sendsNothing: true });
  // Warnings are warn lines, as score's are on an exit 0, at a job file's "logLevel" and "logFormat": estimate goes on, and exits 0. They are
  // said once the input is read (before the line of an error that stops it), so an estimate without any loads no logger.
  const warnings: string[] = [];
  const estimate = await withInputFile(settings, async (inputPath) => {
    const counted = await estimateJob(settings, inputPath, choice, (line) => warnings.push(line));
    // The output the same command's run writes (a job file's, else the default): an earlier Workers AI job's answers
    // there are reused by that run, which the count does not foresee (job/earlier-output-note.ts).
    const output = jobFile ? settings.output : unnamedOutput(settings.input, settings.format);
    if (choice.backend === 'workers-ai' && counted.requests > 0 && output !== undefined && output !== STDOUT_PATH) {
      const earlier = await earlierOutputNote(settings.input, output, counted.model);
      if (earlier !== undefined) {
        warnings.push(earlier.note);
        return { ...counted, earlierOutput: earlier.output };
      }
    }
    return counted;
  })
    .catch((error: unknown) => {
      // A UTF-16 input: the conversion named is of the user's own file, not of in.csv (io/utf16-advice.ts).
      throw namingUtf16Input(error, convertedFile(settings.input, settings.format));
    })
    .finally(() => sayWarnings(warnings, settings));
  io.stdout.write(parsed.switches.has('json') ? `${JSON.stringify(estimate, null, 2)}\n` : formatEstimate(estimate));
  return 0;
}

/**
 * The warnings estimateJob gave, each a warn line at the level and in the format score's would be (a job file's
 * "logLevel" and "logFormat"; else info, readable on a terminal, JSON elsewhere).
 */
async function sayWarnings(warnings: string[], settings: JobSettings): Promise<void> {
  if (warnings.length === 0) return;
  const { createLogger, resolveLogFormat } = await import('../log.js');
  const log = createLogger(settings.logLevel, 2, resolveLogFormat(settings.logFormat));
  for (const line of warnings) log.warn(line);
}

/** The job file estimate reads (a lone .json, unless --format says it is the input), from the raw arguments, which may not parse (an unknown flag). */
function estimatedJobFile(argv: readonly string[]): string | undefined {
  return argv.some((arg) => arg === '--format' || arg.startsWith('--format=')) ? undefined : jobFileWord(argv);
}

/** Standard input is read into a temporary file first, as score does; it is removed afterwards. */
async function withInputFile<T>(settings: JobSettings, use: (inputPath: string) => Promise<T>): Promise<T> {
  // As typed: a message names the input as score and report do (estimateJob opens it relative to the working folder).
  if (settings.input !== STDIN_PATH) return use(settings.input);
  return withTempStdinCopy('sentiment-batch-estimate-', TEMP_COPY_ADVICE, use);
}

/** The copy of standard input is the one file estimate writes (the default line named -o, an option estimate refuses). */
const TEMP_COPY_ADVICE = tempCopyAdvice('estimate then writes nothing');
