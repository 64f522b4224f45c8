import { expect } from 'vitest';
import type { CliResult } from './cli.js';

/** A machine fault's run: exit 74, no stack trace, and (JSON log lines aside) one line on stderr, returned. */
export function faultLine(result: CliResult): string {
  expect(result.code).toBe(74);
  expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
  // An empty stderr is no line (it split into one empty string, which passed as the one line).
  const lines = result.stderr.split('\n').filter((line) => line !== '' && !line.startsWith('{'));
  expect(lines).toHaveLength(1);
  return lines[0] as string;
}
