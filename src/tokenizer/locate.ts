import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { SentimentBatchError } from '../errors.js';
import { findPackageRoot as findRoot } from '../package-root.js';

/** The tokenizer file, a required asset, is missing or unreadable. */
export class TokenizerFileError extends SentimentBatchError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('model_file', message, options);
    this.name = 'TokenizerFileError';
  }
}

/**
 * The package root (see package-root.ts), or a TokenizerFileError saying what
 * to do: the tokenizer is a required file, so not finding it is not an option.
 */
export function findPackageRoot(startUrl: string = import.meta.url): string {
  const root = findRoot(startUrl);
  if (root === undefined) {
    throw new TokenizerFileError(
      `Could not find the sentiment-batch installation: no package.json named "sentiment-batch" ` +
        `in ${path.dirname(fileURLToPath(startUrl))} or any folder above it. ` +
        'Reinstall the package, or pass the tokenizer path explicitly.',
    );
  }
  return root;
}

/** model/tokenizer/tokenizer.json of the installed package. */
export function defaultTokenizerPath(): string {
  return path.join(findPackageRoot(), 'model', 'tokenizer', 'tokenizer.json');
}
