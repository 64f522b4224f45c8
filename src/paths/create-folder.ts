import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';

/**
 * `mkdir -p`, with the real reason when it fails: Node's recursive mkdir
 * reports ENOENT for a folder it could not create on a read-only filesystem,
 * which reads as a bug. Creating the first missing folder by itself then throws
 * what the machine said (EROFS, EACCES), which machine-fault.ts turns into one
 * line naming the folder (exit 74).
 */
export async function createFolder(folder: string): Promise<void> {
  try {
    await mkdir(folder, { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await mkdir(firstMissing(path.resolve(folder)));
    throw error;
  }
}

function firstMissing(folder: string): string {
  let current = folder;
  while (!existsSync(path.dirname(current)) && path.dirname(current) !== current) current = path.dirname(current);
  return current;
}
