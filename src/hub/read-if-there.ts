import { readFileSync } from 'node:fs';

/** A small file's text, or undefined when it cannot be read (absent, most often): the caller treats both alike. */
export function readIfThere(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
