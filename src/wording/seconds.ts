/**
 * A duration in whole seconds, rounded, as the lines say one: "45 s", "2 min 5 s", "1 h 3 min" (a negative one as
 * "0 s"). The progress line's ETA, and the summary's elapsed time from ten seconds on.
 */
export function formatSeconds(total: number): string {
  const s = Math.max(0, Math.round(total));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  return h > 0 ? `${h} h ${m} min` : m > 0 ? `${m} min ${rest} s` : `${rest} s`;
}
