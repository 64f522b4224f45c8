import { Writable } from 'node:stream';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decideStart, type ResumeContext } from '../src/job/resume.js';
import { createLogger } from '../src/log.js';
import { CHECKPOINT_VERSION, hashSettings, writeCheckpoint, type Checkpoint } from '../src/state/checkpoint.js';
import { emptyTotals } from '../src/state/totals.js';
import { useTempDir } from './support/e2e-dir.js';

const settings = { format: 'csv', delimiter: ',', text: 'review', prefix: 'sentiment', modelId: 'workers-ai:@cf/huggingface/distilbert-sst-2-int8', longText: 'truncate' };

/** Yesterday's export, paused by a request budget after 1,200 requests (1,250 rows scored, 50 by duplicates). */
const yesterdays = (completed = false, requests = 1200): Checkpoint => ({
  version: CHECKPOINT_VERSION,
  tool: 'sentiment-batch',
  input: { path: 'reviews-2026-12-03.csv', identity: { size: 900, mtimeMs: 1, headHash: 'a', tailHash: 'b' } },
  settings,
  settingsHash: hashSettings(settings),
  output: { path: 'out.csv', partialPath: 'out.csv.partial' },
  position: { inputOffset: 500, outputBytes: 700, nextIndex: 1250 },
  totals: { ...emptyTotals(), read: 1250, scored: 1250, duplicates: 50, requests },
  completed,
  updatedAt: new Date(0).toISOString(),
});

/**
 * A paused job of another input at an explicit -o (yesterday's dated export, then today's) is started over: the answers
 * it paid for are not reused without --cache (job/dropped-answers.ts). The start-over line says how many requests that
 * job paid for and that --cache keeps answers across jobs, where it said only "starting over".
 */
describe('starting over an unfinished job of another input', () => {
  const dir = useTempDir();

  async function decide(checkpoint: Checkpoint, extra: Partial<ResumeContext> = {}): Promise<{ kind: string; lines: string[] }> {
    const file = dir.path('out.csv.checkpoint.json');
    await writeCheckpoint(file, checkpoint);
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(String((JSON.parse(chunk.toString()) as { msg: unknown }).msg));
        done();
      },
    });
    const log = createLogger('info', sink);
    const ctx: ResumeContext = {
      checkpointPath: file,
      partialPath: dir.path('out.csv.partial'),
      outputPath: dir.path('out.csv'),
      inputPath: path.join('exports', 'reviews-2026-12-04.csv'),
      identity: { size: 950, mtimeMs: 2, headHash: 'c', tailHash: 'd' },
      settingsHash: checkpoint.settingsHash,
      restart: false,
      require: undefined,
      log,
      ...extra,
    };
    const decision = await decideStart(ctx);
    log.flush();
    await new Promise((resolve) => setImmediate(resolve));
    return { kind: decision.kind, lines };
  }

  it('says how many requests the unfinished job paid for, that they are not reused, and that --cache keeps answers across jobs', async () => {
    const { kind, lines } = await decide(yesterdays());
    expect(kind).toBe('fresh');
    expect(lines).toEqual([
      'the checkpoint is of another input file, reviews-2026-12-03.csv (this run reads reviews-2026-12-04.csv): starting over; the 1,200 requests the unfinished job paid for are not reused by this one (run with --cache DIR to keep answers across jobs: a text answered before is not sent again)',
    ]);
  });

  it('says nothing of the kind with --cache, for a job that paid for nothing, for a completed job, nor in a refusal', async () => {
    expect((await decide(yesterdays(), { cache: true })).lines).toEqual(['the checkpoint is of another input file, reviews-2026-12-03.csv (this run reads reviews-2026-12-04.csv): starting over']);
    expect((await decide(yesterdays(false, 0))).lines).toEqual(['the checkpoint is of another input file, reviews-2026-12-03.csv (this run reads reviews-2026-12-04.csv): starting over']);
    expect((await decide(yesterdays(true))).lines).toEqual([
      'the checkpoint of the completed job is of another input file, reviews-2026-12-03.csv (this run reads reviews-2026-12-04.csv): scoring it afresh',
    ]);
    await expect(decide(yesterdays(), { require: '--resume require' })).rejects.toThrow(/^--resume require: cannot resume, the checkpoint is of another input file, reviews-2026-12-03\.csv \(this run reads reviews-2026-12-04\.csv\)\. To start over, run with --resume auto instead \(on the command line it overrides a job file\)$/);
  });
});

/**
 * A completed Workers AI job at this output, then the same input under the embedded model (`--backend embedded`, or
 * `auto` once the credentials are gone and the backend named): the embedded model keeps no answers, and its output
 * replaced the paid one within a second, so switching back to Workers AI paid for every row again (27 requests, then 27
 * again, against serve). The start-over line said only "starting over"; it says now what is dropped and what keeps it.
 */
describe('starting over a completed paid job under a model that keeps no answers', () => {
  const dir = useTempDir();

  async function decide(checkpoint: Checkpoint, extra: Partial<ResumeContext> = {}): Promise<string[]> {
    const file = dir.path('out.csv.checkpoint.json');
    const input = dir.path('reviews.csv');
    await writeCheckpoint(file, { ...checkpoint, input: { path: input, identity: checkpoint.input.identity } });
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(String((JSON.parse(chunk.toString()) as { msg: unknown }).msg));
        done();
      },
    });
    const log = createLogger('info', sink);
    const embedded = { ...settings, modelId: 'embedded:sst2-nblr-lex-v5' };
    await decideStart({
      checkpointPath: file,
      partialPath: dir.path('out.csv.partial'),
      outputPath: dir.path('out.csv'),
      inputPath: input,
      identity: checkpoint.input.identity,
      settingsHash: hashSettings(embedded),
      restart: false,
      require: undefined,
      log,
      ...extra,
    });
    log.flush();
    await new Promise((resolve) => setImmediate(resolve));
    return lines;
  }

  const changed = "the settings that shape the output (format, delimiter, escape, quote, decimal mark, text column, prefix, model and the address serving it, long-text policy, record limit) differ from the checkpoint's: starting over";

  it('says the answers the completed job paid for are not kept, that switching back sends them again, and what keeps them', async () => {
    expect(await decide(yesterdays(true))).toEqual([
      `${changed}; the 1,250 answers in the completed job's output (1,200 requests paid) are not kept: this run's model keeps no answers and its output replaces that one, so a run at this output that asks workers-ai:@cf/huggingface/distilbert-sst-2-int8 again sends them again (run with --cache DIR to keep answers across jobs, or give this run another -o to keep that output)`,
    ]);
  });

  it('a job file\'s run names its keys, not flags it did not use', async () => {
    expect(await decide(yesterdays(true), { outputSetting: '"output" in the job file', cacheSetting: '"cache" in the job file' })).toEqual([
      `${changed}; the 1,250 answers in the completed job's output (1,200 requests paid) are not kept: this run's model keeps no answers and its output replaces that one, so a run at this output that asks workers-ai:@cf/huggingface/distilbert-sst-2-int8 again sends them again (set "cache" in the job file to a folder to keep answers across jobs, or give this run another "output" in the job file to keep that output)`,
    ]);
  });

  it('says nothing of the kind with --cache, nor for a completed job that paid for nothing', async () => {
    expect(await decide(yesterdays(true), { cache: true })).toEqual([changed]);
    expect(await decide(yesterdays(true, 0))).toEqual([changed]);
  });
});
