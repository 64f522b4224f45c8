import { ConfigError } from '../errors.js';
import { isPlainObject, lookupPath, parseDottedPath } from '../io/dotted-path.js';
import { fieldPaths, MAX_DEPTH, nameablePaths } from '../preflight/jsonl-fields.js';
import type { JsonlSample } from '../preflight/jsonl-sample.js';
import { containerKind } from '../preflight/value-kind.js';

/** The paths inside a refused field that its line offers, at most. */
const SHOWN = 10;

/**
 * A field named for the report (`--rating rating`) that holds an object or an array in every sampled record that has
 * a value there: mongoexport's `{"$numberDouble": "4.5"}` and `{"$date": "…"}`. No row's value could be read, and
 * each was counted as missing: an empty table or trend, exit 0. Refused (exit 2), naming the field inside it that
 * holds the value, as a text field that is an object is (preflight/jsonl-fields.ts).
 */
export function refuseObjectField(sample: JsonlSample, flag: string, field: string): void {
  const values = valuesAt(sample.objects, field);
  const kind = containerKind(values);
  if (kind === undefined) return;
  const records = sample.objects.length;
  const where =
    values.length >= records
      ? records === 1 ? 'in the first record' : `in each of the first ${records} records`
      : values.length === 1 ? `in the only one of the first ${records} records that has a value there` : `in each of the ${values.length} of the first ${records} records that have a value there`;
  // Only paths this check takes: the fields are walked MAX_DEPTH levels, so one deeper ends at an object (refused as
  // this one is, offering one deeper again), and a path to an array in every record is refused too.
  // The first SHOWN of them are enough (10,000 paths checked took 3 s).
  const objects = values.filter(isPlainObject);
  let tooDeep = false;
  const inside: string[] = [];
  for (const inner of nameablePaths(fieldPaths(objects))) {
    const kindThere = containerKind(valuesAt(objects, inner));
    if (kindThere === 'an object') tooDeep = true;
    if (kindThere === undefined && inside.push(`${field}.${inner}`) === SHOWN) break;
  }
  const next =
    inside.length === 1
      ? `the value is inside it: use ${flag} '${inside[0]}'`
      : inside.length > 1
        ? `the values inside it are ${inside.map((inner) => `'${inner}'`).join(', ')}: name one with ${flag}`
        : tooDeep
          ? // Too deep to list, not to name: the full path is taken, and a field nearer the top is an object again.
            `the values inside it are nested more than ${MAX_DEPTH} levels below it, too deep to list: name the full path to a value with ${flag}, or flatten the records`
          : `name the field that holds the value with ${flag}`;
  throw new ConfigError(`${flag} '${field}' is ${kind}, not a value, ${where}; ${next}`);
}

/**
 * Whether refuseObjectField takes `field` in these records: a path it offers, as a "did you mean", must not be refused
 * in turn (the fields are walked MAX_DEPTH levels: a path that deep may end at an object).
 */
export function takenAsValue(objects: ReadonlyArray<Record<string, unknown>>, field: string): boolean {
  return containerKind(valuesAt(objects, field)) === undefined;
}

/** The values at `field` in these records, of those that have one that is not null. */
function valuesAt(objects: ReadonlyArray<Record<string, unknown>>, field: string): unknown[] {
  const path = parseDottedPath(field);
  return objects.flatMap((object) => {
    const found = lookupPath(object, path);
    return found.found && found.value !== null ? [found.value] : [];
  });
}
