import { textSetting, type TextNamed } from './text-parts.js';
import { nameIndexes } from './unicode-name.js';

/**
 * Several column names written as one list (`--text-column title,review`, as other tools take them): the names,
 * when every part is a column of the header; undefined otherwise. Without this the line offered the nearest name
 * ("did you mean 'title'?"), and following it scored one column and dropped the other without a word.
 */
export function listedColumns(columns: readonly string[], name: string): readonly string[] | undefined {
  const parts = name.split(/\s*[,;|]\s*/);
  if (parts.length < 2 || parts.some((part) => part === '')) return undefined;
  return parts.every((part) => nameIndexes(columns, part).length === 1) ? parts : undefined;
}

/** How to name the columns of a list: the flag repeated, or in a job file the key set to an array. */
export function listedColumnsAdvice(parts: readonly string[], named: TextNamed): string {
  const join = `it names ${parts.length} of them: to join their texts`;
  if (typeof named === 'object') return `${join}, ${named.change(parts)}`;
  const flag = textSetting(named, false).setting;
  return `${join}, repeat the flag: ${parts.map((part) => `${flag} '${part}'`).join(' ')}`;
}
