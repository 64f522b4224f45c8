import { ConfigError } from '../errors.js';

/** Index of a column the user named (`--by product`), or undefined when none was named. */
export function columnIndex(columns: readonly string[], name: string | undefined, flag: string): number | undefined {
  if (name === undefined) return undefined;
  const index = columns.indexOf(name);
  if (index === -1) throw new ConfigError(`${flag} ${name}: the file has no such column; columns are: ${columns.join(', ')}`);
  return index;
}
