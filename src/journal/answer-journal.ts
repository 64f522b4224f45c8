import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fstatSync, fsyncSync, ftruncateSync, lstatSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { RowFailure } from '../errors.js';
import type { Logger } from '../log.js';
import { withPath } from '../machine-fault.js';
import type { Scores } from '../scoring/scorer.js';
import { syncDirectorySync } from '../state/atomic-write.js';
import { updateWithText } from '../state/text-digest.js';
import { createExclusiveSync, openAppendNoFollowSync, writeAllSync as writeAll } from '../state/no-follow.js';
import { encodeEntry, encodeHeader, type JournalKey } from './journal-format.js';
import { readJournal, type JournalEntry as Entry, type JournalRead } from './journal-lines.js';

/** A final answer of the service for one text: scores, or a refusal for its content (400, 413). */
export type JournalAnswer = { kind: 'scored'; scores: Scores } | { kind: 'failed'; failure: RowFailure };

/** Rewrite the file when it holds this many more lines than the rows still ahead of the written output. */
const COMPACT_SLACK = 2_000;

/**
 * `<output>.journal`: every answer the service returned, appended as it
 * arrives, until the row it belongs to is written and checkpointed. A run
 * that is killed, interrupted or paused loses only the requests in flight at
 * that instant: the next run replays the journal before sending anything.
 *
 * Answers are keyed by the text sent (the same text gets the same answer), and
 * the file by the input's identity and the output settings, so a journal left
 * by another input or other settings is never replayed. Writes are synchronous
 * appends: once `record` returns the answer survives a kill -9 (an fsync at
 * each checkpoint makes it survive a power cut too). Answers this run received
 * are dropped from memory once their rows are written and checkpointed (a
 * repeat of the text within the run is answered by the duplicate store), and
 * from the file once it holds COMPACT_SLACK lines more than are kept. Answers
 * replayed from an earlier run are kept for the whole run, also those whose
 * rows that run wrote: the duplicate store did not survive the restart, and a
 * later row may repeat their text. There are at most as many as the file held.
 * The file is removed when the job completes, but for the answers to rows past a --limit the job completed at
 * (keepRowsFrom).
 */
export class AnswerJournal {
  private readonly entries = new Map<string, Entry>();
  private fd = -1;
  private lines = 0;
  /**
   * The texts the file holds a line for (a digest of each), as the next run counts them (journal-lines.ts): a text whose
   * entry was dropped once its row was written, sent again by a later row, is appended again, one more line but no more
   * texts. Counted by line, each paused checkpoint recorded more than a resume then found, and that resume read the
   * partial output for answers the journal held (lowfix82). `lines` still counts lines: compaction is about the file's size.
   */
  private texts = new Set<string>();
  /** The file's length in whole lines: where a refused append that wrote part of its line is cut back to. */
  private size = 0;
  /** Why nothing more is appended in this run: a line cut short that could not be cut back (see `record`), or an fsync refused (`sync`). */
  private stuck: unknown;
  /** The texts whose lines were appended since the file was last made durable (fsync): a refused fsync may have lost them. */
  private unsynced: string[] = [];
  /** An answer of this run that the file may lack: an append or fsync refused, lines dropped by a rewrite (or one announced). */
  private lostLines = false;

  private constructor(
    private readonly file: string,
    private readonly key: JournalKey,
    replayed: Map<string, Entry>,
    /** The id the file's header carries (journal-format.ts headerId): the replayed journal's, or a new one's. */
    private readonly id: string = randomBytes(8).toString('hex'),
  ) {
    this.entries = replayed;
    try {
      this.rewrite();
    } catch (error) {
      this.close(); // a folder's fsync refused after the rename: the new file was opened, and no one else closes it
      throw error;
    }
  }

  /**
   * Opens the journal for a run. With `replay`, every answer a matching
   * journal holds is kept for this run; on a fresh start the old journal is
   * discarded. The log line counts the answers kept, and among them those for
   * rows this run still has to write (`ahead`); the others can only answer a
   * later row that repeats their text. `read`: the file as this run read it already (a resume's line count), replayed
   * without reading it again.
   */
  static open(file: string, key: JournalKey, options: { replay: boolean; log: Logger; ahead: (index: number) => boolean; read?: JournalRead }): AnswerJournal {
    const { entries: replayed, id } = options.replay ? (options.read ?? readJournal(file, key)) : { entries: new Map<string, Entry>(), id: undefined };
    if (replayed.size > 0) {
      const forRowsAhead = [...replayed.values()].filter((entry) => options.ahead(entry.index)).length;
      options.log.info({ answers: replayed.size, forRowsAhead }, 'answers the last run received are kept from the journal: their texts are not sent again');
    }
    return new AnswerJournal(file, key, replayed, id);
  }

  /**
   * The answer an earlier run (or this one) received for `text`, if it is still kept, and the row whose request
   * received it (`index`): a row of another index that takes it repeats that row's text, and sent no request of its own.
   */
  keptFor(text: string): { answer: JournalAnswer; index: number } | undefined {
    const entry = this.entries.get(text);
    return entry && { answer: entry.answer, index: entry.index };
  }

  /** Answers kept for rows from `nextIndex` on, which are not written yet: the next run writes them without asking again. */
  keptFrom(nextIndex: number): number {
    if (this.removed()) return 0;
    let count = 0;
    for (const entry of this.entries.values()) if (entry.index >= nextIndex && !entry.unkept) count += 1;
    return count;
  }

  /** Answers this run received for rows from `nextIndex` on that the file refused: the next run requests (and pays for) them again. */
  unkeptFrom(nextIndex: number): number {
    const removed = this.removed();
    let count = 0;
    for (const entry of this.entries.values()) if (entry.index >= nextIndex && (entry.unkept || removed)) count += 1;
    return count;
  }

  /**
   * The file was removed under the run (its folder deleted, `rm -rf` of the output's folder), or its path leads to
   * another file or none (the folder swapped for an empty one, the mount under it lazily unmounted): every line it
   * held is out of the next run's reach, and neither the summary nor the closing line may say the answers are kept for
   * it. An fstat of the open file (no link left), then an lstat of its path; a closed or unreadable one is taken as there.
   */
  removed(): boolean {
    if (this.fd < 0) return false;
    try {
      const mine = fstatSync(this.fd);
      if (mine.nlink === 0) return true;
      const there = lstatSync(this.file, { throwIfNoEntry: false });
      return there === undefined || there.ino !== mine.ino || there.dev !== mine.dev;
    } catch {
      return false;
    }
  }

  /**
   * Keeps `answer` durably (against a process kill) before its row is written.
   *
   * A full disk may take part of a line and refuse the rest: the file then ends in a cut line with no newline, and
   * an append that succeeds later (a file removed meanwhile) would be glued to it, one unreadable line for the next
   * run, which loses an answer this run counted as kept. So a refused append is undone: the file is cut back to its
   * last whole line (shrinking a file takes no space), and every line appended after it is whole and readable.
   * Should even that fail, nothing more is appended until the file is rewritten whole: later answers are counted
   * as not kept, which is what the next run finds.
   */
  record(text: string, index: number, answer: JournalAnswer): void {
    if (this.entries.has(text)) return;
    const line = encodeEntry(text, index, answer);
    try {
      if (this.stuck !== undefined) throw this.stuck;
      writeAll(this.fd, line);
    } catch (error) {
      // Still answers a later row of this run with the same text, but counted apart: no later run will find it.
      this.entries.set(text, { index, answer, unkept: true });
      this.lostLines = true;
      this.cutBack();
      // A write to a descriptor names no file: the fault's line names the journal (a full disk: exit 74).
      throw withPath(error, this.file);
    }
    this.entries.set(text, { index, answer });
    this.unsynced.push(text);
    this.size += Buffer.byteLength(line);
    this.lines += 1;
    this.texts.add(digestOf(text));
  }

  /**
   * Rows before `nextIndex` are written and checkpointed: their answers are no
   * longer needed. Makes the rest durable, and rewrites the file once it has
   * grown well past what is still needed.
   */
  written(nextIndex: number): void {
    const compacts = this.compactsAt(nextIndex);
    for (const [text, entry] of this.entries) if (entry.index < nextIndex && !entry.replayed) this.entries.delete(text);
    if (compacts) this.rewrite();
    else this.sync();
  }

  /**
   * Asked before the checkpoint that `written(nextIndex)` follows (records-pass.ts): whether that call rewrites the file
   * without the lines of rows written. From then on the file is no longer whole (`whole`), so that checkpoint already
   * says so: killed right after the rewrite, the next run reads the partial output for the answers the file dropped
   * (answers-journaled.ts). `written` decides by it too: the entries it keeps are those counted here, and answers
   * recorded in between add a line and a kept entry each.
   */
  compactsAt(nextIndex: number): boolean {
    let kept = 0;
    for (const entry of this.entries.values()) if (entry.index >= nextIndex || entry.replayed) kept += 1;
    const compacts = this.lines > kept + COMPACT_SLACK;
    if (compacts) this.lostLines = true;
    return compacts;
  }

  /**
   * Whether the file still holds a line for every answer this run received or replayed: no append or fsync refused,
   * no compaction (done or announced), the file not removed under the run. `lines`: how many texts its entry lines hold,
   * each once, as the next run counts them (`texts`); `id`: its header's.
   */
  lineState(): { whole: boolean; lines: number; id: string } {
    return { whole: !this.lostLines && !this.removed(), lines: this.texts.size, id: this.id };
  }

  /**
   * An fsync the disk refuses (write-back on a full NFS or thin volume) names the journal: a descriptor names no file.
   * The lines appended since the last fsync that succeeded may be gone with it (Linux drops the pages whose write-back
   * failed, and reports that once): their answers are counted as not kept, and nothing more is appended in this run,
   * as after a line that could not be cut back. They were counted kept, so the summary of the fault it ends the run
   * with said 'every answer received for rows not written is kept in the journal, not paid for again'.
   */
  private sync(): void {
    try {
      fsyncSync(this.fd);
    } catch (error) {
      for (const text of this.unsynced) {
        const entry = this.entries.get(text);
        if (entry) entry.unkept = true;
      }
      this.stuck ??= error;
      this.lostLines = true;
      throw withPath(error, this.file);
    }
    this.unsynced = [];
  }

  /** Answers kept for the rows in `indexes` (a mend's listed rows): those the next run writes without a request. */
  keptAmong(indexes: ReadonlySet<number>): number {
    let count = 0;
    for (const entry of this.entries.values()) if (indexes.has(entry.index) && !entry.unkept) count += 1;
    return count;
  }

  /**
   * The job's output is complete and this run mends the rows earlier runs left failed (run-end.ts): of the answers,
   * only those an earlier run received can still be of use (a mend killed before this run, which continued a grown
   * export, kept its listed rows' answers here); this run's are of rows written. The file keeps those alone, closed for
   * the mend to replay, or is removed when there are none. A rewrite the disk refuses leaves the file as it was (every
   * entry kept, and more): the output is complete, so that is no fault of the run.
   */
  keepEarlierAnswers(): void {
    this.lostLines = true;
    for (const [text, entry] of this.entries) if (!entry.replayed) this.entries.delete(text);
    if (this.entries.size === 0) {
      this.remove();
      return;
    }
    try {
      this.rewrite();
    } catch {
      // As it was: the mend replays it the same.
    }
    this.close();
  }

  /**
   * The job's output is complete at its --limit, the input going on past it (job/completed-job-files.ts): of the
   * answers, only those for rows past the limit can still be of use (an earlier run's, with a higher limit or none,
   * received ahead of the rows it wrote), to a later run with a higher limit or none. The file keeps those alone, closed,
   * and says so; with none, it is left to the caller to remove (false). A rewrite the disk refuses leaves the file as it
   * was (every answer in it is still the right one for its text under this key).
   */
  keepRowsFrom(nextIndex: number): boolean {
    this.lostLines = true;
    for (const [text, entry] of this.entries) if (entry.index < nextIndex || entry.unkept) this.entries.delete(text);
    if (this.entries.size === 0) return false;
    try {
      this.rewrite();
    } catch {
      // As it was: a later run imports it the same.
    }
    this.close();
    return true;
  }

  /** keepRowsFrom for the journal at `file` left by the run that completed the job (its header must be `key`'s). */
  static keepRowsFrom(file: string, key: JournalKey, nextIndex: number): boolean {
    const { entries, id } = readJournal(file, key);
    for (const [text, entry] of entries) if (entry.index < nextIndex) entries.delete(text);
    if (entries.size === 0) return false;
    let journal: AnswerJournal;
    try {
      journal = new AnswerJournal(file, key, entries, id);
    } catch {
      return true; // the rewrite refused: the file as it was, its answers still this job's
    }
    journal.close();
    return true;
  }

  /** The job's output is complete: nothing in the journal is needed any more. */
  remove(): void {
    this.close();
    removeJournalFile(this.file);
  }

  close(): void {
    if (this.fd < 0) return;
    closeSync(this.fd);
    this.fd = -1;
  }

  /** Removes the part of a line a refused append left at the end of the file (see `record`). */
  private cutBack(): void {
    if (this.stuck !== undefined) return;
    try {
      ftruncateSync(this.fd, this.size);
    } catch (error) {
      this.stuck = error;
    }
  }

  /**
   * Writes header + kept entries to a new file, renames it into place and appends to it from then on. The old file
   * and its descriptor are left only once the new one is in place: a rewrite the disk refuses leaves the journal as it
   * was (it holds every entry kept, and more), still appended to, and no temporary file on the full disk. (The old
   * descriptor was closed first: after a refused rewrite, the answers of the requests still in flight went to
   * whatever file had since been given its number.)
   */
  private rewrite(): void {
    const temp = `${this.file}.tmp-${process.pid}`;
    rmSync(temp, { force: true });
    const fd = createExclusiveSync(temp);
    try {
      try {
        let chunk = encodeHeader(this.key, this.id);
        for (const [text, entry] of this.entries) {
          chunk += encodeEntry(text, entry.index, entry.answer);
          if (chunk.length > 1 << 20) {
            writeAll(fd, chunk);
            chunk = '';
          }
        }
        writeAll(fd, chunk);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temp, this.file);
    } catch (error) {
      try {
        rmSync(temp, { force: true });
      } catch {
        // the refusal is what the run reports, not a failure to tidy up after it
      }
      // Its writes go to a descriptor, which names no file: the fault's line names the journal, as an append's does.
      throw withPath(error, this.file);
    }
    this.close();
    this.fd = openAppendNoFollowSync(this.file);
    this.size = fstatSync(this.fd).size;
    this.lines = this.entries.size;
    this.texts = new Set([...this.entries.keys()].map(digestOf));
    // The new file holds whole lines only, among them the answers an append had failed to keep, all made durable.
    this.stuck = undefined;
    this.unsynced = [];
    for (const entry of this.entries.values()) delete entry.unkept;
    // The rename made durable: a power cut before the next checkpoint's folder fsync could otherwise bring back the old
    // file, whose lines appended since the last checkpoint were never fsynced (this rewrite stood in for that fsync).
    // After the switch to the new file: a refusal (EIO) stops the run, and no answer may go to the file renamed over.
    syncDirectorySync(path.dirname(this.file));
  }
}

/**
 * Removes the journal at `file` once the job's output is complete. A folder there (made by hand, a copy gone wrong) is
 * never removed for the user: rm refuses it (ERR_FS_EISDIR), and the caller warns (completed-job-files.ts).
 */
export function removeJournalFile(file: string): void {
  rmSync(file, { force: true });
}

/** How many answers the journal at `file` holds for `key`: a run that opens it with that key takes them, sending none of their texts. */
export function journalAnswerCount(file: string, key: JournalKey): number {
  return readJournal(file, key).entries.size;
}

/** A text's key among the texts the file holds (AnswerJournal.texts): its SHA-256, not the text, which may be long. */
function digestOf(text: string): string {
  return updateWithText(createHash('sha256'), text).digest('base64');
}

export function journalPathFor(output: string): string {
  return `${output}.journal`;
}
