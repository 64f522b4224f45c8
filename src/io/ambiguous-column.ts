import { ConfigError } from '../errors.js';

/**
 * A column name the header has more than once (`matches`, 0-based): which one the
 * flag means cannot be told, so it is refused (`score --text-column`, `report --by`...).
 */
export function ambiguousColumn(flag: string, name: string, matches: readonly number[]): ConfigError {
  return new ConfigError(`${flag} '${name}' is ambiguous: the header has it ${matches.length} times (columns ${matches.map((i) => i + 1).join(', ')}); rename one of them`);
}
