import { shownName } from './shown-name.js';

/** How many characters of a record's cell a message shows before `…`. */
export const CELL_SHOWN = 40;

/**
 * A record's cell as a message shows it: its first CELL_SHOWN characters and `…` when longer, as shownName writes a name.
 * A headerless export's first record is listed as its "columns": a review shown whole made Booking.com's refusal a
 * 4,332-character line, its advice lost at the end. Cut by code point, so no surrogate pair is split.
 */
export function cutCell(cell: string): string {
  const characters = Array.from(cell);
  if (characters.length <= CELL_SHOWN) return shownName(cell);
  return `${shownName(characters.slice(0, CELL_SHOWN).join('').trimEnd())}…`;
}
