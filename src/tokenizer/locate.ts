import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { SentimentBatchError } from '../errors.js';

const PACKAGE_NAME = 'sentiment-batch';

/** The tokenizer file, a required asset, is missing or unreadable. */
export class TokenizerFileError extends SentimentBatchError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('model_file', message, options);
    this.name = 'TokenizerFileError';
  }
}

/**
 * The project's root: the nearest folder at or above `startUrl` whose
 * package.json is named "sentiment-batch". Walking up (rather than a fixed
 * `../..`) makes the same code work from src/ under vitest, from dist/src/
 * after a build and from /app in the Docker image.
 */
export function findPackageRoot(startUrl: string = import.meta.url): string {
  let dir = path.dirname(fileURLToPath(startUrl));
  for (;;) {
    if (isOurPackage(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new TokenizerFileError(
        `Could not find the sentiment-batch installation: no package.json named "${PACKAGE_NAME}" ` +
          `in ${path.dirname(fileURLToPath(startUrl))} or any folder above it. ` +
          'Reinstall the package, or pass the tokenizer path explicitly.',
      );
    }
    dir = parent;
  }
}

/** model/tokenizer/tokenizer.json of the installed package. */
export function defaultTokenizerPath(): string {
  return path.join(findPackageRoot(), 'model', 'tokenizer', 'tokenizer.json');
}

function isOurPackage(file: string): boolean {
  if (!existsSync(file)) return false;
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return typeof parsed === 'object' && parsed !== null && (parsed as { name?: unknown }).name === PACKAGE_NAME;
  } catch {
    // An unreadable or broken package.json up the tree is not ours: keep walking.
    return false;
  }
}
