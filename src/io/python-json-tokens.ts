/**
 * What Python's `json.dumps` writes that JSON has not: `NaN`, `Infinity` and `-Infinity` for a float NaN or infinity
 * (a pandas frame's missing rating turned into dicts and dumped). Such a line failed `invalid_json` with only
 * 'line is not valid JSON', though it looks like an object; the row's error now names the token and the way out.
 * Looked for as a value, outside strings, only once JSON.parse has refused the line.
 */
const TOKENS = ['-Infinity', 'Infinity', 'NaN'] as const;

export function pythonNonJsonToken(line: string): string | undefined {
  let inString = false;
  let previous = '';
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') {
      inString = true;
      previous = char;
      continue;
    }
    if (char === ' ' || char === '\t' || char === '\r' || char === '\n') continue;
    // A value starts after ':', ',' or '['.
    if (previous === ':' || previous === ',' || previous === '[') {
      const token = TOKENS.find((candidate) => line.startsWith(candidate, i) && !/[A-Za-z0-9_]/.test(line[i + candidate.length] ?? ''));
      if (token !== undefined) return token;
    }
    previous = char;
  }
  return undefined;
}

/** What such a line holds and the way out: "holds NaN, which …" (the row's error and the start-up refusal use it). */
export function pythonNonJsonAdvice(token: string): string {
  return `holds ${token}, which Python's json.dumps writes for a float NaN or infinity and JSON has no value for: write null instead (json.dumps(..., allow_nan=False) finds them)`;
}

/** The row's error for such a line: fixed words, as every invalid_json message (the output must not vary by Node version). */
export function pythonNonJsonMessage(token: string): string {
  return `line is not valid JSON: it ${pythonNonJsonAdvice(token)}`;
}
