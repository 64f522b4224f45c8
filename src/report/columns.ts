import { ConfigError } from '../errors.js';
import { ambiguousColumn } from '../io/ambiguous-column.js';
import { nameIndexes } from '../io/unicode-name.js';

/**
 * Index of a column the user named (`--by product`), or undefined when none was named.
 * A name the header has twice is refused, as `score` refuses such a --text-column:
 * taking the first would report on a column the user may not have meant.
 */
export function columnIndex(columns: readonly string[], name: string | undefined, flag: string): number | undefined {
  if (name === undefined) return undefined;
  const matches = nameIndexes(columns, name);
  if (matches.length === 0) throw new ConfigError(`${flag} ${name}: the file has no such column; columns are: ${columns.join(', ')}${delimiterHint(columns, name)}`);
  if (matches.length > 1) throw ambiguousColumn(`${flag} '${name}'`, matches);
  return matches[0];
}

/** Delimiters files are commonly written with, tried when a header does not split on the one given. */
const COMMON_DELIMITERS = [',', ';', '\t', '|'];

/**
 * A column named `id;text;sentiment_label` holding the wanted `sentiment_label`
 * means the header was split on the wrong character: say so, with the delimiter
 * that would split it (""` when the name is in no column).
 */
export function delimiterHint(columns: readonly string[], name: string): string {
  const holder = columns.find((column) => column !== name && column.includes(name));
  if (holder === undefined) return '';
  const fits = COMMON_DELIMITERS.find((d) => holder.split(d).some((part) => part.trim().replace(/^"|"$/g, '') === name));
  const flag = fits === undefined ? '--delimiter' : `--delimiter ${fits === '\t' ? 'tab' : `'${fits}'`}`;
  return `; the column '${holder.length > 80 ? `${holder.slice(0, 80)}…` : holder}' holds the name '${name}', so the delimiter is likely wrong: give ${flag}`;
}
