/** `model list`: the models in the Hub cache (any repo), their revisions, files and sizes. */
import { existsSync, readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { MODEL_FILES } from './hub-env.js';
import { damagedSincePull, type DamagedFile } from './snapshot-damage.js';

export interface CachedSnapshot {
  repo: string;
  commit: string;
  /** Revisions (refs) pointing at this commit. */
  refs: string[];
  folder: string;
  bytes: number;
  /** Every file the local backend needs is there, of the size its pull checked. */
  complete: boolean;
  missing: string[];
  /** Files there whose size is not the one their pull checked. */
  damaged: DamagedFile[];
}

export function listCachedModels(cacheDir: string): CachedSnapshot[] {
  if (!existsSync(cacheDir)) return [];
  const found: CachedSnapshot[] = [];
  for (const entry of readdirSync(cacheDir).sort()) {
    if (!entry.startsWith('models--')) continue;
    const repo = entry.slice('models--'.length).replace('--', '/');
    const repoDir = path.join(cacheDir, entry);
    const refs = readRefs(path.join(repoDir, 'refs'));
    const snapshots = path.join(repoDir, 'snapshots');
    // A folder this user may not read (the cache of another user's) is an error naming it, not 'no models'.
    const commits = readIfFolder(snapshots);
    if (commits === undefined) continue;
    for (const commit of commits.sort()) {
      const folder = path.join(snapshots, commit);
      // existsSync follows links: one leading nowhere (its blob deleted) is missing, and a pull fetches it again.
      const missing = MODEL_FILES.filter((file) => !existsSync(path.join(folder, file)));
      const damaged = damagedSincePull(folder, MODEL_FILES);
      found.push({
        repo,
        commit,
        refs: [...refs].filter(([, c]) => c === commit).map(([name]) => name),
        folder,
        bytes: folderBytes(folder),
        complete: missing.length === 0 && damaged.length === 0,
        missing,
        damaged,
      });
    }
  }
  return found;
}

function readIfFolder(dir: string): string[] | undefined {
  try {
    return readdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

function readRefs(dir: string): Map<string, string> {
  const refs = new Map<string, string>();
  if (!existsSync(dir)) return refs;
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    if (statIfThere(file)?.isFile()) refs.set(name, readFileSync(file, 'utf8').trim());
  }
  return refs;
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? folderBytes(full) : (statIfThere(full)?.size ?? 0);
  }
  return total;
}

/**
 * A link leading nowhere (a huggingface_hub snapshot whose blob was deleted by hand) or a file a pull under way renamed
 * since the folder was read: 'stat … failed (ENOENT); … run the same command again', exit 74, and no model listed.
 */
function statIfThere(file: string): Stats | undefined {
  try {
    return statSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
