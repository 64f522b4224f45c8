import { peekFile } from './peek-file.js';
import { shellWord } from '../wording/shell-word.js';

/**
 * A `.txt` file that starts with a UTF-16 byte-order mark: Excel's "Unicode Text (*.txt)" export, UTF-16 and
 * tab-separated. The refusal of its extension said only to name the format; the run with `--format tsv` then said it is
 * UTF-16: two runs to learn one conversion. Undefined for any other file (the extension's refusal as before).
 */
export function utf16TextExportAdvice(file: string, formatFlag: string): string | undefined {
  const head = peekFile(file, 2);
  if (head === undefined || !((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))) return undefined;
  const tsv = file.replace(/\.txt$/i, '.tsv');
  return (
    `it starts with a UTF-16 byte-order mark, as Excel's "Unicode Text" export does (UTF-16, tab-separated), which ${formatFlag} ` +
    `tsv would refuse as not UTF-8: convert it, e.g. iconv -f UTF-16 -t UTF-8 ${shellWord(file)} > ${shellWord(tsv)}, then run the same command on that file`
  );
}

/** How far a .txt's first line is looked at for its delimiter: a header, not the file. */
const FIRST_LINE_BYTES = 64 * 1024;

/**
 * A `.txt` of UTF-8 or another 8-bit encoding: Excel's "Text (Tab delimited) (*.txt)" export, or a CSV or JSON Lines
 * file named so. Its refusal said "name the format with --format csv|tsv|jsonl", and which one, with which delimiter,
 * was left to guess; the first line shows it. Undefined when it shows none of them.
 */
export function textExportAdvice(file: string, formatFlag: string): string | undefined {
  const head = peekFile(file, FIRST_LINE_BYTES);
  if (head === undefined) return undefined;
  // Latin-1 maps every byte to one character: the delimiters are ASCII, whatever the file's encoding.
  const line = head.toString('latin1').replace(/^\u00ef\u00bb\u00bf/, '').split(/\r\n|\r|\n/)[0]!;
  if (line.trimStart().startsWith('{')) return `its first line opens a JSON object: if it holds one per line (JSON Lines), add ${formatFlag} jsonl (or name it .jsonl)`;
  const counts = (['\t', ';', ',', '|'] as const).map((d) => [d, line.split(d).length - 1] as const).filter(([, n]) => n > 0);
  if (counts.length === 0) return undefined;
  const [delimiter] = counts.reduce((best, next) => (next[1] > best[1] ? next : best));
  if (delimiter === '\t') return `its first line is tab-separated, as Excel's "Text (Tab delimited)" export writes it: add ${formatFlag} tsv (or name it .tsv)`;
  if (delimiter === ',') return `its first line is ','-separated: add ${formatFlag} csv (or name it .csv)`;
  return `its first line is '${delimiter}'-separated: add ${formatFlag} csv --delimiter '${delimiter}'`;
}
