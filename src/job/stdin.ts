import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';

/**
 * Copies standard input to a file next to the output, so a CSV header can be
 * read before the records and the rest of the job works on a file. Such runs
 * are not resumable: the next run's standard input is a different stream.
 */
export async function spoolStdin(file: string): Promise<string> {
  await pipeline(process.stdin, createWriteStream(file));
  return file;
}
