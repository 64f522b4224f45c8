import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { JobSettings } from '../src/config/options.js';
import { runJob } from '../src/job/run.js';
import { StopController } from '../src/job/stop.js';
import { quiet, remoteSettings, wordScorer } from './support/counting-remote.js';
import { useTempDir } from './support/e2e-dir.js';
import { reviewText } from './support/reviews.js';

/** Each read of the partial output for earlier answers (old-output-answers.ts), counted: the spy is on the function run.ts calls. */
const reads = vi.hoisted(() => ({ count: 0 }));
vi.mock('../src/job/old-output-answers.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/job/old-output-answers.js')>();
  return {
    ...real,
    oldOutputAnswers: (...args: Parameters<typeof real.oldOutputAnswers>) => {
      reads.count += 1;
      return real.oldOutputAnswers(...args);
    },
  };
});

/** Each read of a journal file (`*.journal`), counted: the journal's line count and its replay are one read. */
const journalReads = vi.hoisted(() => ({ count: 0 }));
vi.mock('../src/state/no-follow.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/state/no-follow.js')>();
  return {
    ...real,
    readTextNoFollow: (...args: Parameters<typeof real.readTextNoFollow>) => {
      if (args[0].endsWith('.journal')) journalReads.count += 1;
      return real.readTextNoFollow(...args);
    },
  };
});

/**
 * A paused job resumed skips the read of its partial output for earlier answers when its checkpoint says the journal
 * holds every answer the output's rows carry, and the journal still holds the lines it recorded (answers-journaled.ts).
 * Every path where the read could find an answer the journal lacks says false, and the resume reads as before (a
 * journal that compacts, and a kill -9 right after it: e2e-journaled-answers-kill.test.ts, slow tier).
 */
describe('a resume whose journal holds every answer written does not read its partial output', () => {
  const files = useTempDir();
  beforeEach(() => {
    reads.count = 0;
  });

  const run = (settings: JobSettings, sent: { count: number }) => runJob(settings, { log: quiet(), stop: new StopController(), createScorer: () => wordScorer(sent) });
  const csvRows = (texts: string[], from = 0) => texts.map((text, i) => `${from + i},"${text.replace(/"/g, '""')}"\n`).join('');
  // 60 distinct texts, then 40 rows repeating the first 40: a pause at 30 requests leaves repeats of written rows ahead.
  const TEXTS = Array.from({ length: 60 }, (_, i) => reviewText(i));
  const ROWS = [...TEXTS, ...TEXTS.slice(0, 40)];
  const checkpointOf = (settings: JobSettings) => JSON.parse(readFileSync(`${settings.output as string}.checkpoint.json`, 'utf8')) as Record<string, unknown>;
  const editCheckpoint = (settings: JobSettings, edit: (checkpoint: Record<string, unknown>) => void) => {
    const checkpoint = checkpointOf(settings);
    edit(checkpoint);
    writeFileSync(`${settings.output as string}.checkpoint.json`, JSON.stringify(checkpoint));
  };

  /**
   * A fresh run's output of ROWS (concurrency 1, no `extra`): the same bytes for every test, so made once, by the first
   * test that asks (each test made its own: 13 runs of 100 rows for one reference).
   */
  let freshOutput: Promise<Buffer> | undefined;
  const freshRun = async (): Promise<Buffer> => {
    const freshInput = files.path('fresh.csv');
    writeFileSync(freshInput, `id,text\n${csvRows(ROWS)}`);
    await run({ ...remoteSettings(freshInput, `${freshInput}.out`), concurrency: 1 }, { count: 0 });
    return readFileSync(`${freshInput}.out`);
  };

  /** A job of ROWS paused by --max-requests 30 (`extra` its settings too): its settings, requests, and a fresh run's output. */
  const paused = async (extra: Partial<JobSettings> = {}) => {
    const input = files.path('in.csv');
    writeFileSync(input, `id,text\n${csvRows(ROWS)}`);
    const settings = { ...remoteSettings(input, files.path('out.csv')), concurrency: 1, ...extra };
    const first = { count: 0 };
    expect(await run({ ...settings, maxRequests: 30 }, first)).toMatchObject({ exitCode: 75 });
    return { settings, first, fresh: await (freshOutput ??= freshRun()) };
  };

  /** The paused job resumed to its end: `read` reads of its partial output, each text paid once, the output a fresh run's. */
  const resumes = async ({ settings, first, fresh }: Awaited<ReturnType<typeof paused>>, read: number) => {
    reads.count = 0;
    journalReads.count = 0;
    const resumed = { count: 0 };
    expect(await run(settings, resumed)).toMatchObject({ status: 'done', exitCode: 0 });
    expect(reads.count).toBe(read);
    // Its journal read once: its lines counted (answers-journaled.ts) and its answers replayed from the one read.
    expect(journalReads.count).toBe(1);
    expect(first.count + resumed.count).toBe(TEXTS.length);
    expect(readFileSync(settings.output as string).equals(fresh)).toBe(true);
  };

  it('a fresh start paused: its checkpoint says so, with the 30 lines; the resume reads nothing, pays each text once, writes a fresh run\'s bytes', async () => {
    const job = await paused();
    expect(checkpointOf(job.settings)).toMatchObject({ answersJournaled: true, journaledAnswers: 30 });
    await resumes(job, 0);
  });

  it('paused twice: the second checkpoint still says so (carried), and the last resume reads nothing either', async () => {
    const job = await paused();
    const again = { count: 0 };
    expect(await run({ ...job.settings, maxRequests: 10 }, again)).toMatchObject({ exitCode: 75 });
    expect(reads.count).toBe(0);
    expect(checkpointOf(job.settings)).toMatchObject({ answersJournaled: true, journaledAnswers: 40 });
    await resumes({ ...job, first: { count: job.first.count + again.count } }, 0);
  });

  it('its input a copy (another file, the same bytes): its journal keyed by either file, the resume reads nothing either', async () => {
    const job = await paused();
    const input = job.settings.input as string;
    writeFileSync(`${input}.copy`, readFileSync(input));
    renameSync(`${input}.copy`, input);
    await resumes(job, 0);
  });

  it('a checkpoint without the field (an older version\'s): the resume reads', async () => {
    const job = await paused();
    editCheckpoint(job.settings, (checkpoint) => {
      delete checkpoint.answersJournaled;
      delete checkpoint.journaledAnswers;
    });
    await resumes(job, 1);
  });

  it('its journal removed by hand: the resume reads, and finds the answers there (each text still paid once)', async () => {
    const job = await paused();
    rmSync(`${job.settings.output as string}.journal`);
    await resumes(job, 1);
  });

  it('its journal cut to fewer lines than the checkpoint recorded: the resume reads', async () => {
    const job = await paused();
    const file = `${job.settings.output as string}.journal`;
    const lines = readFileSync(file, 'utf8').split('\n');
    writeFileSync(file, `${lines.slice(0, 21).join('\n')}\n`);
    await resumes(job, 1);
  });

  // A journal of the same key (the same input and settings) but another job's, with as many lines: its line count alone
  // passed, the read was skipped, and the texts only the partial output held were paid again (review71's residual).
  it("its journal swapped for another job's of the same key with as many lines: the resume reads (each text still paid once)", async () => {
    const job = await paused();
    const other = { ...job.settings, output: files.path('other.csv') };
    expect(await run({ ...other, maxRequests: 30 }, { count: 0 })).toMatchObject({ exitCode: 75 });
    // The other job's journal (its own header) with 30 lines of texts this job's rows do not have.
    const [header] = readFileSync(`${other.output}.journal`, 'utf8').split('\n');
    const foreign = Array.from({ length: 30 }, (_, i) => `${JSON.stringify({ i, t: `not in this export ${i}`, s: ['POSITIVE', 0.9, 0.1] })}\n`).join('');
    writeFileSync(`${job.settings.output as string}.journal`, `${header}\n${foreign}`);
    await resumes(job, 1);
  });

  it('a checkpoint that names no journal (written before the journal had an id): the resume reads', async () => {
    const job = await paused();
    const recorded = checkpointOf(job.settings).journalId;
    expect(readFileSync(`${job.settings.output as string}.journal`, 'utf8').split('\n')[0]).toContain(`"journal":"${recorded as string}"`);
    editCheckpoint(job.settings, (checkpoint) => delete checkpoint.journalId);
    await resumes(job, 1);
  });

  // A journal whose header is another job's (settings or input) replays none of its lines for this one: its lines are
  // not this job's answers, however many, and the resume reads the partial output for them.
  it("its journal's header another job's: its lines replay nothing here, and the resume reads", async () => {
    const job = await paused();
    const file = `${job.settings.output as string}.journal`;
    const [header, ...entries] = readFileSync(file, 'utf8').split('\n');
    writeFileSync(file, [JSON.stringify({ ...JSON.parse(header as string), settingsHash: 'another job' }), ...entries].join('\n'));
    await resumes(job, 1);
  });

  // fuzz34 (fuzz33 noticed it): one entry line removed and another duplicated by hand keeps the count of lines, which
  // was all the resume compared: it skipped the read, and paid again for the removed text, whose row was written and
  // repeated ahead. Entries are counted by text, as the journal replays them.
  it('a line removed and another duplicated (as many lines, one text fewer): the resume reads, each text paid once', async () => {
    const job = await paused();
    const file = `${job.settings.output as string}.journal`;
    const [header, ...entries] = readFileSync(file, 'utf8').split('\n').filter((line) => line !== '');
    writeFileSync(file, `${[header, ...entries.slice(1), entries[1]].join('\n')}\n`);
    await resumes(job, 1);
  });

  it('--cache: the checkpoint says no (a cached answer is no line of the journal), and the resume reads', async () => {
    const job = await paused({ cache: files.path('cache') });
    expect(checkpointOf(job.settings)).toMatchObject({ answersJournaled: false });
    await resumes(job, 1);
  });

  it('a kept store (<output>.answers of a job started over): the checkpoint says no, and the resume reads', async () => {
    const job = await paused();
    // Another --prefix starts over, keeping the answers the paused job paid for in <output>.answers.
    const relabelled = { ...job.settings, prefix: 'mood' };
    expect(await run({ ...relabelled, maxRequests: 10 }, { count: 0 })).toMatchObject({ exitCode: 75 });
    expect(existsSync(`${job.settings.output as string}.answers`)).toBe(true);
    expect(checkpointOf(job.settings)).toMatchObject({ answersJournaled: false });
    reads.count = 0;
    expect(await run(relabelled, { count: 0 })).toMatchObject({ exitCode: 0 });
    expect(reads.count).toBe(1);
  });

  it('a resume that read and took old-output answers (no CRC-32 to prove the skip): its checkpoints say no, and the next resume reads', async () => {
    const job = await paused();
    editCheckpoint(job.settings, (checkpoint) => delete checkpoint.partialCrc32);
    const again = { count: 0 };
    expect(await run({ ...job.settings, maxRequests: 10 }, again)).toMatchObject({ exitCode: 75 });
    expect(reads.count).toBe(1);
    expect(checkpointOf(job.settings)).toMatchObject({ answersJournaled: false });
    await resumes({ ...job, first: { count: job.first.count + again.count } }, 1);
  });
});
