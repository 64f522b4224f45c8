import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OWN_PROCESS } from './support/own-process.js';
import { SLOW_TIER } from './support/slow-tier.js';

// Helpers added vi.mock files to the shared-process projects three times; each passed alone and failed in CI only when
// a file run before it in the same worker had loaded the real module.
const MOCKS_A_MODULE = /\bvi\s*\.\s*(?:do)?[mM]ock\s*\(/;

const testFiles = (): string[] =>
  readdirSync('test')
    .filter((name) => name.endsWith('.test.ts'))
    .map((name) => path.posix.join('test', name));

describe('files that replace a module run in a process of their own', () => {
  it('every test file calling vi.mock or vi.doMock is in OWN_PROCESS, and none of them in the slow tier (its files share processes)', () => {
    const mocking = testFiles().filter((file) => MOCKS_A_MODULE.test(readFileSync(file, 'utf8')));
    expect(mocking.length).toBeGreaterThan(0);
    expect(mocking.filter((file) => !OWN_PROCESS.includes(file))).toEqual([]);
    expect(mocking.filter((file) => SLOW_TIER.includes(file))).toEqual([]);
  });

  it('OWN_PROCESS names only files that exist', () => {
    const files = new Set(testFiles());
    expect(OWN_PROCESS.filter((file) => !files.has(file))).toEqual([]);
  });
});
