import type { TextSettingWords } from './text-parts.js';
import { shownName } from '../wording/shown-name.js';

/**
 * A column given by its number (`--text-column 3`, as cut and awk count them) that no column is named: which column
 * that number counts to, and its name to give. It was offered the nearest name by letters, with no word that columns
 * are named. Undefined for a name that is not a number, or one past the last column (or a column with no name).
 */
export function numberedColumnAdvice(columns: readonly string[], name: string, words: TextSettingWords): string | undefined {
  if (!/^\d{1,4}$/.test(name.trim())) return undefined;
  const number = Number(name.trim());
  const column = columns[number - 1];
  if (number < 1 || column === undefined || column === '') return undefined;
  return `a column is named, not numbered: column ${number}, counting from 1, is '${shownName(column)}': ${words.use(column)}`;
}
