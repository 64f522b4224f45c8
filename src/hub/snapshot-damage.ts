/**
 * What `model list` can tell of a snapshot's files without reading them: a file whose size is not the size its pull
 * checked (cut short, edited, a copy interrupted) is damaged. `model list` called such a folder 'complete', and
 * `score --backend local` then refused it; the hashes are left to score and pull, which read the files anyway.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { readPullRecord, type PullRecord } from './pull-record.js';

export interface DamagedFile {
  file: string;
  size: number;
  pulled: number;
}

/** Files of `files` that the folder's pull record names and whose size differs from it (none without a record). */
export function damagedSincePull(folder: string, files: readonly string[]): DamagedFile[] {
  const record = recordIfReadable(folder);
  if (!record) return [];
  const damaged: DamagedFile[] = [];
  for (const file of files) {
    const pulled = record.files[file]?.size;
    const size = sizeIfThere(path.join(folder, file));
    if (pulled !== undefined && size !== undefined && size !== pulled) damaged.push({ file, size, pulled });
  }
  return damaged;
}

// A record that cannot be read or is not one `model pull` writes is for score to refuse, with its remedy: listing
// the cache goes on.
function recordIfReadable(folder: string): PullRecord | undefined {
  try {
    return readPullRecord(folder);
  } catch {
    return undefined;
  }
}

function sizeIfThere(file: string): number | undefined {
  try {
    return statSync(file).size;
  } catch {
    return undefined;
  }
}
