/** A path as a POSIX shell reads it back: quoted when it holds anything but the characters no shell treats specially. */
export function shellWord(word: string): string {
  return /^[\w./@%+=:,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
