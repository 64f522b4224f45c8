import { isPlainObject } from '../io/dotted-path.js';

/** What a field's values are when none of them can be read as one: the words of a refusal. */
export type ContainerKind = 'an array' | 'an object' | 'an object or an array';

/**
 * What the values are when each is an object or an array, else undefined: the one test of the text field's start-up
 * refusal (jsonl-fields.ts) and the report fields' (report/object-field.ts), and of the paths either may offer in its
 * place, so that a path offered is never refused in turn.
 */
export function containerKind(values: readonly unknown[]): ContainerKind | undefined {
  if (values.length === 0 || !values.every((value) => isPlainObject(value) || Array.isArray(value))) return undefined;
  return values.every(Array.isArray) ? 'an array' : values.every(isPlainObject) ? 'an object' : 'an object or an array';
}

/**
 * What a text field's values are when none is text: an object or an array (containerKind), or true or false, which
 * the job never scores either (text_not_string, as an object is). Undefined when one is a string, a number (refused
 * apart, numbers-as-text.ts) or null (no text: a row's own outcome), or there is none.
 */
export function notTextKind(values: readonly unknown[]): ContainerKind | 'true or false' | 'true or false, or an object or an array' | undefined {
  const container = containerKind(values);
  if (container !== undefined) return container;
  if (values.length === 0 || !values.every((value) => typeof value === 'boolean' || isPlainObject(value) || Array.isArray(value))) return undefined;
  return values.every((value) => typeof value === 'boolean') ? 'true or false' : 'true or false, or an object or an array';
}
