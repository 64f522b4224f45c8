/**
 * Most timestamps in any half-open window (t - windowMs, t], like the server's
 * rate window. Evenly spaced starts put `windowMs / spacing` in such a window;
 * a start whose timer fires late can share a window with one more, so callers
 * allow +1 (a late timer moves a start later, never earlier).
 */
export function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let max = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last++) {
    while ((sorted[first] as number) <= (sorted[last] as number) - windowMs) first += 1;
    max = Math.max(max, last - first + 1);
  }
  return max;
}
