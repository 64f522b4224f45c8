import path from 'node:path';
import type { JobSettings } from '../config/options.js';
import { ConfigError, PathClashError } from '../errors.js';
import { STDIN_PATH, STDOUT_PATH, stdinToFile } from '../io/format.js';
import { journalPathFor } from '../journal/answer-journal.js';
import { failedRowsPathFor } from '../mend/failed-rows.js';
import { keptAnswersPathFor } from '../job/kept-answers-path.js';
import { checkpointPathFor } from '../state/checkpoint.js';
import { lockPathFor } from '../state/output-lock.js';
import { flagWords, fromJobFile, settingToChange, settingWords, type SettingWords } from '../config/setting-names.js';
import { refuseBlockedFolder } from './folder-blocker.js';
import { refuseLongNames } from './name-length.js';
import { namedFolder } from './folder-target.js';
import { refuseNonRegularTarget } from './regular-target.js';
import { fileIdentity, sameFile, statOrUndefined, type FileIdentity } from './same-file.js';
import { refuseReplacingNonOutput, type OutputWords } from './output-target.js';
import { refuseReplacingNonReport } from './report-replace.js';
import { refuseReplacingData } from './summary-target.js';

/** One path a job reads or writes, with the flag that named it. */
interface JobPath {
  /** 'the input', '-o', '--report', '--summary-json': what the user typed to name it. */
  flag: string;
  /** The path as given. */
  given: string;
  /** How messages name it: the flag, or the job file's key when the job file gave it (config/setting-names.ts). */
  named: SettingWords;
  /** For a file the job keeps beside the output: what it is ('the partial output') and its path. */
  side?: { role: string; file: string };
  /** Paths named by one flag (the output and its side files) are distinct by construction. */
  group: number;
  /** Read, never written (the input, the job file): only a written path can clash with it. */
  readOnly?: boolean;
  identity: FileIdentity;
}

/**
 * Refuses, before anything is read or written, a job whose input, job file,
 * output (with the files kept beside it), --report and --summary-json are not
 * all distinct files, compared through symlinks and hard links; a written path
 * inside the --cache folder (its LMDB files would be replaced); and a written
 * path that is an existing folder (found otherwise only when the finished output
 * is renamed), is a device, a named pipe or a socket (or a link to one), lies
 * under a file or a symbolic link to nothing, or is '-' where only -o means standard output.
 */
export function checkJobPaths(settings: JobSettings, jobFile?: string): void {
  const paths = jobPaths(settings, jobFile);
  paths.forEach((writer, at) => {
    if (writer.readOnly) return;
    for (const other of paths.slice(0, at)) {
      if (other.group === writer.group || !sameFile(writer.identity, other.identity)) continue;
      const throughLink = fileOf(writer) === fileOf(other) ? '' : ' (the same file through a link)';
      throw new PathClashError(`${describe(writer, 'head')} would overwrite ${describe(other, 'inline')}${throughLink}; choose another ${writer.named.setting}`, [writer.flag, other.flag]);
    }
  });
  if (settings.cache) {
    const folder = fromJobFile(settings, 'cache') ? `the folder ${settingWords(settings, 'cache', '--cache', settings.cache).inline}` : `the --cache folder ${settings.cache}`;
    refuseWritesInto(paths, settings.cache, `${folder}, whose files are the result cache's`, '--cache');
  }
  // The lock folder is removed when the run ends, with anything written into it.
  if (settings.output !== STDOUT_PATH) {
    const lock = lockPathFor(path.resolve(settings.output));
    refuseWritesInto(paths.filter((named) => named.flag !== '-o'), lock, `the lock folder ${lock} of ${settingWords(settings, 'output', '-o', settings.output).inline}, removed when the run ends`, '-o');
    // So is the answer store (its LMDB files, removed with it when the job completes).
    const store = keptAnswersPathFor(path.resolve(settings.output));
    refuseWritesInto(paths.filter((named) => named.flag !== '-o'), store, `the answer store ${store} of ${settingWords(settings, 'output', '-o', settings.output).inline}, removed when the job completes`, '-o');
  }
  for (const named of paths) {
    // '-' would be a file literally named '-'; -o - is the only flag meaning standard output.
    if ((named.flag === '--report' || named.flag === '--summary-json') && named.given === STDOUT_PATH) {
      const instead = named.flag === '--report' ? "or run 'sentiment-batch report OUTPUT -o -' after the run" : 'the summary is printed at the end already';
      throw new ConfigError(`${named.named.head} is not supported: give the path of a file (${instead})`);
    }
    if (named.readOnly || named.side) continue;
    // The default -o, beside an input under a file or a link to nothing: the input is not there either, and its own line
    // says so (exit 3), not '-o …: … is a file, not a folder; choose another -o' (exit 2), a flag nobody gave.
    if (named.flag === '-o' && settings.given?.has('output') !== true && statOrUndefined(path.resolve(settings.input)) === undefined) continue;
    const folder = namedFolder(named.given);
    if (folder) throw new ConfigError(`${named.named.head} ${folder}: give the path of a file (in it or elsewhere)`);
    // A device, a pipe, a socket (or a link to one): the rename that writes the file would replace it.
    refuseNonRegularTarget(named.named, named.given, named.flag === '-o');
    refuseLongNames(writtenNames(settings, named), ...longNameWords(settings, named));
    // A file or a symbolic link to nothing where its folder should be: exit 2, as for every path flag.
    refuseBlockedFolder(path.dirname(path.resolve(named.given)), named.named);
    // Someone's data (an export, notes) at the summary's path: replaced whole with JSON, exit 0.
    if (named.flag === '--summary-json') refuseReplacingData(named.named, named.given);
    // Someone's file at the output's or the report's path (a backup, another export, a page): replaced whole, exit 0.
    if (named.flag === '-o') refuseReplacingNonOutput(named.given, outputWords(settings, named), settings.delimiter);
    if (named.flag === '--report') refuseReplacingNonReport(named.named, named.given, `choose another ${named.named.setting}`);
  }
}

/** The output as the refusal of a file at its path names it: as given, or the default output, which no flag named. */
function outputWords(settings: JobSettings, output: JobPath): OutputWords {
  if (settings.given?.has('output') === true) return { head: output.named.head, instead: `choose another ${output.named.setting}` };
  return { head: `the default output ${output.given}`, instead: `name another output with ${settingToChange(settings, 'output', '-o')}` };
}

/** The files a path's writes name (the output's with those beside it, and the failed-rows list's next version). */
function writtenNames(settings: JobSettings, named: JobPath): Array<{ file: string; lock?: boolean }> {
  if (named.flag !== '-o') return [{ file: named.given }];
  const output = path.resolve(named.given);
  const sides = outputSideFiles(output, settings.input === STDIN_PATH).map(({ file }) => (file === lockPathFor(output) ? { file, lock: true } : { file }));
  return [{ file: output }, ...sides, { file: `${failedRowsPathFor(output)}.next` }];
}

function longNameWords(settings: JobSettings, named: JobPath): [string, string] {
  if (named.flag !== '-o') return [named.named.head, `choose a shorter ${named.named.setting}`];
  const { head } = outputWords(settings, named);
  return [head, settings.given?.has('output') === true ? `choose a shorter ${named.named.setting}` : `name a shorter output with ${settingToChange(settings, 'output', '-o')}`];
}

/**
 * A folder that is not the user's to write in: the --cache folder is the
 * cache's (data.mdb, lock.mdb, and whatever LMDB keeps there; a job file
 * written into it would destroy the cache, whether or not this run's backend
 * uses it), and the output's lock folder goes when the run ends. The folder
 * itself is refused too (-o c).
 */
function refuseWritesInto(paths: JobPath[], folderPath: string, what: string, ownerFlag: string): void {
  const folder = fileIdentity(folderPath).real;
  for (const writer of paths) {
    if (writer.readOnly) continue;
    const inside = path.relative(folder, writer.identity.real);
    if (inside.split(path.sep)[0] === '..' || path.isAbsolute(inside)) continue;
    throw new PathClashError(`${describe(writer, 'head')} lies in ${what}; choose another ${writer.named.setting}`, [writer.flag, ownerFlag]);
  }
}

function jobPaths(settings: JobSettings, jobFile: string | undefined): JobPath[] {
  const paths: JobPath[] = [];
  const add = (flag: string, given: string, group: number, key?: keyof JobSettings, side?: JobPath['side']): void => {
    const readOnly = flag === 'the input' || flag === 'the job file';
    const named = key === undefined ? flagWords(flag, given) : settingWords(settings, key, flag, given);
    paths.push({ flag, given, named, group, ...(side ? { side } : {}), ...(readOnly ? { readOnly } : {}), identity: fileIdentity(side?.file ?? given) });
  };
  if (jobFile !== undefined) add('the job file', jobFile, 4);
  if (settings.input !== STDIN_PATH) add('the input', settings.input, 0);
  if (settings.output !== STDOUT_PATH) {
    add('-o', settings.output, 1, 'output');
    for (const side of outputSideFiles(settings.output, stdinToFile(settings))) add('-o', settings.output, 1, 'output', side);
  }
  if (settings.report) add('--report', settings.report, 2, 'report');
  if (settings.summaryJson) add('--summary-json', settings.summaryJson, 3, 'summaryJson');
  return paths;
}

/** What a run keeps beside its output (see run.ts, src/state, src/journal, src/mend). */
export function outputSideFiles(outputPath: string, fromStdin = false): Array<{ role: string; file: string }> {
  const output = path.resolve(outputPath);
  return [
    { role: 'the partial output', file: `${output}.partial` },
    { role: 'the checkpoint', file: checkpointPathFor(output) },
    { role: 'the answer journal', file: journalPathFor(output) },
    { role: 'the lock', file: lockPathFor(output) },
    { role: 'the failed-rows list', file: failedRowsPathFor(output) },
    // A folder (LMDB) while a job that started over holds an unfinished one's answers (job/kept-answers.ts).
    { role: 'the answer store', file: keptAnswersPathFor(output) },
    // Standard input is copied beside the output before it is scored.
    ...(fromStdin ? [{ role: 'the copy of standard input', file: `${output}.stdin` }] : []),
  ];
}

function fileOf(named: JobPath): string {
  return path.resolve(named.side?.file ?? named.given);
}

/** A path as a message names it: at the head of the line, or within it (another path's head names the job file). */
function describe(named: JobPath, at: 'head' | 'inline'): string {
  if (named.side) return `${named.side.role} ${named.side.file} of ${named.named.inline}`;
  return named.named[at];
}
