import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import { logLines, REPO_ROOT, runCli, tempDir } from './support/cli.js';
import { TestScorer } from './support/test-scorer.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/**
 * The local ONNX model (`--backend local`) as a detour at a Workers AI job's output, as e2e-embedded-detour does with the
 * embedded model: Workers AI's answers were paid for and the local model's cost nothing, so the store at
 * `<output>.answers` keeps the paid ones (paid-answers-kept.ts). Before: the local job completing removed the store and
 * the run back on Workers AI sent 27 requests again; a local run over a paused Workers AI job kept the local model's
 * answers in the store rather than the 10 paid for, which were sent again.
 */
const INPUT = path.join(REPO_ROOT, 'fixtures/reviews.csv');
const MODEL = path.join(REPO_ROOT, 'fixtures/tiny-distilbert');
const CHANGED =
  "the settings that shape the output (format, delimiter, escape, quote, decimal mark, text column, prefix, model and the address serving it, long-text policy, record limit) differ from the checkpoint's";
const WAI_ID = 'workers-ai:@cf/huggingface/distilbert-sst-2-int8';

describe('Workers AI and the local model taking turns at one output', () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;
  const score = (output: string, ...more: string[]) => ['score', INPUT, '--text-column', 'review', '-o', output, '--rpm', '100000', '--log-format', 'json', ...more];
  const local = (output: string, ...more: string[]) => score(output, '--backend', 'local', '--model-dir', MODEL, '--threads', '1', ...more);
  const run = async (args: string[], code = 0) => {
    const result = await runCli(args, { env: workersAiEnv(server) });
    expect(result.code, result.stderr).toBe(code);
    return result;
  };
  const startOverLine = (stderr: string) => logLines(stderr).map((line) => String(line['msg'])).find((msg) => msg.includes('starting over')) ?? '';
  const sent = () => {
    const total = server.stats().total;
    server.reset();
    return total;
  };
  let plainWai: Buffer;
  let plainLocal: Buffer;

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    server = await startServer({ scorer: new TestScorer() });
    await run(score(path.join(dir, 'plain-wai.csv')));
    plainWai = readFileSync(path.join(dir, 'plain-wai.csv'));
    await run(local(path.join(dir, 'plain-local.csv')));
    plainLocal = readFileSync(path.join(dir, 'plain-local.csv'));
    expect(sent()).toBe(27);
  }, 60_000);
  afterAll(async () => {
    await server.close();
    cleanup();
  });

  it('Workers AI, local, Workers AI: the way back sends nothing, and each output is its own model\'s', async () => {
    const output = path.join(dir, 'out.csv');
    const store = `${output}.answers`;
    await run(score(output));
    expect(sent()).toBe(27);

    const detour = await run(local(output));
    const asked = `workers-ai:@cf/huggingface/distilbert-sst-2-int8 at ${server.baseURL}`;
    expect(startOverLine(detour.stderr)).toMatch(new RegExp(`^${CHANGED.replace(/[()]/g, '\\$&')} \\(model: ${WAI_ID.replace(/[.]/g, '\\.')} then, local:distilbert-sst2-int8@sha256-[0-9a-f]{12} now\\): starting over; the 28 answers in the completed job's output .* are not reused by this one \\(its answers are of ${asked.replace(/[.]/g, '\\.')}, this run asks local:distilbert-sst2-int8@sha256-[0-9a-f]{12}\\), but they are kept in .*out\\.csv\\.answers \\(27 texts of that model\\): a run at this output that asks ${asked.replace(/[.]/g, '\\.')} again does not send them again \\(answers paid for: a job of the embedded or local model completing here leaves them; a Workers AI job completing here, or --restart, removes them\\)$`));
    // The local model's own answers, none of Workers AI's mixed in; its job completed and the paid answers stay, as after its "already done".
    expect(readFileSync(output).equals(plainLocal)).toBe(true);
    expect(existsSync(store)).toBe(true);
    expect((await run(local(output))).stdout).toMatch(/^Already done/);
    expect(existsSync(store)).toBe(true);

    const back = await run(score(output, '--backend', 'workers-ai'));
    expect(sent()).toBe(0);
    expect(back.stdout).toMatch(/answered by an earlier run's requests 27/);
    expect(readFileSync(output).equals(plainWai)).toBe(true);
    // Gone with the Workers AI job that completed, as after the embedded detour.
    expect(existsSync(store)).toBe(false);
  }, 90_000);

  it('local, Workers AI paused by its budget, local, Workers AI: the 10 answers paid for are not paid again', async () => {
    const output = path.join(dir, 'paused.csv');
    const store = `${output}.answers`;
    await run(local(output));
    await run(score(output, '--backend', 'workers-ai', '--max-requests', '10'), 75);
    expect(sent()).toBe(10);
    // The local run keeps the 10 paid answers (not its own model's, kept by the run before), and its job completing leaves them.
    const detour = await run(local(output));
    expect(startOverLine(detour.stderr)).toMatch(/: starting over; the 10 requests the unfinished job paid for are not reused by this one \(its answers are of workers-ai:.*\), but they are kept in .*paused\.csv\.answers \(10 texts of that model\)/);
    expect(readFileSync(output).equals(plainLocal)).toBe(true);
    expect(existsSync(store)).toBe(true);
    await run(score(output, '--backend', 'workers-ai'));
    expect(sent()).toBe(17);
    expect(readFileSync(output).equals(plainWai)).toBe(true);
  }, 90_000);

  // The local model sends nothing: its lines said of the answers it reads from the store "a text among them is not sent
  // again", and of its answers a Workers AI run keeps "a run that asks local:… again … does not send them again".
  it('the lines about the local model\'s kept answers say "scored", not "sent"', async () => {
    const output = path.join(dir, 'words.csv');
    const store = `${output}.answers`;
    await run(local(output));
    const prefixed = await run(local(output, '--prefix', 'mood'));
    expect(startOverLine(prefixed.stderr)).toMatch(/: starting over; the answers of its output are kept for this job \(27 texts in \S*words\.csv\.answers\): a text among them is not scored again$/);
    // Its summary counts them, as a Workers AI run's does ("answered by an earlier run's requests").
    expect(prefixed.stdout).toMatch(/duplicates saved 1 · cache hits 0 · answered by an earlier run 27 · truncated 0/);
    const paid = await run(score(output, '--backend', 'workers-ai', '--max-requests', '10'), 75);
    expect(sent()).toBe(10);
    expect(startOverLine(paid.stderr)).toMatch(/, but they are kept in \S*words\.csv\.answers \(27 texts of that model\): a run that asks local:distilbert-sst2-int8@sha256-[0-9a-f]{12} again, before a job at this output completes, does not score them again$/);
    expect(existsSync(store)).toBe(true);
  }, 90_000);

  it('--restart under the local model discards the kept answers', async () => {
    const output = path.join(dir, 'restart.csv');
    await run(score(output));
    sent();
    await run(local(output));
    expect(existsSync(`${output}.answers`)).toBe(true);
    await run(local(output, '--restart'));
    expect(existsSync(`${output}.answers`)).toBe(false);
    await run(score(output, '--backend', 'workers-ai'));
    expect(sent()).toBe(27);
  }, 90_000);
});
