import { readGivenTextSync } from '../paths/read-given-text.js';

/** A small file's text, or undefined when it cannot be read (absent, most often): the caller treats both alike. */
export function readIfThere(file: string): string | undefined {
  try {
    return readGivenTextSync(file);
  } catch {
    return undefined;
  }
}
