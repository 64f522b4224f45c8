import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { builtCli, CLI, REPO_ROOT } from './support/cli.js';

// `npm install -g .` and npx link the command to package.json's "bin" file and run it by its mode. npm sets the
// executable bit when it makes the link; each `npm run build` (npm test, npm run bench, a pull and rebuild) removed
// dist/bin and wrote cli.js again without it, so every later `sentiment-batch …` through that link said
// `sh: 1: sentiment-batch: Permission denied` (exit 126) until the link was made again.
describe('the built command', () => {
  it('is the file package.json names as the bin, executable as built, and runs by its own shebang', async () => {
    const bin = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin;
    expect(path.join(REPO_ROOT, bin['sentiment-batch']!)).toBe(CLI);
    expect((statSync(CLI).mode & 0o111).toString(8), 'dist/bin/cli.js mode: executable by all').toBe('111');
    const { stdout } = await promisify(execFile)(builtCli(), ['--version']);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
