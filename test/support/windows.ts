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

/**
 * The most starts that a limiter spacing its starts `spacingMs` apart may
 * show in any `windowMs` window when each start can be recorded up to `lagMs`
 * late (a busy event loop on a loaded machine holds a start back, and the
 * next one, on time, lands right behind it): the grants of a
 * (windowMs + lagMs) span, plus one for the window's edge.
 */
export function allowedInWindow(windowMs: number, spacingMs: number, lagMs: number): number {
  return Math.floor((windowMs + lagMs) / spacingMs) + 1;
}
