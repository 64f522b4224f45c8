/**
 * Where a job file's JSON syntax error is, for a person who edits it by hand: Node 20's JSON.parse says only
 * 'at position 212', which left them counting characters. A comma before a closing brace or bracket (a line deleted
 * or moved after the last key's comma: the likeliest hand edit of all) is named as the error (Node 20 gives a position
 * for one before a brace, not before a bracket), as the parser's words
 * ('Expected double-quoted property name') do not say it.
 */
export function whereInText(text: string, message: string): string {
  const position = /at position (\d+)/.exec(message);
  if (position === null) return '';
  const at = Math.min(Number(position[1]), text.length);
  // Newer Node versions name the line and column themselves.
  const place = /\(line \d+ column \d+\)/.test(message) ? '' : ` (${lineAndColumn(text, at)})`;
  return `${place}${trailingComma(text, at)}`;
}

function lineAndColumn(text: string, at: number): string {
  const before = text.slice(0, at);
  return `line ${before.split('\n').length}, column ${at - (before.lastIndexOf('\n') + 1) + 1}`;
}

/** The words for a comma the parser met a closing `}` or `]` after, else ''. */
function trailingComma(text: string, at: number): string {
  if (text[at] !== '}' && text[at] !== ']') return '';
  const comma = text.slice(0, at).trimEnd();
  if (!comma.endsWith(',')) return '';
  const line = comma.split('\n').length;
  return `: the comma on line ${line}, after the last entry, is one JSON does not allow; remove it`;
}
