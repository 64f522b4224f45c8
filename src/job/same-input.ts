import { createHash, type Hash } from 'node:crypto';
import { openInput } from '../io/open-input.js';
import type { Logger } from '../log.js';
import { isUnknownFileId } from '../state/unknown-file-id.js';
import { sameIdentity, type Checkpoint, type ConsumedSegment, type InputFileId, type InputIdentity } from '../state/checkpoint.js';
import { crEndsRecordsIn } from './last-row-ending.js';
import { setupStep } from './setup-stop.js';
import type { StopController } from './stop.js';

const LF = 0x0a;
const CR = 0x0d;

/** A consumed part this large is said before it is read again (a few seconds a GB). */
const SAY_FROM_BYTES = 100 * 1024 * 1024;

/**
 * Whether the input is the file the checkpoint recorded, unchanged, so that the bytes the job consumed need not be read
 * again: the same identity (size, modification time, first and last 64 KiB) and, where the checkpoint records them, the
 * same device, inode and change time. An identity alone took another export renamed over the input (`touch -r in.csv
 * new.csv; mv new.csv in.csv`, an edit between its first and last 64 KiB at the same length), or the input rewritten in
 * place then given its old time, for the job's input: a resumed job wrote the new rows after the old ones, a completed
 * one was "already done" with the old export's output. Such a file is compared by its bytes instead
 * (InputMatch.sameBytes), as a copy without its times is: a job folder copied with `cp -a`, moved to another filesystem
 * or restored from a backup is the same job, and so is a file whose mode or owner changed (chmod and chown change its
 * change time too). A checkpoint without them (an older version's), or without `consumed` (whose bytes cannot be
 * compared), is decided by the identity alone.
 */
export function isRecordedFile(checkpoint: Checkpoint, identity: InputIdentity, fileId: InputFileId | undefined): boolean {
  if (!sameIdentity(checkpoint.input.identity, identity)) return false;
  const recorded = checkpoint.input.fileId;
  if (recorded === undefined || fileId === undefined || checkpoint.consumed === undefined) return true;
  return recorded.dev === fileId.dev && recorded.ino === fileId.ino && (recorded.ctimeNs === undefined || recorded.ctimeNs === fileId.ctimeNs);
}

/**
 * Whether a checkpoint is of this input: the same file as it recorded it (isRecordedFile), or,
 * when those differ, the same bytes where the job read (its `consumed` segments, read again here). A copy made without
 * keeping file times (`cp -r`, rsync without -t, `docker cp`, a CI artifact, a download) and `gzip x.csv` then `score
 * x.csv.gz` change the first but not the second: the job continues instead of paying for every row again.
 *
 * - A paused job needs only its consumed part to match: the bytes after it were never used (an edit there, or rows
 *   appended, are read as if they had been there from the start).
 * - A completed job needs the input to end where it read to (but under --limit once the limit is reached: limitReached). One whose
 *   input goes on after a line ending (rows appended: the nightly export that grows) is `grown`, continued instead
 *   (grown-input.ts). So is a --limit one whose last row, read at the end of its file without a line ending, has one now:
 *   a fresh run writes that row with it.
 * - A checkpoint without `consumed` (written before this was recorded, or by a run that could not tell its bytes) is
 *   of this input only if the file is the same, as before.
 * The answer is worked out once per run (the backend check and the start both ask).
 *
 * The read is a step of the setup that a signal ends where it is (setup-stop.ts setupStep): it took seconds a GB (11 s
 * from gzip) and the signal was acted on only once it was through. Ended, it is the stop of a run that has not begun
 * (exit 130, `stopped by SIGTERM before any work began`): nothing has been sent or written.
 */
export class InputMatch {
  readonly #verdicts = new Map<string, Promise<ConsumedVerdict>>();

  constructor(
    private readonly input: { path: string; gzip: boolean; identity: InputIdentity; fileId?: InputFileId },
    private readonly log?: Logger,
    private readonly stop?: StopController,
  ) {}

  /** Whether `checkpoint` is of this input (see the class). */
  async same(checkpoint: Checkpoint): Promise<boolean> {
    if (this.recordedFile(checkpoint)) return true;
    return this.sameBytes(checkpoint);
  }

  /** Whether the input is the file the checkpoint recorded (isRecordedFile): its consumed bytes are not read again. */
  recordedFile(checkpoint: Checkpoint): boolean {
    return isRecordedFile(checkpoint, this.input.identity, this.input.fileId);
  }

  /** Whether the input is another file than the recorded one but the consumed bytes are the same (false for the recorded file). */
  async sameBytes(checkpoint: Checkpoint): Promise<boolean> {
    const toEnd = checkpoint.completed && !limitReached(checkpoint);
    const verdict = await this.#scan(checkpoint);
    // Its last row's line ending is owed to the output (grown): taken for the same bytes, the rerun said "Already done"
    // and kept an output whose last row has none, where a fresh run of the grown export ends it.
    if (checkpoint.completed && limitReached(checkpoint) && endedSince(verdict, crEndsRecords(checkpoint))) return false;
    return verdict === 'ends' || (!toEnd && verdict !== 'other');
  }

  /**
   * Whether the input is a completed job's with whole records appended (grown-input.ts): its consumed bytes are the same,
   * and more bytes follow after a line ending: the consumed bytes' last (LF), or, when the last row read had none (it
   * ended its file), one that follows them (LF or CRLF: the proof then holds that row to be the same record). Not for a
   * --limit job that reached its limit (its input goes on by design) but for that line ending (its last row read without
   * one, which a fresh run writes: the job is continued for it, with no row to score), nor when any other byte follows a
   * last row read without a line ending (the new bytes continue that row: it is another record then).
   */
  async grown(checkpoint: Checkpoint): Promise<boolean> {
    if (!checkpoint.completed) return false;
    const verdict = await this.#scan(checkpoint);
    const crEnds = crEndsRecords(checkpoint);
    if (limitReached(checkpoint)) return endedSince(verdict, crEnds);
    return verdict === 'goes-on-after-line' || ((verdict === 'goes-on-after-cr' || verdict === 'cr-ended-goes-on') && crEnds) || endedSince(verdict, crEnds);
  }

  /**
   * Whether that growth is a line ending alone (LF or CRLF, or a lone CR where a CR ends records) after a last row read
   * without one, and nothing after it: the job is continued with no row to score (its output gains the same line
   * ending). The run's line says so, not "rows appended" of none.
   */
  async onlyLineEnded(checkpoint: Checkpoint): Promise<boolean> {
    if (!(await this.grown(checkpoint))) return false;
    const verdict = await this.#scan(checkpoint);
    return verdict === 'line-ended' || (verdict === 'cr-ended' && crEndsRecords(checkpoint));
  }

  /**
   * Whether a completed job's consumed bytes are the same, but the bytes after them go on from its last row, read at the
   * end of its file with no LF (none, or a lone CR then no LF): that row is another record now, and the job is started
   * over; said so, not "the bytes the job read differ" of bytes that are the same.
   */
  async goesOnFromLastRow(checkpoint: Checkpoint): Promise<boolean> {
    if (!checkpoint.completed) return false;
    const verdict = await this.#scan(checkpoint);
    return verdict === 'goes-on' || ((verdict === 'goes-on-after-cr' || verdict === 'cr-ended-goes-on' || verdict === 'cr-ended') && !crEndsRecords(checkpoint));
  }

  /** What the input is beside the checkpoint's consumed bytes, read once per run (the questions above ask it). */
  #scan(checkpoint: Checkpoint): Promise<ConsumedVerdict> {
    const { consumed } = checkpoint;
    if (consumed === undefined || this.recordedFile(checkpoint)) return Promise.resolve('other');
    // A plain input shorter than the consumed part cannot hold it.
    if (!this.input.gzip && this.input.identity.size < (consumed.at(-1)?.end ?? 0)) return Promise.resolve('other');
    const key = JSON.stringify(consumed);
    let verdict = this.#verdicts.get(key);
    if (verdict === undefined) {
      const end = consumed.at(-1)?.end ?? 0;
      if (end >= SAY_FROM_BYTES) this.log?.info({ bytes: end }, `the input's file differs from the checkpoint's (${howOther(checkpoint, this.input.identity)}): reading the part the job has read to compare its bytes`);
      const { path, gzip } = this.input;
      verdict = this.stop ? setupStep(this.stop, (abort) => scanConsumed(path, gzip, consumed, abort)) : scanConsumed(path, gzip, consumed);
      this.#verdicts.set(key, verdict);
    }
    return verdict;
  }
}

/**
 * How the input's file differs from the one the checkpoint recorded, as the lines say it: its times or compression, or,
 * the same identity, another file (isRecordedFile).
 */
export function howOther(checkpoint: Checkpoint, identity: InputIdentity): string {
  if (!sameIdentity(checkpoint.input.identity, identity)) return 'modification time or compression differ';
  // An invalid one (a hand edit, read as unknown: state/checkpoint.ts) tells nothing of the file: the warning before says why.
  if (isUnknownFileId(checkpoint.input.fileId)) return 'the same size and modification time, but the device, inode and change time it recorded are unreadable';
  return 'the same size and modification time, but another file or one changed since: its device, inode or change time differ';
}

/**
 * Whether a completed --limit job stopped at its limit, so that the input goes on after it by design. One that completed
 * short of it (the export held fewer rows) read its input to the end as a job without a limit does: grown since, a fresh
 * run writes more rows. Taken for done, a gzip export so grown said "Already done", exit 0, its output short of the
 * rows --limit asks for (a plain one was started over: the proof reads on after its offset).
 */
export function limitReached(checkpoint: Checkpoint): boolean {
  const { limit } = checkpoint.settings;
  return limit !== undefined && checkpoint.position.nextIndex >= limit;
}

/**
 * Whether a lone CR ends a record in the checkpoint's format: in CSV and TSV CRLF, LF and CR end records in any mix (an
 * Excel for Mac export is CR-only), so bytes after a consumed part ending in a lone CR (and not an LF: the CRLF cut
 * between its two bytes, `line-ended`) begin a record of their own. In JSONL a CR is no line ending.
 */
function crEndsRecords(checkpoint: Checkpoint): boolean {
  return crEndsRecordsIn(checkpoint.settings.format);
}

/**
 * The input beside a job's consumed bytes: `other` (a byte differs, or it is shorter), `ends` (the same bytes, and the
 * input ends there), `goes-on-after-line` (the same bytes, ending with LF, and more after them), `line-ended` (the same
 * bytes, their last row without a line ending, then one, LF or CRLF, and nothing more), `line-ended-goes-on` (the same,
 * and more after that line ending), `goes-on` (the same bytes, then bytes that may continue the last row read),
 * `goes-on-after-cr` (the same bytes, ending with a lone CR, then bytes that are no LF: a record after it where a CR
 * ends records, crEndsRecords), `cr-ended-goes-on` (the same bytes, their last row without a line ending, then a lone
 * CR and more: that CR ends the row where a CR ends records, else the bytes go on from it), `cr-ended` (the same, a
 * lone CR and nothing more: the CR-only export's `line-ended`, where a CR ends records).
 */
export type ConsumedVerdict = 'other' | 'ends' | 'goes-on' | 'cr-ended' | 'cr-ended-goes-on' | 'goes-on-after-line' | 'goes-on-after-cr' | 'line-ended' | 'line-ended-goes-on';

/**
 * Whether the last row read, without a line ending, has one now (and perhaps more after it); `crEnds`: a lone CR is one
 * (crEndsRecords). A CR-only export grown by a CR alone was scored afresh, where its LF twin was continued with no request.
 */
function endedSince(verdict: ConsumedVerdict, crEnds: boolean): boolean {
  return verdict === 'line-ended' || verdict === 'line-ended-goes-on' || (crEnds && (verdict === 'cr-ended' || verdict === 'cr-ended-goes-on'));
}

/**
 * Whether a run that reached its --limit read bytes that are still the input's, though its file changed while it ran
 * (complete-output.ts): the same test as a completed job's grown export (InputMatch.grown), on the bytes this run read.
 * Its segments the same, and the input ending there or going on after a line ending (an LF; a lone CR where a CR ends
 * records): rows appended past the part it reads, or bytes edited there, which it never reads. Not when the bytes after
 * may continue its last row (it is another record then). Refused, an export appended to while a `--limit 500` sample of
 * it was scored ended exit 3, its rerun scoring 0 rows.
 */
export async function readPartUnchanged(path: string, gzip: boolean, segments: ConsumedSegment[], format: string, abort?: AbortSignal): Promise<boolean> {
  return partUnchanged(await scanConsumed(path, gzip, segments, abort), format);
}

/** readPartUnchanged's verdicts: the part read ends the input, or the input goes on after a line ending. */
function partUnchanged(verdict: ConsumedVerdict, format: string): boolean {
  return verdict === 'ends' || verdict === 'goes-on-after-line' || (verdict === 'goes-on-after-cr' && crEndsRecordsIn(format));
}

/**
 * readPartUnchanged for a mend (mend-input-check.ts), which also takes a last row read at its file's end, without a line
 * ending, that has one now (and perhaps rows after it): the nightly exporter that writes none after its last row. The
 * mend reads that row back to where its file ended (io/ended-since.ts), as the run that continues the grown export
 * does (InputMatch.grown); refused, such a mend ended exit 3 and the next run mended the same rows from the same bytes.
 */
export async function readPartUnchangedOrEnded(path: string, gzip: boolean, segments: ConsumedSegment[], format: string): Promise<boolean> {
  const verdict = await scanConsumed(path, gzip, segments);
  return partUnchanged(verdict, format) || endedSince(verdict, crEndsRecordsIn(format));
}

/** Reads the input from its start and compares each segment's sha256; `toEnd`: the input must also end with the last one. */
export async function consumedBytesMatch(path: string, gzip: boolean, segments: ConsumedSegment[], toEnd: boolean, abort?: AbortSignal): Promise<boolean> {
  const verdict = await scanConsumed(path, gzip, segments, abort);
  return verdict === 'ends' || (!toEnd && verdict !== 'other');
}

/**
 * Reads the input from its start and compares each segment's sha256 (ConsumedVerdict). `abort` ends the read at the next
 * chunk (also before the first) and rejects: stopped, it has no answer.
 */
async function scanConsumed(path: string, gzip: boolean, segments: ConsumedSegment[], abort?: AbortSignal): Promise<ConsumedVerdict> {
  abort?.throwIfAborted();
  const stream = openInput(path, { gzip });
  const stopRead = (): void => {
    stream.destroy(new Error('stopped'));
  };
  abort?.addEventListener('abort', stopRead, { once: true });
  let index = 0;
  let offset = 0;
  let hash: Hash = createHash('sha256');
  // The last consumed byte: whether the bytes after it begin a record of their own.
  let last: number | undefined;
  // The first bytes after the consumed part, when they did not end a line: up to the two of a CRLF.
  let after = Buffer.alloc(0);
  const segmentDone = (): boolean => {
    const ok = hash.digest('hex') === (segments[index] as ConsumedSegment).sha256;
    index += 1;
    hash = createHash('sha256');
    return ok;
  };
  try {
    for await (const data of stream) {
      let chunk = data as Buffer;
      while (chunk.length > 0) {
        if (index === segments.length) {
          if (last === LF) return 'goes-on-after-line';
          // A last row read at the end of its file, without a line ending: ended by one now (the nightly exporter that
          // writes none after its last row). Or one read ending in a lone CR, now followed by an LF: a CRLF export cut
          // between its CR and LF, whose next night's file is the same bytes, then that LF (and the rows appended).
          // Whether that row is the same record still is the proof's to tell (prove-checkpoint.ts: the record there must
          // end with that line ending, or be read ending at the CR still).
          if (last === undefined) return 'goes-on';
          after = Buffer.concat([after, chunk]);
          if (last !== CR && after.length < 2 && after[0] === CR) break;
          const ending = last === CR ? (after[0] === LF ? 1 : 0) : lineEndingLength(after);
          // A lone CR after a row read with no ending (a CR-only export that ends no last line), then more.
          if (ending === 0 && last !== CR && after[0] === CR) return 'cr-ended-goes-on';
          if (ending === 0) return last === CR ? 'goes-on-after-cr' : 'goes-on';
          if (after.length > ending) return 'line-ended-goes-on';
          // The line ending alone so far: whether anything follows it is for the next chunk, or the end, to tell.
          break;
        }
        const end = (segments[index] as ConsumedSegment).end;
        const take = Math.min(chunk.length, end - offset);
        hash.update(chunk.subarray(0, take));
        if (take > 0) last = chunk[take - 1];
        offset += take;
        chunk = chunk.subarray(take);
        if (offset === end && !segmentDone()) return 'other';
      }
    }
    if (after.length > 0) {
      if ((last === CR ? (after[0] === LF ? 1 : 0) : lineEndingLength(after)) === after.length) return 'line-ended';
      // A lone CR alone after a row read with no ending (a CR-only export that ends no last line): see ConsumedVerdict.
      return last !== CR && after.length === 1 && after[0] === CR ? 'cr-ended' : 'goes-on';
    }
    return index === segments.length ? 'ends' : 'other';
  } catch {
    // Stopped: no answer (the run ends there). Otherwise an input that cannot be read through is not shown to be the
    // same; the run that starts over says what is wrong with it.
    abort?.throwIfAborted();
    return 'other';
  } finally {
    abort?.removeEventListener('abort', stopRead);
    stream.destroy();
  }
}

/** The length of the line ending (LF 1, CRLF 2) `bytes` begin with; 0 for none. */
function lineEndingLength(bytes: Buffer): number {
  if (bytes[0] === LF) return 1;
  return bytes[0] === CR && bytes[1] === LF ? 2 : 0;
}
