import { accessSync, constants } from 'node:fs';

/** Why this user cannot write into `folder` (EROFS, EACCES...), or undefined when it can. */
export function writeRefusal(folder: string): NodeJS.ErrnoException | undefined {
  try {
    accessSync(folder, constants.W_OK);
    return undefined;
  } catch (error) {
    return error as NodeJS.ErrnoException;
  }
}
