import { ConfigError } from '../errors.js';

/**
 * A column name the header has more than once (`matches`, 0-based): which one the
 * setting means cannot be told, so it is refused (`score --text-column`, `report --by`...).
 * `given`: the setting with the name, as the user gave it (`--by 'product'`, `job file n.json: "textColumn" 'review'`).
 */
export function ambiguousColumn(given: string, matches: readonly number[], renamed?: string): ConfigError {
  // `renamed`: a command that renames them in a copy (rename-column-command.ts), for an export the user cannot edit.
  const copy = renamed === undefined ? '' : `, or, for an export you cannot edit: ${renamed}`;
  return new ConfigError(`${given} is ambiguous: the header has it ${matches.length} times (columns ${matches.map((i) => i + 1).join(', ')}); rename one of them${copy}`);
}
