import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { CsvHeader } from './csv-header.js';
import { STDIN_PATH } from './format.js';
import { copyBeside } from '../wording/copy-beside.js';
import { shellWord } from '../wording/shell-word.js';

/** The input a command can read again: its path as the user gave it, and whether it is gzipped. */
export interface RenamableFile {
  path: string;
  gzip: boolean;
}

/** Delimiters awk's -F takes as themselves (one character other than a space is literal; a tab is written \t), as awk writes them. */
const AWK_SEPARATORS: Readonly<Record<string, string>> = { ',': ',', ';': ';', '|': '|', '\t': '\\t' };

/**
 * A one-line command that writes a copy of the input whose header names every column of `matches` (0-based) but the
 * first `NAME_N` (N its number), for a header with the text column twice: "rename one of them" said nothing of how for
 * an export the user cannot edit (newuser18), and the tool names columns, not numbers (numbered-column.ts). The rows
 * are copied as they are. Undefined where awk would not split the header's line as the reader does (a quoted name, a
 * delimiter awk reads otherwise, a header over more than one line), for standard input, or where a new name is taken.
 */
export function renameColumnCommand(file: RenamableFile, header: CsvHeader, name: string, matches: readonly number[]): string | undefined {
  const separator = AWK_SEPARATORS[header.delimiter];
  if (separator === undefined || file.path === STDIN_PATH) return undefined;
  const line = header.raw.replace(/\r?\n$|\r$/, '');
  const cells = line.split(header.delimiter);
  if (cells.length !== header.columns.length || cells.some((cell, i) => cell !== header.columns[i])) return undefined;
  const renamed = matches.slice(1).map((index) => ({ number: index + 1, to: `${name}_${index + 1}` }));
  // A name awk's string would not hold as it is, or one the header has already: no command rather than a wrong one.
  if (renamed.some(({ to }) => /["\\\n\r]/.test(to) || header.columns.includes(to))) return undefined;
  // awk splits records at LF only: a CR-only export is one record to it (the last header cell renamed took the first
  // row's first cell with it), so its records are split at CR; a CRLF header's last cell holds the CR, which a
  // renamed last column gives back (or the copy's header ended with a bare LF).
  const ending = /\r\n$/.test(header.raw) ? '\r\n' : /\r$/.test(header.raw) ? '\r' : '\n';
  const last = header.columns.length;
  const rename = `NR==1{${renamed.map(({ number, to }) => `$${number}="${to}${ending === '\r\n' && number === last ? '\\r' : ''}"`).join(';')}}`;
  // awk ends every record it prints with ORS: a last row without a line break gained one. The separator is then
  // printed before each record but the first, so the copy ends as the export does (review62).
  const joined = `${rename}{printf "%s%s", (NR>1 ? ORS : ""), $0}`;
  // A gzipped export is not read to its end to tell: one line break more is given to awk after it, and the records
  // joined. An export ending with one then ends with an empty record, which gives it back; one without, with its last row.
  const program = file.gzip ? joined : endsWithLineBreak(file.path) ? `${rename}1` : joined;
  const records = ending === '\r' ? ` -v RS='\\r' -v ORS='\\r'` : '';
  const awk = `awk -F'${separator}' -v OFS='${separator}'${records} ${shellWord(program)}`;
  const extension = /\.tsv(\.gz)?$/i.test(file.path) ? 'tsv' : 'csv';
  const copy = shellWord(copyBeside(file.path, 'renamed', extension));
  const lineBreak = ending === '\r' ? "printf '\\r'" : 'echo';
  const command = file.gzip ? `{ gunzip -c ${shellWord(file.path)}; ${lineBreak}; } | ${awk} > ${copy}` : `${awk} ${shellWord(file.path)} > ${copy}`;
  const names = renamed.map(({ number, to }) => `column ${number} '${to}'`).join(', ');
  return `${command} names ${names} in a copy, to read in its place`;
}

/**
 * Whether the file's last byte is a line break (LF or CR), read where the command is made; true when it cannot be read
 * (the command then ends the copy with one, as awk does). A gzipped export is not read for it (see renameColumnCommand).
 */
function endsWithLineBreak(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const size = fstatSync(fd).size;
    if (size === 0) return true;
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] === 0x0a || last[0] === 0x0d;
  } catch {
    return true;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
