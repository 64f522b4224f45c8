import { mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Outcome } from '../src/io/record.js';
import { KeptAnswers, keepDroppedAnswers, keptForThisRun } from '../src/job/kept-answers.js';
import type { TextWindow } from '../src/job/row-plan.js';
import { hashSettings, type Checkpoint } from '../src/state/checkpoint.js';
import type { Logger } from '../src/log.js';
import { useTempDir } from './support/e2e-dir.js';
import { writePartialOutput } from './support/partial-output.js';

const WAI = 'workers-ai:@cf/huggingface/distilbert-sst-2-int8';
const OTHER = `${WAI}-typo`;
const scored = (positive: number): Outcome => ({ kind: 'scored', label: positive >= 0.5 ? 'POSITIVE' : 'NEGATIVE', positive, negative: 1 - positive, truncated: false });
const window: TextWindow = { fitToWindow: (text) => ({ text, truncated: false, tokens: text.length }) };

/**
 * The start-over line names the answer store and the dropped job's files after the output as the user gave it
 * (`-o out.csv`), as `Done: out.csv` does (wording/typed-path.ts): it named `/home/me/exports/out.csv.answers`. And a
 * completed job's answers read from a mend's copy (`out.csv.partial`, a mend killed before its rename) are said to be
 * read from there: the line said "in the completed job's output out.csv".
 */
describe('the answer store and the dropped job named as the output was typed', () => {
  const dir = useTempDir();
  /** A job at `output` of `modelId`, four rows scored, its rows in `file`. */
  const job = (file: string, modelId: string, completed = false): Checkpoint => {
    const { checkpoint } = writePartialOutput(file, 'csv', [scored(0.9), scored(0.2), scored(0.7), scored(0.6)]);
    const settings = { ...checkpoint.settings, modelId };
    return { ...checkpoint, settings, settingsHash: hashSettings(settings), completed };
  };
  /** An output in the temporary folder, and the same as typed from the working directory. */
  const output = (name: string) => {
    const absolute = dir.path(name);
    return { absolute, typed: path.relative(process.cwd(), absolute) };
  };

  it("an unfinished job's answers kept: the store is named as typed", async () => {
    const out = output('paused.csv');
    const checkpoint = job(`${out.absolute}.partial`, WAI);
    const drop = { checkpoint, partialPath: `${out.absolute}.partial`, outputPath: out.absolute, journalPath: dir.path('none.journal'), storePath: `${out.absolute}.answers`, modelKey: WAI, window };
    expect(await keepDroppedAnswers({ ...drop, typedOutput: out.typed })).toBe(`; the answers it paid for are kept for this job (4 texts in ${out.typed}.answers): a text among them is not sent again`);
    // Kept before, read by a run of that model: named as typed too.
    expect(await keptForThisRun({ checkpoint: { ...checkpoint, totals: { ...checkpoint.totals, requests: 0 } }, storePath: drop.storePath, modelKey: WAI, typedOutput: out.typed })).toBe(
      `; the answers kept before are used (4 texts in ${out.typed}.answers): a text among them is not sent again`,
    );
  });

  it("a completed job's answers read from a mend's copy are said to be read from the copy", async () => {
    const out = output('mended.csv');
    const copy = job(`${out.absolute}.partial`, OTHER, true);
    const mending = { outputBytes: copy.position.outputBytes, listedFailures: 0, lastOutputStart: copy.position.lastOutputStart };
    const checkpoint: Checkpoint = { ...copy, position: { ...copy.position, outputBytes: 1, lastOutputStart: 0 }, mending };
    const drop = { checkpoint, partialPath: `${out.absolute}.partial`, outputPath: out.absolute, journalPath: dir.path('none.journal'), storePath: `${out.absolute}.answers`, modelKey: WAI, window };
    expect(await keepDroppedAnswers({ ...drop, typedOutput: out.typed })).toBe(
      `; the 4 answers in the completed job's mended output ${out.typed}.partial are not reused by this one (its answers are of ${OTHER}, this run asks ${WAI}), ` +
        `but they are kept in ${out.typed}.answers (4 texts of that model): a run that asks ${OTHER} again, before a job at this output completes, does not send them again`,
    );
  });

  it('a store that cannot be read is named as typed in the warning', async () => {
    const out = output('linked.csv');
    mkdirSync(dir.path('elsewhere'));
    symlinkSync(dir.path('elsewhere'), `${out.absolute}.answers`);
    const warned: string[] = [];
    const log = { warn: (message: string) => warned.push(message) } as unknown as Logger;
    expect(await KeptAnswers.open(`${out.absolute}.answers`, false, log, WAI, out.typed)).toBeUndefined();
    expect(warned).toEqual([
      `the answers kept of a job started over in ${out.typed}.answers cannot be read (${out.typed}.answers is a symbolic link, which is never followed (no file of the job is written through one): remove it, or move what it points to there): their texts are sent again`,
    ]);
  });
});
