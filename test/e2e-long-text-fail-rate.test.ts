import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { useFileTempDir } from './support/e2e-dir.js';
import { useFileServer } from './support/server.js';

// Well over 512 DistilBERT tokens (about 1,200).
const LONG = 'The staff were lovely and the breakfast was great. '.repeat(120).trim();

/**
 * Rows failed by `--long-text fail` are failed rows, and docs/cost.md counts them toward --max-error-rate. Until
 * 2026-12-05 they counted in neither share the verdict judges (rows read that could not be read, rows sent to the
 * model that failed): a file whose rows were 60 % over 512 tokens ended "Done", exit 0, with either backend. They
 * are judged among the rows read now: exit 5, the output complete, the same with the embedded model and Workers AI.
 */
describe('--long-text fail: its failed rows count toward --max-error-rate', () => {
  const { dir } = useFileTempDir();
  const server = useFileServer();
  beforeAll(() => {
    // 20 rows, 12 of them (three in five) over 512 tokens: fewer than the 50 rows the window waits for, so judged at the end.
    const rows = Array.from({ length: 20 }, (_, i) => `${i},${i % 5 < 3 ? `"${LONG}"` : `short review ${i} was good`}`);
    writeFileSync(path.join(dir, 'long.csv'), `id,review\n${rows.join('\n')}\n`);
  });

  it.each([
    ['embedded', ['--backend', 'embedded'], {}],
    ['workers-ai', ['--rpm', '100000'], { CLOUDFLARE_ACCOUNT_ID: 'dev', CLOUDFLARE_API_TOKEN: 'dev' }],
  ])('%s: 12 of 20 rows over 512 tokens is exit 5, the output complete', async (name, flags, credentials) => {
    const output = path.join(dir, `${name}.csv`);
    const summaryJson = path.join(dir, `${name}.json`);
    const env = { ...credentials, ...('CLOUDFLARE_API_TOKEN' in credentials ? { CLOUDFLARE_BASE_URL: server.baseURL } : {}) };
    const args = ['score', path.join(dir, 'long.csv'), '--text-column', 'review', '--long-text', 'fail', '-o', output, '--summary-json', summaryJson, '--log-level', 'error', ...flags];
    const result = await runCli(args, { env });
    expect(result.stdout).toContain('\n  12 of 20 rows read had a text over 512 tokens (--long-text fail) in this run (limit --max-error-rate 0.5); the output is complete: see the sentiment_error column; --long-text truncate scores their first 512 tokens instead\n');
    expect(result.code).toBe(5);
    expect(existsSync(output)).toBe(true);
    const summary = JSON.parse(readFileSync(summaryJson, 'utf8')) as Record<string, unknown>;
    expect(summary).toMatchObject({ status: 'failed', exitCode: 5, outputComplete: true, totals: { read: 20, scored: 8, failed: 12 } });
  });
});
