import { ConfigError } from '../errors.js';

/**
 * An export given to `run` that its name does not tell apart from a job file: BigQuery names its JSON Lines exports
 * `.json` (`export-000000000000.json`, gzip `.json.gz`). The first met JSON.parse's "Unexpected non-whitespace
 * character after JSON at position 190", the second printed its gzip bytes as the unexpected token; neither said what
 * the file was or what to type.
 */
export function exportAsJobFile(file: string, text: string): ConfigError | undefined {
  const advice = `to score it, run sentiment-batch score ${file} --format jsonl (with the same options)`;
  // gzip's magic number, 1f 8b, read as UTF-8 (8b alone is no character: U+FFFD). A job file is plain JSON.
  if (text.startsWith('\u001f\uFFFD')) {
    return new ConfigError(`run takes a job file (JSON), and ${file} is gzip-compressed, an export: ${advice}`);
  }
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  if (lines.length >= 2 && lines.slice(0, 2).every(isObjectLine)) {
    return new ConfigError(`run takes a job file (JSON), and ${file} holds one JSON object per line, a JSON Lines export: ${advice}`);
  }
  return undefined;
}

function isObjectLine(line: string): boolean {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}
