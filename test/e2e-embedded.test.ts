import { copyFileSync, existsSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Totals } from '../src/state/totals.js';
import { REPO_ROOT, logLines, runCli, tempDir, type CliResult } from './support/cli.js';

const FIXTURE = path.join(REPO_ROOT, 'fixtures/reviews.csv');

describe('score with the embedded model (no credentials)', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  /**
   * The fixture scored to out.csv in a folder of its own: the run two tests start from, made once by whichever
   * asks first. What the first test reads is kept as it was right after the run (the second then changes the files).
   */
  let fixtureDir: ReturnType<typeof tempDir> | undefined;
  afterAll(() => fixtureDir?.cleanup());
  let fixtureRun: Promise<{ input: string; output: string; result: CliResult; inputBytes: Buffer; outputBytes: Buffer; partialLeft: boolean }> | undefined;
  const scoredFixture = () =>
    (fixtureRun ??= (async () => {
      fixtureDir = tempDir();
      const input = path.join(fixtureDir.dir, 'reviews.csv');
      copyFileSync(FIXTURE, input);
      const output = path.join(fixtureDir.dir, 'out.csv');
      const result = await runCli(['score', input, '--text-column', 'review', '-o', output]);
      return { input, output, result, inputBytes: readFileSync(input), outputBytes: readFileSync(output), partialLeft: existsSync(`${output}.partial`) };
    })());

  it('writes every record, in order, with its original bytes and the new columns', async () => {
    // Shared with the next test, which scores the same again; the files as this run left them.
    const { result, inputBytes, outputBytes, partialLeft } = await scoredFixture();
    expect(result.stderr).not.toMatch(/internal error/);
    expect(result.code).toBe(0);
    expect(partialLeft).toBe(false);

    const inputRows = parse(inputBytes, { relax_column_count: false }) as string[][];
    const outputRows = parse(outputBytes) as string[][];
    expect(outputRows).toHaveLength(inputRows.length);
    expect(outputRows[0]).toEqual([...(inputRows[0] as string[]), 'sentiment_label', 'sentiment_positive', 'sentiment_negative', 'sentiment_truncated', 'sentiment_error']);
    for (let i = 1; i < inputRows.length; i++) {
      const original = inputRows[i] as string[];
      const row = outputRows[i] as string[];
      expect(row.slice(0, original.length)).toEqual(original);
      const [label, positive, negative, , error] = row.slice(original.length);
      if ((original[3] as string).trim() === '') {
        expect(label).toBe('');
        expect(error).toMatch(/^empty_text/);
      } else {
        expect(['POSITIVE', 'NEGATIVE']).toContain(label);
        expect(Number(positive) + Number(negative)).toBeCloseTo(1, 12);
        expect(label).toBe(Number(positive) >= Number(negative) ? 'POSITIVE' : 'NEGATIVE');
        expect(error).toBe('');
      }
    }
    // Byte for byte: each output line is the input line with cells appended before the line ending.
    const inputText = inputBytes.toString('utf8');
    const outputText = outputBytes.toString('utf8');
    const firstRecord = inputText.indexOf('\n') + 1;
    expect(outputText.startsWith(inputText.slice(0, firstRecord - 1))).toBe(true);

    const summary = result.stdout;
    expect(summary).toMatch(/rows 30: scored 28, skipped 2, failed 0/);
    const logs = logLines(result.stderr);
    expect(logs.some((l) => String(l.msg).includes('embedded offline model') && String(l.msg).includes('no Cloudflare credentials'))).toBe(true);
  });

  it('does nothing the second time, and scores a new export at the same path afresh', async () => {
    // The first test's run (the fixture scored to out.csv), whose files this test goes on with.
    const { input, output, result } = await scoredFixture();
    expect(result.code).toBe(0);
    const first = readFileSync(output);
    const mtime = statSync(output).mtimeMs;

    const again = await runCli(['score', input, '--text-column', 'review', '-o', output]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/Already done/);
    expect(statSync(output).mtimeMs).toBe(mtime);

    // Tomorrow's export: same path, one more row.
    writeFileSync(input, `${readFileSync(input, 'utf8')}r031,2026-11-12,New,"A wonderful new review, truly great",5\n`);
    utimesSync(input, new Date(), new Date(Date.now() + 5000));
    const fresh = await runCli(['score', input, '--text-column', 'review', '-o', output]);
    expect(fresh.code).toBe(0);
    expect(fresh.stdout).toMatch(/rows 31:/);
    const second = readFileSync(output);
    expect(second.subarray(0, first.length).equals(first)).toBe(true);
  });

  it('a completed job leaves no answer journal, not even one an earlier Workers AI job on the output left, nor the temp files of a run killed mid-write; an earlier output no checkpoint claims at -o is replaced, said at the start', async () => {
    const input = path.join(dir, 'in.csv');
    const output = path.join(dir, 'out.csv');
    writeFileSync(input, 'id,text\n1,great\n2,awful\n');
    writeFileSync(`${output}.journal`, 'left by an interrupted Workers AI run\n');
    // What a kill -9 between writing a checkpoint's temp file and renaming it leaves; no later run removed them.
    const leftovers = [`${output}.checkpoint.json.tmp-4194301`, `${output}.failed-rows.tmp-77`];
    for (const file of leftovers) writeFileSync(file, '{"half":');
    // Not this output's: left alone.
    const others = [`${output}.checkpoint.json.tmp-x`, path.join(dir, 'other.csv.checkpoint.json.tmp-5')];
    for (const file of others) writeFileSync(file, 'not ours');
    // An earlier output (of another --prefix) whose checkpoint was deleted; someone's other file is refused (test/e2e-replace-refusals.test.ts).
    writeFileSync(output, 'id,text,old_label,old_positive,old_negative,old_truncated,old_error\n1,great,POSITIVE,0.9,0.1,,\n');
    const run = await runCli(['score', input, '-o', output]);
    expect(run.code).toBe(0);
    expect(logLines(run.stderr).map((line) => line['msg'])).toContain(`${output} exists and no checkpoint says it is this job's output: it is replaced when this run completes`);
    expect(readFileSync(output, 'utf8')).toMatch(/^id,text,sentiment_label/);
    expect(existsSync(`${output}.journal`)).toBe(false);
    expect(leftovers.filter((file) => existsSync(file))).toEqual([]);
    expect(others.filter((file) => existsSync(file))).toEqual(others);
  });

  /**
   * The settings the embedded model ignores are said one line each (job/ignored-settings.ts), so the independent ones
   * share one run: --cache, --model-dir with --device, --max-requests and the Workers AI flags. (--threads is said on
   * --model-dir's line when both are given: it has a run of its own.) Made once by whichever test asks first; likewise
   * one run under both variables that describe the machine, not the job.
   */
  let sharedDir: ReturnType<typeof tempDir> | undefined;
  afterAll(() => sharedDir?.cleanup());
  let ignoredRuns: Promise<{ cache: string; ignored: CliResult; quiet: CliResult; quietSummary: Record<string, unknown> }> | undefined;
  const ignoredAndQuiet = () =>
    (ignoredRuns ??= (async () => {
      sharedDir = tempDir();
      const at = sharedDir.dir;
      const input = path.join(at, 'in.csv');
      writeFileSync(input, 'id,text\n1,great\n');
      const cache = path.join(at, 'cache');
      const given = ['--cache', cache, '--model-dir', at, '--device', 'cpu', '--max-requests', '1'];
      const workersAi = ['--rpm', '2000', '--concurrency', '4', '--timeout', '5s', '--max-attempts', '2', '--base-url', 'http://127.0.0.1:1', '--model', '@cf/x'];
      const ignored = await runCli(['score', input, '-o', path.join(at, 'out.csv'), ...given, ...workersAi], { env: { SENTIMENT_BATCH_MODEL_DIR: at } });
      // The environment describes the machine (an image's model, its gateway, the Redis its Workers AI jobs share a
      // limit through) for whichever run uses it: no warning.
      const summaryJson = path.join(at, 'quiet.summary.json');
      const env = { SENTIMENT_BATCH_MODEL_DIR: at, CLOUDFLARE_BASE_URL: 'http://127.0.0.1:1', REDIS_URL: 'redis://127.0.0.1:9' };
      const quiet = await runCli(['score', input, '-o', path.join(at, 'quiet.csv'), '--summary-json', summaryJson], { env });
      return { cache, ignored, quiet, quietSummary: JSON.parse(readFileSync(summaryJson, 'utf8')) as Record<string, unknown> };
    })());

  it('says that --cache is ignored, and makes no cache', async () => {
    const { ignored: r, cache } = await ignoredAndQuiet();
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/--cache is ignored: the embedded model scores a text faster than the cache could look it up/);
    expect(existsSync(cache)).toBe(false);
  });

  it('says that --threads is ignored: it is for --backend local', async () => {
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, 'id,text\n1,great\n');
    const r = await runCli(['score', input, '-o', path.join(dir, 'out.csv'), '--threads', '2']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/--threads is ignored: it applies to --backend local only/);
  });

  it('says that --model-dir, an explicit --device cpu and --max-requests are ignored, but not SENTIMENT_BATCH_MODEL_DIR', async () => {
    const { ignored: r, quiet } = await ignoredAndQuiet();
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/--model-dir, --device are ignored: they apply to --backend local only/);
    expect(r.stderr).toMatch(/--max-requests is ignored: it budgets the requests sent to Workers AI, and a model on this machine sends none/);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).not.toMatch(/ignored/);
  });

  it('says that the Workers AI settings given by flag or job file are ignored, but not CLOUDFLARE_BASE_URL', async () => {
    const { ignored: r, quiet } = await ignoredAndQuiet();
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/--base-url, --model, --rpm, --concurrency, --max-attempts, --timeout are ignored: they apply to Workers AI only/);
    writeFileSync(path.join(dir, 'in.csv'), 'id,text\n1,great\n');
    const job = path.join(dir, 'workers-ai-job.json');
    writeFileSync(job, JSON.stringify({ input: 'in.csv', output: 'job-out.csv', backend: 'embedded', rpm: 100 }));
    const fromJob = await runCli(['run', job]);
    expect(fromJob.code).toBe(0);
    expect(fromJob.stderr).toMatch(/\\"rpm\\" in job file \S*workers-ai-job\.json is ignored: it applies to Workers AI only/);
    expect(fromJob.stderr).not.toMatch(/--rpm/);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).not.toMatch(/ignored/);
  });

  // REDIS_URL set on the machine for its Workers AI jobs warned every night of an embedded job there, and the job's
  // --summary-json said "sharedLimit": true of a run that shared no limit (job/ignored-settings.ts, run-summary.ts).
  it('says nothing of REDIS_URL, and its summary claims no shared rate limit', async () => {
    const { quiet, quietSummary } = await ignoredAndQuiet();
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).not.toMatch(/REDIS_URL|Redis/);
    expect(quietSummary).toMatchObject({ status: 'done', remote: false });
    expect(quietSummary).not.toHaveProperty('sharedLimit');
  });

  it('scores JSONL with a dotted text field and keeps each object as it was', async () => {
    const input = path.join(dir, 'reviews.jsonl');
    copyFileSync(path.join(REPO_ROOT, 'fixtures/reviews.jsonl'), input);
    const output = path.join(dir, 'out.jsonl');
    const result = await runCli(['score', input, '--text-field', 'review.body', '-o', output]);
    expect(result.code).toBe(0);
    const inLines = readFileSync(input, 'utf8').trimEnd().split('\n');
    const outLines = readFileSync(output, 'utf8').trimEnd().split('\n');
    expect(outLines).toHaveLength(inLines.length);
    outLines.forEach((line, i) => {
      const original = inLines[i] as string;
      expect(line.startsWith(original.slice(0, -1))).toBe(true);
      const { sentiment, ...rest } = JSON.parse(line) as { sentiment: { label?: string; error?: { code: string } } };
      expect(rest).toEqual(JSON.parse(original));
      if (sentiment.error) expect(sentiment.error.code).toBe('empty_text');
      else expect(['POSITIVE', 'NEGATIVE']).toContain(sentiment.label);
    });
  });

  it('runs a job file, with flags overriding it', async () => {
    const input = path.join(dir, 'reviews.csv');
    copyFileSync(FIXTURE, input);
    const job = path.join(dir, 'job.json');
    writeFileSync(job, JSON.stringify({ input: 'reviews.csv', output: 'job-out.csv', textColumn: 'review', prefix: 'ignored' }));
    const result = await runCli(['run', job, '--prefix', 'mood', '--summary-json', path.join(dir, 'summary.json')]);
    expect(result.code).toBe(0);
    const header = readFileSync(path.join(dir, 'job-out.csv'), 'utf8').split('\n')[0];
    expect(header).toBe('id,date,title,review,rating,mood_label,mood_positive,mood_negative,mood_truncated,mood_error');
    const summary = JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8')) as { totals: Totals; exitCode: number };
    expect(summary.exitCode).toBe(0);
    expect(summary.totals.read).toBe(summary.totals.scored + summary.totals.skipped + summary.totals.failed);
  });
});
