import { groupedNumber } from './grouped-number.js';

/**
 * A count and its noun, singular for exactly one: "1 row", "2 rows",
 * "1,234 attempts". Every message that counts rows or attempts goes through
 * here, so none says "1 rows".
 */
export function counted(count: number, singular: string, plural = `${singular}s`): string {
  return `${groupedNumber(Math.round(count))} ${count === 1 ? singular : plural}`;
}

/** "the first line is not" for one, "none of the first 3 lines is" for more: a sample none of whose members has something. */
export function noneOfTheFirst(count: number, singular: string, plural = `${singular}s`): string {
  return count === 1 ? `the first ${singular} is not` : `none of the first ${groupedNumber(count)} ${plural} is`;
}
