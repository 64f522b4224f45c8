import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect } from 'vitest';
import { tempDir } from './cli.js';

/** A fresh temporary directory for each test of the suite that calls this, removed after it. */
export function useTempDir(): { path: (name: string) => string; file: (name: string, content: string | Buffer) => string } {
  let dir = '';
  let cleanup = () => {};
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());
  return {
    path: (name) => path.join(dir, name),
    file: (name, content) => {
      const file = path.join(dir, name);
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
