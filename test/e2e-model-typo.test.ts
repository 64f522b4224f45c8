import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import { logLines, runCli, tempDir } from './support/cli.js';
import { writeYesterdayAndToday } from './support/reviews.js';
import { TestScorer } from './support/test-scorer.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/**
 * A typo in a paused job's model (`-int9` for `-int8`) started the job over before the service refused the model: the
 * paused job's paid answers were dropped (not kept in `<output>.answers`: "its answers are of …, this run asks …"), so
 * putting the model back paid for them again (an operator's run: 288 of 1,000). They are now kept in the store under
 * their own model (job/kept-answers.ts), which the run that asks that model again reads: 300 rows paused after 100
 * requests, the typo (exit 4), the model back: 200 requests, not 300.
 */
const MODEL = '@cf/huggingface/distilbert-sst-2-int8';
const TYPO = '@cf/huggingface/distilbert-sst-2-int9';

describe('a typo in a paused job\'s model drops none of its paid answers', () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;
  const scorer = new TestScorer();
  let input: string;
  let run = 0;
  const env = () => workersAiEnv(server);
  const messages = (stderr: string) => logLines(stderr).map((line) => String(line['msg']));
  const startOverLine = (stderr: string) => messages(stderr).find((msg) => msg.includes('starting over')) ?? '';

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    server = await startServer({ scorer });
    ({ yesterday: input } = writeYesterdayAndToday(dir));
  });
  afterAll(async () => {
    await server.close();
    cleanup();
  });

  /** The bytes a lone run of the input writes. */
  async function fresh(): Promise<Buffer> {
    const output = path.join(dir, `fresh-${++run}.csv`);
    const done = await runCli(['score', input, '--text-column', 'review', '-o', output, '--rpm', '60000'], { env: env() });
    expect(done.code, done.stderr).toBe(0);
    return readFileSync(output);
  }

  type RunWith = (model: string, maxRequests?: number) => Promise<{ code: number | null; stderr: string }>;

  /** Pauses after 100 requests, runs once with the typo (then `between`, which returns the model it asked last), then with the model back; `runWith` runs the job with a model and a budget. */
  async function typoThenBack(output: string, runWith: RunWith, between?: () => Promise<string>): Promise<void> {
    const expected = await fresh();
    server.reset();
    scorer.texts.length = 0;
    expect((await runWith(MODEL, 100)).code).toBe(75);
    const paid = new Set(scorer.texts.splice(0));
    expect(paid.size).toBe(100);

    const typo = await runWith(TYPO);
    // Exit 4 (fatal API error: unknown model), its last line naming the model the service does not know.
    expect(typo.code, typo.stderr).toBe(4);
    expect(messages(typo.stderr).at(-1)).toContain(`Workers AI does not know the model '${TYPO}'`);
    // The line says what is kept, and it is so: the 100 answers, in the store, under the model that gave them.
    expect(startOverLine(typo.stderr)).toMatch(
      new RegExp(
        `starting over; the 100 requests the unfinished job paid for are not reused by this one \\(its answers are of workers-ai:${MODEL} at \\S+, this run asks workers-ai:${TYPO} at \\S+\\), ` +
          `but they are kept in ${output.replace(/[.]/g, '\\.')}\\.answers \\(100 texts of that model\\): a run that asks workers-ai:${MODEL} at \\S+ again, before a job at this output completes, does not send them again$`,
      ),
    );
    expect(existsSync(`${output}.answers`)).toBe(true);
    const lastAsked = (await between?.()) ?? TYPO;
    const refused = server.stats().total - 100;

    const back = await runWith(MODEL);
    expect(back.code, back.stderr).toBe(0);
    // The typo's job got no scores (its requests were refused): the line says so, not that they were paid for.
    expect(startOverLine(back.stderr)).toMatch(
      new RegExp(`starting over; the \\d+ requests? the unfinished job sent \\(it asked workers-ai:${lastAsked} at \\S+\\) got no scores, but the answers kept before are \\(100 texts in \\S+\\.answers\\): a text among them is not sent again$`),
    );
    // Only the 200 texts not paid for before the typo are sent (it was 300: 100 paid twice).
    expect(server.stats().total - 100 - refused).toBe(200);
    expect(scorer.texts.filter((text) => paid.has(text))).toEqual([]);
    expect(readFileSync(output).equals(expected)).toBe(true);
    expect(existsSync(`${output}.answers`)).toBe(false);
  }

  it('in the job file\'s "model", twice: the model put back sends only the 200 texts not paid for, and writes the bytes of a lone run', async () => {
    const output = path.join(dir, `job-${++run}.csv`);
    const job = path.join(dir, `job-${run}.json`);
    const runWith: RunWith = (model, maxRequests) => {
      writeFileSync(job, JSON.stringify({ input, output, textColumn: 'review', rpm: 60000, logFormat: 'json', model, ...(maxRequests ? { maxRequests } : {}) }));
      return runCli(['run', job], { env: env() });
    };
    await typoThenBack(output, runWith, async () => {
      // A second typo: the first typo's job has no answer to keep, so the store keeps the first model's 100.
      const again = await runWith('@cf/huggingface/distilbert-sst-2-int7');
      expect(again.code, again.stderr).toBe(4);
      expect(startOverLine(again.stderr)).toMatch(
        new RegExp(`starting over; the \\d+ requests? the unfinished job sent \\(it asked workers-ai:${TYPO} at \\S+\\) got no scores; the 100 texts kept before in \\S+\\.answers are answers of workers-ai:${MODEL} at \\S+, not of the model this run asks: none is used$`),
      );
      // The embedded model's name is no Workers AI model: refused before anything is touched (exit 2; so before the fix too).
      const files = ['.checkpoint.json', '.partial', '.journal'].map((suffix) => readFileSync(`${output}${suffix}`));
      const embedded = await runWith('embedded:sst2-nblr-lex-v9');
      expect(embedded.code).toBe(2);
      expect(messages(embedded.stderr).at(-1)).toBe('Expected a Workers AI model id like @cf/huggingface/distilbert-sst-2-int8, got "embedded:sst2-nblr-lex-v9"');
      expect(['.checkpoint.json', '.partial', '.journal'].map((suffix) => readFileSync(`${output}${suffix}`))).toEqual(files);
      return '@cf/huggingface/distilbert-sst-2-int7';
    });
  }, 90_000);

  it('on a completed job: the model put back sends nothing (the completed output\'s 300 answers are kept), twice over, and writes the same bytes', async () => {
    // Before: completed jobs were never imported into the store, so the model put back paid for every row again (300 of 300).
    const output = path.join(dir, `done-${++run}.csv`);
    const runWith = (model: string) =>
      runCli(['score', input, '--text-column', 'review', '-o', output, '--rpm', '60000', '--log-format', 'json', '--model', model], { env: env() });
    server.reset();
    expect((await runWith(MODEL)).code).toBe(0);
    const expected = readFileSync(output);
    expect(server.stats().total).toBe(300);
    for (const round of [1, 2]) {
      server.reset();
      const typo = await runWith(TYPO);
      expect(typo.code, typo.stderr).toBe(4);
      // The completed output's rows are counted as answers: the round after the first paid for none (all kept ones).
      expect(startOverLine(typo.stderr), `round ${round}`).toMatch(
        new RegExp(
          `starting over; the 300 answers in the completed job's output ${output.replace(/[.]/g, '\\.')} are not reused by this one \\(its answers are of workers-ai:${MODEL} at \\S+, this run asks workers-ai:${TYPO} at \\S+\\), ` +
            `but they are kept in ${output.replace(/[.]/g, '\\.')}\\.answers \\(300 texts of that model\\): a run that asks workers-ai:${MODEL} at \\S+ again, before a job at this output completes, does not send them again$`,
        ),
      );
      // Its output is still there, as before the fix: replaced only when a job at this output completes.
      expect(readFileSync(output).equals(expected)).toBe(true);
      const refused = server.stats().total;
      const back = await runWith(MODEL);
      expect(back.code, back.stderr).toBe(0);
      expect(startOverLine(back.stderr)).toMatch(/got no scores, but the answers kept before are \(300 texts in \S+\.answers\): a text among them is not sent again$/);
      expect(server.stats().total - refused).toBe(0);
      expect(readFileSync(output).equals(expected)).toBe(true);
      expect(existsSync(`${output}.answers`)).toBe(false);
    }
  }, 90_000);

  it('with --model on the command line: the same', async () => {
    const output = path.join(dir, `flag-${++run}.csv`);
    await typoThenBack(output, (model, maxRequests) =>
      runCli(['score', input, '--text-column', 'review', '-o', output, '--rpm', '60000', '--log-format', 'json', '--model', model, ...(maxRequests ? ['--max-requests', String(maxRequests)] : [])], { env: env() }),
    );
  }, 90_000);
});
