import type { ResultCache } from '../state/cache.js';
import { groupedNumber } from '../wording/grouped-number.js';

/*
 * The model `<output>.answers` holds answers of (kept-answers.ts), recorded in the store by the import that fills it.
 * Its keys are sha256(model and address, text sent), so another model's answer is never taken for this one's; but it
 * is no saving either, and the start-over line counted every entry as one: a store of answers from localhost, then a
 * run at 127.0.0.1, said "100 texts … not sent again" and sent 301 of 301.
 *
 * A store holds one model's answers: an import of another model's replaces it. Those answers are of a model no job at
 * this output asks for any more (the job that asked was replaced, and this import's job asks the other), while keeping
 * both would need a count per model for the line to be true. A store without the record (made before it was kept)
 * is replaced the same way: nothing tells whose its answers are. Two exceptions (kept-answers-import.ts storeHolds,
 * keepInStore): a store of the model the run asks is kept as it is (the dropped job's answers, of another model, are
 * not kept then), and a dropped job with no scores (a typo'd model's, refused at once) replaces nothing.
 */
const MODEL_NOTE = 'model';

/** The model (answerKeyOf) the store's answers are of; undefined when it records none. */
export function storeModelOf(store: ResultCache): string | undefined {
  return store.note(MODEL_NOTE);
}

/** Before `modelKey`'s answers are put in it: whether the store holds answers of another (or an unrecorded) model. */
export function holdsOtherModel(store: ResultCache, modelKey: string): boolean {
  return storeModelOf(store) !== modelKey && store.stats().entries > 0;
}

/** Records `modelKey` as the model of the store's answers, before the first of them is put (a kill -9 after: no answer unrecorded). */
export function recordStoreModel(store: ResultCache, modelKey: string): void {
  if (storeModelOf(store) !== modelKey) store.setNote(MODEL_NOTE, modelKey);
}

/** What the start-over line says of answers kept before that this run's model cannot use (`count` > 0). */
export function unusableKeptWords(count: number, model: string | undefined, storePath: string): string {
  const texts = `the ${groupedNumber(count)} ${count === 1 ? 'text' : 'texts'} kept before in ${storePath}`;
  if (model === undefined) return `${texts} ${count === 1 ? 'does' : 'do'} not record which model answered them (kept by an earlier version): none is counted on`;
  return `${texts} ${count === 1 ? 'is an answer' : 'are answers'} of ${model}, not of the model this run asks: none is used`;
}
