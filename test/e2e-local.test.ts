import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, REPO_ROOT, rowsCheckpointed, runCli, spawnCli, tempDir, waitFor, type CliResult } from './support/cli.js';
import { syntheticCsv } from './support/reviews.js';
import { cliRunsAs } from './support/run-as.js';

const MODEL = path.join(REPO_ROOT, 'fixtures/tiny-distilbert');
const FIXTURE = path.join(REPO_ROOT, 'fixtures/reviews.csv');


describe('score --backend local through the CLI (tiny DistilBERT fixture)', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());
  const local = (input: string, output: string, ...more: string[]) => ['score', input, '--text-column', 'review', '--backend', 'local', '--model-dir', MODEL, '-o', output, ...more];
  /** A run two tests read (each checks its own part of it): made by whichever asks first. */
  const shared = (start: () => Promise<CliResult>) => {
    let result: Promise<CliResult> | undefined;
    return () => (result ??= start());
  };
  /** The model found through SENTIMENT_BATCH_MODEL_DIR (no --model-dir), with --threads 1: within the cores. */
  const fromEnvRun = shared(() => {
    const input = path.join(dir, 'env.csv');
    writeFileSync(input, 'id,review\n1,great\n2,awful\n');
    return runCli(['score', input, '--text-column', 'review', '--backend', 'local', '-o', path.join(dir, 'env-out.csv'), '--threads', '1'], { env: { SENTIMENT_BATCH_MODEL_DIR: MODEL } });
  });
  /** --model-dir with SENTIMENT_BATCH_MODEL_DIR naming a missing folder, and Workers AI settings. */
  const flagsRun = shared(() => {
    const input = path.join(dir, 'workers-ai-flags.csv');
    writeFileSync(input, 'id,review\n1,great\n');
    return runCli(local(input, path.join(dir, 'workers-ai-flags-out.csv'), '--rpm', '10', '--timeout', '5s', '--concurrency', '64'), { env: { SENTIMENT_BATCH_MODEL_DIR: path.join(dir, 'missing') } });
  });

  it('keeps every record byte for byte, names the model, and answers from the cache the second time', async () => {
    const input = path.join(dir, 'reviews.csv');
    copyFileSync(FIXTURE, input);
    const output = path.join(dir, 'out.csv');
    const cache = path.join(dir, 'cache');
    const first = await runCli(local(input, output, '--cache', cache));
    expect(first.stderr).not.toMatch(/internal error/);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/rows 30: scored 28, skipped 2, failed 0/);
    expect(first.stdout).toMatch(/model local:distilbert-sst2-int8@sha256-[0-9a-f]{12}: offline/);
    expect(first.stdout).not.toMatch(/cache hits [1-9]/);

    const inputRows = parse(readFileSync(input)) as string[][];
    const outputRows = parse(readFileSync(output)) as string[][];
    expect(outputRows).toHaveLength(inputRows.length);
    for (let i = 1; i < inputRows.length; i++) {
      const original = inputRows[i] as string[];
      const [label, positive, negative] = (outputRows[i] as string[]).slice(original.length);
      expect((outputRows[i] as string[]).slice(0, original.length)).toEqual(original);
      if ((original[3] as string).trim() !== '') {
        expect(label).toBe(Number(positive) >= Number(negative) ? 'POSITIVE' : 'NEGATIVE');
        expect(Number(positive) + Number(negative)).toBeCloseTo(1, 12);
      }
    }
    // Each output line is its input line with the cells appended.
    const inLines = readFileSync(input, 'utf8').split('\n');
    const outLines = readFileSync(output, 'utf8').split('\n');
    inLines.forEach((line, i) => expect((outLines[i] as string).startsWith(line.replace(/\r$/, ''))).toBe(true));

    const firstBytes = readFileSync(output);
    const again = await runCli(local(input, output, '--cache', cache, '--restart'));
    expect(again.code).toBe(0);
    // 28 texts, one of them twice: 27 from the cache, the repeat from this run's own answer.
    expect(again.stdout).toMatch(/duplicates saved 1 · cache hits 27 /);
    expect(readFileSync(output).equals(firstBytes)).toBe(true);
    const fresh = path.join(dir, 'fresh.csv');
    expect((await runCli(local(input, fresh))).code).toBe(0);
    expect(readFileSync(fresh).equals(readFileSync(output))).toBe(true);
  });

  it('finds the model through SENTIMENT_BATCH_MODEL_DIR, and --model-dir wins over it', async () => {
    const input = path.join(dir, 'env.csv');
    const args = ['score', input, '--text-column', 'review', '--backend', 'local'];
    const fromEnv = await fromEnvRun();
    expect(fromEnv.stderr).not.toMatch(/ignored|internal error/);
    expect(fromEnv.code).toBe(0);
    // The run the Workers AI settings test reads: --model-dir given, SENTIMENT_BATCH_MODEL_DIR naming a missing folder.
    const overridden = await flagsRun();
    expect(overridden.code).toBe(0);
    const wrongEnv = await runCli([...args, '-o', path.join(dir, 'bad-out.csv')], { env: { SENTIMENT_BATCH_MODEL_DIR: path.join(dir, 'missing') } });
    expect(wrongEnv.code).toBe(2);
    expect(wrongEnv.stderr).toContain(path.join(dir, 'missing'));
  });

  it('says that the Workers AI settings are ignored, but not --concurrency, which sizes the rows in flight it batches from', async () => {
    // Shared with the SENTIMENT_BATCH_MODEL_DIR test (which checks --model-dir wins over the variable it sets).
    const r = await flagsRun();
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/--rpm, --timeout are ignored: they apply to Workers AI only/);
    expect(r.stderr).not.toMatch(/--concurrency/);
  });

  it('caps --threads at the cores this machine has, with one warning line (each thread is a session of its own)', async () => {
    const input = path.join(dir, 'threads.csv');
    writeFileSync(input, 'id,review\n1,great\n2,awful\n');
    const cores = availableParallelism();
    // Before the cap, --threads 999 started 999 ONNX sessions (9.4 GB on 2 cores, 10 rows unscored); one over the cores shows it.
    const r = await runCli(local(input, path.join(dir, 'threads-out.csv'), '--threads', String(cores + 1)));
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`--threads asks for ${cores + 1} threads, more than the ${cores} ${cores === 1 ? 'core' : 'cores'} this machine has: using ${cores} `);
    expect(r.stderr).toMatch(new RegExp(`"workers":${cores},"intraOpThreads":1,.*"msg":"local model loaded"`));
    // --threads 1 on the run the SENTIMENT_BATCH_MODEL_DIR test reads.
    const within = await fromEnvRun();
    expect(within.code).toBe(0);
    expect(within.stderr).not.toMatch(/--threads asks for/);
  });

  it('a --cache path that cannot be used ends the run at once, exit 2 (the worker threads were left running: it never exited)', async () => {
    const input = path.join(dir, 'cache-refused.csv');
    writeFileSync(input, 'id,review\n1,great\n');
    // Before the fix the process never ended: the test's timeout fails it.
    const r = await runCli(local(input, path.join(dir, 'cache-refused-out.csv'), '--cache', input));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--cache ${input}: ${input} is a file; --cache needs a folder`);
  });

  // A model folder on a volume of another user's, its files 0600: the line said the folder was not writable, with -o to
  // write elsewhere (the ONNX file, exit 74), or that config.json 'is not valid JSON (EACCES …)'.
  it.skipIf(!cliRunsAs(65534))('a model file or Hub cache this user may not read is named, with the read access it needs (exit 2)', async () => {
    chmodSync(dir, 0o755);
    const folder = path.join(dir, 'model-unreadable');
    cpSync(MODEL, folder, { recursive: true });
    const onnx = path.join(folder, 'onnx/model_quantized.onnx');
    chmodSync(onnx, 0o600);
    const input = path.join(dir, 'unreadable.csv');
    writeFileSync(input, 'id,review\n1,great\n');
    const asNobody = async (args: string[], env: Record<string, string> = {}) => {
      const child = spawn(process.execPath, [CLI, ...args], { uid: 65534, gid: 65534, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const code = await new Promise((resolve) => child.on('close', resolve));
      return [code, stderr.trim()];
    };
    // The output in a folder this user may write: only the model's files are refused (else the lock's fault is said too).
    const out = path.join(dir, 'unreadable-out');
    mkdirSync(out, { mode: 0o777 });
    chmodSync(out, 0o777);
    const score = ['score', input, '--text-column', 'review', '--backend', 'local', '-o', path.join(out, 'out.csv')];
    expect(await asNobody([...score, '--model-dir', folder])).toEqual([
      2,
      `sentiment-batch: cannot read ${onnx} (permission denied): give the user this command runs as (uid 65534) read access to it (chmod a+r ${onnx}), or point --model-dir at a copy it can read`,
    ]);
    // A Hub cache of root's, its repo folder 0700: said to hold no model, with 'run model pull once', which had been done.
    const cache = path.join(dir, 'cache-unreadable');
    const repoFolder = path.join(cache, 'models--Xenova--distilbert-base-uncased-finetuned-sst-2-english');
    mkdirSync(path.join(repoFolder, 'refs'), { recursive: true });
    writeFileSync(path.join(repoFolder, 'refs', 'main'), 'a'.repeat(40));
    chmodSync(cache, 0o755);
    chmodSync(repoFolder, 0o700);
    const ref = path.join(repoFolder, 'refs', 'main');
    expect(await asNobody(score, { HF_HUB_CACHE: cache })).toEqual([
      2,
      `sentiment-batch: cannot read ${ref} in the Hub cache ${cache} (permission denied): give the user this command runs as (uid 65534) read access to the cache (chmod -R a+rX ${cache}), or point --model-dir at a copy it can read`,
    ]);
    // model list said 'No models in the Hub cache', exit 0.
    const [listed, said] = await asNobody(['model', 'list'], { HF_HUB_CACHE: cache });
    expect([listed, said]).toEqual([74, expect.stringContaining(`permission denied (scandir ${path.join(repoFolder, 'snapshots')})`)]);
  });

  // As a user whose home is not writable (a container's non-root user), each worker printed ONNX Runtime's
  // '[W:onnxruntime:…, telemetry.cc:800 …] Failed to persist telemetry device ID' in colour codes beside the run's lines.
  it.skipIf(!cliRunsAs(65534))('prints none of ONNX Runtime\'s own warnings for a user whose home is not writable', async () => {
    chmodSync(dir, 0o755);
    const out = path.join(dir, 'homeless');
    mkdirSync(out, { mode: 0o777 });
    chmodSync(out, 0o777);
    const input = path.join(out, 'in.csv');
    writeFileSync(input, 'id,review\n1,great\n');
    const args = ['score', input, '--text-column', 'review', '--backend', 'local', '--model-dir', MODEL, '-o', path.join(out, 'out.csv'), '--log-level', 'warn'];
    const child = spawn(process.execPath, [CLI, ...args], { uid: 65534, gid: 65534, env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(stderr).not.toMatch(/onnxruntime|telemetry/);
  });

  it('applies the 512-token window and --long-text as for Workers AI', async () => {
    const input = path.join(dir, 'long.csv');
    writeFileSync(input, `id,review\n1,"${'good '.repeat(700)}"\n2,short and fine\n`);
    const truncated = await runCli(local(input, path.join(dir, 'long-t.csv')));
    expect(truncated.code).toBe(0);
    const rows = parse(readFileSync(path.join(dir, 'long-t.csv')), { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => r.sentiment_truncated)).toEqual(['true', '']);
    const skipped = await runCli(local(input, path.join(dir, 'long-s.csv'), '--long-text', 'skip'));
    expect(skipped.code).toBe(0);
    const skippedRows = parse(readFileSync(path.join(dir, 'long-s.csv')), { columns: true }) as Array<Record<string, string>>;
    expect(skippedRows[0]?.sentiment_error).toMatch(/^text_too_long: /);
    expect(skippedRows[1]?.sentiment_label).not.toBe('');
  });

  it('after kill -9 the same command resumes to byte-identical output', async () => {
    const rows = 8000;
    const input = path.join(dir, 'big.csv');
    writeFileSync(input, syntheticCsv(rows));
    const args = (output: string) => local(input, output, '--checkpoint-interval', '100ms');
    const reference = path.join(dir, 'big-reference.csv');
    expect((await runCli(args(reference))).code).toBe(0);

    const output = path.join(dir, 'big-killed.csv');
    const child = spawnCli(args(output));
    await waitFor(() => rowsCheckpointed(output) >= 1000, 60_000, 'a checkpoint past 1000 rows');
    child.kill('SIGKILL');
    const killed = await child.result;
    expect(killed.signal).toBe('SIGKILL');
    expect(existsSync(output)).toBe(false);
    expect(rowsCheckpointed(output)).toBeLessThan(rows);

    const resumed = await runCli(args(output));
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(/resuming from the checkpoint/);
    expect(readFileSync(output).equals(readFileSync(reference))).toBe(true);
    expect(resumed.stdout).toMatch(new RegExp(`whole job across resumes: rows ${rows.toLocaleString('en-US')}:`));
  }, 180_000); // three runs over 8,000 rows: past 60 s at load average ~24 (a bound against a hang only)
});
