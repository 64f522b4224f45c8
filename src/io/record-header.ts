import { shownName } from '../wording/shown-name.js';
import { shownStart } from '../wording/shown-start.js';
import { nearestName } from './nearest-name.js';
import { andList } from '../wording/and-list.js';

// A cell that reads as a record's value, which no column name is: a number (`1`, `4.5`, `4,5`), a date or a time stamp
// (`2026-11-01`, `2026-11-01 10:00:00+00`, `01.11.2026`, `11/1/2026 10:01:00`).
const VALUE = /^\s*(?:[+-]?\d+(?:[.,]\d+)?|\d{4}-\d{2}-\d{2}(?:[ T][\d:.+\-Z ]*(?:UTC)?)?|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}(?:[ ,T]+[\d:.]+(?:\s?[AP]M)?)?)\s*$/i;

/** A cell that reads as a review's text: a line break in it, or four words or more (with a number or date beside it, below). */
function readsAsText(cell: string): boolean {
  return /[\r\n]/.test(cell.trim()) || cell.trim().split(/\s+/).length >= 4;
}

/**
 * Whether the line's values are all column numbers: cells side by side counting up by one, three or more (`0,1,2`,
 * `1,2,3`: pandas' 0, 1, 2, a survey export's question numbers, a pivot's years), and no value beside them. A record's
 * ratings can count up so (`1001,3,4,5,The room was clean…`, 2 of the 10,000 records of the Booking sample), but beside
 * an id, a date or a score: such a line was taken for a header, and its review offered as the text column's name.
 * Without an id (`3,4,5,The room was clean…`), told apart by where the numbers count from: column numbers count from 0
 * (pandas) or 1 (questions), or are years; from elsewhere only beside a name (`respondent,3,4,5,What…?`: a cell neither
 * a value nor a text, or an empty first one, pandas' unnamed index), which a record of ratings and a review lacks.
 * Ratings counting from 1 with no id (`1,2,3,Great…`): nothing in the line tells them apart from question numbers over
 * a question (which can be as long as a review, and as punctuated), but the record below can (ratingsFromOne).
 */
function numberedColumns(columns: readonly string[]): boolean {
  const numbered = new Set<number>();
  // An empty cell is a name only first, where pandas writes its unnamed index's (`,3,4,5,…`); after ratings it is a
  // record's empty value (`3,4,5,,<review>`: no title).
  const named = columns.some((cell, at) => (cell.trim() === '' ? at === 0 : !VALUE.test(cell) && !readsAsText(cell)));
  let run = 1;
  for (let at = 1; at < columns.length; at++) {
    const [before, cell] = [columns[at - 1]!.trim(), columns[at]!.trim()];
    run = /^\d+$/.test(before) && /^\d+$/.test(cell) && Number(cell) === Number(before) + 1 ? run + 1 : 1;
    const first = columns[at - run + 1]!.trim();
    if (run >= 3 && (named || Number(first) <= 1 || /^\d{4}$/.test(first))) for (let back = at - run + 1; back <= at; back++) numbered.add(back);
  }
  return numbered.size > 0 && columns.every((cell, at) => numbered.has(at) || !VALUE.test(cell));
}

/**
 * What to say of a header whose cells read as a record (a number or a date beside a text): an export written without its
 * header row (psql's `\copy … csv` without `header`, `COPY … TO`, MySQL's `INTO OUTFILE`). Its first record is read as
 * the header, so it would be written back with the new column names and never scored; offering one of its values as the
 * text column ("did you mean 'Great product, works well'?") led there. Both kinds are needed: a question as a column
 * name (Google Forms) or names that are numbers (pandas' 0, 1, 2) are headers, and so is one with both, when its
 * numbers count up as column numbers do (`respondent,0,1,2,What could we do better?`, a survey export: numberedColumns).
 * Undefined for a header that is one.
 *
 * `name` is the column asked for, named in the header line to put in front (`text`, the default, for a number); `use`
 * says how to name a column instead (`run again with --text-column 'X'`), for a line that may be a header after all.
 */
export function recordHeaderAdvice(columns: readonly string[], name: string, next?: readonly string[], use?: (column: string) => string): string | undefined {
  const value = columns.find((cell) => VALUE.test(cell));
  const textsAt = columns.flatMap((cell, i) => (!VALUE.test(cell) && readsAsText(cell) ? [i + 1] : []));
  const text = columns[(textsAt[0] ?? 0) - 1];
  const numbered = numberedColumns(columns);
  if (value === undefined || text === undefined || (numbered && !ratingsFromOne(columns, next))) return undefined;
  // The name asked for nearly one of its cells (a typo, another case): a header's name, so a header, whose date- or
  // number-named columns (a pivot's) read as values; "put a line of column names in front" would make it a scored record.
  // (Values are left out: a column number `2` is near a record's `1`.)
  if (nearestName(name, columns.filter((cell) => !VALUE.test(cell))) !== undefined) return undefined;
  const advice = noHeaderRow(`'${shownCell(value)}' is a value, '${shownCell(text)}' a text`, textsAt, name);
  // Numbered from 1 beside texts alone, read as ratings by the record below (ratingsFromOne): most likely, not surely. A
  // survey's `1,2,3,Tell us about your stay` (no ? or :) over answers is the same line: told only that it had no header
  // and to put one in front, its question would be scored as a review. Its question, a name then, is said in full; a
  // text longer than a question is (a review of 2,000 characters) or of several lines is no question to offer.
  if (!numbered || use === undefined || text.length > MAX_QUESTION_CHARS || /[\r\n]/.test(text)) return advice;
  return `${advice}; if the line is a survey's question numbers over its question instead, it is the header: ${use(text)}`;
}

/** The longest text offered as a survey's question, which a name given in full must repeat; a longer one is a review. */
const MAX_QUESTION_CHARS = 150;

/** A question or a prompt (`What could we do better?`, `Anything else to tell us:`): a column name whatever is below it. */
const QUESTION = /[?:]\s*$/;

/**
 * Whether a line numbered from 1 with no name (`1,2,3,The room was clean…`) is a record of ratings, by the record below
 * it (`next`): a value under each value and a text under each text, and none of its texts a question or a prompt. It
 * was read as question numbers over a question, and its review offered as the text column's name. Not for numbers from
 * 0 (pandas' columns over its rows) nor years: those stay headers.
 */
function ratingsFromOne(columns: readonly string[], next: readonly string[] | undefined): boolean {
  if (next === undefined || next.length !== columns.length || columns[0]?.trim() !== '1') return false;
  return columns.every((cell, i) => (VALUE.test(cell) ? VALUE.test(next[i]!) : readsAsText(cell) && !QUESTION.test(cell) && readsAsText(next[i]!)));
}

/** A code: one word holding a digit (`a1b2`, `ORD-1001`, `r001`), an id's look, a value where no VALUE is. */
const CODE = /^\s*[^\s\d]*\d\S*\s*$/;

/**
 * What to say of a header shaped as the record below it, with no number or date in it (recordHeaderAdvice's sign): a
 * headerless export whose ids are codes (`"a1b2","Absolutely love it, …"` from jq's @csv). The missing-column line
 * offered its review as the text column's name ("did you mean 'Absolutely love it, …'?"). A header cell that reads as
 * a text beside one that is a code, each above a cell of its kind (`c3d4` under `a1b2`, a text under the text), is a
 * record. A survey's header is not so shaped: `respondent` is no code above `r001`, and a question (ending in `?` or
 * `:`) is a column name whatever is below it. Undefined when the header is not so, or `next` was not read.
 */
export function recordShapedHeaderAdvice(columns: readonly string[], next: readonly string[] | undefined, name: string): string | undefined {
  if (next === undefined || next.length !== columns.length) return undefined;
  if (columns.length === 1) return reviewsOnlyAdvice(columns[0]!, next[0]!, name);
  const textsAt = columns.flatMap((cell, i) => (readsAsText(cell) && readsAsText(next[i]!) ? [i + 1] : []));
  const text = columns[(textsAt[0] ?? 0) - 1];
  const code = columns.findIndex((cell, i) => !VALUE.test(cell) && CODE.test(cell) && CODE.test(next[i]!) && !readsAsText(next[i]!));
  if (text === undefined || code === -1) return undefined;
  if (columns.some((cell) => readsAsText(cell) && QUESTION.test(cell))) return undefined;
  // Every other cell is of the kind of the one below it: a text above a text, a code above a code.
  const kind = (cell: string): string => (readsAsText(cell) ? 'text' : CODE.test(cell) ? 'code' : 'other');
  if (columns.some((cell, i) => kind(cell) !== kind(next[i]!))) return undefined;
  if (nearestName(name, columns) !== undefined) return undefined;
  return noHeaderRow(`'${shownCell(columns[code]!)}' is shaped as the '${shownCell(next[code]!)}' below it, '${shownCell(text)}' is a text`, textsAt, name);
}

/**
 * A headerless file of reviews only (one column): its first line, a text, over another text. Its first review was offered
 * as the text column's name ("did you mean 'Great product and it works well'?"). A question or a prompt is a header's
 * name (`What did you think of it?`, `Please write your review here:`), and so is one the name asked for nearly is.
 */
function reviewsOnlyAdvice(cell: string, below: string, name: string): string | undefined {
  if (!readsAsText(cell) || QUESTION.test(cell) || !readsAsText(below) || nearestName(name, [cell]) !== undefined) return undefined;
  return noHeaderRow(`'${shownCell(cell)}' is a text, as the '${shownCell(below)}' below it is`, [1], name);
}

/** The advice for a first line that reads as a record (`why` says how), naming the text column to put in front. */
function noHeaderRow(why: string, textsAt: readonly number[], name: string): string {
  const given = /^\s*\d+\s*$/.test(name) || name.trim() === '' ? 'text' : name;
  const named = given === 'text' ? 'text (the text column read by default)' : shownName(given);
  return (
    `the first line reads as a record, not a header (${why}), so the export has no ` +
    `header row (psql's \\copy ... csv without header, COPY ... TO and MySQL's INTO OUTFILE write none) and its first record would be ` +
    `taken for one, never scored: export it with its header (\\copy ... csv header), or put a line of column names in front of it, ` +
    naming(textsAt, named)
  );
}

/**
 * Which column to name: the one that reads as a text, or, when several do (Booking.com's Negative_Review and
 * Positive_Review), all of them, naming none as the one asked for: "naming column 5 Positive_Review", the first text
 * met, followed, scored the negative reviews under that name.
 */
function naming(textsAt: readonly number[], named: string): string {
  if (textsAt.length === 1) return `naming column ${textsAt[0]} ${named}`;
  return `naming ${named} the column of the texts to score (columns ${andList(textsAt)} read as texts)`;
}

/** The longest part of a cell shown: a headerless line's cells are values (a review of 2,000 characters), not names to type. */
const SHOWN_CELL_CHARS = 80;

/** A cell of a line that reads as a record, as a message shows it: cut, with its look-alike characters escaped (shown-name.ts). */
export function shownCell(cell: string): string {
  return shownStart(shownName(cell), SHOWN_CELL_CHARS);
}
