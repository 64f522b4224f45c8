/**
 * The job file a `run` command line names, from its raw arguments, for when they could not be parsed (an unknown
 * flag) and the job file's "summaryJson" and "logFormat" are still wanted (summary-file.ts, asked-log-format.ts):
 * the first word ending .json that is not a flag nor the value of one of this command's flags that take a value.
 * `run --report r.json job.json --rmp 5` names job.json: the first such word was r.json, whose "summaryJson" (none)
 * left last night's summary in place. Only .json: `run reviews.csv` (refused) may name gigabytes.
 */
import { OPTION_SPECS } from './options.js';

/** `--flag` and `-x` of every option that takes a value (its value is the next word unless given with `=` or inline). */
const TAKES_VALUE = new Set(OPTION_SPECS.filter((spec) => !spec.boolean).flatMap((spec) => [`--${spec.flag}`, ...(spec.short ? [`-${spec.short}`] : [])]));

export function jobFileWord(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') return argv.slice(i + 1).find(isJsonName);
    if (TAKES_VALUE.has(arg)) i++;
    else if (!arg.startsWith('-') && isJsonName(arg)) return arg;
  }
  return undefined;
}

function isJsonName(word: string): boolean {
  return /\.json$/i.test(word);
}
