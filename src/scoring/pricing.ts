/**
 * Workers AI pricing of @cf/huggingface/distilbert-sst-2-int8 (see
 * ../shared/docs/workers-ai.md): the one place these numbers live, for the
 * job's budgets and summary, `estimate`, and the local server's daily limit.
 */

import { DEFAULT_MODEL } from './workers-ai-defaults.js';

/**
 * The model these prices are for, when `model` is not it (a typo, another Workers AI model): the tool knows no other
 * model's price, so figures for one are this model's, and must say so. Undefined for the model they are for.
 */
export function pricedAs(model: string): string | undefined {
  return model === DEFAULT_MODEL ? undefined : DEFAULT_MODEL;
}

/** Neurons per input token: 2394 per million tokens. */
export const NEURONS_PER_TOKEN = 2394 / 1_000_000;

/** Dollars per 1000 neurons beyond the free allocation. */
export const USD_PER_1000_NEURONS = 0.011;

/** The free allocation, per account and UTC day, on Free and Paid plans. */
export const FREE_NEURONS_PER_DAY = 10_000;

/** What `neurons` cost at list price (before the free allocation). */
export function usdForNeurons(neurons: number): number {
  return (neurons / 1000) * USD_PER_1000_NEURONS;
}

export function neuronsFor(tokens: number): number {
  return tokens * NEURONS_PER_TOKEN;
}

/**
 * A sum of neurons without the float residue of adding and taking back fractions
 * (an all-500 run's summary said 5.55e-17 neurons, $6.1e-22): a token's neurons
 * have 6 decimals, so 9 keep every sum exact.
 */
export function roundNeurons(neurons: number): number {
  return Math.round(neurons * 1e9) / 1e9;
}
