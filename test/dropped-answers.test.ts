import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnswerJournal } from '../src/journal/answer-journal.js';
import { rescoredNote } from '../src/job/dropped-answers.js';
import { decideStart, type ResumeContext } from '../src/job/resume.js';
import { createLogger } from '../src/log.js';
import { CHECKPOINT_VERSION, hashSettings, writeCheckpoint, type Checkpoint } from '../src/state/checkpoint.js';
import { emptyTotals } from '../src/state/totals.js';
import { useTempDir } from './support/e2e-dir.js';
import { captureLog } from './support/capture-log.js';

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
  // Neurons that may be billed: none when no request was (row-scorer.ts gives back those of an attempt surely not billed).
  totals: { ...emptyTotals(), read: 1250, scored: 1250, duplicates: 50, requests, neurons: requests === 0 ? 0 : 40.2 },
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
    const { log, messages } = captureLog('info');
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
    return { kind: decision.kind, lines: messages() };
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
    // A wrong token: every request was refused (401), none billed. It said "the 2 requests the unfinished job paid for".
    const refused = yesterdays(false, 2);
    expect((await decide({ ...refused, position: { inputOffset: 32, outputBytes: 122, nextIndex: 0 }, totals: { ...emptyTotals(), requests: 2, tokens: 28 } })).lines).toEqual([
      'the checkpoint is of another input file, reviews-2026-12-03.csv (this run reads reviews-2026-12-04.csv): starting over',
    ]);
    await expect(decide(yesterdays(), { require: '--resume require' })).rejects.toThrow(/^--resume require: cannot resume, the checkpoint is of another input file, reviews-2026-12-03\.csv \(this run reads reviews-2026-12-04\.csv\)\. To start over, run with --resume auto instead \(on the command line it overrides a job file\)$/);
  });
});

/**
 * A completed output scored afresh whole says what --cache spares: "not sent again" took its verb from the requests the
 * job sent, so a Workers AI job whose every row a --cache answered (0 requests), run again without it, said "not scored
 * again" of a run that sends every text. The verb is the model's: Workers AI sends, the local model scores here.
 */
/**
 * A completed job's checkpoint damaged by hand: the complete output at -o is replaced once the new job completes, every
 * row paid again (1,800 of 1,800 against serve, operator23). The line said only "starting over", where the other
 * start-overs of a complete output say so and what spares it.
 */
describe('starting over a job whose checkpoint is unusable', () => {
  const dir = useTempDir();

  async function decideDamaged(extra: Partial<ResumeContext> = {}): Promise<string[]> {
    const file = dir.path('out.csv.checkpoint.json');
    writeFileSync(file, '{"version": 1, "tool": "sentiment-batch", oops');
    const { log, lines } = captureLog();
    const ctx: ResumeContext = {
      checkpointPath: file,
      partialPath: dir.path('out.csv.partial'),
      outputPath: dir.path('out.csv'),
      inputPath: 'reviews.csv',
      identity: { size: 950, mtimeMs: 2, headHash: 'c', tailHash: 'd' },
      settingsHash: hashSettings(settings),
      settings,
      restart: false,
      require: undefined,
      log,
      ...extra,
    };
    expect((await decideStart(ctx)).kind).toBe('fresh');
    return lines()
      .filter((line) => line.level >= 30)
      .map((line) => line.msg);
  }

  it('a complete output at -o: says every row is scored again, and what --cache spares', async () => {
    writeFileSync(dir.path('out.csv'), 'review,sentiment_label\n');
    const lines = await decideDamaged();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^the checkpoint \S*out\.csv\.checkpoint\.json is unusable: it is not valid JSON: starting over; every row is scored again \(run with --cache DIR to keep answers across runs: a text answered before is not sent again\)$/);
    expect((await decideDamaged({ cache: true }))[0]).toMatch(/: starting over; every row is scored again, but for the texts --cache holds answers for$/);
  });

  // An earlier job's output at -o, and a paused run's journal beside it: the run takes the journal's answers (its line
  // says "answers the last run received are kept from the journal: their texts are not sent again"): 150 requests for
  // 200 rows against serve, where the start-over line said every row was scored again.
  it('a complete output at -o and a journal of this input and settings: its answers are said apart', async () => {
    writeFileSync(dir.path('out.csv'), 'review,sentiment_label\n');
    const journal = AnswerJournal.open(dir.path('out.csv.journal'), { settingsHash: hashSettings(settings), identity: { size: 950, mtimeMs: 2, headHash: 'c', tailHash: 'd' } }, { replay: false, log: createLogger('silent'), ahead: () => true });
    for (const [index, text] of ['great', 'awful'].entries()) journal.record(text, index, { kind: 'scored', scores: { label: 'POSITIVE', positive: 0.9, negative: 0.1 } });
    journal.close();
    const lines = await decideDamaged();
    expect(lines[0]).toMatch(/: starting over; every row is scored again, but for the 2 texts the journal \S*out\.csv\.journal holds answers for \(run with --cache DIR to keep answers across runs: a text answered before is not sent again\)$/);
    expect((await decideDamaged({ cache: true }))[0]).toMatch(/: starting over; every row is scored again, but for the texts --cache holds answers for and the 2 texts the journal \S*out\.csv\.journal holds answers for$/);
  });

  it('no output at -o (a paused job\'s, its rows in the partial output): the line as it was', async () => {
    expect((await decideDamaged())[0]).toMatch(/: starting over$/);
  });
});

describe('rescoredNote', () => {
  const job = (modelId: string, requests: number): Checkpoint => {
    const these = { ...settings, modelId };
    return { ...yesterdays(true, requests), settings: these, settingsHash: hashSettings(these) };
  };
  it.each([
    ['workers-ai:@cf/huggingface/distilbert-sst-2-int8', 1200, 'sent'],
    ['workers-ai:@cf/huggingface/distilbert-sst-2-int8', 0, 'sent'],
    ['local:distilbert-sst2-int8@sha256-112fd4605848', 0, 'scored'],
  ])('%s, %i requests: "not %s again"', (modelId, requests, verb) => {
    expect(rescoredNote(job(modelId, requests), false)).toBe(`; every row is scored again (run with --cache DIR to keep answers across runs: a text answered before is not ${verb} again)`);
  });
  // The embedded model ignores --cache: advised it, the run that followed the advice warned "--cache is ignored".
  it('the embedded model: no --cache advice, with --cache given or not', () => {
    expect(rescoredNote(job('embedded:sst2-nblr-lex-v5', 0), false)).toBe('; every row is scored again');
    expect(rescoredNote(job('embedded:sst2-nblr-lex-v5', 0), true)).toBe('; every row is scored again');
  });
  it('a journal of one answer: one text, in the singular', () => {
    expect(rescoredNote(job('workers-ai:@cf/huggingface/distilbert-sst-2-int8', 0), false, undefined, { count: 1, shown: 'out.csv.journal' })).toBe(
      '; every row is scored again, but for the 1 text the journal out.csv.journal holds answers for (run with --cache DIR to keep answers across runs: a text answered before is not sent again)',
    );
  });
});
