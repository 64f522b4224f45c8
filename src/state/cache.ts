import type { RootDatabase } from 'lmdb';

import { MachineFaultError, errorMessage } from '../errors.js';
import { flagWords, type SettingWords } from '../config/setting-names.js';
import type { Scores } from '../scoring/scorer.js';
import { closeEnvironment, openEnvironment } from './cache-environment.js';
import { cacheKey, dayOf, decodeEntry, encodeEntry } from './cache-codec.js';
import { OPEN_SCAN_LIMIT, evictAll, evictAtOpen, isExpired, type EvictionLimits, type ResultsDb } from './cache-evict.js';
import { damagedCacheError, damagedCacheWarning, isDamage, unusableAnswerWarning } from './cache-damage.js';
import { CacheError, assertLmdbDataFile, prepareDirectory, validateOptions } from './cache-open.js';
import { takeOpenLock, withOpenLock, type OpenLock } from './cache-open-lock.js';
import { assertCanRead, openFailure } from './cache-reader-slot.js';
import { cacheFolderWords, DEFAULT_MIN_FREE_BYTES, SpaceWatch } from './cache-space.js';
import { commitFailureLine, commitFailureReason } from './cache-commit-fault.js';
import type { ResultCacheOptions, ResultCacheStats } from './cache-options.js';
import { probeInChild } from './cache-probe.js';

export { CacheError } from './cache-open.js';
export type { ResultCacheOptions } from './cache-options.js';

const DEFAULT_MAX_AGE_DAYS = 365;
const DEFAULT_MAX_ENTRIES = 2_000_000;
// A hit rewrites the entry's last-used day at most this often: eviction by
// count stays close to least-recently-used without a write on every hit.
const TOUCH_AFTER_DAYS = 7;
const FORMAT_VERSION = 1;

/**
 * Persistent (model id, text) → scores, shared by runs and by concurrent
 * processes on one machine. Backed by LMDB: every write is part of an ACID
 * transaction on a copy-on-write B-tree, so a process killed at any point
 * leaves the last committed state intact; readers never block writers.
 * Opens, closes and commits of all processes take turns (cache-open-lock.ts
 * says why). See docs/cost.md.
 */
export class ResultCache {
  readonly #root: RootDatabase;
  readonly #results: ResultsDb;
  readonly #meta: ResultsDb;
  readonly #maxAgeDays: number | undefined;
  readonly #maxEntries: number;
  readonly #now: () => number;
  // Puts not yet committed, so this process reads its own writes at once (hex key → value).
  readonly #pending = new Map<string, Buffer>();
  #lastWrite: Promise<unknown> = Promise.resolve();
  /** The warning of a failed commit, being worded (its reason is read from lmdb's commitError): flush waits for it. */
  #saying: Promise<void> | undefined;
  #writeError: unknown;
  #writesStopped = false;
  #damaged = false; // a look-up met a damaged page (cache-damage.ts): nothing more is read from the store
  #batchGuardQueued = false;
  readonly #space: SpaceWatch;
  readonly #onWritesStopped: ((message: string) => void) | undefined;
  readonly #onUnusableAnswer: ((message: string) => void) | undefined;
  #unusableSaid = false;
  readonly #dir: string;
  /** The setting that gave the folder, for the lock's messages during the run. */
  readonly #named: SettingWords;
  // The open lock, held from a put until every put so far has committed, so that no process opens
  // the store while this one commits (cache-open-lock.ts says why).
  #commitLock: OpenLock | undefined;
  #uncommitted = 0;
  #closed = false;
  readonly #stats = { hits: 0, misses: 0, expired: 0, puts: 0, touched: 0, evicted: 0 };

  private constructor(root: RootDatabase, dir: string, named: SettingWords, options: ResultCacheOptions) {
    this.#root = root;
    this.#dir = dir;
    this.#named = named;
    this.#space = new SpaceWatch(dir, options.minFreeBytes ?? DEFAULT_MIN_FREE_BYTES);
    this.#onWritesStopped = options.onWritesStopped;
    this.#onUnusableAnswer = options.onUnusableAnswer;
    this.#results = root.openDB<Buffer, Buffer>({ name: 'results', encoding: 'binary', keyEncoding: 'binary' });
    this.#meta = root.openDB<Buffer, Buffer>({ name: 'meta', encoding: 'binary', keyEncoding: 'binary' });
    const maxAge = options.maxAgeDays ?? DEFAULT_MAX_AGE_DAYS;
    this.#maxAgeDays = maxAge === Infinity ? undefined : maxAge;
    this.#maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Opens (creating it if needed) the cache in directory `dir`, then evicts:
   * expired entries among the next 100,000 (resuming where the last open
   * stopped) and, over `maxEntries`, the least recently used.
   */
  static open(dir: string, options: ResultCacheOptions = {}): ResultCache {
    validateOptions(options);
    const named = options.named ?? flagWords('--cache', dir);
    prepareDirectory(dir, options.minFreeBytes ?? DEFAULT_MIN_FREE_BYTES, named);
    assertLmdbDataFile(dir, named);
    if (options.probe) probeInChild(dir, named, { scanLimit: OPEN_SCAN_LIMIT, maxEntries: options.maxEntries ?? DEFAULT_MAX_ENTRIES });
    const root = openEnvironment(dir, named);
    // Outside the open lock: where this process cannot read (cache-reader-slot.ts), lmdb retries for about
    // 10 s first, and other processes' opens and commits must not wait for that. A read needs no lock of
    // ours: the environment is open, so no other process can set it up or tear it down meanwhile.
    try {
      assertCanRead(root, dir, named);
    } catch (error) {
      closeEnvironment(root, dir);
      throw error;
    }
    let lock: OpenLock;
    try {
      lock = takeOpenLock(dir, { named });
    } catch (error) {
      closeEnvironment(root, dir);
      throw error;
    }
    try {
      const cache = new ResultCache(root, dir, named, options);
      cache.#checkFormat();
      cache.#evictAtOpen();
      lock.release();
      return cache;
    } catch (error) {
      closeEnvironment(root, dir, lock);
      throw openFailure(dir, error, named);
    }
  }

  /**
   * The cached scores of `text` under `modelId`, or undefined (absent, or
   * written more than `maxAgeDays` ago). Synchronous. A hit on an entry last
   * used a week or more ago queues a rewrite of its last-used day, so
   * eviction by count spares what recent runs still ask for.
   */
  get(modelId: string, text: string): Scores | undefined {
    this.#assertOpen();
    const key = cacheKey(modelId, text);
    const pending = this.#pending.size > 0 ? this.#pending.get(key.toString('hex')) : undefined;
    const value = pending ?? this.#read(key, modelId);
    // Decoded at once: getBinaryFast's buffer is reused by the next read.
    const entry = value === undefined ? undefined : decodeEntry(value);
    if (entry === undefined) {
      if (value !== undefined) this.#unusableAnswer(modelId);
      this.#stats.misses += 1;
      return undefined;
    }
    const today = dayOf(this.#now());
    if (isExpired(entry.writtenDay, today, this.#maxAgeDays)) {
      this.#stats.expired += 1;
      this.#stats.misses += 1;
      return undefined;
    }
    if (today - entry.usedDay >= TOUCH_AFTER_DAYS) {
      this.#stats.touched += 1;
      this.#write(key, encodeEntry(entry.scores, entry.writtenDay, today));
    }
    this.#stats.hits += 1;
    return entry.scores;
  }

  /** A value that is not an answer (its bytes changed on the disk): a miss, said once; the run's answer replaces it. */
  #unusableAnswer(modelId: string): void {
    if (this.#unusableSaid) return;
    this.#unusableSaid = true;
    this.#onUnusableAnswer?.(unusableAnswerWarning(this.#dir, this.#named, modelId));
  }

  /** LMDB's value of `key` (an answer of `modelId`). A damaged page ends this run's use of the store where a run can go on without it. */
  #read(key: Buffer, modelId: string): Uint8Array | undefined {
    if (this.#damaged) return undefined;
    try {
      return this.#results.getBinaryFast(key);
    } catch (error) {
      if (!isDamage(error)) throw error;
      if (!this.#onWritesStopped) throw damagedCacheError(this.#dir, error, this.#named);
      this.#damaged = true;
      this.#stopWrites(damagedCacheWarning(this.#dir, error, this.#named, modelId));
      return undefined;
    }
  }

  /**
   * Stores scores for `text` under `modelId`. The write is queued and
   * committed with the others of the same event-loop turn; `get` sees it at
   * once. A failed write surfaces from the next `flush` or `close`.
   */
  put(modelId: string, text: string, scores: Scores): void {
    this.#assertOpen();
    if (!Number.isFinite(scores.positive) || !Number.isFinite(scores.negative)) {
      throw new CacheError(`Refusing to cache non-finite scores ${JSON.stringify(scores)}.`, { code: 'internal' });
    }
    this.#stats.puts += 1;
    this.#write(cacheKey(modelId, text), encodeEntry(scores, dayOf(this.#now())));
  }

  #write(key: Buffer, value: Buffer): void {
    if (this.#writesStopped || !this.#space.roomToWrite((message, fault) => this.#stopWrites(message, fault), key.length + value.length)) return;
    if (this.#commitLock === undefined) {
      try {
        this.#commitLock = takeOpenLock(this.#dir, { named: this.#named });
      } catch (error) {
        // Held by another process for minutes (cache-open-lock.ts): this run goes on without writing.
        this.#writeError ??= error;
        this.#stopWrites(`${errorMessage(error)}: no more results are written to the result cache in this run (the output is not affected)`);
        return;
      }
    }
    this.#uncommitted += 1;
    const hex = key.toString('hex');
    this.#pending.set(hex, value);
    const settled = (): void => {
      if (this.#pending.get(hex) === value) this.#pending.delete(hex);
      this.#uncommitted -= 1;
      if (this.#uncommitted > 0) return;
      this.#commitLock?.release();
      this.#commitLock = undefined;
    };
    let written: Promise<boolean>;
    try {
      written = this.#results.put(key, value);
    } catch (error) {
      settled(); // never leave the open lock held for a put that was not queued
      throw error;
    }
    this.#guardBatchCommit();
    // LMDB rejects a failed commit's "flushed" and "commitError" promises too; unhandled, either would kill the process.
    (written as { flushed?: Promise<unknown> }).flushed?.catch(() => undefined);
    this.#lastWrite = written.then(settled, async (error: unknown) => {
      (error as { commitError?: Promise<unknown> }).commitError?.catch(() => undefined);
      // Every put of the failed commit comes here: the first says it, once its reason is read (flush waits for that).
      const first = this.#onWritesStopped !== undefined && this.#writeError === undefined && !this.#damaged;
      this.#writeError ??= error;
      if (first) {
        this.#writesStopped = true;
        this.#saying = commitFailureLine(this.#dir, error).then((line) => this.#stopWrites(line));
      }
      settled();
      await this.#saying;
    });
  }

  /**
   * lmdb starts each event-loop turn's batch of writes with an instruction of
   * its own (write.js, writeBatchStart) whose commit promise it drops: when
   * that commit fails, the rejection is unhandled and kills the process with a
   * stack trace. Once per turn with writes, after lmdb's batch start has run
   * (both are immediates, lmdb's queued first), the store's current commit
   * promise gets a handler; the failure itself reaches `#write`'s handler too.
   */
  #guardBatchCommit(): void {
    if (this.#batchGuardQueued) return;
    this.#batchGuardQueued = true;
    setImmediate(() => {
      this.#batchGuardQueued = false;
      if (!this.#closed) this.#results.committed.then(undefined, () => undefined);
    });
  }

  /**
   * `fault`: the disk under the reserve. Without onWritesStopped to say it (the answer store, kept-answers-import.ts), the
   * next flush throws it: the puts it dropped were taken for kept ("27 answers are kept (0 texts in out.csv.answers)").
   */
  #stopWrites(message: string, fault?: MachineFaultError): void {
    this.#writesStopped = true;
    if (this.#onWritesStopped) this.#onWritesStopped(message);
    else if (fault) this.#writeError ??= fault;
  }

  /** Resolves when every put so far is committed and flushed to disk. */
  async flush(): Promise<void> {
    await this.#lastWrite;
    await this.#saying;
    // After a failed write LMDB's flushed promise rejects too: the failure is reported (or thrown) below, once.
    await Promise.resolve(this.#results.flushed).catch((error: unknown) => (this.#writeError ??= error));
    // Reported as it happened (onWritesStopped): the run goes on without the cache's later writes.
    if (this.#writeError !== undefined && this.#onWritesStopped) return;
    if (this.#writeError !== undefined) {
      const error = this.#writeError;
      this.#writeError = undefined;
      if (error instanceof MachineFaultError) throw error;
      throw new CacheError(`Writing to the result cache failed: ${await commitFailureReason(this.#dir, error)}.`, { cause: error, code: 'internal' });
    }
  }

  /** Flushes, then closes the store. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    try {
      await this.flush();
    } finally {
      this.#closed = true;
      // Under the open lock: the last process to close tears down what another one may be opening.
      // A lock that cannot be taken (the folder gone or refused meanwhile) must not keep the store open.
      // Still held only if a put never settled: the lock is this process's already.
      let lock: OpenLock | undefined = this.#commitLock;
      this.#commitLock = undefined;
      try {
        lock ??= takeOpenLock(this.#dir, { named: this.#named });
      } catch {
        lock = undefined;
      }
      try {
        await this.#root.close();
      } finally {
        lock?.release();
      }
    }
  }

  /**
   * Deletes every expired entry and, over `maxEntries`, the least recently
   * used. A full scan: for maintenance, not for every run.
   */
  async prune(): Promise<{ removed: number }> {
    this.#assertOpen();
    await this.flush();
    const limits = this.#evictionLimits();
    // Its deletions commit under the open lock, as puts do.
    const removed = withOpenLock(this.#dir, () => evictAll(this.#results, limits), this.#named);
    this.#stats.evicted += removed;
    return { removed };
  }

  /** A value recorded beside the results by whoever fills the store (kept-answers-model.ts: the model they are of). */
  note(name: string): string | undefined {
    this.#assertOpen();
    const value = this.#meta.getBinary(Buffer.from(`note:${name}`));
    return value === undefined ? undefined : Buffer.from(value).toString('utf8');
  }

  /** Records `value` under `name`, committed and synced before it returns (under the open lock, as puts commit). */
  setNote(name: string, value: string): void {
    this.#assertOpen();
    withOpenLock(this.#dir, () => this.#meta.putSync(Buffer.from(`note:${name}`), Buffer.from(value, 'utf8')), this.#named);
  }

  stats(): ResultCacheStats {
    const lmdbStats = this.#closed ? {} : (this.#results.getStats() as { entryCount?: number });
    return { ...this.#stats, entries: lmdbStats.entryCount ?? 0 };
  }

  #evictAtOpen(): void {
    this.#stats.evicted += evictAtOpen(this.#results, this.#meta, this.#evictionLimits());
  }

  #evictionLimits(): EvictionLimits {
    return { today: dayOf(this.#now()), maxAgeDays: this.#maxAgeDays, maxEntries: this.#maxEntries };
  }

  #checkFormat(): void {
    const key = Buffer.from('format');
    const stored = this.#meta.getBinary(key);
    if (stored === undefined) {
      this.#meta.putSync(key, Buffer.from([FORMAT_VERSION]));
    } else if (stored.length !== 1 || stored[0] !== FORMAT_VERSION) {
      throw new CacheError(
        `The result cache in ${this.#dir} has format ${stored[0] ?? '?'}, this version reads format ${FORMAT_VERSION}. ` +
          `Use ${cacheFolderWords(this.#named, 'another')} (or delete this one).`,
      );
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw new CacheError('The result cache is closed.', { code: 'internal' });
  }
}
