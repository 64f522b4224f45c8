/**
 * JSON.parse keeps the last of two equal keys without a word, so a job file
 * saying "rpm" twice would silently run at the second value. This finds such
 * a key, with the line of each, in a text JSON.parse has already accepted.
 */
export interface DuplicateKey {
  key: string;
  firstLine: number;
  secondLine: number;
}

/** The first key given twice in one object (at any depth), or undefined. `text` must be valid JSON. */
export function firstDuplicateKey(text: string): DuplicateKey | undefined {
  // One entry per open object (its keys and their lines) or array (undefined).
  const open: Array<Map<string, number> | undefined> = [];
  let line = 1;
  let keyNext = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '\n') {
      line += 1;
    } else if (char === '{' || char === '[') {
      open.push(char === '{' ? new Map() : undefined);
      keyNext = char === '{';
    } else if (char === '}' || char === ']') {
      open.pop();
      keyNext = false;
    } else if (char === ',') {
      keyNext = open.at(-1) !== undefined;
    } else if (char === '"') {
      // Valid JSON has no raw line break inside a string: the line count stays right.
      const end = closingQuote(text, i);
      const keys = open.at(-1);
      if (keyNext && keys) {
        // Decoded, so "\u0072pm" and "rpm" are the same key, as JSON.parse has them.
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        const firstLine = keys.get(key);
        if (firstLine !== undefined) return { key, firstLine, secondLine: line };
        keys.set(key, line);
        keyNext = false;
      }
      i = end;
    }
  }
  return undefined;
}

/** The index of the quote closing the string that opens at `start`. */
function closingQuote(text: string, start: number): number {
  let i = start + 1;
  while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return i;
}
