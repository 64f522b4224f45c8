import { shownStart } from '../wording/shown-start.js';
import { ConfigError } from '../errors.js';
import { ambiguousColumn } from '../io/ambiguous-column.js';
import { nameWithWord, nearestName } from '../io/nearest-name.js';
import { nameIndexes } from '../io/unicode-name.js';
import { quotedNames } from '../wording/quoted-names.js';
import { delimiterWord } from '../wording/delimiter-word.js';

/**
 * Index of a column the user named (`--by product`), or undefined when none was named.
 * A name the header has twice is refused, as `score` refuses such a --text-column:
 * taking the first would report on a column the user may not have meant.
 */
export function columnIndex(columns: readonly string[], name: string | undefined, flag: string, added?: AddedColumns): number | undefined {
  if (name === undefined) return undefined;
  const matches = nameIndexes(columns, name);
  if (matches.length === 0) {
    const listed = `${flag} ${name}: ${missingWords(columns, added)}`;
    const hint = delimiterHint(columns, name);
    if (hint !== '') throw new ConfigError(`${listed}${hint}`);
    // A typo (`--by titl`), as score says of a --text-column: the same rule and words.
    const near = nearestName(name, columns) ?? nameWithWord(name, columns);
    throw new ConfigError(near === undefined ? listed : `${listed} (did you mean '${near}'?)`);
  }
  if (matches.length > 1) throw ambiguousColumn(`${flag} '${name}'`, matches);
  return matches[0];
}

/**
 * The sentiment columns among `columns` (score's, not the user's) and whose they are: `score --report-by` checks the
 * input's header with the columns the run will add, `report` a scored file's. A refusal lists them apart: they were
 * listed as the input's own ("the file has … sentiment_label"), which the input was not.
 */
export interface AddedColumns {
  names: readonly string[];
  /** `input`: score checking its input before the run (the columns are added later); `file`: a scored file. */
  of: 'input' | 'file';
}

function missingWords(columns: readonly string[], added: AddedColumns | undefined): string {
  if (added === undefined || added.names.length === 0) return `the file has no such column; columns are: ${quotedNames(columns)}`;
  const own = columns.filter((column) => !added.names.includes(column));
  const theirs = added.of === 'input' ? 'the ones score adds to the output' : 'the ones score added';
  return `the ${added.of} has no such column; its columns are: ${quotedNames(own)} (and ${theirs}: ${quotedNames(added.names)})`;
}

/** Delimiters files are commonly written with, tried when a header does not split on the one given. */
const COMMON_DELIMITERS = [',', ';', '\t', '|'];

/** Characters a column name is made of: the name found beside one of them is part of a longer name, not a cell of a header cut wrongly. */
const NAME_CHARACTER = /[\p{L}\p{N}_.-]/u;

/**
 * Whether `name` stands in `column` between separators (or its ends): `id;text;sentiment_label` (`id; text; label`
 * too), not `my_sentiment_label` or `title` for `titl`. A space alone separates words of one name: `--date Date` over
 * `Review Date` was told the delimiter was likely wrong, in a header split right.
 */
function holdsAsCell(column: string, name: string): boolean {
  for (let at = column.indexOf(name); at !== -1; at = column.indexOf(name, at + 1)) {
    const before = column.slice(0, at).trimEnd().slice(-1);
    const after = column.slice(at + name.length).trimStart().slice(0, 1);
    if (!NAME_CHARACTER.test(before) && !NAME_CHARACTER.test(after)) return true;
  }
  return false;
}

/**
 * A column named `id;text;sentiment_label` holding the wanted `sentiment_label`
 * means the header was split on the wrong character: say so, with the delimiter
 * that would split it ("" when the name is in no column, or only as part of a
 * longer name: `title` for a mistyped `titl`, `my_sentiment_label` of another --prefix).
 */
export function delimiterHint(columns: readonly string[], name: string): string {
  const holder = columns.find((column) => column !== name && column.length > name.length && holdsAsCell(column, name));
  if (holder === undefined) return '';
  const fits = COMMON_DELIMITERS.find((d) => holder.split(d).some((part) => part.trim().replace(/^"|"$/g, '') === name));
  const flag = fits === undefined ? '--delimiter' : `--delimiter ${delimiterWord(fits)}`;
  return `; the column '${shownStart(holder, 80)}' holds the name '${name}', so the delimiter is likely wrong: give ${flag}`;
}
