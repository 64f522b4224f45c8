/**
 * `model pull`: resolves the revision once (X-Repo-Commit), then fetches each
 * model file into the Hub cache's snapshot of that commit (or into
 * --model-dir), skipping files already there that match the Hub's hash; records refs/<revision>.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Dispatcher } from 'undici';
import { proxyAgent } from '../net/proxy-agent.js';
import { makeFolders } from '../paths/create-folder.js';
import { writeFileAtomic } from '../state/atomic-write.js';
import { isCommitHash, refFile, snapshotFolder } from './cache-layout.js';
import { downloadFile, matchesHub, type ProgressListener } from './download-file.js';
import { withFileLock } from './file-lock.js';
import { MODEL_FILES, type HubEnv } from './hub-env.js';
import { downloadError, fetchFileInfo, type HubRequest } from './hub-file.js';
import { writePullRecord, type PulledFile } from './pull-record.js';
import { readIfThere } from './read-if-there.js';
import { RETRY_DELAYS_MS, withRetries, type RetryListener } from './retry-download.js';

export interface PullOptions {
  hub: HubEnv;
  repo: string;
  revision: string;
  /** A plain folder instead of the Hub cache. */
  modelDir: string | undefined;
  dispatcher?: Dispatcher;
  /** `bytes`: the file's size once 'done'; for 'resuming', the bytes kept that the download goes on from, of `size`. */
  onFile?: (file: string, state: 'present' | 'damaged' | 'waiting' | 'downloading' | 'resuming' | 'done', bytes?: number, size?: number) => void;
  onProgress?: (file: string) => ProgressListener;
  /** A file is tried again after a failure that passes (retry-download.ts). */
  onRetry?: RetryListener;
  /** Waits before each retry; [] tries each file once. */
  retryDelaysMs?: readonly number[];
  /** How long a request may receive nothing before it is tried again (default STALL_MS, hub-file.ts). */
  stallMs?: number;
}

export interface PullResult {
  folder: string;
  commit: string;
  downloaded: string[];
  present: string[];
}

export async function pullModel(options: PullOptions): Promise<PullResult> {
  // HTTP(S)_PROXY and NO_PROXY from the environment (this machine's addresses never proxied), direct otherwise.
  const dispatcher = options.dispatcher ?? proxyAgent();
  const result: PullResult = { folder: '', commit: '', downloaded: [], present: [] };
  const checked: Record<string, PulledFile> = {};
  for (const file of MODEL_FILES) {
    // One listener for all the tries of a file: one made for each try said its quarters again at each, and a rate of
    // the resumed bytes over the new try's seconds (923 MB/s on a 5 MB/s link cut every 5 MB).
    const progress = options.onProgress?.(file) ?? (() => {});
    // A dropped connection or a 5xx on a 67 MB download is common; each file is tried again (resuming) before giving up.
    await withRetries(file, options.retryDelaysMs ?? RETRY_DELAYS_MS, options.onRetry, () => pullFile(file, options, dispatcher, result, checked, progress));
  }
  await recordPull(result, { repo: options.repo, commit: result.commit, files: checked });
  if (!options.modelDir && !isCommitHash(options.revision)) {
    const ref = refFile(options.hub.cacheDir, options.repo, options.revision);
    // Written only when it changes: a complete cache on a read-only volume stays a pull with nothing to do.
    if (readIfThere(ref)?.trim() !== result.commit) {
      makeFolders(path.dirname(ref));
      await writeFileAtomic(ref, result.commit);
    }
  }
  return result;
}

/** Resolves one file at the revision, then fetches it unless a good copy is there. */
async function pullFile(file: string, options: PullOptions, dispatcher: Dispatcher, result: PullResult, checked: Record<string, PulledFile>, progress: ProgressListener): Promise<void> {
  const r: HubRequest = { endpoint: options.hub.endpoint, repo: options.repo, revision: options.revision, file, token: options.hub.token, dispatcher, stallMs: options.stallMs };
  const info = await fetchFileInfo(r);
  if (result.commit && info.commit !== result.commit) {
    throw downloadError(`the revision ${options.revision} moved to another commit during the pull (${result.commit} → ${info.commit}); run it again`);
  }
  result.commit = info.commit;
  result.folder = options.modelDir ?? snapshotFolder(options.hub.cacheDir, options.repo, info.commit);
  const target = path.join(result.folder, file);
  // What the file is checked against now, recorded for score --backend local to check it again before each load.
  if (info.size !== undefined) checked[file] = { hash: info.hash, size: info.size };
  // A file there that matches the Hub needs no lock: nothing is written (a model folder on a read-only volume,
  // complete, pulls as 'already complete', as before the lock).
  if (existsSync(target) && (await matchesHub(target, info))) {
    result.present.push(file);
    options.onFile?.(file, 'present');
    return;
  }
  makeFolders(path.dirname(target));
  // Another pull fetching this file is waited for: then it is there, and checked.
  await withFileLock(target, () => options.onFile?.(file, 'waiting'), async (lost) => {
    // A file already there is checked as a fresh one is: one damaged since (edited, a bad disk) is fetched again.
    const present = existsSync(target);
    if (present && (await matchesHub(target, info))) {
      result.present.push(file);
      options.onFile?.(file, 'present');
      return;
    }
    options.onFile?.(file, present ? 'damaged' : 'downloading');
    // Pin later requests to the commit: a file must not come from a newer one.
    await downloadFile(info, { ...r, revision: info.commit }, target, progress, lost, (kept) => options.onFile?.(file, 'resuming', kept, info.size));
    result.downloaded.push(file);
    options.onFile?.(file, 'done', info.size);
  });
}

/**
 * Every file is there and matches the Hub: records it. A complete folder pulled by an older version (no record) on a
 * read-only volume still pulls as complete, unrecorded: the record is a check for later, the files are good.
 */
async function recordPull(result: PullResult, record: Parameters<typeof writePullRecord>[1]): Promise<void> {
  try {
    await writePullRecord(result.folder, record);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (result.downloaded.length > 0 || (code !== 'EROFS' && code !== 'EACCES' && code !== 'EPERM')) throw error;
  }
}
