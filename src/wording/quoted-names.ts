/**
 * Column or field names listed in a message: each quoted, as a name is quoted where it stands alone ('review'). Unquoted,
 * a name that is empty (pandas' index column) or has a space or comma in it could not be told apart in the list:
 * `(columns: , review_id, text)`.
 */
export function quotedNames(names: readonly string[]): string {
  return names.map((name) => `'${name}'`).join(', ');
}
