import { closest, withinEdits } from '../config/did-you-mean.js';

/**
 * The name among `names` that `wanted` most likely meant (a column or field
 * name): the same name in another case or with stray spaces, else the closest
 * likely typo, by the same rule as the command line's did-you-mean.
 * Undefined when nothing is close; never a blank name.
 */
export function nearestName(wanted: string, names: readonly string[]): string | undefined {
  // A name that is empty (or only white space) is never offered: --text-column '' is refused, so it would be a dead end.
  const named = names.filter((name) => name.trim() !== '');
  const trimmed = named.map((name) => name.trim());
  const near = closest(wanted.trim(), trimmed);
  return near === undefined ? undefined : named[trimmed.indexOf(near)];
}

/**
 * The name among `names` to offer as the text column (or field) `wanted` meant: nearestName's, unless that only begins
 * with `wanted` (`review` of review_id). Then the names that begin so and hold text are offered in `texts()` order (the
 * longest texts first), and none when none does: README's `--text-column review`, over Amazon's review_id,
 * review_headline, review_body, was offered review_id, the first name beginning so, and the run naming it was refused
 * as a column of codes. A near typo (`reveiw_id`) is offered as it is: its name, not its values, says what was meant.
 */
export function nearestTextName(wanted: string, names: readonly string[], texts: () => readonly string[]): string | undefined {
  const near = nearestName(wanted, names);
  if (near === undefined || withinEdits(wanted.trim(), near.trim())) return near;
  return texts().find((name) => names.includes(name) && name.trim().startsWith(wanted.trim()));
}

/**
 * The one name among `names` that holds `wanted` as a word of its own (`date` in review_date, Review Date, reviewDate
 * or meta.review_date); undefined when none or several do. README's `--date date --rating rating`, given to an export
 * with review_date and star_rating, was offered neither: they are no typo of the names given. Report's CSV columns
 * (report/columns.ts) and JSONL fields (report/jsonl-check.ts) both ask this, after nearestName; `usable` leaves out
 * names that would be refused if offered.
 */
export function nameWithWord(wanted: string, names: readonly string[], usable: (name: string) => boolean = () => true): string | undefined {
  const word = wanted.trim().toLowerCase();
  if (word === '') return undefined;
  const words = (name: string): string[] => name.replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2').toLowerCase().split(/[^\p{L}\p{N}]+/u);
  // `usable` is asked only of the names holding the word: JSONL's check of a path walks every sampled record.
  const holding = names.filter((name) => words(name).includes(word)).filter(usable);
  return holding.length === 1 ? holding[0] : undefined;
}
