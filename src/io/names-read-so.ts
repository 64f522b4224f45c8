import { quotedNames } from '../wording/quoted-names.js';
import { shownName } from '../wording/shown-name.js';
import { nearestName } from './nearest-name.js';
import { nameIndexes } from './unicode-name.js';
import { splitCsvLine } from './split-csv-line.js';

/**
 * What a one-column header would name under the delimiter it looks separated by, when the name asked for is not among
 * those names: a German Excel export (`Datum;Bewertung;Review Text;Preis`) scored with the default 'text' was told to
 * add --delimiter ';', and only the run after that named 'Review Text'. Empty when the name is there (the delimiter
 * alone mends the command). The cells are split as a header line is written by a spreadsheet: a quoted name loses its
 * quotes ("Review; full" stays one name).
 */
export function namesReadSo(column: string, delimiter: string, name: string): string {
  const names = splitCsvLine(column, delimiter);
  if (names.length < 2 || nameIndexes(names, name).length > 0) return '';
  const near = nearestName(name, names);
  return ` (read so, its columns are ${quotedNames(names)}${near === undefined ? '' : `: did you mean '${shownName(near)}'?`})`;
}
