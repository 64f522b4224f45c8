/**
 * `text` as one line of a terminal or a log file: line breaks and other control
 * characters, C0 and C1 (a file name may hold any of them but `/` and NUL), are written as
 * escapes (`\n`, `\u001b`), so a message stays one line and no name can move the
 * cursor or colour what follows (C1's CSI and OSC, U+009B and U+009D, start sequences too on a terminal that reads
 * 8-bit controls). Tabs stay as they are. Invisible format characters
 * are escaped too (a zero-width space, a byte-order mark, direction marks and
 * overrides): a column named '\uFEFFtext' (a header with a second BOM) would read as
 * 'text', the name just refused, and a direction override could reorder what follows.
 * Joiners (U+200C, U+200D) stay: emoji and Persian or Indic words hold them.
 */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]|[\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g, escape);
}

function escape(char: string): string {
  if (char === '\n') return '\\n';
  if (char === '\r') return '\\r';
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}
