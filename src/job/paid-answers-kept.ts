import type { Checkpoint } from '../state/checkpoint.js';
import { backendOfModel } from './backend-switch.js';

/*
 * `<output>.answers` (kept-answers.ts) keeps Workers AI's answers, which were paid for, across a detour through a
 * model that costs nothing (the embedded model, the local ONNX model). A run of the embedded model reads no kept
 * answers (it scores a text faster than a look-up), so it kept none: started over at an output whose job paid for its
 * answers (a night the Workers AI secret was missing, `--backend embedded`), its output replaced the paid one within a
 * second, and the run back on Workers AI at that output paid for every row again (fixtures/reviews.csv against serve:
 * 27 requests, then 27 again). It keeps them now, under their own model, and its job completing leaves that store.
 *
 * The local model (`--backend local`) keeps a dropped job's answers as Workers AI does, but its job completing removed
 * the store, and the run back on Workers AI paid 27 of 27 again; and a local run over a paused Workers AI job kept the
 * store of its own model's answers (free) rather than the 10 paid for, which were paid again. It is the same DistilBERT,
 * but another export run elsewhere: its scores are not Workers AI's (a different model never reuses another's answers,
 * docs/local-model.md), and the store's keys name the model, so neither reads the other's. So: answers paid for are
 * never replaced by answers that cost nothing (a store holds one model's: kept-answers-model.ts), answers that cost
 * nothing are replaced by answers paid for, and a job of a model that costs nothing completing leaves a store of
 * answers paid for. The store goes when a Workers AI job completes at that output, or with --restart.
 */

/** Whether answers of `modelKey` (answerKeyOf, or a checkpoint's model id) cost a request each: Workers AI's. */
function isPaidModel(modelKey: string | undefined): boolean {
  return modelKey !== undefined && backendOfModel(modelKey) === 'workers-ai';
}

/**
 * What an answer kept for a text spares a run of `modelKey`: a request (Workers AI's: "not sent again"), or only the
 * model's work on this machine (the local or embedded model's: "not scored again"). A local run's lines said "not sent
 * again" of a model that sends nothing.
 */
export function spared(modelKey: string): { sent: 'sent' | 'scored'; send: 'send' | 'score' } {
  const here = backendOfModel(modelKey);
  return here === 'local' || here === 'embedded' ? { sent: 'scored', send: 'score' } : { sent: 'sent', send: 'send' };
}

/** Whether a run of a model that reads no kept answers keeps the dropped job's: only answers that were paid for (Workers AI's). */
export function keepsPaidAnswersOf(checkpoint: Checkpoint): boolean {
  return isPaidModel(checkpoint.settings.modelId);
}

/** Whether the store's answers (of `kept`) stay rather than be replaced by `incoming`'s: answers paid for, and theirs cost nothing. */
export function paidOverFree(kept: string | undefined, incoming: string): boolean {
  return isPaidModel(kept) && !isPaidModel(incoming);
}

/** Whether a job completing at the output leaves the store: the job's model costs nothing, the store's answers were paid for. */
export function leavesStoreOf(runPaid: boolean, storeModel: string | undefined): boolean {
  return !runPaid && isPaidModel(storeModel);
}

/** What the start-over line says of who removes a store of answers paid for (kept-answers.ts answersLine). */
export const LEFT_FOR_LATER = 'answers paid for: a job of the embedded or local model completing here leaves them; a Workers AI job completing here, or --restart, removes them';
