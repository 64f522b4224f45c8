/**
 * Seeded pseudo-random numbers for fault injection.
 *
 * Every random decision of the server comes from one of these generators, never
 * from Math.random, so a run with the same `seed` and the same request order
 * gives the same outcomes.
 */

/** A stream of uniform numbers in [0, 1). */
export interface Random {
  next(): number;
}

/** The seed used when none is configured. */
export const DEFAULT_SEED = 1;

/**
 * mulberry32: a tiny 32-bit generator with a full 2^32 period; good enough to
 * spread faults evenly, and identical on every platform (integer arithmetic only).
 */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  return {
    next(): number {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

/** A uniform integer in [min, max] (both inclusive) from one draw. */
export function uniformInt(draw: number, min: number, max: number): number {
  if (max <= min) return min;
  return min + Math.floor(draw * (max - min + 1));
}
