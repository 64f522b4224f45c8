import { shownName } from './shown-name.js';

/**
 * Column or field names listed in a message: each quoted, as a name is quoted where it stands alone ('review'). Unquoted,
 * a name that is empty (pandas' index column) or has a space or comma in it could not be told apart in the list:
 * `(columns: , review_id, text)`. A no-break space or an invisible character is shown as an escape (shown-name.ts).
 */
export function quotedNames(names: readonly string[]): string {
  return names.map((name) => `'${shownName(name)}'`).join(', ');
}
