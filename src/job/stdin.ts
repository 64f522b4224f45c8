import { pipeline } from 'node:stream/promises';
import { createFresh } from '../state/no-follow.js';

/**
 * Copies standard input to a file next to the output, so a CSV header can be
 * read before the records and the rest of the job works on a file. Such runs
 * are not resumable: the next run's standard input is a different stream.
 * The copy is created anew, never through a symlink planted at its path.
 */
export async function spoolStdin(file: string): Promise<string> {
  const handle = await createFresh(file);
  await pipeline(process.stdin, handle.createWriteStream());
  return file;
}
