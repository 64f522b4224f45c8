/**
 * What a job file's JSON syntax error is and where, for a person who edits it by hand: Node 20's JSON.parse says only
 * 'at position 212', which left them counting characters, and its words say what the parser met, not what the person
 * did. So the likeliest hand edits are named as such, with what to do: a comma before a closing brace or bracket (a
 * line deleted or moved after the last key's comma; Node 20 gives a position for one before a brace, not before a
 * bracket), a comment, a comma left out between two entries, a file that ends too soon (its last brace deleted, or
 * cut short when saved) or is empty, a string's closing quote deleted, single quotes, and a Windows path's backslashes.
 */
export function jsonSyntaxError(text: string, message: string): string {
  if (text.trim() === '') return `it is empty (${text === '' ? '0 bytes' : 'only white space'}): write the job's settings in it as a JSON object ({"input": …, "textColumn": …}), or restore it if it was cut short`;
  const position = /at position (\d+)/.exec(message);
  // Without a position: an unexpected first character ('Unexpected token', Node 20 and 24), or the end of the text.
  const at = position ? Math.min(Number(position[1]), text.length) : /^Unexpected token/.test(message) ? text.length - text.trimStart().length : text.length;
  // Newer Node versions name the line and column themselves.
  const place = position === null || /\(line \d+ column \d+\)/.test(message) ? '' : ` (${lineAndColumn(text, at)})`;
  // A closing quote deleted: the parser meets the line break in the string (Node: 'Bad control character'), or the file's end.
  const unclosed = /^(Bad control character in string literal|Unterminated string)/.test(message) && /^\s*$/.test(text.slice(at).split('\n')[0] ?? '');
  const words = unclosed ? `: the string on line ${lineOf(text, at)} has no closing quote: add the " that ends it` : hint(text, at);
  return `${message}${place}${words}`;
}

function lineAndColumn(text: string, at: number): string {
  const before = text.slice(0, at);
  return `line ${lineOf(text, at)}, column ${at - (before.lastIndexOf('\n') + 1) + 1}`;
}

function lineOf(text: string, at: number): number {
  return text.slice(0, at).split('\n').length;
}

/** The words for the edit that likely made the error the parser met at `at`, else ''. */
function hint(text: string, at: number): string {
  const rest = text.slice(at);
  if (rest.startsWith('//') || rest.startsWith('/*')) {
    return `: JSON allows no comments: remove the comment on line ${lineOf(text, at)}, or keep the note as "description": "…", a key the job ignores`;
  }
  if (text.slice(at).trim() === '') return ": the file ends before the JSON does: add the closing } (or ]) it lacks, or restore the file if it was cut short";
  const before = text.slice(0, at).trimEnd();
  if ((rest.startsWith('}') || rest.startsWith(']')) && before.endsWith(',')) {
    return `: the comma on line ${lineOf(text, before.length)}, after the last entry, is one JSON does not allow; remove it`;
  }
  if (rest.startsWith('"') && before !== '' && !',{[:'.includes(before.at(-1) ?? '')) {
    return `: a comma is missing at the end of line ${lineOf(text, before.length)}, before the next entry; add it`;
  }
  if (rest.startsWith("'")) return `: JSON takes double quotes (${JSON.stringify(/^'([^'\n]*)'/.exec(rest)?.[1] ?? '…')}), not single ones`;
  if (text[at - 1] === '\\') return ': a backslash in a JSON string begins an escape (\\n, \\"): write each one twice (C:\\\\data) or use / instead';
  return '';
}
