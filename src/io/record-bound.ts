/**
 * The most bytes a record is parsed with: MAX_RECORD_BYTES, or less under a small memory limit (a container's or a
 * cgroup's). A larger record is not parsed: it is one failed row (`record_too_large`), its bytes copied to the output
 * as they are (oversized-record.ts), so the rest of the export is scored.
 *
 * Why a share of the limit: parsed, a record is held several times over, mostly outside V8's heap and inside the
 * container's memory all the same: its read chunks, those joined, the line decoded, the text parsed out of it. Under
 * `docker run --memory 128m` an 11.6 MB CSV cell was killed by the OOM killer (exit 137) on 5 of 5 fresh runs, three
 * cells of 6.2-8.2 MB on 5 of 5, and a JSONL line of 11.6 MB on 1 of 6 (docs/container.md, "Resources"): no rerun gets past
 * such a record. A CSV record costs more than a JSONL line of its size (csv-parse builds the cell in a buffer that
 * doubles as it grows, then a string of it), hence its smaller share. V8's heap limit is not counted: the copies are
 * mostly outside the heap (a 40 MB heap scores an 11.6 MB JSONL text, test/e2e-huge-record.test.ts).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { memoryLimit } from '../process/memory-room.js';

/**
 * Records larger than this are never parsed. Without the limit a 200 MB field made V8 run out of heap under a 384 MB
 * cap on every resume: a crash loop. Reviews are far smaller; 16 MiB leaves room for wide records while keeping a
 * record's strings a small share of such a heap.
 */
export const MAX_RECORD_BYTES = 16 * 1024 * 1024;

const MIB = 1024 * 1024;

export type RecordFormat = 'csv' | 'jsonl';

/** The share of the memory limit one record may have: at 128 MiB, 4 MiB for a CSV record, 8 MiB for a JSONL line. */
const LIMIT_SHARE: Record<RecordFormat, number> = { csv: 32, jsonl: 16 };

const SHARE_WORDS: Record<RecordFormat, string> = { csv: 'a 32nd', jsonl: 'a 16th' };

/** The bound under a memory limit (bytes, undefined for none): a share of it in whole MiB, at least 1, at most MAX_RECORD_BYTES. */
export function parsedRecordBytesFor(format: RecordFormat, limitBytes: number | undefined): number {
  if (limitBytes === undefined) return MAX_RECORD_BYTES;
  const share = Math.floor(limitBytes / LIMIT_SHARE[format] / MIB) * MIB;
  return Math.min(MAX_RECORD_BYTES, Math.max(MIB, share));
}

/**
 * One run's bound: the limit its records are judged under, this process's read when the run starts, or its job's when
 * a resume takes it (judgeUnderJobLimit). The one source of the bound, its rows' message and the summary's cause.
 *
 * Per run, not per process: two runs in one process (tests, scoreInProcess, a job file's runs) each judge under their
 * own. Kept in this module, a resume's job limit (or the first run's read of the process's limit) stayed for the next
 * run: a fresh job after one resumed from 128 MiB refused its 5 MiB records and recorded 128 MiB as its own (lowfix86).
 */
export class RecordBound {
  #limit: number | undefined;
  /** The limit the job started under, recorded in its checkpoint (`memoryLimit`, null for none); this run's until a resume says. */
  #jobLimit: number | null | undefined;

  /** `limitBytes`: this process's memory limit now (memory-room.ts), undefined for none. */
  constructor(limitBytes: number | undefined = memoryLimit()) {
    this.#limit = limitBytes;
  }

  /** What the job's checkpoint records as the limit it started under (state/checkpoint.ts `memoryLimit`): null for none. */
  jobMemoryLimit(): number | null {
    return this.#jobLimit !== undefined ? this.#jobLimit : (this.#limit ?? null);
  }

  /**
   * A resumed job's records judged under the limit it started under (`recorded`, from its checkpoint; undefined in an
   * older one, which records none: this run's limit then, as before). Under this run's limit, a job stopped under
   * 128 MiB and resumed under 256 MiB refused row 2 and scored row 300,000 of the same size: an output no single run
   * gives. So the job's limit is kept when this run's is as large (the output is one run's under it); when this run's is
   * smaller, its own is kept (the job's would bring back the OOM kill) and the returned warning says so. Call before the
   * job's records are read.
   */
  judgeUnderJobLimit(recorded: number | null | undefined): string | undefined {
    if (recorded === undefined) return undefined;
    this.#jobLimit = recorded;
    const now = this.#limit;
    const job = recorded ?? undefined;
    if (now === undefined || (job !== undefined && job <= now)) {
      this.#limit = job;
      return undefined;
    }
    // A smaller limit of the same bounds (over 512 MiB both, or a few MiB apart) parses what the job's did: the job's is kept, its rows' messages naming it.
    if ((['csv', 'jsonl'] as const).every((format) => parsedRecordBytesFor(format, job) === parsedRecordBytesFor(format, now))) {
      this.#limit = job;
      return undefined;
    }
    return (
      `the job started under ${job === undefined ? 'no memory limit' : `a memory limit of ${Math.floor(job / MIB)} MiB`} and this run's is ${Math.floor(now / MIB)} MiB: ` +
      `its records from here are judged under this run's smaller limit (${this.tooLargeCause()} are copied unscored, record_too_large), as the job's would risk the OOM kill, ` +
      'so the output may differ from one run\'s under either limit'
    );
  }

  /** The bound on a parsed record of `format`. */
  maxParsedRecordBytes(format: RecordFormat): number {
    return parsedRecordBytesFor(format, this.#limit);
  }

  /** Why a record of `bytes` was not parsed, for its row's error. */
  tooLargeMessage(format: RecordFormat, bytes: number): string {
    const most = this.maxParsedRecordBytes(format);
    const limitBytes = this.#limit;
    if (most >= MAX_RECORD_BYTES || limitBytes === undefined) return `the record has more than ${MAX_RECORD_BYTES} bytes (${bytes}); it is copied unscored`;
    const roomy = (MAX_RECORD_BYTES / MIB) * LIMIT_SHARE[format];
    return (
      `the record has more than ${most} bytes (${bytes}), the most one is parsed with under this memory limit (${Math.floor(limitBytes / MIB)} MiB, ` +
      `a container's or cgroup's: ${SHARE_WORDS[format]} of it); it is copied unscored (a limit of ${roomy} MiB or more parses records of up to ${MAX_RECORD_BYTES / MIB} MiB)`
    );
  }

  /** Why this run does not read again a record of `bytes` a run of the job parsed, and the memory limit (MiB) that parses it (tooLargeToReadAgain). */
  tooLargeToReadAgain(format: RecordFormat, bytes: number): { why: string; neededMiB?: number } {
    const limitBytes = this.#limit;
    const most = this.maxParsedRecordBytes(format);
    if (limitBytes === undefined) return { why: `a record of ${bytes} bytes, more than the ${most} one may have` };
    return {
      why: `a record of ${bytes} bytes, more than the ${most} this run parses one with under its memory limit (${Math.floor(limitBytes / MIB)} MiB, a container's or cgroup's: ${SHARE_WORDS[format]} of it)`,
      neededMiB: Math.ceil(bytes / MIB) * LIMIT_SHARE[format],
    };
  }

  /** What a run's summary calls the rows refused for their size (job/reader-failures.ts): "records over 16 MiB" without a small limit. */
  tooLargeCause(): string {
    const [csv, jsonl] = [this.maxParsedRecordBytes('csv') / MIB, this.maxParsedRecordBytes('jsonl') / MIB];
    return csv === jsonl ? `records over ${csv} MiB` : `records over ${csv} MiB (CSV) or ${jsonl} MiB (JSONL)`;
  }
}

/**
 * The bound of the run the caller is part of. Entered once by the run (withRunRecordBound) and found by the readers,
 * end checks and checkpoint deep inside it through the async context rather than handed down through each (a dozen
 * modules read it); outside any run (`report`, `estimate`) this process's limit, read once and never changed.
 */
const runBound = new AsyncLocalStorage<RecordBound>();
let processBound: RecordBound | undefined;

function currentBound(): RecordBound {
  return runBound.getStore() ?? (processBound ??= new RecordBound());
}

/** `run` with a bound of its own (this process's limit read now), unless the caller has entered one for it already. */
export function withRunRecordBound<T>(run: () => T): T {
  return runBound.getStore() !== undefined ? run() : runBound.run(new RecordBound(), run);
}

/** What the job's checkpoint records as the limit it started under, for the run the caller is part of (RecordBound.jobMemoryLimit). */
export function jobMemoryLimit(): number | null {
  return currentBound().jobMemoryLimit();
}

/** The run's records judged under its job's limit (RecordBound.judgeUnderJobLimit). */
export function judgeUnderJobLimit(recorded: number | null | undefined): string | undefined {
  return currentBound().judgeUnderJobLimit(recorded);
}

/** The run's bound on a parsed record of `format`. */
export function maxParsedRecordBytes(format: RecordFormat): number {
  return currentBound().maxParsedRecordBytes(format);
}

/** Why a record of `bytes` was not parsed, for its row's error. */
export function tooLargeMessage(format: RecordFormat, bytes: number): string {
  return currentBound().tooLargeMessage(format, bytes);
}

/**
 * Why this run does not read again a record of `bytes` that a run of the job parsed (a row it listed, failed
 * transiently, for a rerun to mend), and the memory limit (MiB) that parses it; none under no limit.
 */
export function tooLargeToReadAgain(format: RecordFormat, bytes: number): { why: string; neededMiB?: number } {
  return currentBound().tooLargeToReadAgain(format, bytes);
}

/** What a run's summary calls the rows refused for their size (RecordBound.tooLargeCause). */
export function tooLargeCause(): string {
  return currentBound().tooLargeCause();
}
