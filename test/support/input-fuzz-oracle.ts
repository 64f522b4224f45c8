/**
 * The independent side of the input-handling fuzz (input-fuzz.ts): reads an input and the CLI's output for it with
 * parsers of its own (csv-parse with the options the user gave, JSON.parse per line) and says where the output is not
 * "the input's records, in order, each record's bytes unchanged with only the new cells or field appended, every row
 * scored or carrying its error" (docs/input-formats.md). Returns the problems found, empty when none.
 */
import { parse } from 'csv-parse/sync';

const EOL = /(\r\n|\n|\r)$/;
const NEW_COLUMNS = ['label', 'positive', 'negative', 'truncated', 'error'];
const NUMBER = /^(0|1|0\.\d+|\d(\.\d+)?e-\d+)$/;

function splitEol(s: string): [string, string] {
  const m = EOL.exec(s);
  return m === null ? [s, ''] : [s.slice(0, s.length - m[0].length), m[0]];
}

interface Rec {
  fields: string[];
  raw: string;
}

/** Records with their raw text, sliced from the bytes at csv-parse's own byte offsets (its `raw` drops a CRLF's LF). */
export function csvRecords(bytes: Buffer, delimiter: string): Rec[] {
  const rows = parse(bytes, {
    delimiter,
    bom: true,
    info: true,
    relax_quotes: true,
    relax_column_count: true,
    record_delimiter: ['\r\n', '\n', '\r'],
    skip_empty_lines: false,
  }) as unknown as Array<{ record: string[]; info: { bytes: number } }>;
  const out: Rec[] = [];
  let at = bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])) ? 3 : 0;
  for (const row of rows) {
    out.push({ fields: row.record, raw: bytes.subarray(at, row.info.bytes).toString('utf8') });
    at = row.info.bytes;
  }
  return out;
}

/** An output row's new cells: scored (a label, two scores, no error) or failed/skipped (no label, an error). */
function newCellsProblem(cells: string[]): string | undefined {
  const [label, positive, negative, truncated, error] = cells;
  if (label === 'POSITIVE' || label === 'NEGATIVE') {
    if (!NUMBER.test(positive ?? '') || !NUMBER.test(negative ?? '')) return `scores not numbers: ${JSON.stringify(cells)}`;
    if (truncated !== '' && truncated !== 'true') return `truncated cell ${JSON.stringify(truncated)}`;
    if (error !== '') return `a label and an error: ${JSON.stringify(cells)}`;
    return undefined;
  }
  if (label !== '' || positive !== '' || negative !== '') return `no label but scores: ${JSON.stringify(cells)}`;
  if (!/^[a-z_]+: ./s.test(error ?? '')) return `neither scored nor an error: ${JSON.stringify(cells)}`;
  return undefined;
}

export function checkCsvOutput(input: Buffer, output: Buffer, delimiter: string, prefix = 'sentiment'): string[] {
  let inRecs: Rec[];
  try {
    inRecs = csvRecords(input, delimiter);
  } catch (error) {
    return checkLoosely(input, output, `csv-parse cannot read the input (${(error as { code?: string }).code}): checked as a byte subsequence only`);
  }
  let outRecs: Rec[];
  try {
    outRecs = csvRecords(output, delimiter);
  } catch (error) {
    return [`csv-parse cannot read the output: ${(error as Error).message}`];
  }
  const problems: string[] = [];
  const hasBom = input.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]));
  if (hasBom !== output.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))) problems.push('BOM not kept as it was');
  if (inRecs.length !== outRecs.length) problems.push(`${inRecs.length} input records, ${outRecs.length} output records`);
  const width = inRecs[0]?.fields.length ?? 0;
  for (let i = 0; i < Math.min(inRecs.length, outRecs.length) && problems.length < 5; i++) {
    const a = inRecs[i] as Rec;
    const b = outRecs[i] as Rec;
    const [aBody, aEol] = splitEol(a.raw);
    const [bBody, bEol] = splitEol(b.raw);
    // An empty line passes through as it is (a line of white space is a ragged row: docs/input-formats.md).
    if (aBody === '' && i > 0) {
      if (a.raw !== b.raw) problems.push(`record ${i}: blank line ${JSON.stringify(a.raw)} written as ${JSON.stringify(b.raw)}`);
      continue;
    }
    if (aEol !== bEol) problems.push(`record ${i}: line ending ${JSON.stringify(aEol)} became ${JSON.stringify(bEol)}`);
    if (!bBody.startsWith(aBody)) {
      problems.push(`record ${i}: bytes changed: ${JSON.stringify(a.raw.slice(0, 200))} -> ${JSON.stringify(b.raw.slice(0, 200))}`);
      continue;
    }
    if (bBody.length > aBody.length && !bBody.slice(aBody.length).startsWith(delimiter)) problems.push(`record ${i}: appended cells do not start with the delimiter`);
    const expected = i === 0 ? [...a.fields, ...NEW_COLUMNS.map((c) => `${prefix}_${c}`)] : undefined;
    if (expected !== undefined) {
      if (JSON.stringify(b.fields) !== JSON.stringify(expected)) problems.push(`header ${JSON.stringify(b.fields)}, expected ${JSON.stringify(expected)}`);
      continue;
    }
    const kept = Math.max(width, a.fields.length);
    const padded = [...a.fields, ...Array<string>(kept - a.fields.length).fill('')];
    if (b.fields.length !== kept + 5 || JSON.stringify(b.fields.slice(0, kept)) !== JSON.stringify(padded)) {
      problems.push(`record ${i}: fields ${JSON.stringify(b.fields).slice(0, 300)}, expected the input's ${JSON.stringify(padded).slice(0, 300)} then 5 new cells`);
      continue;
    }
    const bad = newCellsProblem(b.fields.slice(kept));
    if (bad !== undefined) problems.push(`record ${i}: ${bad}`);
  }
  return problems;
}

/**
 * Where the independent parser cannot read the input (text after a closing quote, which csv-parse refuses): the output
 * must still hold every input byte, in order, with only cells inserted, and as many appended answers as lines at most.
 */
function checkLoosely(input: Buffer, output: Buffer, note: string): string[] {
  let j = 0;
  for (let i = 0; i < input.length; i++) {
    while (j < output.length && output[j] !== input[i]) j++;
    if (j >= output.length) return [`${note}: input byte ${i} (${JSON.stringify(input.subarray(Math.max(0, i - 20), i + 20).toString('utf8'))}) is not in the output in order`];
    j++;
  }
  return [];
}

/** JSON Lines: the input's lines, each with its own LF. */
function lines(bytes: Buffer): string[] {
  const text = bytes.toString('utf8');
  const out = text.split(/(?<=\n)/);
  return out.filter((l) => l !== '');
}

function answerProblem(answer: unknown): string | undefined {
  if (typeof answer !== 'object' || answer === null) return `answer ${JSON.stringify(answer)}`;
  const a = answer as Record<string, unknown>;
  if ('error' in a) {
    const e = a.error as Record<string, unknown>;
    if (typeof e?.code !== 'string' || typeof e.message !== 'string' || e.message === '') return `error without code or message: ${JSON.stringify(a)}`;
    return undefined;
  }
  if ((a.label !== 'POSITIVE' && a.label !== 'NEGATIVE') || typeof a.positive !== 'number' || typeof a.negative !== 'number') return `neither scored nor an error: ${JSON.stringify(a)}`;
  return undefined;
}

export function checkJsonlOutput(input: Buffer, output: Buffer, prefix = 'sentiment'): string[] {
  const inLines = lines(input);
  const outLines = lines(output);
  const problems: string[] = [];
  if (inLines.length !== outLines.length) problems.push(`${inLines.length} input lines, ${outLines.length} output lines`);
  for (let i = 0; i < Math.min(inLines.length, outLines.length) && problems.length < 5; i++) {
    const [aLine, aEol] = splitEol(inLines[i] as string);
    const [bLine, bEol] = splitEol(outLines[i] as string);
    // A CR before the LF belongs to the line's bytes (kept), not its ending.
    const aEnd = aEol === '\r\n' ? '\n' : aEol;
    const bEnd = bEol === '\r\n' ? '\n' : bEol;
    const a = aEol === '\r\n' ? `${aLine}\r` : aLine;
    const b = bEol === '\r\n' ? `${bLine}\r` : bLine;
    if (aEnd !== bEnd) problems.push(`line ${i + 1}: line ending ${JSON.stringify(aEnd)} became ${JSON.stringify(bEnd)}`);
    if (a.trim() === '') {
      if (a !== b) problems.push(`line ${i + 1}: blank line ${JSON.stringify(a)} written as ${JSON.stringify(b)}`);
      continue;
    }
    let value: unknown;
    let parsed = true;
    try {
      value = JSON.parse(a.replace(/^\ufeff/, ''));
    } catch {
      parsed = false;
    }
    let out: Record<string, unknown>;
    try {
      out = JSON.parse(b.replace(/^\ufeff/, '')) as Record<string, unknown>;
    } catch {
      problems.push(`line ${i + 1}: output line is not JSON: ${JSON.stringify(b.slice(0, 200))}`);
      continue;
    }
    const isObject = parsed && typeof value === 'object' && value !== null && !Array.isArray(value);
    if (isObject && !(prefix in (value as object))) {
      const close = a.lastIndexOf('}');
      const before = a.slice(0, close);
      const after = a.slice(close);
      if (!b.startsWith(before) || !b.endsWith(after)) {
        problems.push(`line ${i + 1}: bytes changed: ${JSON.stringify(a.slice(0, 200))} -> ${JSON.stringify(b.slice(0, 200))}`);
        continue;
      }
      const inserted = b.slice(before.length, b.length - after.length);
      const empty = /^\{\s*$/.test(before.replace(/^\ufeff/, ''));
      if (!inserted.startsWith(`${empty ? '' : ','}"${prefix}":`)) problems.push(`line ${i + 1}: inserted ${JSON.stringify(inserted.slice(0, 100))}`);
      const bad = answerProblem(out[prefix]);
      if (bad !== undefined) problems.push(`line ${i + 1}: ${bad}`);
      continue;
    }
    // Not an object, not JSON, or an object that has the answer field already: the line kept under "raw".
    if (out.raw !== a && out.raw !== aLine) problems.push(`line ${i + 1}: "raw" is ${JSON.stringify(out.raw)?.slice(0, 200)}, expected the line ${JSON.stringify(a.slice(0, 200))}`);
    const bad = answerProblem(out[prefix]);
    if (bad !== undefined || !('error' in (out[prefix] as object))) problems.push(`line ${i + 1}: a line kept under raw without an error: ${JSON.stringify(out[prefix])}`);
  }
  return problems;
}
