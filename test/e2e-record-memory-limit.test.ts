import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { RECORD_TOO_LARGE } from '../src/io/oversized-record.js';
import { REPO_ROOT, runCli } from './support/cli.js';
import { useTempDir } from './support/e2e-dir.js';

const FAKE_LIMIT = path.join(REPO_ROOT, 'test/support/fake-memory-limit.mjs');
const MIB = 1024 * 1024;
/** 9.4 MB: under the 16 MiB any record may have, over the 4 MiB of a CSV record and the 8 MiB of a JSONL line under a 128 MiB limit. */
const BIG = 'great plot '.repeat(855_000);

/**
 * A record too large for the container's memory limit to parse it in (io/oversized-record.ts maxParsedRecordBytes): one
 * failed row, its bytes copied, the rows around it scored, where it was parsed and the OOM killer ended the run (exit
 * 137: an 11.6 MB CSV cell on every run under `docker run --memory 128m`, docs/container.md). The limit is faked in the
 * child (test/support/fake-memory-limit.mjs): no Docker, no root.
 */
describe('a record too large for the memory limit', () => {
  const temp = useTempDir();
  const run = (args: string[], limit: number) =>
    runCli([...args, '--backend', 'embedded'], { cwd: temp.path('.'), env: { NODE_OPTIONS: `--import ${FAKE_LIMIT}`, SB_TEST_MEMORY_LIMIT: String(limit) } });

  it('CSV under 128 MiB: the row fails record_too_large naming the limit, copied as it is; the rest are scored', async () => {
    const input = temp.file('big.csv', `id,review\n1,good\n2,"${BIG}"\n3,awful\n`);
    const output = temp.path('big.scored.csv');
    const r = await run(['score', input, '--text-column', 'review', '-o', output], 128 * MIB);
    expect(r.code, r.stderr).toBe(0);
    const rows = parse(readFileSync(output), { columns: true, max_record_size: 0 }) as Array<Record<string, string>>;
    expect(rows.map((row) => row.sentiment_label)).toEqual(['POSITIVE', '', 'NEGATIVE']);
    expect(rows[1]?.review).toBe(BIG);
    expect(rows[1]?.sentiment_error).toBe(
      `${RECORD_TOO_LARGE}: the record has more than 4194304 bytes (${BIG.length + 5}), the most one is parsed with under this memory limit (128 MiB, a container's or cgroup's: a 32nd of it); it is copied unscored (a limit of 512 MiB or more parses records of up to 16 MiB)`,
    );
  });

  it('JSONL under 128 MiB: the line fails record_too_large, copied with the error; the rest are scored', async () => {
    const big = JSON.stringify({ id: 2, text: BIG });
    const input = temp.file('big.jsonl', `{"id":1,"text":"good"}\n${big}\n{"id":3,"text":"awful"}\n`);
    const output = temp.path('big.scored.jsonl');
    const r = await run(['score', input, '-o', output], 128 * MIB);
    expect(r.code, r.stderr).toBe(0);
    const lines = readFileSync(output, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as { text: string; sentiment: { label?: string; error?: { code: string } } });
    expect(lines.map((line) => line.sentiment.label ?? line.sentiment.error?.code)).toEqual(['POSITIVE', RECORD_TOO_LARGE, 'NEGATIVE']);
    expect(lines[1]?.text).toBe(BIG);
  });

  it('under 512 MiB the same record is parsed and scored', async () => {
    const input = temp.file('big512.csv', `id,review\n1,good\n2,"${BIG}"\n`);
    const output = temp.path('big512.scored.csv');
    const r = await run(['score', input, '--text-column', 'review', '-o', output], 512 * MIB);
    expect(r.code, r.stderr).toBe(0);
    const rows = parse(readFileSync(output), { columns: true, max_record_size: 0 }) as Array<Record<string, string>>;
    expect(rows.map((row) => row.sentiment_error)).toEqual(['', '']);
  });
});
