import path from 'node:path';
import { settledOutputPath } from '../paths/settled-output.js';

/**
 * A file of the job's output (the output itself, or one named after it: `.partial`, `.failed-rows`, `.lock`,
 * `.checkpoint.json`) as the user gave the output (`-o out.csv`, a job file's "output"), where the run works with its
 * absolute path (its folder's links resolved: paths/settled-output.ts). `Done: out.csv` names it so; lines that named `/home/me/exports/out.csv` beside it read as another
 * file. A path not of that output (or no output given, or `-`) is returned as it is.
 */
export function typedPath(file: string, typedOutput: string | undefined): string {
  if (typedOutput === undefined || typedOutput === '-' || typedOutput === file) return file;
  for (const absolute of [path.resolve(typedOutput), settledOutputPath(path.resolve(typedOutput))]) {
    if (file === absolute) return typedOutput;
    if (file.startsWith(`${absolute}.`)) return `${typedOutput}${file.slice(absolute.length)}`;
  }
  return file;
}
