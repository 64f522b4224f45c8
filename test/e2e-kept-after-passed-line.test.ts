import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { expectCleanError, useTempDir } from './support/e2e-dir.js';
import { syntheticCsv } from './support/reviews.js';
import { useTestServer } from './support/server.js';
import { workersAiEnv } from './support/workers-ai-env.js';

const ROWS = 40;

/**
 * A job whose last written record is a line passed through (a blank line after the export's last row; the line ending
 * a --limit job owed its last row, written once the export ended it) records where that line starts as its last
 * record's (ordered-writes.ts). Started over under changed settings (--prefix, a higher --limit, another backend), its
 * answers were read back from the output with its last real row taken for the last record: "its last row does not
 * start where its checkpoint records", nothing kept, every row paid for again (operator11: the Yelp export of 3,000
 * rows with a blank line at its end, then --prefix s: 2,999 requests again, where a file without it sent none).
 */
describe('the answers of a job whose last record is a line passed through are kept when it starts over', () => {
  const dir = useTempDir();
  const server = useTestServer();
  const args = (input: string, output: string, ...extra: string[]) => ['score', input, '--text-column', 'review', '-o', output, '--rpm', '600000', ...extra];

  for (const [what, ending] of [
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ] as const) {
    it(`a blank line after the export's last row (${what}), then --prefix changed: nothing is sent again`, async () => {
      const running = await server.start();
      const env = workersAiEnv(running);
      const text = syntheticCsv(ROWS).replace(/\n/g, ending);
      const input = dir.file(`blank-${what}.csv`, `${text}${ending}`);
      const output = dir.path(`blank-${what}.out.csv`);
      expect((await runCli(args(input, output), { env })).code).toBe(0);
      const paid = running.stats().total;
      expect(paid).toBeGreaterThan(0);

      const again = await runCli(args(input, output, '--prefix', 's'), { env });
      expectCleanError(again.stderr);
      expect(again.code).toBe(0);
      expect(again.stderr).not.toMatch(/not as its checkpoint recorded it/);
      expect(again.stderr).toMatch(/the answers of its output are kept for this job/);
      expect(running.stats().total).toBe(paid);
    });
  }

  it('a --limit job continued for the line ending its last row lacked, then a higher --limit: only the rows after it are sent', async () => {
    const running = await server.start();
    const env = workersAiEnv(running);
    const limit = ROWS / 2;
    const grown = syntheticCsv(ROWS, { duplicateEvery: 0, emptyEvery: 0 });
    const lines = grown.split('\n');
    const old = lines.slice(0, limit + 1).join('\n');
    expect(grown.startsWith(`${old}\n`)).toBe(true);
    const input = dir.file('limited.csv', old);
    const output = dir.path('limited.out.csv');
    expect((await runCli(args(input, output, '--limit', String(limit)), { env })).code).toBe(0);
    writeFileSync(input, grown);
    const owed = await runCli(args(input, output, '--limit', String(limit)), { env });
    expect(owed.code).toBe(0);
    expect(owed.stderr).toMatch(/the output gains the same line ending/);
    expect(running.stats().total).toBe(limit);

    const higher = await runCli(args(input, output, '--limit', String(ROWS)), { env });
    expectCleanError(higher.stderr);
    expect(higher.code).toBe(0);
    expect(higher.stderr).not.toMatch(/not as its checkpoint recorded it/);
    expect(running.stats().total).toBe(ROWS);
  });
});
