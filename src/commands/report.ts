import { parseReportArgs, reportHelp } from '../config/report-options.js';
import { writeReport } from '../report/index.js';
import { count, percent } from '../report/html-text.js';
import type { Figures } from '../report/figures.js';
import { unreadColumnLines } from '../report/unread-columns.js';
import { unreadAnswerLines } from '../report/unread-answers.js';
import { copyOfSentence } from '../report/copy-words.js';
import { autoLogger, type Logger } from '../log.js';
import type { CommandIo } from './score.js';
import { STDOUT_PATH } from '../io/format.js';
import { createFolder } from '../paths/create-folder.js';
import { statOrUndefined } from '../paths/same-file.js';
import { flagWords } from '../config/setting-names.js';
import path from 'node:path';
import { removeUnfinishedWrite } from '../state/atomic-write.js';
import { oneLine } from '../wording/one-line.js';

/** `report SCORED_FILE [flags]`: writes the report and says where, with the headline figure. */
export async function reportCommand(argv: string[], io: CommandIo): Promise<number> {
  const parsed = parseReportArgs(argv);
  if (parsed.help) {
    io.stdout.write(reportHelp());
    return 0;
  }
  const { output } = parsed.request;
  // As score does for -o and --report: a missing folder is made, a file or a link to nothing in the way is exit 2. Not
  // for a scored file that is not there (a typo): its own line says so (exit 3), and no folder is made for a report
  // of nothing (`report typo/out.scored.csv` made typo/, or said '-o …: … is a file, not a folder; choose another -o').
  if (output !== STDOUT_PATH && statOrUndefined(path.resolve(parsed.request.input)) !== undefined) await createFolder(path.dirname(path.resolve(output)), flagWords('-o', output));
  // A signal exits 130 at once (nothing to save); one landing mid-write removes the temp file the page was going to.
  const removeExit =
    output === STDOUT_PATH
      ? undefined
      : io.onSignalExit?.(async (signal) => {
          process.stderr.write(`sentiment-batch: stopped by ${signal}; ${oneLine(output)} was not written\n`);
          await removeUnfinishedWrite(output);
        });
  // Warnings are warn lines, as score's are on an exit 0 (log.ts: autoLogger), said while the file is read and after it.
  // Made at its first line, not before: most reports have none, and the logger's pino is ~25 ms of CPU a start (log.ts).
  let log: Logger | undefined;
  const logger = (): Logger => (log ??= autoLogger());
  const warn = (line: string): void => logger().warn(line);
  const figures = await writeReport({ ...parsed.request, warn }).finally(() => removeExit?.());
  // With -o - standard output carries the report itself: the line saying what was written goes to standard error.
  (parsed.request.output === STDOUT_PATH ? process.stderr : io.stdout).write(reportSummary(parsed.request.output === STDOUT_PATH ? 'standard output' : parsed.request.output, figures.totals));
  // Standard output is the command's result (the Report: line, or the page): what is wrong with the file goes where
  // the warnings said while it was read went, so a script that keeps standard output gets no warning in it.
  // What the file stands for (an unfinished output, a gzip copy) is no warning: an info line, as score's are.
  const standsFor = copyOfSentence(figures);
  if (standsFor !== undefined) logger().info(standsFor);
  reportWarnings(figures, standsFor).forEach(warn);
  return 0;
}

/** What the figures warn of, one sentence each: dates or ratings not read, answers not as score writes them, an id column; not `standsFor`, said above. */
function reportWarnings(figures: Figures, standsFor: string | undefined): string[] {
  const lines = unreadColumnLines(figures, { date: '--date', rating: '--rating' }) + unreadAnswerLines(figures);
  const sentences = lines.split('\n').map((line) => line.trim()).filter((line) => line !== '' && line !== standsFor);
  return figures.groups?.idHint === undefined ? sentences : [...sentences, figures.groups.idHint];
}

/** What `report` prints: where the report went, and its counts with thousands separators as `score`'s summary has them. */
export function reportSummary(where: string, t: Figures['totals']): string {
  return `Report: ${oneLine(where)}\n  rows ${count(t.rows)}: scored ${count(t.scored)}, skipped ${count(t.skipped)}, failed ${count(t.failed)} · positive ${percent(t.positive.share)}\n`;
}
