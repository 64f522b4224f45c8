/**
 * Finds files shipped with the package (the model weights) wherever the code
 * runs from: src/ under vitest, dist/src/ after tsc, /app in a Docker image,
 * node_modules/sentiment-batch when installed.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'sentiment-batch';
/** The committed weights, relative to the package root. */
export const MODEL_RELATIVE_PATH = path.join('model', 'sst2-embedded.bin');

function isPackageRoot(dir: string): boolean {
  const manifest = path.join(dir, 'package.json');
  if (!existsSync(manifest)) return false;
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME;
  } catch {
    return false;
  }
}

/** Walks up from `startDir` to the directory whose package.json is named "sentiment-batch"; undefined when none. */
export function findPackageRoot(startDir: string = path.dirname(fileURLToPath(import.meta.url))): string | undefined {
  let dir = path.resolve(startDir);
  for (;;) {
    if (isPackageRoot(dir)) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Absolute path of the committed model file (falls back to the working directory when no package root is found). */
export function defaultModelPath(): string {
  return path.join(findPackageRoot() ?? process.cwd(), MODEL_RELATIVE_PATH);
}
