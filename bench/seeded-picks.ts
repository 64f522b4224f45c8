import { createRng } from '../src/model/rng.js';

/**
 * Choices drawn from the project's seeded generator (mulberry32, src/model/rng.ts), for the soaks that replay a
 * round from its seed (kill-soak, docker-stop-soak): the same seed, the same calls, the same round.
 */
export function seededPicks(seed: number) {
  const next = createRng(seed);
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    /** Log-uniform integer in [lo, hi]. */
    logInt: (lo: number, hi: number) => Math.round(Math.exp(Math.log(lo) + next() * (Math.log(hi) - Math.log(lo)))),
  };
}

export type SeededPicks = ReturnType<typeof seededPicks>;
