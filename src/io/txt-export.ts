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
