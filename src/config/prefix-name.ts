import { ConfigError } from '../errors.js';
import { delimiterWord } from '../wording/delimiter-word.js';
import { nonEmptyString } from './validate.js';

/**
 * What a prefix is for: `score` names the columns it adds with it; `report` reads them, and no scored file's columns
 * have a name score refuses (said as such: `report --prefix $'a\nb'` was exit 3 "this is not a scored file").
 */
export type PrefixUse = 'names' | 'reads';

function refused(use: PrefixUse): string {
  return use === 'names'
    ? "which would be in the new columns' names; use letters, digits, '_' or '-'"
    : "which score refuses in a prefix, so no scored file's columns have it; give the --prefix the run was given (default sentiment)";
}

/**
 * --prefix names the added columns (`<prefix>_label` …) or JSONL field. A line break, another control character or a
 * quote in it made column names with line breaks or quotes in them (`--prefix $'a\nb'`: a header cell over two
 * lines, which every reader of the output, `report` too, has to get quoted right): refused, naming the character.
 */
export function prefixName(name: string, value: unknown, use: PrefixUse = 'names'): string {
  const prefix = nonEmptyString(name, value);
  const bad = /[\p{Cc}\u2028\u2029"]/u.exec(prefix);
  if (bad) throw new ConfigError(`${name} ${JSON.stringify(prefix)} holds ${characterWords(bad[0])}, ${refused(use)}`);
  return prefix;
}

/** A CSV/TSV's delimiter in the prefix split each added column's name in two for a reader that does not quote it. */
export function refusePrefixDelimiter(prefix: string, delimiter: string, name = '--prefix', use: PrefixUse = 'names'): void {
  if (!prefix.includes(delimiter)) return;
  throw new ConfigError(`${name} ${JSON.stringify(prefix)} holds ${use === 'names' ? "the input's" : "the scored file's"} delimiter, ${delimiterWord(delimiter)}, ${refused(use)}`);
}

function characterWords(char: string): string {
  const code = `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
  if (char === '\n') return `a line break (${code})`;
  if (char === '\r') return `a carriage return (${code})`;
  if (char === '"') return `a quote (")`;
  if (char === '\t') return `a tab (${code})`;
  if (char === '\u2028' || char === '\u2029') return `a line separator (${code})`;
  return `a control character (${code})`;
}
