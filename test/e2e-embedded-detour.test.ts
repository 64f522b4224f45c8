import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import { logLines, REPO_ROOT, runCli, tempDir } from './support/cli.js';
import { syntheticCsv } from './support/reviews.js';
import { TestScorer } from './support/test-scorer.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/**
 * A completed Workers AI job, then the same input under the embedded model at the same -o (a night without the secret,
 * `--backend embedded`), then Workers AI again: the embedded run keeps the paid answers in <output>.answers and its
 * job completing leaves them (it reads none), so the run back on Workers AI sends nothing for them, without --cache.
 * Before: 27 requests, then 27 again (the embedded output replaced the paid one, and nothing kept its answers).
 */
const INPUT = path.join(REPO_ROOT, 'fixtures/reviews.csv');
const WAI = 'workers-ai:@cf/huggingface/distilbert-sst-2-int8';
const CHANGED =
  "the settings that shape the output (format, delimiter, escape, quote, decimal mark, text column, prefix, model and the address serving it, long-text policy, record limit) differ from the checkpoint's";

describe('Workers AI, then the embedded model, then Workers AI again at the same output', () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;
  const score = (output: string, ...more: string[]) => ['score', INPUT, '--text-column', 'review', '-o', output, '--rpm', '100000', '--log-format', 'json', ...more];
  const startOverLine = (stderr: string) => logLines(stderr).map((line) => String(line['msg'])).find((msg) => msg.includes('starting over')) ?? '';
  const sent = () => {
    const total = server.stats().total;
    server.reset();
    return total;
  };

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    server = await startServer({ scorer: new TestScorer() });
  });
  afterAll(async () => {
    await server.close();
    cleanup();
  });

  it('the third run sends nothing, writes the bytes of a plain Workers AI run, and removes the store', async () => {
    const plain = path.join(dir, 'plain.csv');
    expect((await runCli(score(plain), { env: workersAiEnv(server) })).code).toBe(0);
    const paid = sent();
    expect(paid).toBe(27);

    const output = path.join(dir, 'out.csv');
    const store = `${output}.answers`;
    expect((await runCli(score(output), { env: workersAiEnv(server) })).code).toBe(0);
    expect(sent()).toBe(paid);

    const embedded = await runCli(score(output, '--backend', 'embedded'), { env: workersAiEnv(server) });
    expect(embedded.code, embedded.stderr).toBe(0);
    const asked = `${WAI} at ${server.baseURL}`;
    expect(startOverLine(embedded.stderr)).toBe(
      `${CHANGED} (model: ${WAI} then, embedded:sst2-nblr-lex-v5 now): starting over; the 28 answers in the completed job's output ${output} are not reused by this one (its answers are of ${asked}, this run asks embedded:sst2-nblr-lex-v5), ` +
        `but they are kept in ${store} (27 texts of that model): a run at this output that asks ${asked} again does not send them again ` +
        '(answers paid for: a job of the embedded or local model completing here leaves them; a Workers AI job completing here, or --restart, removes them)',
    );
    // Its job completed, and the store is still there; so it is after the embedded job's "already done" rerun.
    expect(existsSync(store)).toBe(true);
    expect((await runCli(score(output, '--backend', 'embedded'), { env: workersAiEnv(server) })).stdout).toMatch(/^Already done/);
    expect(existsSync(store)).toBe(true);

    const back = await runCli(score(output, '--backend', 'workers-ai'), { env: workersAiEnv(server) });
    expect(back.code, back.stderr).toBe(0);
    expect(sent()).toBe(0);
    expect(startOverLine(back.stderr)).toBe(`${CHANGED} (model: embedded:sst2-nblr-lex-v5 then, ${WAI} now): starting over; the answers kept before are used (27 texts in ${store}): a text among them is not sent again`);
    expect(back.stdout).toMatch(/answered by an earlier run's requests 27/);
    expect(readFileSync(output).equals(readFileSync(plain))).toBe(true);
    // Gone with the Workers AI job that completed, as the journal is.
    expect(existsSync(store)).toBe(false);
  }, 90_000);

  // The store the embedded job left, then a new export at that output (its checkpoint another input's): the start-over
  // line said only "the input changed … scoring it afresh" while the run read the store and sent only the new text.
  it('a new export at that output: its start-over line says the answers kept before are used', async () => {
    const input = path.join(dir, 'export.csv');
    const original = readFileSync(INPUT, 'utf8');
    writeFileSync(input, original);
    const output = path.join(dir, 'export-out.csv');
    const store = `${output}.answers`;
    const run = (...more: string[]) => ['score', input, '--text-column', 'review', '-o', output, '--rpm', '100000', '--log-format', 'json', ...more];
    expect((await runCli(run(), { env: workersAiEnv(server) })).code).toBe(0);
    sent();
    expect((await runCli(run('--backend', 'embedded'), { env: workersAiEnv(server) })).code).toBe(0);
    expect(existsSync(store)).toBe(true);
    // The next export: one text changed.
    const changed = original.replace('Absolutely love it.', 'Absolutely loved it.');
    expect(changed).not.toBe(original);
    writeFileSync(input, changed);
    const next = await runCli(run('--backend', 'workers-ai'), { env: workersAiEnv(server) });
    expect(next.code, next.stderr).toBe(0);
    expect(sent()).toBe(1);
    const line = logLines(next.stderr).map((entry) => String(entry['msg'])).find((msg) => msg.includes('the input changed')) ?? '';
    expect(line).toMatch(/^the input changed since the checkpoint of the completed job \(.*\): scoring it afresh; the answers kept before are used \(27 texts in \S+\): a text among them is not sent again$/);
    expect(line).toContain(store);
  }, 90_000);

  // The completed embedded job's output edited to another length (a row deleted by hand), then the same with the export
  // grown as well: both start over, and their lines said only "every row is scored again (…)", not the paid answers the
  // store keeps for a run back on Workers AI, which a new export's start-over line says (above).
  it('the embedded job\'s output edited, then the export grown too: the start-over line says the paid answers kept stay', async () => {
    const input = path.join(dir, 'edited.csv');
    writeFileSync(input, syntheticCsv(60));
    const output = path.join(dir, 'edited-out.csv');
    const store = `${output}.answers`;
    const run = (...more: string[]) => ['score', input, '--text-column', 'review', '-o', output, '--rpm', '100000', '--log-format', 'json', ...more];
    expect((await runCli(run('--max-requests', '10'), { env: workersAiEnv(server) })).code).toBe(75);
    expect(sent()).toBe(10);
    expect((await runCli(run('--backend', 'embedded'), { env: workersAiEnv(server) })).code).toBe(0);
    expect(existsSync(store)).toBe(true);
    const asked = `${WAI} at ${server.baseURL}`;
    const stay = `; the answers paid for kept before in ${store} (10 texts of ${asked}) stay: a run at this output that asks ${asked} again does not send them again (answers paid for: a job of the embedded or local model completing here leaves them; a Workers AI job completing here, or --restart, removes them)`;
    const deleteARow = () => writeFileSync(output, readFileSync(output, 'utf8').replace(/\n[^\n]*\n/, '\n'));

    deleteARow();
    const edited = await runCli(run('--backend', 'embedded'), { env: workersAiEnv(server) });
    expect(edited.code, edited.stderr).toBe(0);
    expect(startOverLine(edited.stderr)).toMatch(/does not match the files: .*it is not the job's output \(edited or replaced since\): starting over; every row is scored again; the answers paid for kept before in /);
    expect(startOverLine(edited.stderr).endsWith(stay)).toBe(true);

    deleteARow();
    writeFileSync(input, syntheticCsv(90));
    const grown = await runCli(run('--backend', 'embedded'), { env: workersAiEnv(server) });
    expect(grown.code, grown.stderr).toBe(0);
    expect(startOverLine(grown.stderr)).toMatch(/^the input goes on after the \d+ bytes the completed job read, but the job cannot be continued: .*: starting over; every row is scored again; the answers paid for kept before in /);
    expect(startOverLine(grown.stderr).endsWith(stay)).toBe(true);
    // Still there for the run back on Workers AI: only the rows not paid for are sent.
    expect(existsSync(store)).toBe(true);
    const fresh = path.join(dir, 'edited-fresh.csv');
    expect((await runCli(['score', input, '--text-column', 'review', '-o', fresh, '--rpm', '100000'], { env: workersAiEnv(server) })).code).toBe(0);
    const whole = sent();
    expect((await runCli(run('--backend', 'workers-ai'), { env: workersAiEnv(server) })).code).toBe(0);
    expect(sent()).toBe(whole - 10);
  }, 90_000);

  it('--restart under the embedded model discards the kept answers', async () => {
    const output = path.join(dir, 'restart.csv');
    const store = `${output}.answers`;
    expect((await runCli(score(output), { env: workersAiEnv(server) })).code).toBe(0);
    sent();
    expect((await runCli(score(output, '--backend', 'embedded'), { env: workersAiEnv(server) })).code).toBe(0);
    expect(existsSync(store)).toBe(true);
    expect((await runCli(score(output, '--backend', 'embedded', '--restart'), { env: workersAiEnv(server) })).code).toBe(0);
    expect(existsSync(store)).toBe(false);
    expect((await runCli(score(output, '--backend', 'workers-ai'), { env: workersAiEnv(server) })).code).toBe(0);
    expect(sent()).toBe(27);
  }, 90_000);
});
