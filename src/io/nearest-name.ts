/**
 * The name among `names` that `wanted` most likely meant: the same name in
 * another case, else the closest by edit distance if it is close enough
 * (at most a third of the letters differ). Undefined when nothing is close.
 */
export function nearestName(wanted: string, names: readonly string[]): string | undefined {
  const lower = wanted.trim().toLowerCase();
  const sameButCase = names.find((name) => name.trim().toLowerCase() === lower);
  if (sameButCase !== undefined) return sameButCase;
  const allowed = Math.max(1, Math.floor(lower.length / 3));
  let best: string | undefined;
  let bestDistance = allowed + 1;
  for (const name of names) {
    const distance = editDistance(lower, name.trim().toLowerCase());
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return best;
}

/** Levenshtein distance: insertions, deletions and substitutions of one character. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length]!;
}
