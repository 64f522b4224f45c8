import { existsSync, readFileSync, symlinkSync, mkdirSync, writeFileSync } from 'node:fs';
import { DEFAULTS } from '../src/config/options.js';
import { runJob } from '../src/job/run.js';
import { StopController } from '../src/job/stop.js';
import { localScorer, quiet } from './support/counting-remote.js';
import { describe, expect, it } from 'vitest';
import type { Outcome } from '../src/io/record.js';
import { KeptAnswers, keepJournalAnswers } from '../src/job/kept-answers.js';
import type { TextWindow } from '../src/job/row-plan.js';
import { encodeEntry, encodeHeader } from '../src/journal/journal-format.js';
import { createLogger } from '../src/log.js';
import { toScores } from '../src/scoring/scorer.js';
import type { Checkpoint } from '../src/state/checkpoint.js';
import { useTempDir } from './support/e2e-dir.js';
import { writePartialOutput } from './support/partial-output.js';

const scored = (positive: number): Outcome => ({ kind: 'scored', label: positive >= 0.5 ? 'POSITIVE' : 'NEGATIVE', positive, negative: 1 - positive, truncated: false });
const window: TextWindow = { fitToWindow: (text) => ({ text, truncated: false, tokens: text.length }) };

/**
 * A completed job of another input keeps nothing of its output (the nightly routine), but the answers its journal
 * holds are kept (kept-answers.ts keepJournalAnswers): a mend stopped or refused for the input rewritten during it,
 * rows past its --limit. Those of its output are not read.
 */
describe("a completed job's journal answers kept for the job of another input", () => {
  const dir = useTempDir();
  const completed = (): { checkpoint: Checkpoint; texts: string[]; outputPath: string } => {
    const outputPath = dir.path('out.csv');
    const { checkpoint, texts } = writePartialOutput(outputPath, 'csv', [scored(0.9), scored(0.2)]);
    return { checkpoint: { ...checkpoint, completed: true }, texts, outputPath };
  };
  const journalOf = (checkpoint: Checkpoint, entries: Array<[string, number]>) =>
    writeFileSync(dir.path('out.csv.journal'), encodeHeader({ settingsHash: checkpoint.settingsHash, identity: checkpoint.input.identity }) + entries.map(([text, index]) => encodeEntry(text, index, { kind: 'scored', scores: toScores(0.8, 0.2) })).join(''));
  const jobOf = (checkpoint: Checkpoint, outputPath: string, modelKey = 'm') => ({ checkpoint, partialPath: `${outputPath}.partial`, outputPath, journalPath: `${outputPath}.journal`, storePath: dir.path('out.csv.answers'), modelKey, window });

  it('no journal (a job completed whole): nothing is read or said', async () => {
    const { checkpoint, outputPath } = completed();
    expect(await keepJournalAnswers(jobOf(checkpoint, outputPath))).toBeUndefined();
    // A journal of another input (its header not the checkpoint's): none either.
    writeFileSync(dir.path('out.csv.journal'), encodeHeader({ settingsHash: checkpoint.settingsHash, identity: { ...checkpoint.input.identity, size: 99 } }) + encodeEntry('x', 5, { kind: 'scored', scores: toScores(0.8, 0.2) }));
    expect(await keepJournalAnswers(jobOf(checkpoint, outputPath))).toBeUndefined();
  });

  it("the journal's answers alone are kept, not the output's", async () => {
    const { checkpoint, texts, outputPath } = completed();
    journalOf(checkpoint, [['mended text', 1], ['past the limit', 7]]);
    const job = jobOf(checkpoint, outputPath);
    expect(await keepJournalAnswers(job)).toBe(
      `; the 2 answers in the completed job's journal ${outputPath}.journal (answers kept beside its output: a mend's that did not finish, rows' past its limit, or all of a run's stopped before it put its output in place) are kept for this job (2 texts in ${job.storePath}): a text among them is not sent again`,
    );
    const kept = await KeptAnswers.open(job.storePath, false, createLogger('silent'), 'm');
    try {
      expect(kept?.get('m', 'mended text')).toEqual(toScores(0.8, 0.2));
      expect(kept?.get('m', texts[0]!)).toBeUndefined();
    } finally {
      await kept?.close();
    }
  });

  it("an embedded model's journal: its answers cost nothing again, none kept", async () => {
    const { checkpoint: paid, outputPath } = completed();
    const checkpoint = { ...paid, settings: { ...paid.settings, modelId: 'embedded:sst2-nblr-lex-v5' } };
    journalOf(checkpoint, [['mended text', 1]]);
    const job = jobOf(checkpoint, outputPath);
    expect(await keepJournalAnswers(job)).toBeUndefined();
    expect(existsSync(job.storePath)).toBe(false);
  });

  // run-start.ts keepJournal: a run whose model has the 512-token window (a local ONNX model) reads kept answers, so a
  // completed job's journal answers are kept for it though nothing paid for them (keepsPaidAnswersOf: Workers AI only).
  it('a run of a free model with a token window keeps a completed job\'s journal answers and reads them', async () => {
    const input = dir.path('in.csv');
    const output = dir.path('windowed.csv');
    const scored = { count: 0 };
    const windowedScorer = () => ({ ...localScorer(scored), usesTokenWindow: true });
    const run = () => runJob({ ...DEFAULTS, input, output, text: ['review'], progress: 'off' }, { log: quiet(), stop: new StopController(), createScorer: windowedScorer });
    writeFileSync(input, 'id,review\n1,good one\n2,bad two\n');
    expect((await run()).status).toBe('done');
    const checkpoint = JSON.parse(readFileSync(`${output}.checkpoint.json`, 'utf8')) as Checkpoint;
    writeFileSync(`${output}.journal`, encodeHeader({ settingsHash: checkpoint.settingsHash, identity: checkpoint.input.identity }) + encodeEntry('paid past the limit', 7, { kind: 'scored', scores: toScores(0.8, 0.2) }));
    // Another export at that output (the nightly routine): its row of that text is written from the journal's answer.
    writeFileSync(input, 'id,review\n1,a new night\n2,paid past the limit\n3,another row\n');
    scored.count = 0;
    expect((await run()).status).toBe('done');
    expect(scored.count).toBe(2);
  });

  it('another model asked: kept under their own; a store that is a link: not kept, and said why', async () => {
    const { checkpoint, outputPath } = completed();
    journalOf(checkpoint, [['one', 3]]);
    expect(await keepJournalAnswers(jobOf(checkpoint, outputPath, 'other'))).toMatch(/^; the 1 answer in the completed job's journal .* is not reused by this one \(its answers are of m, this run asks other\), but they are kept in .*out\.csv\.answers \(1 text of that model\)/);
    const linked = dir.path('elsewhere');
    mkdirSync(linked);
    const job = { ...jobOf(checkpoint, outputPath), storePath: dir.path('linked.answers') };
    symlinkSync(linked, job.storePath);
    expect(await keepJournalAnswers(job)).toMatch(/^; the 1 answer in the completed job's journal .* is not reused by this one \(.*linked\.answers is a symbolic link, which is never followed/);
  });
});
