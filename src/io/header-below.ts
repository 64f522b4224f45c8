import { quotedNames } from '../wording/quoted-names.js';
import { nearestName } from './nearest-name.js';
import { nameIndexes } from './unicode-name.js';

/** A cell of digits (an id, a rating, a price): a value, not a name. */
const NUMBER = /^[\d.,\s+-]+$/;

/** A title exported from a sheet leaves cells empty (`Customer reviews Q4,,`) or is a line of one cell. */
function titledHeader(header: readonly string[], cells: readonly string[]): boolean {
  return header.length < cells.length || header.some((cell) => cell.trim() === '');
}

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
    // A full header over a record holding the name is a value there (a form export's `1,text,Great product` under
    // `id,type,answer`): only a titled one is looked under.
    return titledHeader(header, cells) && named.length === 1 && cells.some((cell, i) => i !== named[0] && cell.trim() !== '' && !NUMBER.test(cell));
  });
  if (at === -1) return undefined;
  const names = sampled![at]!;
  return `record ${at + 1} below it holds '${name}' among ${quotedNames(names)}: the export has a title or other lines above its header row; delete them so that the header comes first, then run the same command`;
}

/**
 * The same sheet run with the default name (`text`), or a name that is not in the header below either
 * (`--text-column body` over `id,review,rating`): there is no name to look for, and it was told that the title's empty cell over the reviews
 * "holds text but has no name: write a name for it". Said when the header is a title (one cell filled, the others
 * empty or missing) and the first record that is not blank is shaped as a header: a name in each of its cells, at least
 * two, all different, none a number; and records follow it (a headerless export's second review line is no header
 * above nothing), whose longest column's values are longer on average than its name there. The run again names the
 * name there nearest `wanted` (nearestName), else the column whose cells below it are longest on average, where reviews are.
 */
export function titleAboveAdvice(sampled: ReadonlyArray<readonly string[]> | undefined, header: readonly string[], wanted: string, use: (name: string) => string): string | undefined {
  const records = sampled ?? [];
  const at = records.findIndex((cells) => cells.some((cell) => cell.trim() !== ''));
  if (at === -1) return undefined;
  const names = records[at]!;
  const title = header.filter((cell) => cell.trim() !== '').length === 1 && titledHeader(header, names);
  const shaped = names.length >= 2 && new Set(names.map((cell) => cell.trim())).size === names.length && names.every((cell) => cell.trim() !== '' && !NUMBER.test(cell));
  const below = records.slice(at + 1).filter((cells) => cells.length === names.length);
  if (!title || !shaped || below.length === 0) return undefined;
  const length = (i: number): number => below.reduce((sum, cells) => sum + cells[i]!.length, 0);
  const longest = names.reduce((best, _, i) => (length(i) > length(best) ? i : best), 0);
  // A header names its reviews in fewer characters than they hold on average ('review' over whole sentences); a first
  // record of reviews is as long as those below it (`Would return` over `Never again`: a header `review,` whose second
  // column has no name, or a headerless export), and deleting the line above it would lose a header or a review.
  if (names[longest]!.trim().length * below.length >= length(longest)) return undefined;
  // A near miss of one of its names ('comment' for 'comments') means that one, as under a plain header (review69).
  const named = nearestName(wanted, names) ?? names[longest]!;
  return `record ${at + 1} below it looks like the header (${quotedNames(names)}): the export has a title or other lines above its header row; delete them so that the header comes first, then ${use(named)}`;
}
