import { textSetting, type TextNamed } from './text-parts.js';
import { nameIndexes } from './unicode-name.js';

/**
 * Several names written as one list (`--text-column title,review`, as other tools take them): the names, when every
 * part is a name `known` takes; undefined otherwise. Without this the line offered the nearest name ("did you mean
 * 'title'?"), and following it scored one column and dropped the other without a word.
 */
export function listedNames(name: string, known: (part: string) => boolean): readonly string[] | undefined {
  // Or spaces alone, quoted as one word (`--text-column "title review"`): offered 'review', the title dropped. A name
  // with a space in it that is there was found before this, so a list of spaces is one only of names that are there.
  const parts = /[,;|]/.test(name) ? name.split(/\s*[,;|]\s*/) : name.trim().split(/\s+/);
  if (parts.length < 2 || parts.some((part) => part === '')) return undefined;
  return parts.every(known) ? parts : undefined;
}

/** listedNames of a CSV header's columns, found as textColumnIndex finds one (in any Unicode form). */
export function listedColumns(columns: readonly string[], name: string): readonly string[] | undefined {
  return listedNames(name, (part) => nameIndexes(columns, part).length === 1);
}

/** How to name the columns or fields of a list: the flag repeated, or in a job file the key set to an array. */
export function listedColumnsAdvice(parts: readonly string[], named: TextNamed, jsonl = false): string {
  const join = `it names ${parts.length} of them: to join their texts`;
  if (typeof named === 'object') return `${join}, ${named.change(parts)}`;
  const flag = textSetting(named, jsonl).setting;
  return `${join}, repeat the flag: ${parts.map((part) => `${flag} '${part}'`).join(' ')}`;
}
