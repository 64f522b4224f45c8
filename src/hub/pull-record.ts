/**
 * What `model pull` verified, kept beside the files it fetched: the repo, the
 * commit and each file's size and Hub hash, in `<folder>/.sentiment-batch-pull.json`.
 * `score --backend local` checks the files it reads against it before loading:
 * a model file changed since its pull (a flipped byte in the weights, a bad
 * copy, config.json's labels edited) loaded and scored every row, exit 0, under
 * the model id of the commit it no longer was, and a result cache kept those
 * answers as that model's. A folder without a record (copied by hand, pulled
 * by an older version) is used as it is.
 */
import path from 'node:path';
import { SentimentBatchError } from '../errors.js';
import { writeFileAtomic } from '../state/atomic-write.js';
import { hashLike, type FileHash } from './file-hash.js';
import { readIfThere } from './read-if-there.js';

export const PULL_RECORD = '.sentiment-batch-pull.json';

export interface PulledFile {
  /** sha256 (64 hex) or git blob sha1 (40 hex), as the Hub announced it. */
  hash: string;
  size: number;
}

export interface PullRecord {
  repo: string;
  commit: string;
  files: Record<string, PulledFile>;
}

/** Writes the record of a finished pull; written only when it changes, so a complete folder on a read-only volume pulls as before. */
export async function writePullRecord(folder: string, record: PullRecord): Promise<void> {
  const text = `${JSON.stringify(record, null, 2)}\n`;
  const file = path.join(folder, PULL_RECORD);
  if (readIfThere(file) === text) return;
  await writeFileAtomic(file, text);
}

/** The folder's record, or undefined when it has none. */
export function readPullRecord(folder: string): PullRecord | undefined {
  const file = path.join(folder, PULL_RECORD);
  const text = readIfThere(file);
  if (text === undefined) return undefined;
  let record: PullRecord;
  try {
    record = JSON.parse(text) as PullRecord;
  } catch (error) {
    throw new SentimentBatchError('model_file', `${file} is not valid JSON (${(error as Error).message}): it is what \`model pull\` recorded of the files it checked; pull again, or delete it to use the folder unchecked`);
  }
  const wellFormed =
    typeof record?.repo === 'string' &&
    typeof record.commit === 'string' &&
    typeof record.files === 'object' &&
    record.files !== null &&
    Object.values(record.files).every((f) => typeof f?.hash === 'string' && /^([0-9a-f]{64}|[0-9a-f]{40})$/.test(f.hash) && Number.isSafeInteger(f.size));
  if (!wellFormed) throw new SentimentBatchError('model_file', `${file} is not a record \`model pull\` writes: pull again, or delete it to use the folder unchecked`);
  return record;
}

/**
 * Checks each of `files` (paths relative to `folder`) that the record names against it. `known`: hashes already
 * computed (the ONNX file's sha256, which names a folder outside the cache), so a 67 MB file is read once.
 * `remedy`: how to get good files back.
 */
export async function checkAgainstPull(folder: string, record: PullRecord, files: readonly string[], remedy: string, known: ReadonlyMap<string, FileHash> = new Map()): Promise<void> {
  for (const name of files) {
    const expected = record.files[name];
    if (!expected) continue;
    const file = path.join(folder, name);
    const found = (expected.hash.length === 64 ? known.get(name) : undefined) ?? (await hashLike(file, expected.hash));
    if (found.actual === expected.hash && found.size === expected.size) continue;
    const short = (hash: string): string => `${hash.slice(0, 12)}…`;
    throw new SentimentBatchError(
      'model_file',
      `${file} is not the file \`model pull\` fetched (${record.repo} at commit ${record.commit}): it was damaged or changed since ` +
        `(${found.size} bytes hashing to ${short(found.actual)}, expected ${expected.size} bytes hashing to ${short(expected.hash)}), ` +
        `and would give other answers under that commit's name: ${remedy}`,
    );
  }
}
