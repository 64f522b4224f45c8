/**
 * Option names a first try borrows from other tools, too far from ours in letters for a did-you-mean (did-you-mean.ts):
 * `--column review` (pandas' usecols, csvkit's -c) on the App Store export got "unknown option '--column'" with nothing
 * to go on, and `--input FILE` sent the user to --help to learn that the input is no option.
 */

/** A borrowed name → the option it means here, the first of them that the command has. */
const BORROWED: ReadonlyMap<string, readonly string[]> = new Map([
  ['column', ['text-column', 'text-field']],
  ['col', ['text-column', 'text-field']],
  ['columns', ['text-column', 'text-field']],
  ['review-column', ['text-column', 'text-field']],
  ['text-col', ['text-column', 'text-field']],
  ['field', ['text-field', 'text-column']],
  ['review-field', ['text-field', 'text-column']],
  ['key', ['text-field', 'text-column']],
]);

/** Names for the input file, which is the word after the command (`score FILE`), not an option. */
const INPUT_NAMES = new Set(['input', 'in', 'file', 'input-file', 'infile']);

/** What the input word is called in each command's usage line (commands/help.ts). */
function inputWord(command: string): string {
  if (command === 'run') return 'JOB.json';
  if (command === 'report') return 'SCORED_FILE';
  return 'FILE';
}

/**
 * The hint for a borrowed name: ` (did you mean --text-column?)`, or `: the input is no option …` for `--input`; '' for
 * a name borrowed from nowhere. `known`: the command's options; `takesInput`: whether it takes an input word at all.
 */
export function borrowedNameHint(name: string, known: ReadonlySet<string>, command: string, takesInput: boolean): string {
  const lower = name.toLowerCase();
  const meant = BORROWED.get(lower)?.find((flag) => known.has(flag));
  if (meant !== undefined) return ` (did you mean --${meant}?)`;
  if (takesInput && INPUT_NAMES.has(lower)) {
    // run's word is the job file: its input is the file's "input", which a user pointing the job elsewhere is to edit.
    if (command === 'run') return `: the input is no option: run reads it from the job file's "input" (sentiment-batch run ${inputWord(command)} [options])`;
    return `: the input is no option but the word after the command, sentiment-batch ${command} ${inputWord(command)} [options]`;
  }
  return '';
}
