import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli, tempDir } from './support/cli.js';

const PRELOAD = path.join(REPO_ROOT, 'test/support/fault-at-rename.mjs');
const INPUT = path.join(REPO_ROOT, 'fixtures/reviews.csv');

/**
 * A fault once every row is written and the checkpoint says the job is complete, at the rename that puts the output at
 * its path (a folder remounted read-only, made unwritable, a disk full): the line said "write elsewhere (-o), then run
 * the same command again (it continues from the checkpoint)". Elsewhere, every row is scored (paid) again; the same
 * command only renames. The line says what is needed, and that the next run scores nothing again.
 */
describe('a fault at the rename that completes the output', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());

  const AGAIN = 'then run the same command again (every row is written: it only completes the output, scoring nothing again)';

  it.each([
    ['EROFS', (folder: string) => `the folder ${folder} is on a read-only filesystem: mount it writable, ${AGAIN}`],
    ['ENOSPC', (folder: string) => `no space left on the device holding ${folder}/out.csv.partial -> ${folder}/out.csv: free some space, ${AGAIN}`],
  ])('%s: no "write elsewhere", and the rerun finishes with the rows as written', async (code, line) => {
    const folder = path.join(dir, code);
    mkdirSync(folder);
    const output = path.join(folder, 'out.csv');
    const summaryJson = path.join(folder, 's.json');
    const args = ['score', INPUT, '--text-column', 'review', '-o', output, '--summary-json', summaryJson, '--log-level', 'error', '--log-format', 'pretty'];
    const failed = await runCli(args, { env: { NODE_OPTIONS: `--import ${PRELOAD}`, SB_TEST_FAULT_RENAME_TO: output, SB_TEST_FAULT_RENAME_CODE: code } });
    expect(failed.code).toBe(74);
    expect(failed.stderr.trim().split('\n').at(-1)).toBe(`sentiment-batch: ${line(folder)}`);
    expect(JSON.parse(readFileSync(summaryJson, 'utf8'))).toMatchObject({ exitCode: 74, message: line(folder) });
    expect(existsSync(output)).toBe(false);
    const again = await runCli(args);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^Done: /);
    expect(existsSync(output)).toBe(true);
  });
});
