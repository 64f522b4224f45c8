/** `model list`: the models in the Hub cache (any repo), their revisions, files and sizes. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { MODEL_FILES } from './hub-env.js';

export interface CachedSnapshot {
  repo: string;
  commit: string;
  /** Revisions (refs) pointing at this commit. */
  refs: string[];
  folder: string;
  bytes: number;
  /** Every file the local backend needs is there. */
  complete: boolean;
  missing: string[];
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
      const missing = MODEL_FILES.filter((file) => !existsSync(path.join(folder, file)));
      found.push({
        repo,
        commit,
        refs: [...refs].filter(([, c]) => c === commit).map(([name]) => name),
        folder,
        bytes: folderBytes(folder),
        complete: missing.length === 0,
        missing,
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
    if (statSync(file).isFile()) refs.set(name, readFileSync(file, 'utf8').trim());
  }
  return refs;
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? folderBytes(full) : statSync(full).size;
  }
  return total;
}
