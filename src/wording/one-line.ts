/**
 * `text` as one line of a terminal or a log file: line breaks and other control
 * characters (a file name may hold any of them but `/` and NUL) are written as
 * escapes (`\n`, `\u001b`), so a message stays one line and no name can move the
 * cursor or colour what follows. Tabs stay as they are.
 */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f\u0085\u2028\u2029]/g, escape);
}

function escape(char: string): string {
  if (char === '\n') return '\\n';
  if (char === '\r') return '\\r';
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}
