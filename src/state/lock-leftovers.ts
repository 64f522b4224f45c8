import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import path from 'node:path';
import { isGoneHolder } from '../process/dead-holder.js';
import { OWNER_FILE, readOwner } from './lock-owner.js';

/**
 * A run killed while it built its lock folder (`<lock>.new-<pid>-<hex>`) or
 * moved a dead holder's aside (`<lock>.dead-<pid>-<hex>`) leaves that folder
 * behind. Both live for milliseconds, so one older than the stale time is
 * abandoned, whichever host made it; the lock holder removes it. Sooner, when
 * its owner file names a process of this host and PID namespace that is gone
 * (the next run, started at once after the kill, removes it; it stayed until a
 * run 30 s later), and a `dead-` folder that holds nothing: only a remover
 * empties one (removeTransient), so a signal cut that remover short. Only a
 * folder with exactly such a name that holds nothing but an owner file is
 * removed: never what a symlink points to, nor a folder of someone else's that
 * happens to share the prefix.
 */
export async function removeAbandonedBuilds(lockPath: string, staleMs: number): Promise<void> {
  const folder = path.dirname(lockPath);
  const names = await fs.promises.readdir(folder).catch(() => [] as string[]);
  for (const name of names) {
    if (!isTransientName(lockPath, name)) continue;
    const leftover = path.join(folder, name);
    const stat = await fs.promises.lstat(leftover).catch(() => undefined);
    if (!stat?.isDirectory()) continue;
    const inside = await fs.promises.readdir(leftover).catch(() => undefined);
    if (inside === undefined || inside.some((entry) => entry !== OWNER_FILE)) continue;
    const kind = transientKind(lockPath, name);
    if (Date.now() - stat.mtimeMs < staleMs && !(await abandonedNow(kind, leftover, inside.length === 0))) continue;
    await removeTransient(lockPath, leftover, kind);
  }
}

/**
 * Whether a transient folder younger than the stale time is abandoned already. An empty `new-` folder is not:
 * its builder (maybe of another host, which the name does not tell) may be about to write its owner file.
 */
async function abandonedNow(kind: 'new' | 'dead', folder: string, empty: boolean): Promise<boolean> {
  if (empty) return kind === 'dead';
  const owner = await readOwner(folder);
  return owner !== undefined && isGoneHolder(owner);
}

/**
 * Removes a transient folder, moving a `new-` one aside under a `dead-` name first: removing takes two steps
 * (its owner file, then the folder), and a run stopped between them (a signal as it starts) leaves an empty
 * folder; empty under a `dead-` name, the next run knows it may remove it (abandonedNow).
 */
async function removeTransient(lockPath: string, folder: string, kind: 'new' | 'dead'): Promise<void> {
  let aside = folder;
  if (kind === 'new') {
    aside = transientPath(lockPath, 'dead');
    const moved = await fs.promises.rename(folder, aside).then(
      () => true,
      () => false, // gone already: another run removed it
    );
    if (!moved) return;
  }
  await removeAside(aside);
}

/**
 * Lock folders moved aside (`dead-`) that this process could not remove: another user's (root's run killed, run again as
 * another user), whose owner file this user may not delete. They stay until a run that may; the refusal that ends such a
 * run names them (unremovedLockWords), as nothing else did (operator31).
 */
const unremoved = new Set<string>();

/** Removes a `dead-` folder; one that stays is noted for unremovedLockFolders. */
export async function removeAside(folder: string): Promise<void> {
  await fs.promises.rm(folder, { recursive: true, force: true }).catch(() => {});
  if (fs.existsSync(folder)) unremoved.add(folder);
}

/** The `dead-` folders this process could not remove and that are still there. */
export function unremovedLockFolders(): string[] {
  return [...unremoved].filter((folder) => fs.existsSync(folder));
}

/** A folder that lives for milliseconds beside the lock: one being built (`new`) or a dead holder's moved aside (`dead`). */
export function transientPath(lockPath: string, kind: 'new' | 'dead'): string {
  return `${lockPath}.${kind}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** Which of transientPath's names `name` is (one isTransientName accepted). */
function transientKind(lockPath: string, name: string): 'new' | 'dead' {
  return name.slice(path.basename(lockPath).length + 1).startsWith('new-') ? 'new' : 'dead';
}

/** Whether `name` (in the lock's folder) is one of transientPath's names for this lock. */
function isTransientName(lockPath: string, name: string): boolean {
  const base = path.basename(lockPath);
  return name.startsWith(`${base}.`) && /^(new|dead)-\d+-[0-9a-f]{8}$/.test(name.slice(base.length + 1));
}
