import { quotedNames } from '../wording/quoted-names.js';
import { nameIndexes } from './unicode-name.js';

/** A cell of digits (an id, a rating, a price): a value, not a name. */
const NUMBER = /^[\d.,\s+-]+$/;

/**
 * A header further down: a sheet laid out for people (a report's title, a blank row, then the names) exports its title
 * as the header, and the name given sits in a record below it. It was told that a column "holds text but has no name:
 * write a name for it", which renames the title's empty cells. Said only of a record that holds the name and another
 * name beside it (a cell that is not a number), so that a review which is the word itself is not taken for a header.
 * Undefined when no such record is among those sampled, and for a name that is a number: `--text-column 2` (a column
 * counted, as cut counts them) finds the record whose id is 2, which is no header (numbered-column.ts says which it is).
 */
export function headerBelowAdvice(sampled: ReadonlyArray<readonly string[]> | undefined, name: string, header: readonly string[]): string | undefined {
  if (NUMBER.test(name)) return undefined;
  const at = (sampled ?? []).findIndex((cells) => {
    const named = nameIndexes(cells, name);
    // A title exported from a sheet leaves cells empty (`Customer reviews Q4,,`) or is a line of one cell: a full header
    // over a record holding the name is a value there (a form export's `1,text,Great product` under `id,type,answer`).
    const titled = header.length < cells.length || header.some((cell) => cell.trim() === '');
    return titled && named.length === 1 && cells.some((cell, i) => i !== named[0] && cell.trim() !== '' && !NUMBER.test(cell));
  });
  if (at === -1) return undefined;
  const names = sampled![at]!;
  return `record ${at + 1} below it holds '${name}' among ${quotedNames(names)}: the export has a title or other lines above its header row; delete them so that the header comes first, then run the same command`;
}
