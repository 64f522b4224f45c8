import { accessSync } from 'node:fs';

/**
 * What access(2) says to `mode` (constants.R_OK, W_OK, X_OK) on `file`: its error (EACCES, EPERM, ENOENT...), or
 * undefined when it allows it (as root, read and write always). The one probe behind "may this user read it" (a
 * checkpoint the same command would continue from) and "is it refused for permission" (wording/not-readable.ts).
 */
export function accessError(file: string, mode: number): NodeJS.ErrnoException | undefined {
  try {
    accessSync(file, mode);
    return undefined;
  } catch (error) {
    return error as NodeJS.ErrnoException;
  }
}
