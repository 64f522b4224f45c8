import { hashSettings, type Checkpoint, type OutputSettings } from '../state/checkpoint.js';
import { counted } from '../wording/counted.js';
import { limitReached } from './same-input.js';

/**
 * A paused job whose settings differ from this run's in the record limit alone (--limit added, raised, lowered or
 * removed), continued when the records it wrote are within the new limit: they are the first rows of the new limit's
 * output too, byte for byte. The limit is among the settings the checkpoint hashes (a completed job's output holds
 * exactly its N rows), so a paused job started over and wrote them again (operator17: `--limit 200000` after a kill).
 *
 * `now.limit` must be above the records done, not equal: a run without a limit, or a higher one, may have written the
 * blank lines after its Nth record, which a run of `--limit N` leaves out (limit.ts). A job completed at its limit is
 * continued so too, made a paused one first as a grown export's is (run.ts pauseGrownJob: its output copied to the
 * partial output, and left as it is until this run completes): it was started over, every row written again (lowfix27).
 * Its hand-edited settings (not the ones hashed) are not continued. Returns the checkpoint as this run's settings
 * record it, and the line that says so; undefined when the job is not continued.
 */
export function underNewLimit(checkpoint: Checkpoint, now: OutputSettings, nowHash: string): { checkpoint: Checkpoint; line: string } | undefined {
  const before = checkpoint.settings;
  if (before.limit === now.limit || hashSettings(before) !== checkpoint.settingsHash) return undefined;
  // A mend half done is finished first by a run at its own limit. A completed job that read its input to the end
  // (no limit, or short of it) holds every record: under a limit above them it is the new limit's output byte for byte,
  // and continued so (nothing left to read, or the rows appended since), not written again (lowfix30: 0 requests,
  // every row rewritten). Under a limit equal to them it may differ: a limited run leaves out the blank lines after
  // its Nth record (below, `done >= now.limit`).
  if (checkpoint.completed && checkpoint.mending !== undefined) return undefined;
  const readToEnd = checkpoint.completed && !limitReached(checkpoint);
  const { limit: _limit, ...rest } = before;
  const settings: OutputSettings = now.limit === undefined ? rest : { ...rest, limit: now.limit };
  if (hashSettings(settings) !== nowHash) return undefined;
  const done = checkpoint.position.nextIndex;
  if (now.limit !== undefined && done >= now.limit) return undefined;
  const changed = `the record limit changed (${shownLimit(before.limit)} then, ${shownLimit(now.limit)} now)`;
  const stays = '(its output stays as it is until this run completes)';
  const line = readToEnd
    ? done === 0
      ? // A header-only CSV (a JSONL input of no record is refused): no row to continue after.
        `${changed}: the completed job read its input to the end and found no row after its header, nor does this output hold one, so the job reads on from the end of its header ${stays}`
      : `${changed}: the completed job read its input to the end (${counted(done, 'row')}), which this output holds too, so the job continues after ${done === 1 ? 'it' : 'them'} ${stays}`
    : checkpoint.completed
    ? `${changed}: the completed job's ${done === 1 ? '1 row is the first row' : `${counted(done, 'row')} are the first rows`} of this output too, so the job continues after ${done === 1 ? 'it' : 'them'} ${stays}`
    : `${changed}; ${recordsDone(done)} within it: the job continues`;
  return { checkpoint: { ...checkpoint, settings, settingsHash: nowHash }, line };
}

/** What the start-over line adds to `record limit: … now` when the limit is not above the records a paused job did. */
export function belowRecordsDone(checkpoint: Pick<Checkpoint, 'completed' | 'position'>, now: OutputSettings): string {
  const done = checkpoint.position.nextIndex;
  if (checkpoint.completed || now.limit === undefined || done < now.limit) return '';
  return `, ${done === now.limit ? 'equal to' : 'below'} the ${counted(done, 'record')} done`;
}

/** "the 1 record done is", "the 496 records done are": the records a paused job wrote, as the subject of a line. */
function recordsDone(done: number): string {
  return `the ${counted(done, 'record')} done ${done === 1 ? 'is' : 'are'}`;
}

export function shownLimit(limit: number | undefined): string {
  return limit === undefined ? 'none' : String(limit);
}
