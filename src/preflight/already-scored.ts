import { ConfigError } from '../errors.js';
import { OUTPUT_COLUMN_SUFFIXES } from '../io/csv-format.js';
import type { JsonlSample } from './jsonl-sample.js';
import { groupedNumber } from '../wording/grouped-number.js';
import { quotedNames } from '../wording/quoted-names.js';

/**
 * Scoring a file that already holds this prefix's columns (an output scored
 * before) would add a second set with the same names, which every reader then
 * resolves its own way. Stop at startup and say how to get out. `change`: how to say to set another prefix when a
 * job file gave it (config/setting-names.ts jobFileChange; "--prefix" was no flag its writer typed).
 */
export function refuseScoredCsv(columns: readonly string[], prefix: string, change?: (value: string) => string): void {
  const ours = new Set(OUTPUT_COLUMN_SUFFIXES.map((suffix) => `${prefix}_${suffix}`));
  const present = columns.filter((column) => ours.has(column));
  if (present.length === 0) return;
  throw new ConfigError(
    `the input already has the column${present.length > 1 ? 's' : ''} ${quotedNames(present)}, ` +
      `so it looks scored already; scoring it again would add a second set with the same names. ` +
      `Score the original export, or ${change?.(`${prefix}2`) ?? `name the new columns with --prefix (e.g. --prefix ${prefix}2)`}`,
  );
}

/** The JSONL counterpart: a record of the first ones that already has the field the scores go into. */
export function refuseScoredJsonl(sample: JsonlSample, prefix: string, change?: (value: string) => string): void {
  const having = sample.objects.filter((object) => Object.hasOwn(object, prefix)).length;
  if (having === 0) return;
  // Say how many: "the records have it" when 1 of 21 does sends the operator looking for the wrong problem.
  const which =
    having === sample.records
      ? having === 1 ? 'the input\'s first record already has' : `all of the input's first ${groupedNumber(having)} records already have`
      : `${groupedNumber(having)} of the input's first ${groupedNumber(sample.records)} records already ${having === 1 ? 'has' : 'have'}`;
  throw new ConfigError(
    `${which} a '${prefix}' field, ` +
      `so it looks scored already; scoring it again would give ${having === 1 ? 'that record' : 'those records'} a second '${prefix}'. ` +
      `Score the original export, or ${change?.(`${prefix}2`) ?? `name the new field with --prefix (e.g. --prefix ${prefix}2)`}`,
  );
}
