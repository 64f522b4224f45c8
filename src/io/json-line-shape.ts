import { isPlainObject } from './dotted-path.js';

/**
 * A line that is not JSON but holds JSON objects with what JSON Lines has not around them, as scripts write them: each
 * object followed by a comma (a JSON array's records with its brackets removed), or several objects one after another
 * with no line break between them (`f.write(json.dumps(record))` without `"\n"`). Such a line failed 'line is not valid
 * JSON', and a file of them was told to give --format csv or tsv (or, one line with no line ending, that it looked cut
 * short). Looked for only once JSON.parse has refused the line.
 */
export type JsonLineShape = 'trailing-comma' | 'concatenated';

export function jsonLineShape(line: string): JsonLineShape | undefined {
  const text = line.trim();
  if (!text.startsWith('{')) return undefined;
  if (text.endsWith(',') && isObject(text.slice(0, -1))) return 'trailing-comma';
  const end = firstObjectEnd(text);
  // Spaces or tabs between them, not a CR: objects ended by CR alone are lines of classic Mac OS (jsonl-sample.ts says so).
  if (end !== undefined && /^[ \t]*\{/.test(text.slice(end)) && isObject(text.slice(0, end))) return 'concatenated';
  return undefined;
}

const SED = "sed 's/,[[:space:]]*$//' in.jsonl > fixed.jsonl";
const JQ = 'jq -c . in.jsonl > fixed.jsonl';
const NO_BREAK = 'several JSON objects one after another, with no line break between them (a script that wrote json.dumps(record) without "\\n"?)';

/** The row's error: fixed words, as every invalid_json message (the output must not vary by Node version). */
export function jsonLineShapeMessage(shape: JsonLineShape): string {
  return shape === 'trailing-comma'
    ? `line is not valid JSON: it is an object followed by a comma, as the records of a JSON array are with its brackets removed: remove the comma after each object (e.g. ${SED})`
    : `line is not valid JSON: it holds ${NO_BREAK}: write one per line (e.g. ${JQ})`;
}

/** What the file's first line shows, for the start-up refusal of a file with no JSON object in its first lines. */
export function jsonLineShapeAdvice(shape: JsonLineShape): string {
  return shape === 'trailing-comma'
    ? `its lines end in a comma after the object, as the records of a JSON array do with its brackets removed: remove it, e.g. ${SED}`
    : `its first line holds ${NO_BREAK}: write one per line, e.g. ${JQ}`;
}

function isObject(text: string): boolean {
  try {
    return isPlainObject(JSON.parse(text));
  } catch {
    return false;
  }
}

/** Just past the `}` that closes the object `text` opens, braces in strings not counted; undefined when none does. */
function firstObjectEnd(text: string): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{' || char === '[') depth++;
    else if (char === '}' || char === ']') {
      depth--;
      if (depth === 0) return char === '}' ? i + 1 : undefined;
    }
  }
  return undefined;
}
