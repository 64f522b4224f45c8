/**
 * Workers AI pricing of @cf/huggingface/distilbert-sst-2-int8 (see
 * ../shared/docs/workers-ai.md): the one place these numbers live, for the
 * job's budgets and summary, `estimate`, and the local server's daily limit.
 */

/** Neurons per input token: 2394 per million tokens. */
export const NEURONS_PER_TOKEN = 2394 / 1_000_000;

/** Dollars per 1000 neurons beyond the free allocation. */
export const USD_PER_1000_NEURONS = 0.011;

/** The free allocation, per account and UTC day, on Free and Paid plans. */
export const FREE_NEURONS_PER_DAY = 10_000;

export function neuronsFor(tokens: number): number {
  return tokens * NEURONS_PER_TOKEN;
}
