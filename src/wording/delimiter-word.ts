/**
 * A delimiter as a user types it after --delimiter and reads it in a message: `tab` for a tab (the option takes the
 * word, and a quoted tab is invisible), any other character quoted (`';'`).
 */
export function delimiterWord(delimiter: string): string {
  return delimiter === '\t' ? 'tab' : `'${delimiter}'`;
}
