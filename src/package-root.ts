import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'sentiment-batch';

/**
 * The package's root: the nearest folder at or above `from` (a file URL or a
 * folder path; default: this module) whose package.json is named
 * "sentiment-batch". Walking up, rather than a fixed `../..`, makes the same
 * code find the shipped files (model weights, tokenizer, package.json) from
 * src/ under vitest, from dist/src/ after a build, from /app in the Docker
 * image and from node_modules/sentiment-batch. Undefined when there is none.
 */
export function findPackageRoot(from: string = import.meta.url): string | undefined {
  let dir = from.startsWith('file:') ? path.dirname(fileURLToPath(from)) : path.resolve(from);
  for (;;) {
    if (isOurPackage(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function isOurPackage(manifest: string): boolean {
  if (!existsSync(manifest)) return false;
  try {
    const parsed: unknown = JSON.parse(readFileSync(manifest, 'utf8'));
    return typeof parsed === 'object' && parsed !== null && (parsed as { name?: unknown }).name === PACKAGE_NAME;
  } catch {
    // An unreadable or broken package.json up the tree is not ours: keep walking.
    return false;
  }
}
