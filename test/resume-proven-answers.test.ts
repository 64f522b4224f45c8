import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JobSettings } from '../src/config/options.js';
import { runJob } from '../src/job/run.js';
import { StopController } from '../src/job/stop.js';
import { tempDir } from './support/cli.js';
import { quiet, remoteSettings, wordScorer } from './support/counting-remote.js';
import { reviewText } from './support/reviews.js';

/** How each read of a partial output for its answers was asked: `proven` is its fourth argument (partial-answers.ts). */
const reads = vi.hoisted(() => ({ proven: [] as boolean[] }));
vi.mock('../src/job/partial-answers.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/job/partial-answers.js')>();
  return {
    ...real,
    partialAnswers: (...args: Parameters<typeof real.partialAnswers>) => {
      reads.proven.push(args[3] === true);
      return real.partialAnswers(...args);
    },
  };
});

/**
 * A paused job resumed reads its partial output for the answers to the texts its remaining rows repeat
 * (old-output-answers.ts). Its checkpoint's CRC-32 proved that file the job's on this very start (prove-checkpoint.ts),
 * so each row's answer cells need not be written again to be compared (0.73 s of CPU on 180,001 rows in a profile; the run's figures are in docs/durability.md).
 * Without that proof (a checkpoint of an older version, a completed job's output copied to continue it) they are.
 */
describe("a resume reads its partial output's answers, proven by the checkpoint's CRC-32", () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    reads.proven = [];
  });
  afterEach(() => cleanup());

  const run = (settings: JobSettings, sent: { count: number }) => runJob(settings, { log: quiet(), stop: new StopController(), createScorer: () => wordScorer(sent) });
  const csvRows = (texts: string[], from = 0) => texts.map((text, i) => `${from + i},"${text.replace(/"/g, '""')}"\n`).join('');
  // 60 distinct texts, then 40 rows repeating the first 40: a pause at 30 requests leaves repeats of written rows ahead.
  const TEXTS = Array.from({ length: 60 }, (_, i) => reviewText(i));
  const ROWS = [...TEXTS, ...TEXTS.slice(0, 40)];

  /** A job of ROWS paused by --max-requests 30: its settings and the bytes of a fresh run's output. */
  const paused = async () => {
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, `id,text\n${csvRows(ROWS)}`);
    const settings = { ...remoteSettings(input, path.join(dir, 'out.csv')), concurrency: 1 };
    const first = { count: 0 };
    expect(await run({ ...settings, maxRequests: 30 }, first)).toMatchObject({ exitCode: 75 });
    const freshInput = path.join(dir, 'fresh.csv');
    writeFileSync(freshInput, readFileSync(input));
    await run({ ...settings, input: freshInput, output: `${freshInput}.out` }, { count: 0 });
    return { settings, first, fresh: readFileSync(`${freshInput}.out`) };
  };

  /** The paused job resumed to its end: its read asked `proven` or not, each text paid once, the output a fresh run's. */
  const resumes = async ({ settings, first, fresh }: Awaited<ReturnType<typeof paused>>, proven: boolean) => {
    const resumed = { count: 0 };
    expect(await run(settings, resumed)).toMatchObject({ status: 'done', exitCode: 0 });
    expect(reads.proven).toEqual([proven]);
    expect(first.count + resumed.count).toBe(TEXTS.length);
    expect(readFileSync(settings.output as string).equals(fresh)).toBe(true);
  };

  it('a paused job: read as proven, the output byte for byte a fresh run\'s, each text paid once', async () => {
    const job = await paused();
    // Read only when its checkpoint does not say the journal holds every answer written (journaled-answers-resume.test.ts).
    const checkpointPath = `${job.settings.output as string}.checkpoint.json`;
    writeFileSync(checkpointPath, JSON.stringify({ ...JSON.parse(readFileSync(checkpointPath, 'utf8')), answersJournaled: false }));
    await resumes(job, true);
  });

  it('a checkpoint that records no CRC-32 (an older version\'s): each row written again to be compared', async () => {
    const job = await paused();
    const checkpointPath = `${job.settings.output as string}.checkpoint.json`;
    const checkpoint = JSON.parse(readFileSync(checkpointPath, 'utf8')) as Record<string, unknown>;
    expect(checkpoint.partialCrc32).toEqual(expect.any(Number));
    delete checkpoint.partialCrc32;
    writeFileSync(checkpointPath, JSON.stringify(checkpoint));
    await resumes(job, false);
  });

  it('a completed job continued (rows appended): its output copied, not proven by a CRC-32, is compared row by row', async () => {
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, `id,text\n${csvRows(TEXTS)}`);
    const settings = remoteSettings(input, path.join(dir, 'out.csv'));
    expect((await run(settings, { count: 0 })).exitCode).toBe(0);
    appendFileSync(input, csvRows(TEXTS.slice(0, 10), TEXTS.length));
    const next = { count: 0 };
    expect(await run(settings, next)).toMatchObject({ status: 'done', exitCode: 0 });
    expect(next.count).toBe(0);
    expect(reads.proven).toEqual([false]);
  });
});
