import { ConfigError } from '../errors.js';
import { ownKey } from './unicode-name.js';

/** A parsed `--text-field` such as `review.body`. */
export interface DottedPath {
  /** As the user wrote it, for messages. */
  text: string;
  segments: string[];
}

/** Whether `text` is a path --text-field can take: no empty segment (`a..b`, `.a`, ``). */
export function isDottedPath(text: string): boolean {
  return text.split('.').every((segment) => segment.length > 0);
}

/** Splits a dotted path; empty segments (`a..b`, `.a`, ``) are a ConfigError. */
export function parseDottedPath(text: string): DottedPath {
  if (!isDottedPath(text)) {
    throw new ConfigError(
      `--text-field expects a field name or a dotted path such as review.body, got ${JSON.stringify(text)}`,
    );
  }
  return { text, segments: text.split('.') };
}

/** What a path finds in a parsed JSON object. */
export type Lookup =
  | { found: true; value: unknown }
  /**
   * `absent`: why there is no value, when it is not a value of another type on the way: `key`, a key on the way is
   * not there; `null`, an object on the way is null (no value). Undefined for a string, number or array on the way.
   */
  | { found: false; reason: string; absent?: 'key' | 'null' };

/**
 * Follows a path through a parsed JSON object. A key that literally contains
 * the dots (`{"review.body": ...}`) is taken first, so such files still work.
 * Only own properties count: `constructor` or `__proto__` never reach Object.prototype.
 */
export function lookupPath(object: Record<string, unknown>, path: DottedPath): Lookup {
  if (path.segments.length > 1 && Object.hasOwn(object, path.text)) return { found: true, value: object[path.text] };
  let current: unknown = object;
  for (let i = 0; i < path.segments.length; i++) {
    const segment = path.segments[i]!;
    if (i > 0 && !isPlainObject(current)) {
      const parent = path.segments.slice(0, i).join('.');
      return { found: false, reason: `field '${parent}' is ${jsonTypeName(current)}, not an object, so '${path.text}' is missing`, ...(current === null ? { absent: 'null' as const } : {}) };
    }
    const container = current as Record<string, unknown>;
    const key = ownKey(container, segment);
    if (key === undefined) return { found: false, reason: `field '${path.text}' is missing`, absent: 'key' };
    current = container[key];
  }
  return { found: true, value: current };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** "a number", "an array", "null"... for messages about JSON values. */
export function jsonTypeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  if (typeof value === 'string') return 'a string';
  return typeof value;
}
