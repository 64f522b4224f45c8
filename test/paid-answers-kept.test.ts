import { describe, expect, it } from 'vitest';
import type { Outcome } from '../src/io/record.js';
import { KeptAnswers, keepDroppedAnswers, keptForThisRun, keptModelOf } from '../src/job/kept-answers.js';
import { LEFT_FOR_LATER as LEFT, leavesStoreOf, paidOverFree } from '../src/job/paid-answers-kept.js';
import type { TextWindow } from '../src/job/row-plan.js';
import { createLogger } from '../src/log.js';
import { hashSettings, type Checkpoint } from '../src/state/checkpoint.js';
import { useTempDir } from './support/e2e-dir.js';
import { writePartialOutput } from './support/partial-output.js';

const WAI = 'workers-ai:@cf/huggingface/distilbert-sst-2-int8';
const LOCAL = 'local:distilbert-sst2-int8@sha256-112fd4605848';
const scored = (positive: number): Outcome => ({ kind: 'scored', label: positive >= 0.5 ? 'POSITIVE' : 'NEGATIVE', positive, negative: 1 - positive, truncated: false });
const window: TextWindow = { fitToWindow: (text) => ({ text, truncated: false, tokens: text.length }) };

/**
 * `<output>.answers` keeps Workers AI's answers, paid for, across a detour through a model that costs nothing
 * (paid-answers-kept.ts): the local model's answers do not replace them, and are replaced by them.
 */
describe('answers paid for, kept across a detour through a model that costs nothing', () => {
  const dir = useTempDir();
  /** A job of `modelId` at `file` (its partial output, or its output when `completed`) with four scored rows. */
  const job = (file: string, modelId: string, { completed = false, requests = 4 } = {}): { checkpoint: Checkpoint; texts: string[] } => {
    const { checkpoint, texts } = writePartialOutput(file, 'csv', [scored(0.9), scored(0.2), scored(0.7), scored(0.6)]);
    const settings = { ...checkpoint.settings, modelId };
    return { checkpoint: { ...checkpoint, settings, settingsHash: hashSettings(settings), completed, totals: { ...checkpoint.totals, requests } }, texts };
  };
  const drop = (checkpoint: Checkpoint, storePath: string, modelKey: string, file: string) =>
    keepDroppedAnswers({ checkpoint, partialPath: file, outputPath: file, journalPath: dir.path('none.journal'), storePath, modelKey, window, leavesPaid: !modelKey.startsWith('workers-ai:') });
  const keptOf = async (storePath: string, model: string, text: string) => {
    const kept = await KeptAnswers.open(storePath, false, createLogger('silent'), model);
    try {
      return kept?.get(model, text);
    } finally {
      await kept?.close();
    }
  };

  it('a Workers AI run over an embedded or local job stopped unfinished says the answers kept before are used', async () => {
    const storePath = dir.path('stopped.csv.answers');
    const paid = job(dir.path('stopped-wai.csv'), WAI);
    await drop(paid.checkpoint, storePath, LOCAL, dir.path('stopped-wai.csv'));
    expect(await keptModelOf(storePath)).toBe(WAI);
    for (const model of ['embedded:sst2-nblr-lex-v5', LOCAL]) {
      // Nothing of the stopped job was paid for (requests 0): it said '' and the line only "starting over", its answers read all the same.
      const stopped = job(dir.path('stopped-free.csv'), model, { requests: 0 });
      expect(await drop(stopped.checkpoint, storePath, WAI, dir.path('stopped-free.csv'))).toBe(`; the answers kept before are used (4 texts in ${storePath}): a text among them is not sent again`);
    }
  });

  it('a local run over a paused Workers AI job keeps its paid answers in place of the local model\'s', async () => {
    const storePath = dir.path('paused.csv.answers');
    const free = job(dir.path('paused-local.csv'), LOCAL, { completed: true, requests: 0 });
    await drop(free.checkpoint, storePath, WAI, dir.path('paused-local.csv'));
    expect(await keptModelOf(storePath)).toBe(LOCAL);
    const paid = job(dir.path('paused-wai.csv'), WAI);
    const said = await drop(paid.checkpoint, storePath, LOCAL, dir.path('paused-wai.csv'));
    expect(said).toBe(
      `; the 4 requests the unfinished job paid for are not reused by this one (its answers are of ${WAI}, this run asks ${LOCAL}), but they are kept in ${storePath} (4 texts of that model): ` +
        `a run at this output that asks ${WAI} again does not send them again (answers paid for: a job of the embedded or local model completing here leaves them; a Workers AI job completing here, or --restart, removes them)`,
    );
    expect(await keptModelOf(storePath)).toBe(WAI);
    expect(await keptOf(storePath, WAI, paid.texts[0]!)).toEqual({ label: 'POSITIVE', positive: 0.9, negative: 1 - 0.9 });
  });

  it('a completed local job\'s answers do not replace answers paid for', async () => {
    const storePath = dir.path('kept.csv.answers');
    const paid = job(dir.path('kept-wai.csv'), WAI, { completed: true });
    await drop(paid.checkpoint, storePath, LOCAL, dir.path('kept-wai.csv'));
    // Another local job at that output (another text column), started over by a local run, then by another Workers AI model.
    const free = job(dir.path('kept-local.csv'), LOCAL, { completed: true, requests: 0 });
    for (const [asked, until] of [
      [LOCAL, `a run at this output that asks ${WAI} again does not send them again (answers paid for: a job of the embedded or local model completing here leaves them; a Workers AI job completing here, or --restart, removes them)`],
      [`${WAI}-other`, `a run that asks ${WAI} again, before a job at this output completes, does not send them again`],
    ] as const) {
      expect(await drop(free.checkpoint, storePath, asked, dir.path('kept-local.csv'))).toBe(
        `; the 4 answers in the completed job's output ${dir.path('kept-local.csv')} are not kept (they cost nothing, and ${storePath} keeps 4 answers paid for, of ${WAI}, which they would replace): ${until}`,
      );
      expect(await keptModelOf(storePath)).toBe(WAI);
    }
  });

  it('an embedded or local run over the other\'s job says the answers paid for kept before stay', async () => {
    const storePath = dir.path('stay.csv.answers');
    const paid = job(dir.path('stay-wai.csv'), WAI, { completed: true });
    await drop(paid.checkpoint, storePath, LOCAL, dir.path('stay-wai.csv'));
    const stay = `; the answers paid for kept before in ${storePath} (4 texts of ${WAI}) stay: a run at this output that asks ${WAI} again does not send them again (${LEFT})`;
    // A local run over an embedded job (keepDroppedAnswers), an embedded run over a local one (run-start.ts asks keptForThisRun): both said nothing.
    const embedded = job(dir.path('stay-embedded.csv'), 'embedded:sst2-nblr-lex-v5', { completed: true, requests: 0 });
    expect(await drop(embedded.checkpoint, storePath, LOCAL, dir.path('stay-embedded.csv'))).toBe(stay);
    const local = job(dir.path('stay-local.csv'), LOCAL, { completed: true, requests: 0 });
    expect(await keptForThisRun({ checkpoint: local.checkpoint, storePath, modelKey: 'embedded:sst2-nblr-lex-v5', leavesPaid: true })).toBe(stay);
    // Another Workers AI model's run reads none of them and removes them when its job completes: nothing said, as before.
    expect(await keptForThisRun({ checkpoint: local.checkpoint, storePath, modelKey: `${WAI}-other`, leavesPaid: false })).toBe('');
    expect(await keptModelOf(storePath)).toBe(WAI);
  });

  it('a job completing leaves the store only when its model costs nothing and the store\'s answers were paid for', () => {
    expect(leavesStoreOf(false, WAI)).toBe(true);
    expect(leavesStoreOf(false, `${WAI} at http://127.0.0.1:8711/client/v4`)).toBe(true);
    expect(leavesStoreOf(true, WAI)).toBe(false);
    expect(leavesStoreOf(false, LOCAL)).toBe(false);
    expect(leavesStoreOf(false, undefined)).toBe(false);
    expect(paidOverFree(WAI, LOCAL)).toBe(true);
    expect(paidOverFree(LOCAL, WAI)).toBe(false);
    expect(paidOverFree(WAI, `${WAI}-other`)).toBe(false);
  });
});
