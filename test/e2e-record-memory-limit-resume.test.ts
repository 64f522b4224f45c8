import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from './support/cli.js';
import { useTempDir } from './support/e2e-dir.js';

const FAKE_LIMIT = path.join(REPO_ROOT, 'test/support/fake-memory-limit.mjs');
const MIB = 1024 * 1024;
/** 5.3 MB: over the 4 MiB a CSV record may have under a 128 MiB limit, under the 8 MiB it may have under 256 MiB. */
const BIG = 'great plot '.repeat(482_000);

/**
 * A job resumed under another memory limit than the one it started under (io/record-bound.ts): its records are judged
 * under the job's limit when this run's is as large, so its output is one run's under that limit; under a smaller one
 * they are judged under this run's (the job's would bring back the OOM kill), and a warning says the output may differ.
 * The first run stops after row 2 by --limit 2; the second continues without it (job/limit-change.ts).
 */
describe('a job resumed under another memory limit', () => {
  const temp = useTempDir();
  const run = (args: string[], limit: number) =>
    runCli([...args, '--backend', 'embedded'], { cwd: temp.path('.'), env: { NODE_OPTIONS: `--import ${FAKE_LIMIT}`, SB_TEST_MEMORY_LIMIT: String(limit) } });
  const rowsOf = (output: string) => parse(readFileSync(output), { columns: true, max_record_size: 0 }) as Array<Record<string, string>>;
  const job = (name: string) => {
    const input = temp.file(`${name}.csv`, `id,review\n1,good\n2,"${BIG}"\n3,awful\n4,"${BIG}"\n`);
    return { input, output: temp.path(`${name}.scored.csv`) };
  };

  it('started under 128 MiB, resumed under 256 MiB: row 4 is refused as row 2 was, under the job\'s 128 MiB', async () => {
    const { input, output } = job('up');
    const first = await run(['score', input, '--text-column', 'review', '-o', output, '--limit', '2'], 128 * MIB);
    expect(first.code, first.stderr).toBe(0);
    const second = await run(['score', input, '--text-column', 'review', '-o', output], 256 * MIB);
    expect(second.code, second.stderr).toBe(0);
    const rows = rowsOf(output);
    expect(rows.map((row) => row.sentiment_label)).toEqual(['POSITIVE', '', 'NEGATIVE', '']);
    expect(rows[3]?.sentiment_error).toBe(rows[1]?.sentiment_error);
    expect(rows[1]?.sentiment_error).toContain('(128 MiB, ');
    expect(second.stderr).not.toContain('may differ');
  });

  it('started under 256 MiB, resumed under 128 MiB: judged under 128 MiB, with a warning naming both limits', async () => {
    const { input, output } = job('down');
    const first = await run(['score', input, '--text-column', 'review', '-o', output, '--limit', '2'], 256 * MIB);
    expect(first.code, first.stderr).toBe(0);
    const second = await run(['score', input, '--text-column', 'review', '-o', output], 128 * MIB);
    expect(second.code, second.stderr).toBe(0);
    expect(rowsOf(output).map((row) => row.sentiment_label)).toEqual(['POSITIVE', 'POSITIVE', 'NEGATIVE', '']);
    const warnings = second.stderr.split('\n').filter((line) => line.includes('may differ'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('256 MiB');
    expect(warnings[0]).toContain('128 MiB');
  });
});
