import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli, tempDir } from './support/cli.js';

const PRELOAD = path.join(REPO_ROOT, 'test/support/enospc-at-write.mjs');

/**
 * --report and --summary-json on one full disk (a tmpfs of 64k filled): the run exited 74 naming the report alone,
 * the summary refused as well, unsaid (removed, never to be read as this run's); the run after, the disk freed enough
 * for the report, exited 74 again naming the summary. The fault's line names both. The disk is stood for by a preload
 * refusing every write under one folder (test/support/enospc-at-write.mjs): no root.
 */
describe('--report and --summary-json both refused by a full disk', () => {
  let dir: string;
  let cleanup: () => void;
  let input: string;

  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
    input = path.join(dir, 'in.csv');
    writeFileSync(input, `review\n${Array.from({ length: 20 }, (_, i) => (i % 2 ? `great product ${i}` : `terrible thing ${i}`)).join('\n')}\n`);
  });
  afterAll(() => cleanup());

  it('exits 74 with a line naming the report and the summary', async () => {
    const full = path.join(dir, 'full');
    mkdirSync(full);
    const report = path.join(full, 'r.html');
    const summary = path.join(full, 's.json');
    const env = { NODE_OPTIONS: `--import ${PRELOAD}`, SB_TEST_ENOSPC_FILE: `${full}${path.sep}`, SB_TEST_ENOSPC_PREFIX: '1', SB_TEST_ENOSPC_ASYNC: '1' };
    const result = await runCli(['score', input, '--text-column', 'review', '-o', path.join(dir, 'out.csv'), '--backend', 'embedded', '--report', report, '--summary-json', summary, '--log-format', 'pretty'], { env });
    expect(result.code, result.stderr).toBe(74);
    const last = result.stderr.trim().split('\n').at(-1) ?? '';
    expect(last).toContain(`no space left on the device holding ${report}`);
    expect(last).toContain(`; --summary-json ${summary} was not written either`);
    expect(existsSync(summary)).toBe(false);
  });
});
