import { ConfigError } from '../errors.js';
import { isPlainObject, lookupPath, parseDottedPath } from '../io/dotted-path.js';
import { fieldPaths, nameablePaths } from '../preflight/jsonl-fields.js';
import type { JsonlSample } from '../preflight/jsonl-sample.js';

/**
 * A field named for the report (`--rating rating`) that holds an object or an array in every sampled record that has
 * a value there: mongoexport's `{"$numberDouble": "4.5"}` and `{"$date": "…"}`. No row's value could be read, and
 * each was counted as missing: an empty table or trend, exit 0. Refused (exit 2), naming the field inside it that
 * holds the value, as a text field that is an object is (preflight/jsonl-fields.ts).
 */
export function refuseObjectField(sample: JsonlSample, flag: string, field: string): void {
  const path = parseDottedPath(field);
  const values = sample.objects.flatMap((object) => {
    const found = lookupPath(object, path);
    return found.found && found.value !== null ? [found.value] : [];
  });
  if (values.length === 0 || !values.every((value) => isPlainObject(value) || Array.isArray(value))) return;
  const kind = values.every(Array.isArray) ? 'an array' : values.every(isPlainObject) ? 'an object' : 'an object or an array';
  const records = sample.objects.length;
  const where =
    values.length >= records
      ? records === 1 ? 'in the first record' : `in each of the first ${records} records`
      : values.length === 1 ? `in the only one of the first ${records} records that has a value there` : `in each of the ${values.length} of the first ${records} records that have a value there`;
  const inside = nameablePaths(fieldPaths(values.filter(isPlainObject))).map((inner) => `${field}.${inner}`);
  const next =
    inside.length === 1
      ? `the value is inside it: use ${flag} '${inside[0]}'`
      : inside.length > 1
        ? `the values inside it are ${inside.slice(0, 10).map((inner) => `'${inner}'`).join(', ')}: name one with ${flag}`
        : `name the field that holds the value with ${flag}`;
  throw new ConfigError(`${flag} '${field}' is ${kind}, not a value, ${where}; ${next}`);
}
