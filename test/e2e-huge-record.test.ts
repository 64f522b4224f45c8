import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECORD_TOO_LARGE } from '../src/io/oversized-record.js';
import { startServer, type RunningServer } from '../src/server/index.js';
import { runCli, tempDir } from './support/cli.js';
import { TestScorer } from './support/test-scorer.js';
import { workersAiEnv } from './support/workers-ai-env.js';

// Four times the record limit, under a heap cap that a field this size used to blow (V8 out of memory, exit 134, on every resume).
const FIELD_BYTES = 64 * 1024 * 1024;
const HEAP_CAP = '--max-old-space-size=128';

describe('a huge field never crash-loops', () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;
  const env = () => ({ ...workersAiEnv(server), NODE_OPTIONS: HEAP_CAP });
  const big = 'great '.repeat(FIELD_BYTES / 6);

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    server = await startServer({ scorer: new TestScorer(), latency: '1-3ms' });
  });
  afterAll(async () => {
    await server.close();
    cleanup();
  });

  it('CSV: the row fails with record_too_large, its bytes are copied, the rows around it are scored', async () => {
    const input = path.join(dir, 'huge.csv');
    const rows = ['id,review', '1,good', `2,"${big}"`, '3,bad'];
    writeFileSync(input, `${rows.join('\n')}\n`);
    const output = path.join(dir, 'huge.scored.csv');
    const result = await runCli(['score', input, '--text-column', 'review', '-o', output, '--rpm', '100000'], { env: env() });
    expect(result.stderr).not.toMatch(/internal error|out of memory/i);
    expect(result.code).toBe(0);
    const written = readFileSync(output);
    const records = parse(written, { columns: true, max_record_size: 0 }) as Array<Record<string, string>>;
    expect(records.map((r) => r.sentiment_error?.split(':')[0] ?? '')).toEqual(['', RECORD_TOO_LARGE, '']);
    expect(records[1]?.review).toBe(big);
    expect(records.map((r) => r.sentiment_label)).toEqual(['POSITIVE', '', 'NEGATIVE']);
    expect(server.stats().total).toBe(2);
    expect(result.stdout).toMatch(/rows 3: scored 2, skipped 0, failed 1/);
  });
  // JSONL lines over the limit are covered by io-oversized.test.ts (reader and formatter); one CLI run of 64 MB is enough here.

  // fuzz34's record: one text of 11.6 MB, under the record limit. A 48 MB heap held the line, the parsed text and the
  // output line (its UTF-8 encoding outside the heap): V8 out of memory (exit 134) on every run, as the OOM killer at
  // 128 MiB did (exit 137). The text shares the line's characters, and the line is written in parts, a slice at a time,
  // never joined (a 40 MB heap: 134 with the text shared but the line joined).
  it('JSONL: one text of 11.6 MB is scored under a 40 MB heap, truncated, its line written back byte for byte', async () => {
    const input = path.join(dir, 'one.jsonl');
    const line = JSON.stringify({ id: 1, text: 'ok review 2 '.repeat(1_000_000).slice(0, 11_600_000) });
    writeFileSync(input, `${line}\n`);
    const output = path.join(dir, 'one.scored.jsonl');
    const before = server.stats().total;
    const result = await runCli(['score', input, '-o', output, '--rpm', '100000'], { env: { ...env(), NODE_OPTIONS: '--max-old-space-size=40' } });
    expect(result.stderr).not.toMatch(/out of memory/i);
    expect(result.code).toBe(0);
    const written = readFileSync(output, 'utf8');
    expect(written.startsWith(`${line.slice(0, -1)},"sentiment":{"label":"`)).toBe(true);
    expect(written.endsWith(',"truncated":true}}\n')).toBe(true);
    expect(server.stats().total - before).toBe(1);
  });
  // A CSV cell of the same size still needs more than a 40 MB heap (csv-parse's field and raw buffers: NOTES-lowfix77.md).
});
