import { OPTION_SPECS, type OptionSpec } from '../config/options.js';
import { optionRows } from '../wording/option-rows.js';

/**
 * INPUT - keeps no checkpoint either (job/stdin.ts): the help said to run the same command to resume, and named only
 * -o - as the exception. A job file's run names its input in the file: score's help only.
 */
const STDIN_LINE = `INPUT - (standard input) keeps no checkpoint either: the next run's standard input is another
stream, so an interrupted run starts again from the beginning.
`;

export function scoreHelp(
  command: 'score' | 'run' | 'estimate',
  specs: readonly OptionSpec[] = OPTION_SPECS,
  extra: ReadonlyArray<{ flag: string; help: string; boolean?: boolean }> = [],
): string {
  const usage =
    command === 'run'
      ? 'sentiment-batch run JOB.json [options]'
      : command === 'estimate'
        ? 'sentiment-batch estimate INPUT|JOB.json [options]   (INPUT: .csv .tsv .jsonl .ndjson, optionally .gz, or - with --format; JOB.json: a job file, as run takes; flags override it)'
        : `sentiment-batch ${command} INPUT [options]   (INPUT: .csv .tsv .jsonl .ndjson, optionally .gz, or - with --format)`;
  const footer =
    command === 'estimate'
      ? `Environment: CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN (or CLOUDFLARE_API_TOKEN_FILE) decide
the backend as for score: without either, the run would use the embedded model, which is free;
with only one, score refuses to start and estimate prices Workers AI.
estimate reads the input once and sends nothing.
`
      : `Environment: CLOUDFLARE_ACCOUNT_ID, CLOUDFLARE_API_TOKEN or CLOUDFLARE_API_TOKEN_FILE,
CLOUDFLARE_BASE_URL (e.g. http://127.0.0.1:8787/client/v4 for 'sentiment-batch serve'), REDIS_URL.
Output: <output>.partial while running, renamed to <output> when complete; the checkpoint is
<output>.checkpoint.json. Run the same command again to resume an interrupted run.
-o - writes the records to standard output instead (no checkpoint: such a run cannot resume).
${command === 'score' ? STDIN_LINE : ''}`;
  // `run --help` listed the options alone: with --help only, nobody could tell what to write in a job file.
  const jobFile =
    command === 'run'
      ? `Job file: one JSON object of the same settings in camelCase, with "input" and "output":
  {"input": "in/reviews.csv", "output": "out/reviews.scored.csv", "textColumn": "review",
   "timeout": "30s", "summaryJson": "out/reviews.summary.json"}
Its relative paths are relative to its folder; a token is never accepted in it; an option on the
command line overrides the same setting. Every key: docs/options.md#job-files.

`
      : '';
  return `Usage: ${usage}

Options:
${optionRows([...specs, ...extra])}

${jobFile}${footer}`;
}
