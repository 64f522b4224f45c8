import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, expect } from 'vitest';
import { tempDir } from './cli.js';

/** A path in a test's temporary directory, and a file written there (its path). */
export interface TempFiles {
  path: (name: string) => string;
  file: (name: string, content: string | Buffer) => string;
}

/** A fresh temporary directory for each test of the suite that calls this, removed after it. */
export function useTempDir(): TempFiles {
  let dir = '';
  let cleanup = () => {};
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());
  return filesIn(() => dir);
}

/**
 * One temporary directory for the file (or describe block) that calls this, made at once (its path is known while the
 * tests are collected) and removed after its last test: for tests that share files (an input written once, runs that
 * follow one another).
 */
export function useFileTempDir(prefix?: string): TempFiles & { dir: string } {
  const { dir, cleanup } = tempDir(prefix);
  afterAll(cleanup);
  return { dir, ...filesIn(() => dir) };
}

/** Paths in the directory `dir()` names, and files written there. */
function filesIn(dir: () => string): TempFiles {
  return {
    path: (name) => path.join(dir(), name),
    file: (name, content) => {
      const file = path.join(dir(), name);
      writeFileSync(file, content);
      return file;
    },
  };
}

/** A user never sees a stack trace for bad input. */
export function expectCleanError(stderr: string): void {
  expect(stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(stderr).not.toMatch(/internal error/);
}
