import type { CsvEscape } from './csv-dialect.js';
import { openInput } from './open-input.js';

/**
 * What the advice about a stray or open quote adds when the file's first rows quote no cell (looksUnquoted): the flags
 * to read it with, --escape backslash too when the reading had the default escape (a MySQL export's first run).
 */
export function quoteNoneAdvice(escape: CsvEscape | undefined): string {
  return (
    "no cell in the file's first rows is quoted: if the export never quotes a cell (MySQL's default INTO OUTFILE, Python's csv QUOTE_NONE), " +
    `a quote is plain text in it: read it with --quote none${escape === 'backslash' ? '' : ' --escape backslash'}`
  );
}

/** How much of the input is looked at: the first rows of an export, not the whole file. */
const LOOK_BYTES = 64 * 1024;
/** How many of those first lines are judged (lookedLines: here, and by quoted-cells-look.ts). */
const LOOK_LINES = 200;

/**
 * Whether the first lines of an export (read with the default quote) quote no cell: no cell on them is a quoted cell
 * closed on its line (`"…"`, a quote inside written as the escape writes it: `\"`, or `""` by default). A file written
 * with quotes (MySQL's ENCLOSED BY '"', pandas, Python's csv, Excel) quotes some cell on most lines (every cell, or each
 * one with a delimiter or a quote); MySQL's default INTO OUTFILE and Python's csv with QUOTE_NONE quote none, and a
 * review starting with a quote there opens a "quoted cell" that runs on into the next rows (stray-quote.ts), which no
 * writer that quotes writes so (it quotes a cell holding a quote). Only the advice depends on it.
 */
export function looksUnquoted(head: string, delimiter: string, escape: CsvEscape = 'backslash'): boolean {
  return !lookedLines(head, /\r\n|\n|\r/).some((line) => hasQuotedCell(line, delimiter, escape));
}

/**
 * The lines of `head` (inputHead's) that a look judges: the first LOOK_LINES, split at `lineBreak`, less the last
 * when the look stopped inside the file, which may have cut it. A head shorter than the look is the whole file: its
 * last line is whole, line break or not.
 */
export function lookedLines(head: string, lineBreak: RegExp): string[] {
  const lines = head.split(lineBreak).slice(0, LOOK_LINES);
  if (lines.length > 1 && head.length >= LOOK_BYTES) lines.pop();
  return lines;
}

/** A cell of the line opens with a quote and closes with one (not escaped) just before a delimiter or the line's end. */
function hasQuotedCell(line: string, delimiter: string, escape: CsvEscape): boolean {
  let start = 0;
  while (start <= line.length) {
    if (line[start] === '"') {
      let i = start + 1;
      for (; i < line.length; i++) {
        if (escape === 'backslash' && line[i] === '\\') i++;
        else if (line[i] === '"' && escape === 'quote' && line[i + 1] === '"') i++;
        else if (line[i] === '"') break;
      }
      if (i < line.length && (i + 1 === line.length || line.startsWith(delimiter, i + 1))) return true;
    }
    const next = line.indexOf(delimiter, start);
    if (next === -1) return false;
    start = next + delimiter.length;
  }
  return false;
}

/** The first bytes of the input (decompressed), decoded, for looksUnquoted; a read error names it `shownAs` (as the user gave it). */
export async function inputHead(path: string, gzip: boolean, shownAs = path): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  const stream = openInput(path, { gzip, label: shownAs });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= LOOK_BYTES) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).subarray(0, LOOK_BYTES).toString('utf8');
}
