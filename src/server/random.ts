/**
 * Seeded pseudo-random numbers for fault injection.
 *
 * Every random decision of the server comes from one of these generators, never
 * from Math.random, so a run with the same `seed` and the same request order
 * gives the same outcomes.
 */
import { createRng } from '../model/rng.js';

/** A stream of uniform numbers in [0, 1). */
export interface Random {
  next(): number;
}

/** The seed used when none is configured. */
export const DEFAULT_SEED = 1;

/** The project's seeded generator (mulberry32, model/rng.ts): identical on every platform, integer arithmetic only. */
export function createRandom(seed: number): Random {
  return { next: createRng(seed) };
}

/** A uniform integer in [min, max] (both inclusive) from one draw. */
export function uniformInt(draw: number, min: number, max: number): number {
  if (max <= min) return min;
  return min + Math.floor(draw * (max - min + 1));
}
