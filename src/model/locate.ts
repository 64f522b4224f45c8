/** Where the committed weights of the embedded model are. */
import path from 'node:path';
import { findPackageRoot } from '../package-root.js';

export { findPackageRoot };

/** The committed weights, relative to the package root. */
const MODEL_RELATIVE_PATH = path.join('model', 'sst2-embedded.bin');

/** Absolute path of the committed model file (falls back to the working directory when no package root is found). */
export function defaultModelPath(): string {
  return path.join(findPackageRoot() ?? process.cwd(), MODEL_RELATIVE_PATH);
}
