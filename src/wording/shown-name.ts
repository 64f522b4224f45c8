/**
 * A column or field name as a message shows it: characters that look like a plain space or like nothing (a no-break
 * space from a header pasted off a web page, a zero-width space, a byte-order mark inside a header cell) written as
 * `\u00a0` escapes. Shown as they are, 'Review\u00a0' read 'Review ', and the user who typed --text-column 'Review '
 * was refused with the same suggestion again.
 */
const LOOKALIKES = /[\t\n\r\u00a0\u1680\u2000-\u200f\u2028-\u202f\u205f\u2060\u3000\ufeff]/gu;

const DESCRIBED: Record<string, string> = {
  '\u00a0': 'a no-break space, not a plain one',
  '\u202f': 'a narrow no-break space, not a plain one',
  '\u200b': 'a zero-width space',
  '\ufeff': 'a byte-order mark',
  '\t': 'a tab',
  '\n': 'a line break',
  '\r': 'a carriage return',
};

export function shownName(name: string): string {
  return name.replace(LOOKALIKES, escaped);
}

/**
 * For a suggested name holding such a character: what it is and how to type it (bash and zsh read `\uXXXX` in $'…'),
 * to follow a did-you-mean (' …' after the name's `?`); '' for a name with none.
 */
export function lookalikeAdvice(name: string): string {
  const first = name.match(LOOKALIKES)?.[0];
  if (first === undefined) return '';
  const what = DESCRIBED[first] ?? 'a space or an invisible character, not a plain space';
  const typed = shownName(name);
  // A JSON string reads the same \u escape: the job file's form is the name as shown, in double quotes.
  return ` ${escaped(first)} is ${what}: in bash or zsh type it as $'${typed.replace(/'/g, "\\'")}' (in a job file, "${typed.replace(/"/g, '\\"')}"), or rename the column in the file`;
}

/** Short forms where bash's $'…' and JSON both read them. */
const SHORT: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function escaped(character: string): string {
  const short = SHORT[character];
  if (short !== undefined) return short;
  return `\\u${character.codePointAt(0)!.toString(16).padStart(4, '0')}`;
}
