import type { CsvEscape, CsvQuote } from '../io/csv-dialect.js';
import { unquotedCells } from '../io/unquoted-cells.js';
import type { InputRecord } from '../io/record.js';
import type { Source } from '../job/source.js';
import { joinedRow } from '../io/row-text.js';

/**
 * A private-use character: neither format escapes it (JSON.stringify leaves it
 * as it is) nor quotes a CSV cell for it, so it marks where the failure's
 * message sits in a formatted record.
 */
const MARK = '\uE000';

/**
 * Whether `written` (bytes of the output) is exactly what the run wrote for
 * `record` failed with `code`: the record formatted by the job's own formatter
 * (source.formatRecord, CSV or JSONL) with a failure of that code. The list of
 * failed rows records each row's code but not its message (`http_500: …
 * (gave up after 2 attempts)`), so the message is read back from `written`
 * and the record formatted again with it: only bytes the formatter gives back
 * exactly are that row.
 */
export function isWrittenFailure(source: Pick<Source, 'formatRecord' | 'escape' | 'quote' | 'delimiter'>, record: InputRecord, code: string, written: Buffer): boolean {
  const text = written.toString('utf8');
  for (const message of messageCandidates(formatFailed(source, record, code, MARK), code, text, source.escape ?? 'quote', source.quote ?? '"', source.delimiter)) {
    if (Buffer.from(formatFailed(source, record, code, message), 'utf8').equals(written)) return true;
  }
  return false;
}

function formatFailed(source: Pick<Source, 'formatRecord'>, record: InputRecord, code: string, message: string): string {
  return joinedRow(source.formatRecord(record, { kind: 'failed', failure: { code, message, transient: true } }));
}

/**
 * The messages `text` may hold where `template` holds MARK. Only candidates:
 * isWrittenFailure formats each one again and compares byte for byte, so a
 * wrong guess can never pass.
 */
function* messageCandidates(template: string, code: string, text: string, escape: CsvEscape, quote: CsvQuote, delimiter: string): Generator<string> {
  // The message is the last thing either format writes (then `}}}` or the line ending), after anything the record holds.
  const at = template.lastIndexOf(MARK);
  if (at < 0) return;
  const before = template.slice(0, at);
  const after = template.slice(at + MARK.length);
  const between = (head: string, tail: string): string | undefined =>
    text.length >= head.length + tail.length && text.startsWith(head) && text.endsWith(tail) ? text.slice(head.length, text.length - tail.length) : undefined;

  const plain = between(before, after);
  if (plain !== undefined) {
    yield plain; // a CSV cell written as it is
    // With --quote none the cell is escaped, never quoted (io/unquoted-cells.ts): read back as the reader reads it.
    if (quote === 'none') yield unquotedCells(plain, delimiter).join(delimiter);
    const json = jsonStringContent(plain);
    if (json !== undefined) yield json; // inside a JSON string: escaped
  }
  // A CSV cell holding the delimiter, a quote or a line break is quoted whole (`"http_500: …, …"`), as the job's escape
  // writes a quote inside it (quoteCsvCell): doubled (`""`), or with --escape backslash after a backslash, as a
  // backslash is (`\"`, `\\`).
  const cell = `${code}: `;
  if (before.endsWith(cell)) {
    const quoted = between(`${before.slice(0, -cell.length)}"${cell}`, `"${after}`);
    if (quoted !== undefined) yield escape === 'backslash' ? quoted.replace(/\\(["\\])/g, '$1') : quoted.replaceAll('""', '"');
  }
}

function jsonStringContent(escaped: string): string | undefined {
  try {
    const value: unknown = JSON.parse(`"${escaped}"`);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
