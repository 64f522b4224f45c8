import { errorMessage } from '../errors.js';
import { readRefusal } from './not-readable.js';
import { NOTHING_WRITES } from '../paths/read-given-text.js';

/**
 * Why a file could not be read, from the operating system's refusal, with what
 * to do about it: "no such file or directory (ENOENT): check the path". One
 * wording for every file the command reads (the input, a job file, the token
 * file), instead of Node's "EISDIR: illegal operation on a directory, read".
 */
export function whyUnreadable(error: unknown): string {
  if (!(error instanceof Error)) return errorMessage(error);
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory (ENOENT): check the path';
    case 'EISDIR':
      return 'it is a folder, not a file (EISDIR); give the path of a file';
    case 'ENOTDIR':
      // Node says "not a directory" of the path given, which is a file's: it is a part of the way that is no folder.
      return 'a part of the path is a file, not a folder (ENOTDIR): check the path';
    case NOTHING_WRITES: {
      const kind = (error as { kind?: string }).kind ?? 'a named pipe';
      return `it is ${kind}, not a file, and nothing writes to it (reading it would wait for ever); give the path of a file, or start what writes to it first`;
    }
    case 'EACCES':
    case 'EPERM': {
      // What refuses it (the file, or a folder on its way) in the words every unreadable file gets (not-readable.ts).
      const file = (error as NodeJS.ErrnoException).path;
      const why = file === undefined ? undefined : readRefusal(file, false);
      return `permission denied (${code}): ${why ?? 'give this user read access to it (and to its folders), or run as a user who has it'}`;
    }
    default: {
      // Node's message is "ENOTDIR: not a directory, open 'x'": keep the middle.
      const match = /^[A-Z0-9_]+: ([^,]+)/.exec(error.message);
      const reason = match?.[1] ?? error.message;
      return code === undefined ? reason : `${reason} (${code})`;
    }
  }
}
