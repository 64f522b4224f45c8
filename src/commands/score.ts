import type { JobSettings } from '../config/options.js';
import { refuseHalfCredentials } from '../config/credentials.js';
import { inputNamedBy, settingName, settingToChange } from '../config/setting-names.js';
import { parseJobFlags, readEnvironment, readJobFile, resolveSettings } from '../config/resolve.js';
import { ConfigError, ExitCode, InputChangedInMendError, InputError, MachineFaultError, OutputKeptError } from '../errors.js';
import { keepsCheckpoint, STDOUT_PATH } from '../io/format.js';
import { StopController } from '../job/stop.js';
import { hurriedSummary, secondSignalLine, secondSignalWords, signalLine } from '../job/signal-line.js';
import { formatSummary, type Summary } from '../job/summary.js';
import { oneLineErrorOf } from '../escaped-error.js';
import { convertedFile, namingUtf16Input } from '../io/utf16-advice.js';
import { refusalOf } from '../machine-fault.js';
import { withUnremovedLocks } from '../wording/unremoved-lock.js';
import { removedOutputFolder } from '../job/removed-output-folder.js';
import { type FailureSummary, afterRunFailure, failureSummary, interruptedBeforeWork, withReportNotWritten, writeFailureSummaryJson, writeFailureSummaryJsonSync, writeSummaryJson } from '../job/summary-file.js';
import { removeUnfinishedWrite } from '../state/atomic-write.js';
import { assertInputReadable, detectInputFormat } from '../io/open-input.js';
import { scoreHelp } from './help.js';
import { faultAdvice, withInputMoved } from './fault-advice.js';
import { failureSummaryTarget } from './failure-summary-target.js';
import { createTargetFolders } from '../paths/target-folders.js';
import { runFiguresOf, summarizedFault } from '../job/run-figures.js';
import { routeLibraryConsole } from '../process/library-console.js';
import { lockFaultBeside } from '../job/lockless-done.js';
import type { AdviceNames } from '../wording/rate-limited.js';
import { askedJsonLogs } from '../config/asked-log-format.js';
import { jobFileWord } from '../config/job-file-word.js';
import { closingLine, markErrorLogged, setJsonLinesAsked } from '../process/error-line.js';
import { withStreamFault } from '../process/standard-streams.js';
import { warningsOf } from '../job/summary-warning.js';
import { withCompletedBy } from '../job/completed-by.js';
import { refuseDiscardedStdout } from '../io/discarded-stdout.js';
import { allExports, spacedInputAdvice } from '../config/spaced-input.js';

export interface CommandIo {
  stdout: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** Installs SIGINT/SIGTERM handlers; returns a function removing them. */
  onSignal(handler: (signal: string) => void, secondLine?: (signal: string) => string): () => void;
  /** While nothing is left to save (the report after a run): a signal exits 130 at once, after these words. */
  onSignalExit?(words: (signal: string) => Promise<void>): () => void;
  /** While a job runs: a second signal exits 130 at once, after these (synchronous) words. */
  onSecondSignal?(words: (signal: string) => void): () => void;
}

/** `score INPUT [flags]` and `run JOB.json [flags]`: resolve the settings, run the job, report. */
export async function scoreCommand(command: 'score' | 'run', argv: string[], io: CommandIo): Promise<number> {
  let settings: JobSettings | undefined;
  // The run's summary, once it has one: a failure after it (the report, the summary file) keeps its figures.
  let finished: Summary | undefined;
  // Once the job's logger exists: writes a summary to the log as a run's end does (--log-format json), for a failure
  // that keeps the run's figures (exit 74 or 3 mid-run), as for a stop by the service (exit 4).
  let logSummary: ((summary: Summary) => void) | undefined;
  // The job file, once the arguments are parsed: its "logFormat" may ask for JSON logs, and so a JSON error line.
  let jobFile: string | undefined;
  try {
    const parsed = parseJobFlags(argv, command);
    if (command === 'run') jobFile = parsed.positionals[0];
    if (parsed.help) {
      io.stdout.write(scoreHelp(command));
      return 0;
    }
    settings = settingsFor(command, parsed.positionals, parsed.flags, io.env);
    // The settings decide, a flag over the job file (the command line guessed from the raw arguments until now).
    setJsonLinesAsked(settings.logFormat === 'json');
    // Half-set credentials are a typo, not a choice of the offline model: exit 2 before any work.
    refuseHalfCredentials(settings);
    // -o - into /dev/null, or a closed standard output: every record would be lost, every request paid (exit 2).
    refuseDiscardedStdout(settings);
    // Before the run (and its cost): what would otherwise fail only after the last row. The report's
    // columns are checked when the job opens its input (job/source.ts), in the sample it reads anyway.
    // A missing or unreadable input is exit 3 before any folder is made for what it would have produced
    // (a job file run on the wrong machine made /data/out on the host); --summary-json's comes first, as
    // every exit leaves a summary.
    await createTargetFolders(settings, ['--summary-json']);
    // An input that could not be read anyway (an .xlsx) is refused for that first (exit 2), as before.
    detectInputFormat(settings.input, settings.format);
    assertInputReadable(settings.input, inputNamedBy(settings));
    await createTargetFolders(settings, ['--report']);
    // Until the job's own handler is in place (loading it takes a while on a loaded machine), a signal exits 130 at
    // once: it still replaces --summary-json, or a scheduler would read the previous run's summary ("done", exit 0).
    const { summaryJson, input } = settings;
    // --report: none is written, said as every other early exit says it (`report: {path, written: false}`).
    const { report } = settings;
    const unwritten = <T extends FailureSummary>(summary: T): T => (report ? withReportNotWritten(summary, report) : summary);
    const removeEarlyWords = summaryJson
      ? io.onSignalExit?.(async (signal) => {
          process.stderr.write(closingLine(`stopped by ${signal} (nothing under way to save)`, ExitCode.Interrupted));
          // Refused (a full disk): the previous run's summary goes rather than be read as this run's.
          await writeFailureSummaryJson(summaryJson, unwritten(interruptedBeforeWork(signal, input)));
        })
      : undefined;
    // The one place the job is told to stop; it also says when the job's output is complete at its path (a mend).
    const stop = new StopController();
    // A second signal exits at once, without the job's summary: --summary-json says so rather than keep the previous run's,
    // and that the output is whole when it is (a mend stopped twice leaves it as it was, as one stopped once does).
    const removeHurriedWords = summaryJson
      ? io.onSecondSignal?.((signal) => {
          const complete = stop.outputComplete ? { outputComplete: true as const } : {};
          if (!finished) writeFailureSummaryJsonSync(summaryJson, unwritten({ ...interruptedBeforeWork(signal, input), message: secondSignalWords(stop, signal), ...complete }));
          // The run's own summary, made and being written when the second signal came: written now, at once, as the
          // process exits 130 (its figures kept). Left to its unfinished write, the file was the previous run's, a
          // `.tmp-PID` beside it (found by the kill soak).
          else writeFailureSummaryJsonSync(summaryJson, hurriedSummary(finished, stop, signal, settings?.output));
        })
      : undefined;
    try {
      return await scoreWith(settings, io, stop, (summary) => (finished = summary), () => removeEarlyWords?.(), (write) => (logSummary = write));
    } finally {
      removeEarlyWords?.();
      removeHurriedWords?.();
    }
  } catch (error) {
    // A failure once the output was complete (a refused mend) is reported as what failed; the summary says the output is whole.
    const kept = error instanceof OutputKeptError;
    const failure: unknown = error instanceof OutputKeptError ? error.cause : error;
    // The job file the parsed arguments name, else (an unknown flag) the raw arguments' guess (job-file-word.ts).
    const jobFileNamed = command === 'run' ? (jobFile ?? jobFileWord(argv)) : undefined;
    // Every exit leaves a fresh --summary-json, where it may (failure-summary-target.ts).
    const target = failureSummaryTarget(command, argv, settings, jobFileNamed, failure);
    // A machine fault (or a removed working folder) is reported as the CLI will report it (its one line and exit code), not as a bug,
    // with advice on what the next run does (fault-advice.ts).
    // Once the output is complete (a mend stopped by a full disk), the next run re-scores just its failed rows: no pass to continue.
    const outputComplete = kept || runFiguresOf(failure)?.outputComplete === true;
    const advice = settings && faultAdvice(settings, failure, outputComplete);
    // A fault worded where it happened, before its state was known (a checkpoint's read refused): worded again here.
    // A UTF-16 input: the conversion named is of the user's own file (io/utf16-advice.ts).
    const refusal = namingUtf16Input(refusalOf(failure), settings && convertedFile(settings.input, settings.format));
    const worded = oneLineErrorOf(refusal, advice && (await withInputMoved(advice, settings, refusal))) ?? refusal;
    // The output's folder removed meanwhile: its line, whichever step met the removal first (job/removed-output-folder.ts).
    // A dead lock of another user's this run moved aside and could not remove: named after a refusal of access (operator31).
    const reported = withUnremovedLocks((settings && settings.output !== STDOUT_PATH && removedOutputFolder(settings.output, worded, settings.input)) || worded);
    // A machine fault mid-run (a disk that filled up) keeps the figures the run had reached, as a stop by the service
    // (exit 4) does: the requests paid that night are in the summary, and on the terminal above the fault's line. So
    // does an input the reader found unreadable only once rows were scored (a bad byte or a cut gzip past the rows a
    // --limit or resumed run, or the embedded model's, scored before it: no read-through came first), exit 3.
    const figures = !finished && (reported instanceof MachineFaultError || reported instanceof InputError) ? runFiguresOf(failure) : undefined;
    // Without a message: the fault's one line follows on standard error (the command line writes it).
    // A mend refused as the input changed: its last line names what the refusal's line does (in.csv.gz, once gzipped in place).
    const mendAgain = failure instanceof InputChangedInMendError ? failure.again : undefined;
    if (figures && settings) summaryStream(settings, io)?.write(formatSummary(figures, adviceNames(settings), settings.output, mendAgain));
    const ran = finished ?? figures;
    const failedRun = ran && afterRunFailure(ran, reported);
    // The output's lock refused before an earlier error ended the run: said beside it, as in the log (job/lockless-done.ts).
    const lockFault = lockFaultBeside(failure);
    const failedBase = failedRun ?? { ...failureSummary(reported, settings?.input), ...(kept ? { outputComplete: true as const } : {}), ...(lockFault ? { warning: lockFault } : {}) };
    // --report: a failed run wrote none, and its summary says so, as a run not done does (a fault writing it said so already).
    const failed = settings?.report && failedBase.report === undefined ? withReportNotWritten(failedBase, settings.report) : failedBase;
    // For a log collector (--log-format json): the run's summary was not logged, as it is when the run returns one.
    if (figures && failedRun) logSummary?.(failedRun);
    // Refused too (--report and --summary-json on one full disk): the fault's line names both files, or the next run's
    // exit 74 named the summary as news.
    const summaryRefused = target !== undefined && !(await writeFailureSummaryJson(target, failed)) && reported instanceof MachineFaultError && !reported.message.includes(target);
    // The line the error ends the command with (process/error-line.ts), whatever its exit code: JSON when JSON logs were
    // asked for, also when the arguments or the job file could not be read as settings; none when the run logged it at error.
    const json = askedJsonLogs(argv, { settings, jobFile: jobFileNamed });
    setJsonLinesAsked(json);
    if (json && figures && failedRun && logSummary) markErrorLogged();
    if (summaryRefused) throw new MachineFaultError(reported.errno, `${reported.message}; ${settings ? settingName(settings, 'summaryJson', '--summary-json') : '--summary-json'} ${target} was not written either`, { cause: reported });
    throw reported;
  }
}

/**
 * The run and the report after it under one record bound (io/record-bound.ts): its records judged under its own
 * memory limit (or its job's, on a resume), whatever another run in this process judged under.
 */
async function scoreWith(...args: Parameters<typeof scoreUnderBound>): Promise<number> {
  const { withRunRecordBound } = await import('../io/record-bound.js');
  return await withRunRecordBound(() => scoreUnderBound(...args));
}

async function scoreUnderBound(
  settings: JobSettings,
  io: CommandIo,
  stop: StopController,
  onFinished: (summary: Summary) => void,
  onHandling: () => void,
  onLogger: (logSummary: (summary: Summary) => void) => void,
): Promise<number> {
  // Loaded once the settings are good: --help and a usage error need neither the job nor pino.
  const [{ createLogger, resolveLogFormat }, { runJob }] = await Promise.all([import('../log.js'), import('../job/run.js')]);
  const logFormat = resolveLogFormat(settings.logFormat);
  const log = createLogger(settings.logLevel, 2, logFormat);
  const restoreConsole = routeLibraryConsole(log);
  // Once for a person, once for a log collector: never both on one terminal.
  const logSummary = (summary: Summary): void => {
    if (logFormat !== 'json') return;
    log.info({ summary }, 'summary');
    // A log collector alerts on levels: the summary's warning gets a warn line of its own, and so does a run that ended
    // failed (an error line: exit 4, 5 or a fault) or paused (exit 75, "try later"), whose summary alone is at info.
    for (const warning of warningsOf(summary)) log.warn(warning);
    if (summary.message && summary.status === 'failed') log.error(summary.message);
    if (summary.message && summary.status === 'paused') log.warn(summary.message);
  };
  onLogger(logSummary);
  // A fault writing it names the setting as given: a job file's "summaryJson" is no flag anybody typed.
  const writeRunSummary = async (said: Summary): Promise<void> => {
    if (settings.summaryJson) await writeSummaryJson(settings.summaryJson, await withStreamFault(said), settingName(settings, 'summaryJson', '--summary-json'));
  };
  const removeHandlers = io.onSignal((signal) => {
    log.warn({ signal }, signalLine(stop, keepsCheckpoint(settings), keepsCheckpoint(settings) ? settings.output : undefined));
    stop.request({ kind: 'interrupt', signal });
  }, (signal) => secondSignalLine(stop, signal));
  // From here a signal stops the job, which writes its own summary.
  onHandling();
  try {
    // An "already done" rerun keeps the figures of the run that completed the output (completed-by.ts).
    const summary = await withCompletedBy(await runJob(settings, { log, stop }), settings.summaryJson);
    // A machine fault the run summarized (the answer journal refused by a full disk): thrown, to be reported as every
    // other is, its line on standard error below the figures (scoreCommand), not at the end of the summary alone.
    const fault = summarizedFault(summary, stop);
    if (fault) throw fault;
    // Never with -o - (refused with the settings): the report reads the output file.
    const report = settings.report && summary.exitCode === 0 ? settings.report : undefined;
    onFinished(report ? withReportNotWritten(summary, report) : summary);
    summaryStream(settings, io)?.write(formatSummary(summary, adviceNames(settings), settings.output));
    logSummary(summary);
    if (!report) {
      // --report on a run that did not end done (paused, failed over the limits): no report, and the summary says so, as
      // a stop after the output does; it said nothing, and last night's page at that path passed for tonight's.
      const said = settings.report ? withReportNotWritten(summary, settings.report) : summary;
      await writeRunSummary(said);
      return summary.exitCode;
    }
    // A signal that came as the run ended (it had nothing left to stop): no report, exit 130 as for any stop.
    const late = stop.reason?.kind === 'interrupt' ? stop.reason.signal : undefined;
    if (late) return await stopBeforeReport(settings, summary, report, late);
    // The report has nothing to save: from here a signal exits 130 at once, as the `report` command does.
    const removeExit = io.onSignalExit?.(async (signal) => {
      await removeUnfinishedWrite(report);
      await stopBeforeReport(settings, summary, report, signal);
    });
    removeHandlers();
    try {
      const { reportAfterRun } = await import('../report/after-run.js');
      const line = await reportAfterRun(settings, summary);
      await writeRunSummary({ ...summary, report: { path: report, written: true } });
      io.stdout.write(line);
    } finally {
      removeExit?.();
    }
    return summary.exitCode;
  } finally {
    removeHandlers();
    restoreConsole();
    log.flush?.();
  }
}

/** Says, and records in --summary-json, that the output is complete and the report was not written; exit 130. */
async function stopBeforeReport(settings: JobSettings, summary: Summary, report: string, signal: string): Promise<number> {
  const { reportStopped, reportStoppedMessage } = await import('../report/after-run.js');
  process.stderr.write(closingLine(reportStoppedMessage(summary, report, signal, settings.output), ExitCode.Interrupted));
  // Refused (a full disk): the previous run's summary goes rather than be read as this run's (last night's "done").
  if (settings.summaryJson) await writeFailureSummaryJson(settings.summaryJson, reportStopped(summary, report, signal, settings.output));
  return ExitCode.Interrupted;
}

/**
 * Where the summary for a person goes: standard output, or standard error when standard output carries the records
 * (-o -). Nowhere with -o - and JSON logs asked for by name: standard error is then the log's, read by a collector that
 * parses every line as JSON, and the log holds the summary already (its "summary" line); `auto` keeps the block.
 */
function summaryStream(settings: JobSettings, io: CommandIo): NodeJS.WritableStream | undefined {
  if (settings.output !== STDOUT_PATH) return io.stdout;
  return settings.logFormat === 'json' ? undefined : process.stderr;
}

/** What estimate reads differently: the variables it does not read (readEnvironment's `unread`), and its job file's refusals. */
export interface EstimateReading {
  unreadEnv: ReadonlySet<string>;
}

/** `estimate` reads its input as `score` does (a job file as `run` does), and names itself in what it refuses. */
export function settingsFor(command: 'score' | 'run' | 'estimate', positionals: string[], flags: Partial<JobSettings>, env: NodeJS.ProcessEnv, estimate?: EstimateReading): JobSettings {
  const unreadEnv = estimate?.unreadEnv;
  if (positionals.length > 1) {
    const listed = `${command} takes one ${command === 'run' ? 'job file' : 'input'}, got ${positionals.length}: ${positionals.join(' ')}`;
    // Exports a glob named (exports/*.csv): a command per file. Anything else is likely a value whose flag was left out.
    // BigQuery's sharded JSON Lines are .json, Excel's tab-separated text .txt: exports too, each read with --format.
    const exports = command !== 'run' && allExports(positionals);
    throw new ConfigError(exports ? `${listed}; give one file per command (for f in ${positionals.join(' ')}; do sentiment-batch ${command} "$f" ...; done)` : `${listed}${spacedInputAdvice(command, positionals)}`);
  }
  const [first] = positionals;
  if (command === 'run') {
    if (!first) throw new ConfigError('run needs a job file: sentiment-batch run jobs/nightly-reviews.json');
    // The environment first: a job file's refusal quotes the value given, and the token read there is kept out of it
    // (process/known-secret.ts), pasted into the file as another setting's value.
    const environment = readEnvironment(env, unreadEnv);
    return resolveSettings({ flags, jobFile: readJobFile(first, estimate ? 'estimate' : 'run'), jobFilePath: first, env: environment });
  }
  if (!first) throw new ConfigError(`${command} needs an input file: sentiment-batch ${command} reviews.csv --text-column review`);
  return resolveSettings({ flags, env: readEnvironment(env, unreadEnv), input: first });
}


/** The settings the summary's advice says to change, as the user gave them (a job file's keys: a flag would change one run). */
function adviceNames(settings: JobSettings): AdviceNames {
  return { rpm: settingToChange(settings, 'rpm', '--rpm'), redis: settingToChange(settings, 'redis', '--redis') };
}
