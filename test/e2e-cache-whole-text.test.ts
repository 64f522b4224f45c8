import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import { runCli, tempDir } from './support/cli.js';
import { TestScorer, testScores } from './support/test-scorer.js';
import { workersAiEnv } from './support/workers-ai-env.js';

// The result cache answers a text only with the answer to that same text (and model): two reviews that open alike
// and end apart ("... and it was good" / "... and it was awful") are two entries. A key of part of the text gave the
// second review the first one's label, with no request sent: a wrong score, exit 0.
describe('--cache: reviews with the same long opening (Workers AI stand-in)', () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;
  beforeEach(async () => {
    ({ dir, cleanup } = tempDir('sb-cache-text-'));
    server = await startServer({ scorer: new TestScorer() });
  });
  afterEach(async () => {
    await server.close();
    cleanup();
  });

  it('scores the second text itself: a request is sent and its own label written', async () => {
    const opening = 'The film opened with a long slow shot of the harbour at dawn while the music rose over the water and the boats came in one by one';
    expect(opening.length).toBeGreaterThan(120);
    const texts = { a: `${opening}, and it was good, great and wonderful`, b: `${opening}, and it was bad, awful and boring` };
    const cache = path.join(dir, 'cache');
    const env = workersAiEnv(server);
    const rows: Record<string, { sentiment_label: string; sentiment_positive: string }> = {};
    for (const [name, text] of Object.entries(texts)) {
      const input = path.join(dir, `${name}.csv`);
      writeFileSync(input, `text\n"${text}"\n`);
      const output = path.join(dir, `${name}.out.csv`);
      const before = server.stats().total;
      const r = await runCli(['score', input, '--cache', cache, '--rpm', '100000', '-o', output], { env });
      expect(r.code).toBe(0);
      expect(server.stats().total - before).toBe(1);
      rows[name] = (parse(readFileSync(output, 'utf8'), { columns: true }) as Array<{ sentiment_label: string; sentiment_positive: string }>)[0]!;
    }
    expect(rows['a']!.sentiment_label).toBe('POSITIVE');
    expect(rows['b']!.sentiment_label).toBe('NEGATIVE');
    expect(Number(rows['b']!.sentiment_positive)).toBeCloseTo(testScores(texts.b).positive, 12);
  });
});
