import { constants } from 'node:os';
import path from 'node:path';
import { atFileSizeLimit, fileSizeLimit, fileSizeLimitShown, raiseFileSizeLimit } from '../process/file-size-limit.js';
import { errnoReason, errnoRemedy } from '../machine-fault.js';
import { freeBytes, kib } from './cache-space.js';

/**
 * Under this much free space a failed commit is taken for a full disk: LMDB says a short write (the disk filled under
 * it) as EIO, not ENOSPC (mdb_page_flush), and a 256 KiB tmpfs filled by the cache's own commits fails so.
 */
const FULL_BELOW_BYTES = 1024 * 1024;

/**
 * The warning of a result cache whose commit failed, with the reason: lmdb rejects each put of the commit with
 * 'Commit failed (see commitError for details)', the reason on its `commitError` promise, which the line quoted as it
 * was (operator31). Said in the words of every other fault line (machine-fault.ts errnoReason).
 */
export async function commitFailureLine(dir: string, error: unknown, sizeLimit = fileSizeLimit()): Promise<string> {
  const { what, remedy } = commitFault(dir, await commitReason(error), sizeLimit);
  return `writing to the result cache ${dir} failed: ${what}: no more results are written to it in this run (the output is not affected${remedy === undefined ? '' : `; ${remedy}`})`;
}

/** Why a commit failed, as commitFailureLine says it (`no space left on the device (0 KiB free)`): a store's flush throws it. */
export async function commitFailureReason(dir: string, error: unknown): Promise<string> {
  return commitFault(dir, await commitReason(error)).what;
}

/**
 * lmdb rejects `commitError` in the same callback that rejects the put (write.js, before any handler of the put runs);
 * a commit that failed otherwise never settles it, so it is waited for no longer than the next turn.
 */
async function commitReason(error: unknown): Promise<unknown> {
  const pending = (error as { commitError?: Promise<unknown> } | null)?.commitError;
  if (pending === undefined) return error;
  const unsaid = new Promise<undefined>((resolve) => setImmediate(() => resolve(undefined)));
  return await Promise.race([pending.then(() => undefined, (reason: unknown) => reason), unsaid]);
}

/** `sizeLimit`: this process's file-size limit (file-size-limit.ts), a parameter for the tests. */
function commitFault(dir: string, reason: unknown, sizeLimit = fileSizeLimit()): { what: string; remedy?: string } {
  const name = errnoName(reason);
  const free = freeOrUndefined(dir);
  if (name === 'ENOSPC' || (name === 'EIO' && free !== undefined && free < FULL_BELOW_BYTES)) {
    return { what: `${errnoReason('ENOSPC')}${free === undefined ? '' : ` (${kib(free)} free)`}`, remedy: 'free some space for the next run' };
  }
  // A file-size limit (ulimit -f) cuts the data file's write short, which LMDB says as EIO, or its commit fails with no
  // reason given: the line said "input/output error … check the disk or volume" of a healthy disk, or "the store could
  // not commit the write" (operator34, ulimit -f 100). A data file grown to the limit is the reason.
  if (atFileSizeLimit(path.join(dir, 'data.mdb'), sizeLimit)) {
    return { what: `its data file reached this process's file-size limit (${fileSizeLimitShown(sizeLimit)})`, remedy: raiseFileSizeLimit() };
  }
  const worded = name === undefined ? undefined : errnoReason(name);
  if (worded !== undefined) return { what: worded, ...(errnoRemedy(name!) !== undefined ? { remedy: errnoRemedy(name!)! } : {}) };
  // An errno the table does not word, or one of LMDB's own codes: its name or message, never lmdb's 'see commitError'.
  if (name !== undefined) return { what: name };
  const message = reason instanceof Error ? reason.message : undefined;
  return { what: message === undefined || message === '' || message.startsWith('Commit failed') ? 'the store could not commit the write' : message };
}

/** `EIO` for lmdb's `code: 5` (a positive errno) or Node's `code: 'EIO'`. */
function errnoName(reason: unknown): string | undefined {
  const code = (reason as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('E')) return code;
  if (typeof code !== 'number') return undefined;
  return Object.entries(constants.errno).find(([, value]) => value === code)?.[0];
}

function freeOrUndefined(dir: string): number | undefined {
  try {
    return freeBytes(dir);
  } catch {
    return undefined;
  }
}
