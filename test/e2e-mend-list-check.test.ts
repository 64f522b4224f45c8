import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { useFileTempDir } from './support/e2e-dir.js';
import { syntheticCsv } from './support/reviews.js';
import { useFileServer } from './support/server.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/**
 * The operator's reproduction: after an outage, the list of failed rows is
 * edited (a row's output range moved 5 bytes, then a line deleted). The rerun
 * must not mend from it: exit 3, one line, no request sent, the output as it
 * was. (The checks themselves, CSV and JSONL, and that the list put back
 * still mends, are tested in process: test/mend-list-check.test.ts.)
 */
describe('a rerun refuses an edited list of failed rows', () => {
  const TOKEN = 'token-abcdef123456';
  const { dir } = useFileTempDir();
  const server = useFileServer({ latency: '1-5ms', seed: 21, token: TOKEN });
  let input: string;
  const env = () => workersAiEnv(server, { token: TOKEN });

  beforeAll(() => {
    input = path.join(dir, 'in.csv');
    writeFileSync(input, syntheticCsv(30));
  });

  it('exit 3, nothing sent and the output unchanged, for a moved range, a deleted line, and a list emptied or unsealed', async () => {
    const output = path.join(dir, 'out.csv');
    const args = ['score', input, '--text-column', 'review', '-o', output, '--rpm', '100000', '--max-attempts', '1', '--max-error-rate', '1', '--log-level', 'warn'];
    server.setFaults({ seed: 21, latency: '1-5ms', failRate: 0.5 });
    expect((await runCli(args, { env: env() })).code).toBe(0);
    const outageBytes = readFileSync(output);
    const list = readFileSync(`${output}.failed-rows`, 'utf8');
    const [header, ...lines] = list.trimEnd().split('\n') as [string, ...string[]];
    expect(lines.length).toBeGreaterThan(5);
    server.setFaults({ seed: 21, latency: '1-5ms' });

    const refused = (edited: string[], reason: RegExp): Promise<void> => refusedList(`${[header, ...edited].join('\n')}\n`, reason);
    const refusedList = async (text: string, reason: RegExp): Promise<void> => {
      writeFileSync(`${output}.failed-rows`, text);
      server.reset();
      const result = await runCli(args, { env: env() });
      expect(result.code).toBe(3);
      const said = result.stderr.split('\n').filter((line) => line.includes('the list of failed rows'));
      expect(said).toHaveLength(1);
      expect(said[0]).toMatch(reason);
      expect(said[0]).toMatch(/nothing was mended and the output is unchanged; run with --restart to score the input afresh, or delete the list to keep the output as it is$/);
      expect(result.stdout).not.toMatch(/mended/);
      expect(server.stats().total).toBe(0);
      expect(readFileSync(output).equals(outageBytes)).toBe(true);
    };
    // The review's edit: the first row's output range 5 bytes on (its bytes are then part of it and of the next row).
    const first = JSON.parse(lines[0] as string) as { i: number; out: [number, number] };
    const moved = JSON.stringify({ ...first, out: [first.out[0] + 5, first.out[1] + 5] });
    const next = JSON.parse(lines[1] as string) as { i: number; out: [number, number] };
    const reason = next.out[0] < first.out[1] + 5 ? `at row ${next.i} overlaps row ${first.i} in the output` : `does not match the output at row ${first.i} `;
    await refused([moved, ...lines.slice(1)], new RegExp(reason));
    // A deleted line: its row would have been reported as refused for its text.
    await refused([...lines.slice(0, 2), ...lines.slice(3)], new RegExp(`holds ${lines.length - 1} rows, but the run that completed the output listed ${lines.length}:`));
    // Every row line deleted: the rows were said to be refused for their text, "a rerun leaves them as they are" (exit 0).
    await refused([], new RegExp(`holds 0 rows, but the run that completed the output listed ${lines.length}:`));
    // Emptied (0 bytes), or its seal line gone: taken for a deleted list, "missing" (exit 0), not a damaged one.
    await refusedList('', new RegExp(`out\\.csv\\.failed-rows is empty, but the run that completed the output listed ${lines.length} rows:`));
    await refusedList(`${lines.join('\n')}\n`, new RegExp(`has lost its seal \\(the first line, naming the output it belongs to\\), but the run that completed the output listed ${lines.length} rows:`));
  }, 120_000);
});
