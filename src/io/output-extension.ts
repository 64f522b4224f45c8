import { ConfigError } from '../errors.js';
import { detectFormat, isWorkbookName, STDOUT_PATH, type InputFormat } from './format.js';

/**
 * The output is written in the input's format (its records keep their
 * original bytes), so an output named for another format would be mislabelled:
 * `-o out.jsonl` for a CSV input used to write CSV into out.jsonl. Refused here,
 * at startup, as is one named as a workbook (.xlsx). An output whose extension names no format (.txt, .out) is fine.
 */
export function checkOutputExtension(input: string, format: InputFormat | undefined, output: string): void {
  if (output === STDOUT_PATH) return;
  const written = formatOf(input, format);
  // -o reviews.xlsx: a spreadsheet would refuse CSV bytes under a workbook's name (it was written so, exit 0).
  if (written !== undefined && isWorkbookName(output.toLowerCase())) {
    const opens = written === 'jsonl' ? '' : ', which a spreadsheet opens as it opens the input';
    throw new ConfigError(
      `output ${output} is named as a spreadsheet workbook, but the records would be written as ${written.toUpperCase()} text, like the input ` +
        '(sentiment-batch keeps each record\'s original bytes and does not convert formats); ' +
        `name the output .${written}${opens} (or leave -o out: the default is <input>.scored.${written})`,
    );
  }
  const named = formatOf(output, undefined);
  if (written === undefined || named === undefined || written === named) return;
  throw new ConfigError(
    `output ${output} is named as ${named.toUpperCase()} but the records would be written as ${written.toUpperCase()}, like the input ` +
      '(sentiment-batch keeps each record\'s original bytes and does not convert formats); ' +
      `name the output .${written} (or leave -o out: the default is <input>.scored.${written})`,
  );
}

/** The format a path's extension names, or undefined when it names none. */
function formatOf(file: string, format: InputFormat | undefined): InputFormat | undefined {
  try {
    return detectFormat(file, format).format;
  } catch {
    return undefined;
  }
}
