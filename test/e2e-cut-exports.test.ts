import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import { runCli, tempDir } from './support/cli.js';
import { expectCleanError } from './support/e2e-dir.js';
import { syntheticCsv } from './support/reviews.js';
import { TestScorer } from './support/test-scorer.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/**
 * A nightly export cut short anywhere (src/io/cut-short.ts), through the CLI. Was: a CSV cut in an unquoted last row,
 * or a JSONL cut mid-object, ended exit 0 with one failed row and no word of the cut, after a paid run had sent every
 * row before it (and the complete export, a new input, is paid for again). Now each cut stops with exit 3 saying the
 * export looks cut short, a paid run before its first request; a complete export with no final newline is untouched.
 * Several CLI runs: the slow tier (test/support/slow-tier.ts).
 */
describe('an export cut short', () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;
  const env = () => workersAiEnv(server, { token: 'token-0123456789' });
  beforeEach(async () => {
    ({ dir, cleanup } = tempDir());
    server = await startServer({ scorer: new TestScorer() });
  });
  afterEach(async () => {
    await server.close();
    cleanup();
  });

  const good = syntheticCsv(200, { duplicateEvery: 0, emptyEvery: 0 });
  const lines = good.split('\n').length;
  const at = Buffer.byteLength(good);
  const jsonl = good
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((row, i) => `${JSON.stringify({ id: i, review: `review ${i}: ${row}` })}\n`)
    .join('');

  it('a paid run refuses every kind of cut before its first request, with the reader\'s words', async () => {
    const cuts: Array<[string, string | Buffer, string]> = [
      ['row.csv', `${good}200,Lovely st`, `the input ends inside a row: the record starting at line ${lines}, byte ${at} has 2 of the header's 3 fields and no line ending; the export looks cut short`],
      ['delimiter.csv', `${good}200,`, `the input ends inside a row: the record starting at line ${lines}, byte ${at} has 2 of the header's 3 fields`],
      ['quote.csv', `${good}200,"Lovely stay, the ro`, `unterminated quoted field: the record starting at line ${lines}, byte ${at} opens a quote (") that is never closed before the end of the input; the input ends inside that value, mid-line: the export looks cut short`],
      ['row.csv.gz', gzipSync(`${good}200,Lovely st`), `the input ends inside a row: the record starting at line ${lines}, byte ${at} has 2`],
      ['object.jsonl', `${jsonl}{"id":200,"review":"Lovely st`, `the input ends inside a record: the line starting at line 201, byte ${Buffer.byteLength(jsonl)} is not complete JSON and has no line ending; the export looks cut short`],
      ['escape.jsonl', `${jsonl}{"id":200,"review":"he said \\"lovely\\`, `the input ends inside a record: the line starting at line 201, byte ${Buffer.byteLength(jsonl)} is not complete JSON`],
    ];
    for (const [name, bytes, words] of cuts) {
      const input = path.join(dir, name);
      writeFileSync(input, bytes);
      const output = path.join(dir, `out-${name.replace(/\.gz$/, '')}`);
      const flag = name.includes('.jsonl') ? '--text-field' : '--text-column';
      const r = await runCli(['score', input, flag, 'review', '-o', output, '--rpm', '100000'], { env: env() });
      expect(r.code, `${name}: ${r.stderr}`).toBe(3);
      expectCleanError(r.stderr);
      expect(r.stderr, name).toContain(words);
      expect(server.stats().total, name).toBe(0);
      expect(existsSync(`${output}.partial`), name).toBe(false);
    }
  });

  it('the nightly job: a cut export stops with exit 3; the export finished at the same path is scored whole, exit 0, with no warning', async () => {
    const input = path.join(dir, 'nightly.csv');
    const output = path.join(dir, 'nightly.scored.csv');
    const run = () => runCli(['score', input, '--text-column', 'review', '-o', output]);
    writeFileSync(input, `${good}200,Lovely st`);
    const cut = await run();
    expect(cut.code, cut.stderr).toBe(3);
    expect(cut.stderr).toContain('the export looks cut short');
    // The export job ran again and finished: its last row whole, no final newline (as some exporters write).
    writeFileSync(input, `${good}200,Lovely stay,5`);
    const whole = await run();
    expect(whole.code, whole.stderr).toBe(0);
    expect(whole.stderr).not.toMatch(/cut short|ends inside/);
    expect(whole.stdout).toMatch(/rows 201: scored 201, skipped 0, failed 0/);
    expect(readFileSync(output, 'utf8')).toMatch(/\n200,Lovely stay,5,(POSITIVE|NEGATIVE),[^\n]*$/);
  });
});
