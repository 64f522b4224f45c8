import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { MachineFaultError } from '../errors.js';

/**
 * `mkdir -p`, with the real reason when it fails: Node's recursive mkdir
 * reports ENOENT for a folder it could not create on a read-only filesystem,
 * which reads as a bug. Creating the first missing folder by itself then throws
 * what the machine said (EROFS, EACCES), which machine-fault.ts turns into one
 * line naming the folder (exit 74). A path that is there but is no folder (a
 * file, or a symbolic link to a folder that does not exist) says so.
 */
export async function createFolder(folder: string): Promise<void> {
  try {
    await mkdir(folder, { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw notAFolder(folder, error);
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const missing = firstMissing(path.resolve(folder));
    await mkdir(missing).catch((inner: unknown) => {
      throw (inner as NodeJS.ErrnoException).code === 'EEXIST' ? notAFolder(missing, inner) : inner;
    });
    throw error;
  }
}

function notAFolder(folder: string, cause: unknown): MachineFaultError {
  return new MachineFaultError('EEXIST', `${folder} exists but is not a folder (a file, or a symbolic link to a folder that does not exist): fix the path or create the folder`, { cause });
}

function firstMissing(folder: string): string {
  let current = folder;
  while (!existsSync(path.dirname(current)) && path.dirname(current) !== current) current = path.dirname(current);
  return current;
}
