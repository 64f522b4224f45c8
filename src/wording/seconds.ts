/**
 * A duration in whole seconds, rounded, as the lines say one: "45 s", "2 min 5 s", "1 h 3 min", "26 d 14 h" (a
 * negative one as "0 s"). The progress line's ETA, the summary's elapsed time from ten seconds on, and a long
 * Retry-After's wait, which can be days: in hours alone a month read "638790 h 8 min".
 */
export function formatSeconds(total: number): string {
  const s = Math.max(0, Math.round(total));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (d > 0) return `${d} d ${h} h`;
  return h > 0 ? `${h} h ${m} min` : m > 0 ? `${m} min ${rest} s` : `${rest} s`;
}
