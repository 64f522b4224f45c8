/**
 * What a checkpoint of this version must hold to be trusted (checkpoint.ts readCheckpoint, once its tool and version are
 * known): each field as a run writes it. A file damaged or edited by hand is told by the first field that is not, and
 * is unusable rather than carried into the job's next run, its summary and its verdict.
 */
import type { InputFileId, InputIdentity } from '../io/open-input.js';
import type { Checkpoint, ConsumedSegment, OutputSettings } from './checkpoint.js';
import { isFailureCounts } from './failure-counts.js';
import { emptyTotals, isTotals, totalsAddUp, type Totals } from './totals.js';

/** Why the fields of a checkpoint of this version cannot be trusted, or undefined when they can. */
export function checkpointFieldsProblem(c: Partial<Checkpoint>): string | undefined {
  const p = c.position;
  if (!p || ![p.inputOffset, p.outputBytes, p.nextIndex].every((n) => Number.isSafeInteger(n) && n >= 0)) return 'its position is invalid';
  const last = [p.lastInputStart, p.lastOutputStart].filter((n) => n !== undefined);
  if (last.length === 1 || !last.every((n) => Number.isSafeInteger(n) && (n as number) >= 0)) return 'its last record position is invalid';
  if (!c.input?.identity || typeof c.settingsHash !== 'string' || !c.output?.path) return 'it is incomplete';
  // Compared field by field with the input's: a size edited to "2869" or an identity of another type was taken for the
  // input changed ("the input changed since the checkpoint"), of an input that had not.
  if (!isInputIdentity(c.input.identity)) return "its input's identity is invalid";
  // Read by the backend check and the proof (its model, its record limit): a missing or mistyped field was a crash (exit 1).
  if (!isOutputSettings(c.settings)) return 'its settings are invalid';
  if (!isTotals(c.totals) || !wholeCounts(c.totals)) return 'its totals are invalid';
  // Hand-edited totals would be carried into every later summary and verdict: they must add up as a run writes them.
  if (!totalsAddUp(c.totals)) return 'its totals do not add up';
  // Every record written is counted read once (blank lines are neither), so the next record's index is the rows read. An
  // index edited by hand numbered the rest of the input from there: a --limit job wrote that many rows too many or too few.
  if (p.nextIndex !== c.totals.read) return `its next row index ${p.nextIndex} is not the ${c.totals.read} rows its totals say were read`;
  if (typeof c.completed !== 'boolean') return 'its completion flag is invalid';
  if (c.listedFailures !== undefined && !(Number.isSafeInteger(c.listedFailures) && c.listedFailures >= 0)) return 'its count of listed failed rows is invalid';
  // A completed job's checkpoint records the list's count in every version that counts transient failures (it came
  // first): one without it was edited. A paused one records it only since 2026-12-04 (8f3785e): the release before
  // wrote none there, and its paused jobs must resume, their list proven against the count of transient failures
  // (prove-checkpoint.ts), not start over (refused, they were paid again, and --resume require was exit 3).
  if (c.completed === true && c.listedFailures === undefined && c.failureCounts?.sentFailedTransient !== undefined) return 'its count of listed failed rows is missing';
  const m = c.mending;
  if (
    m !== undefined &&
    !(c.completed && typeof m === 'object' && m !== null && [m.outputBytes, m.listedFailures, m.lastOutputStart ?? 0].every((n) => Number.isSafeInteger(n) && n >= 0))
  ) {
    return 'its record of a mend in progress is invalid';
  }
  // Compared with the input's bytes read again, so a list edited by hand can only fail to match; but one that stops short of
  // the position would vouch for part of what the output was made from.
  if (c.consumed !== undefined && !isConsumed(c.consumed, p.inputOffset)) return 'its record of the input bytes consumed is invalid';
  // Absent is an older version's (not checked then); a value no CRC-32 can be was edited, and proves nothing.
  if (c.partialCrc32 !== undefined && !(Number.isSafeInteger(c.partialCrc32) && c.partialCrc32 >= 0 && c.partialCrc32 <= 0xffffffff)) return "its CRC-32 of the partial output is invalid";
  const r = c.renamedTextField;
  if (r !== undefined && !(typeof r === 'object' && r !== null && typeof r.field === 'string' && Number.isSafeInteger(r.rows) && r.rows > 0 && r.rows <= c.totals.skipped)) return 'its note of a renamed text field is invalid';
  const f = c.failureCounts;
  if (f !== undefined && !(isFailureCounts(f) && f.unreadable + f.sentFailed + (f.tooLong ?? 0) <= c.totals.failed && f.sent <= c.totals.read)) return 'its failure counts are invalid';
  return undefined;
}

/**
 * Counts a run could have written: whole numbers (but the neurons, which are fractions) that add without losing any.
 * Edited by hand to 39.5 scored and 0.5 skipped rows, or to 1e300 requests, they were carried on: `scored 300, skipped
 * 1` of 300 rows, and the next run's 260 requests lost in 1e300 + 260 (`requests sent 0`), exit 0.
 */
function wholeCounts(totals: Totals): boolean {
  return (Object.keys(emptyTotals()) as Array<keyof Totals>).every((key) => (key === 'neurons' ? totals[key] <= Number.MAX_SAFE_INTEGER : Number.isSafeInteger(totals[key])));
}

function isInputIdentity(value: unknown): value is InputIdentity {
  if (typeof value !== 'object' || value === null) return false;
  const i = value as Partial<InputIdentity>;
  return Number.isSafeInteger(i.size) && (i.size as number) >= 0 && Number.isFinite(i.mtimeMs) && typeof i.headHash === 'string' && typeof i.tailHash === 'string';
}

/** Decimal strings, as inputFile writes them: another shape was edited, and compared as text would tell nothing. */
export function isFileId(value: unknown): value is InputFileId {
  if (typeof value !== 'object' || value === null) return false;
  const f = value as Partial<Record<keyof InputFileId, unknown>>;
  const decimal = (n: unknown): boolean => typeof n === 'string' && /^\d{1,20}$/.test(n);
  return decimal(f.dev) && decimal(f.ino) && (f.ctimeNs === undefined || decimal(f.ctimeNs));
}

/** Segments of increasing, non-empty lengths, the last ending at the position (none only at offset 0), each a sha256. */
function isConsumed(value: unknown, inputOffset: number): value is ConsumedSegment[] {
  if (!Array.isArray(value)) return false;
  let end = 0;
  for (const segment of value as Array<Partial<ConsumedSegment> | null>) {
    if (typeof segment !== 'object' || segment === null || !Number.isSafeInteger(segment.end) || (segment.end as number) <= end) return false;
    if (typeof segment.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(segment.sha256)) return false;
    end = segment.end as number;
  }
  return end === inputOffset;
}

function isOutputSettings(value: unknown): value is OutputSettings {
  if (typeof value !== 'object' || value === null) return false;
  const s = value as Partial<OutputSettings>;
  if (![s.format, s.delimiter, s.text, s.prefix, s.modelId, s.longText].every((field) => typeof field === 'string')) return false;
  return (s.limit === undefined || (Number.isSafeInteger(s.limit) && s.limit >= 0)) && (s.endpoint === undefined || typeof s.endpoint === 'string') && (s.escape === undefined || s.escape === 'backslash') && (s.quote === undefined || s.quote === 'none') && (s.decimal === undefined || s.decimal === 'comma');
}
