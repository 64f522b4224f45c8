/**
 * The Hub cache's folder layout (as huggingface_hub writes it, so Python and
 * this tool can share one cache): models--{owner}--{name}/refs/{revision}
 * holds the commit a revision resolved to; snapshots/{commit}/{file} the files.
 * Files are written straight into the snapshot (no blobs/ symlinks): readers
 * of the layout accept regular files there.
 */
import { constants } from 'node:fs';
import { SentimentBatchError } from '../errors.js';
import { commandUser } from '../wording/not-readable.js';
import path from 'node:path';
import { accessError } from '../paths/access-error.js';
import { readGivenTextSync } from '../paths/read-given-text.js';
import { statOrUndefined } from '../paths/same-file.js';
import { kindOf } from '../wording/file-kind.js';

function repoFolder(cacheDir: string, repo: string): string {
  return path.join(cacheDir, `models--${repo.replace('/', '--')}`);
}

export function refFile(cacheDir: string, repo: string, revision: string): string {
  return path.join(repoFolder(cacheDir, repo), 'refs', revision);
}

export function snapshotFolder(cacheDir: string, repo: string, commit: string): string {
  return path.join(repoFolder(cacheDir, repo), 'snapshots', commit);
}

export function isCommitHash(revision: string): boolean {
  return /^[0-9a-f]{40}$/.test(revision);
}

/**
 * The snapshot folder a revision points at in the cache, or undefined when it was never pulled. A cache this user may
 * not read (a volume of root's, the container running as another user) was said to hold no model, with 'run model
 * pull once', which the user had done: it is said as what it is.
 */
export function findSnapshot(cacheDir: string, repo: string, revision: string): string | undefined {
  let commit = revision;
  if (!isCommitHash(revision)) {
    const ref = refFile(cacheDir, repo, revision);
    if (!readable(ref, cacheDir)) return undefined;
    commit = readRef(ref, cacheDir);
  }
  const folder = snapshotFolder(cacheDir, repo, commit);
  return readable(folder, cacheDir) ? folder : undefined;
}

/**
 * The commit a ref names (`refs/main`, as `model pull` writes it). A folder there was said as 'a file (read) is a
 * folder …(or choose another path, -o)', naming no path (exit 74), and a named pipe was waited on for ever: each is
 * named, with what to do, as the model's other files are (exit 2).
 */
function readRef(ref: string, cacheDir: string): string {
  const stats = statOrUndefined(ref);
  if (stats !== undefined && !stats.isFile()) {
    throw new SentimentBatchError(
      'model_file',
      `${ref} in the Hub cache ${cacheDir} is ${kindOf(stats)}, not the file naming the commit pulled: remove it and run \`sentiment-batch model pull\` again, or point --model-dir at a model folder`,
    );
  }
  return readGivenTextSync(ref).trim();
}

/** Whether `file` is there to read: false when it is not; a refusal to look is an error naming it. */
function readable(file: string, cacheDir: string): boolean {
  const error = accessError(file, constants.R_OK);
  if (error === undefined) return true;
  if (error.code !== 'EACCES' && error.code !== 'EPERM') return false;
  throw new SentimentBatchError(
    'model_file',
    `cannot read ${file} in the Hub cache ${cacheDir} (permission denied): give ${commandUser()} ` +
      `read access to the cache (chmod -R a+rX ${cacheDir}), or point --model-dir at a copy it can read`,
  );
}

/** Recognises `.../models--owner--name/snapshots/<commit>` to name a model folder. */
export function describeSnapshotPath(folder: string): { repo: string; commit: string } | undefined {
  const commit = path.basename(folder);
  const snapshots = path.dirname(folder);
  const repoDir = path.basename(path.dirname(snapshots));
  if (!isCommitHash(commit) || path.basename(snapshots) !== 'snapshots' || !repoDir.startsWith('models--')) return undefined;
  return { repo: repoDir.slice('models--'.length).replace('--', '/'), commit };
}
