import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import type { FaultRule } from '../src/server/fault-config.js';
import { runCli, spawnCli, tempDir, waitWhileRunning } from './support/cli.js';
import { TestScorer } from './support/test-scorer.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/**
 * The operator's reproduction: a rerun that mends a large job's failed rows is sent SIGTERM (a deploy, a scheduler's
 * timeout) while it checks its list against the input and the output. The check read both through before the signal
 * was acted on, and the mend then read the input again up to its last listed row: with 2,000,000 rows a SIGTERM
 * 1.5 s in ended the process 39 s later under --grace 2s. It stops at once now: exit 130, the usual stop lines,
 * nothing sent, and the output, its list and its checkpoint as they were. (Counted in records: mend-stop-in-check.test.ts.)
 */
// Mostly rows with no text (skipped, no request): a large file whose first run stays short.
const ROWS = 600_000;
const FAILING: FaultRule = { textIncludes: 'FAILME', respond: { status: 500 } };

describe('SIGTERM while a mend checks its list of failed rows', () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;
  const TOKEN = 'token-abcdef123456';
  const env = () => workersAiEnv(server, { token: TOKEN });

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    server = await startServer({ scorer: new TestScorer(), seed: 5, rules: [FAILING], token: TOKEN });
  });
  afterAll(async () => {
    await server.close();
    cleanup();
  });

  it('stops within --grace: exit 130, the stop wording, nothing sent, every file as it was', async () => {
    const input = path.join(dir, 'in.csv');
    const lines = ['id,review,stars'];
    for (let i = 0; i < ROWS; i++) {
      // The first and the last row fail transiently: the check reads the whole file.
      const text = i === 0 || i === ROWS - 1 ? `FAILME row ${i} was great` : i % 5000 === 0 ? `a fine thing number ${i}` : '';
      lines.push(`${i},${text},3`);
    }
    writeFileSync(input, `${lines.join('\n')}\n`);
    const output = path.join(dir, 'out.csv');
    const summary = path.join(dir, 'summary.json');
    const args = ['score', input, '--text-column', 'review', '-o', output, '--rpm', '100000', '--max-attempts', '1', '--max-error-rate', '1', '--grace', '1s', '--summary-json', summary];
    const first = await runCli([...args, '--log-level', 'warn'], { env: env() });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('2 rows failed transiently: run the same command again to re-score just those rows');
    // The list's last line (row 599,999, the last row the check reads to) now names another code than the row was
    // written with: a check that reads that far refuses the list, exit 3 'does not match the output at row 599999'.
    // The seal covers the output, not the lines, so nothing notices before the check gets there. A run that stops in
    // the check never does: that, not a clock, tells a stop at once from one that waited for the read to end.
    const listPath = `${output}.failed-rows`;
    const list = readFileSync(listPath, 'utf8');
    const lastLine = list.trimEnd().split('\n').at(-1) as string;
    expect(lastLine).toContain(`"i":${ROWS - 1},`);
    writeFileSync(listPath, list.replace(lastLine, lastLine.replace('"code":"http_500"', '"code":"timeout"')));
    const before = ['', '.failed-rows', '.checkpoint.json'].map((suffix) => readFileSync(`${output}${suffix}`));

    server.reset();
    const rerun = spawnCli([...args, '--log-level', 'info'], { env: env() });
    let said = '';
    rerun.stderr?.on('data', (chunk: string) => (said += chunk));
    // Started: the check of the list comes next (it reads 600,000 rows of the input and of the output).
    await waitWhileRunning(rerun, () => said.includes('scoring with Workers AI'), 'the rerun to start');
    await new Promise((resolve) => setTimeout(resolve, 300));
    rerun.kill('SIGTERM');
    const result = await rerun.result;
    // Before: the rest of the check (and then the mend's own read of the same rows) went on after the signal, 10-16 s
    // here; it reached the list's last line, so the run ended exit 3 refusing the list. Now the check ends at the next
    // record: exit 130, and the list's last line was never read.
    expect(result.stderr).not.toContain('does not match the output');
    expect(result.code).toBe(130);
    expect(result.stdout).toContain('stopped by SIGTERM; the checkpoint is saved');
    expect(result.stdout).toContain('2 rows failed transiently: run the same command again to re-score just those rows');
    // It stopped in the check: the mend never began.
    expect(result.stderr).not.toContain('scoring just those again');
    expect(server.stats().total).toBe(0);
    const written = JSON.parse(readFileSync(summary, 'utf8')) as Record<string, unknown>;
    expect(written).toMatchObject({ status: 'interrupted', exitCode: 130, outputComplete: true });
    ['', '.failed-rows', '.checkpoint.json'].forEach((suffix, i) => expect(readFileSync(`${output}${suffix}`).equals(before[i] as Buffer)).toBe(true));
  }, 180_000);
});

