import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JobSettings } from '../src/config/options.js';
import type { Logger } from '../src/log.js';
import { runJob } from '../src/job/run.js';
import { checkpointPathFor } from '../src/state/checkpoint.js';
import { StopController } from '../src/job/stop.js';
import { tempDir } from './support/cli.js';
import { quiet, remoteSettings, wordScorer } from './support/counting-remote.js';
import { syntheticCsv } from './support/reviews.js';
import { captureLog } from './support/capture-log.js';

// Every answer read back from a job's output, whoever reads it (the start-over's import, the edited export's check).
const read = vi.hoisted(() => ({ answers: 0 }));
vi.mock('../src/job/partial-answers.js', async (importOriginal) => (await import('./support/counted-answers.js')).countedAnswers(importOriginal, read));
// Every file whose sha256 is taken by reading it (a completed output's, proven against its checkpoint).
const digested = vi.hoisted(() => ({ files: [] as string[] }));
vi.mock('../src/state/output-digest.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/state/output-digest.js')>();
  return { ...original, fileSha256: async (file: string) => (digested.files.push(file), original.fileSha256(file)) };
});

const ROWS = 200;

/**
 * A completed Workers AI job whose export is edited in the part it read (a review corrected by hand, a rating changed)
 * starts over; its output's answers to the texts the edited export still holds are kept for the new job, so only the
 * changed texts are sent: every row was sent again (2,000 of 2,000 requests for one byte edited, against serve).
 */
describe('a completed job whose export was edited by hand', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  const run = (settings: JobSettings, sent: { count: number }, log: Logger = quiet()) => runJob(settings, { log, stop: new StopController(), createScorer: () => wordScorer(sent) });

  /** A completed job of the synthetic export at in.csv (176 distinct texts), and its settings. */
  async function completed(): Promise<{ input: string; output: string; settings: JobSettings; scored: number }> {
    const input = path.join(dir, 'in.csv');
    const output = path.join(dir, 'out.csv');
    writeFileSync(input, syntheticCsv(ROWS));
    const settings = { ...remoteSettings(input, output), text: ['review'] };
    const first = { count: 0 };
    const summary = await run(settings, first);
    expect(summary.exitCode).toBe(0);
    expect(first.count).toBe(176);
    read.answers = 0;
    digested.files = [];
    // The rows its output answers (the synthetic export's blank texts are not scored).
    return { input, output, settings, scored: summary.totals.scored };
  }

  /** `input` with `edit` applied to the row whose id is `id` (the whole line). */
  function editRow(input: string, id: number, edit: (line: string) => string): void {
    const lines = readFileSync(input, 'utf8').split('\n');
    const at = lines.findIndex((line) => line.startsWith(`${id},`));
    lines[at] = edit(lines[at] as string);
    writeFileSync(input, lines.join('\n'));
  }

  it('one text corrected: only that text is sent, said on the start-over line, the output a clean run\'s of the edited export', async () => {
    const job = await completed();
    editRow(job.input, 120, (line) => line.replace('Review number 120', 'Review number 12O'));
    const next = { count: 0 };
    const captured = captureLog();
    expect(await run(job.settings, next, captured.log)).toMatchObject({ status: 'done', exitCode: 0 });
    expect(next.count).toBe(1);
    expect(captured.messages().join('\n')).toMatch(
      /the input changed since the checkpoint of the completed job .*: scoring it afresh; the answers of its output to texts this input holds are kept for this job \(175 texts in .*out\.csv\.answers\): a text among them is not sent again/,
    );
    expect(readFileSync(job.output).equals(await cleanOutput(job))).toBe(true);
  });

  // Each answer read once, and the file once: its sha256 is taken as its rows are read through, not by a second read.
  it('one text corrected: each answer of its output read once (read up to its first kept answer, then twice through: 385 for 192), its sha256 taken on the way', async () => {
    const job = await completed();
    editRow(job.input, 120, (line) => line.replace('Review number 120', 'Review number 12O'));
    const next = { count: 0 };
    expect(await run(job.settings, next)).toMatchObject({ status: 'done', exitCode: 0 });
    expect(next.count).toBe(1);
    expect(read.answers).toBe(job.scored);
    expect(digested.files.filter((file) => file === job.output)).toEqual([]);
  });

  // Read up to the length its checkpoint records, the bytes after it are in no digest taken on the way: read again, as before.
  it('its output with a line appended by hand: no answer of it is kept, the output a clean run\'s', async () => {
    const job = await completed();
    writeFileSync(job.output, Buffer.concat([readFileSync(job.output), Buffer.from('999,"Review number 999",3,POSITIVE,0.9,0.1,,\n')]));
    editRow(job.input, 120, (line) => line.replace('Review number 120', 'Review number 12O'));
    const next = { count: 0 };
    const captured = captureLog();
    expect(await run(job.settings, next, captured.log)).toMatchObject({ status: 'done', exitCode: 0 });
    expect(next.count).toBe(176);
    expect(captured.messages().join('\n')).toMatch(/its output .*out\.csv is not as its checkpoint recorded it \(its sha256 differs: changed since, by hand or by another program\?\)/);
    expect(readFileSync(job.output).equals(await cleanOutput(job))).toBe(true);
  });

  // Texts over 4,096 characters (the in-run dedupe's LONG_TEXT_KEY) were never among the answers kept: 11 requests for one edit.
  it('texts over 4,096 characters among its rows: their answers are kept too, only the edited text is sent', async () => {
    const input = path.join(dir, 'in.csv');
    const output = path.join(dir, 'out.csv');
    // Every 20th row over 4,096 characters (10 texts), each cut to the model's window (--long-text truncate) when sent.
    const long = (i: number) => (i % 20 === 0 ? ` ${'and it was great '.repeat(300)}` : '');
    writeFileSync(input, syntheticCsv(ROWS, { marker: long }));
    expect(readFileSync(input, 'utf8').split('\n').filter((line) => line.length > 4_096)).toHaveLength(10);
    const settings = { ...remoteSettings(input, output), text: ['review'] };
    const first = { count: 0 };
    expect((await run(settings, first)).exitCode).toBe(0);
    expect(first.count).toBe(176);
    editRow(input, 121, (line) => line.replace('Review number 121', 'Review number 12l'));
    const next = { count: 0 };
    expect(await run(settings, next)).toMatchObject({ status: 'done', exitCode: 0 });
    expect(next.count).toBe(1);
    expect(readFileSync(output).equals(await cleanOutput({ input, settings }))).toBe(true);
  });

  it('another column changed: nothing is sent', async () => {
    const job = await completed();
    editRow(job.input, 37, (line) => line.replace(/,\d$/, ',9'));
    const next = { count: 0 };
    expect(await run(job.settings, next)).toMatchObject({ status: 'done', exitCode: 0 });
    expect(next.count).toBe(0);
    expect(readFileSync(job.output, 'utf8')).toMatch(/\n37,"[^\n]*",9,/);
  });

  it('another export of the same name, no text in common: nothing kept, the start-over line as it was', async () => {
    const job = await completed();
    writeFileSync(job.input, syntheticCsv(ROWS, { marker: (i) => ` (new ${i})` }));
    const next = { count: 0 };
    const captured = captureLog();
    expect(await run(job.settings, next, captured.log)).toMatchObject({ status: 'done', exitCode: 0 });
    expect(next.count).toBe(ROWS);
    expect(captured.messages()).toContain('the input changed since the checkpoint of the completed job (the bytes the job read differ, or its size, modification time or content when the checkpoint cannot tell): scoring it afresh');
  });

  /** The output row of `id` given the other label at the same length (positive and negative swapped): an answer a model gives, not this one's. */
  function swapAnswer(output: string, id: number): void {
    const lines = readFileSync(output, 'utf8').split('\n');
    const at = lines.findIndex((line) => line.startsWith(`${id},`));
    const swapped = (lines[at] as string).replace(/,(POSITIVE|NEGATIVE),([^,]+),([^,]+),/, (_all, label: string, positive: string, negative: string) => `,${label === 'POSITIVE' ? 'NEGATIVE' : 'POSITIVE'},${negative},${positive},`);
    expect(swapped).not.toBe(lines[at]);
    lines[at] = swapped;
    writeFileSync(output, lines.join('\n'));
  }

  /**
   * The edited export's clean run: the output every case must end with. A clean run's output is the same for the same
   * export and settings, so each is made once: four tests edit row 120 alike and ran the same clean run each.
   */
  const cleanOutputs = new Map<string, Promise<Buffer>>();
  async function cleanOutput(job: { input: string; settings: JobSettings }): Promise<Buffer> {
    const bytes = readFileSync(job.input);
    const { input: _input, output: _output, ...settings } = job.settings;
    const key = `${JSON.stringify(settings)}\n${bytes.toString('base64')}`;
    let made = cleanOutputs.get(key);
    if (made === undefined) {
      const clean = path.join(dir, 'clean.csv');
      writeFileSync(clean, bytes);
      made = run({ ...job.settings, input: clean, output: `${clean}.out` }, { count: 0 }).then((summary) => {
        expect(summary.exitCode).toBe(0);
        return readFileSync(`${clean}.out`);
      });
      cleanOutputs.set(key, made);
    }
    return made;
  }

  it('its output edited by hand too (an answer swapped at the same length): that answer is not kept, the output a clean run\'s', async () => {
    const job = await completed();
    swapAnswer(job.output, 30);
    editRow(job.input, 120, (line) => line.replace('Review number 120', 'Review number 12O'));
    const next = { count: 0 };
    const captured = captureLog();
    expect(await run(job.settings, next, captured.log)).toMatchObject({ status: 'done', exitCode: 0 });
    expect(readFileSync(job.output).equals(await cleanOutput(job))).toBe(true);
    expect(next.count).toBe(176);
    expect(captured.messages().join('\n')).toMatch(/answers in the completed job's output .*out\.csv are not reused by this one \(its output .*out\.csv is not as its checkpoint recorded it \(its sha256 differs: changed since, by hand or by another program\?\)\)/);
  });

  // An older version's completed checkpoint records no sha256 of its output: nothing to compare, its answers are kept as
  // they were before the sha256 was checked (else every upgraded job's edited export is paid for again, 176 requests).
  it('a completed checkpoint of an older version (no sha256 of its output): its answers are still kept', async () => {
    const job = await completed();
    const checkpointPath = checkpointPathFor(job.output);
    const { outputSha256, ...older } = JSON.parse(readFileSync(checkpointPath, 'utf8')) as Record<string, unknown>;
    expect(outputSha256).toMatch(/^[0-9a-f]{64}$/);
    writeFileSync(checkpointPath, JSON.stringify(older));
    editRow(job.input, 120, (line) => line.replace('Review number 120', 'Review number 12O'));
    const next = { count: 0 };
    expect(await run(job.settings, next)).toMatchObject({ status: 'done', exitCode: 0 });
    expect(next.count).toBe(1);
    expect(readFileSync(job.output).equals(await cleanOutput(job))).toBe(true);
  });

  it('its output edited by hand, then run under another --long-text: that answer is not kept either', async () => {
    const job = await completed();
    swapAnswer(job.output, 30);
    const settings: JobSettings = { ...job.settings, longText: 'skip' };
    const next = { count: 0 };
    expect(await run(settings, next)).toMatchObject({ status: 'done', exitCode: 0 });
    expect(readFileSync(job.output).equals(await cleanOutput({ ...job, settings }))).toBe(true);
    expect(next.count).toBe(176);
  });

  it('the run that starts over paused by --max-requests, then resumed: only the changed texts are sent', async () => {
    const job = await completed();
    for (const id of [20, 90, 160]) editRow(job.input, id, (line) => line.replace(`Review number ${id}`, `Review number #${id}`));
    const paused = { count: 0 };
    expect(await run({ ...job.settings, maxRequests: 1 }, paused)).toMatchObject({ exitCode: 75 });
    const resumed = { count: 0 };
    expect(await run(job.settings, resumed)).toMatchObject({ status: 'done', exitCode: 0 });
    expect(paused.count + resumed.count).toBe(3);
  });
});
