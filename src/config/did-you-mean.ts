/**
 * The known name closest to a mistyped one, when it is close enough to be a
 * likely typo (`--rmp` → `--rpm`, `estimat` → `estimate`); undefined otherwise.
 */
export function closest(typed: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of known) {
    const distance = editDistance(typed.toLowerCase(), name.toLowerCase());
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  // One edit in short names, about a third of the letters in long ones; a prefix also counts (--conc → --concurrency).
  if (best !== undefined && bestDistance <= allowedEdits(typed)) return best;
  if (typed.length >= 3) return known.find((name) => name.startsWith(typed));
  return undefined;
}

/** Whether `name` is as near `typed` as closest's likely typo is (not only a name that begins with it). */
export function withinEdits(typed: string, name: string): boolean {
  return editDistance(typed.toLowerCase(), name.toLowerCase()) <= allowedEdits(typed);
}

/** The edits a likely typo of `typed` may hold: one in short names, about a third of the letters in long ones. */
function allowedEdits(typed: string): number {
  return Math.max(1, Math.floor(typed.length / 3));
}

/**
 * The longest known name that `typed` is, with more after a word boundary (`report-path` → `report`, `output-dir` →
 * `output`, `outputDir` → `output`), unless another name is a one-letter typo away (`report-dat` → `report-date`):
 * by letters alone `--report-path` was nearer `--report-date` than the `--report` it names.
 */
function extendedName(typed: string, known: readonly string[]): string | undefined {
  const lower = typed.toLowerCase();
  const typo = known.find((name) => name.length >= 3 && editDistance(lower, name.toLowerCase()) <= 1);
  if (typo !== undefined) return undefined;
  const begins = known.filter((name) => name.length >= 3 && lower.startsWith(name.toLowerCase())).sort((a, b) => b.length - a.length);
  if (!begins.some((name) => /^[-_.A-Z]/.test(typed.slice(name.length)))) return undefined;
  // The longest name it begins with, at a word boundary or not: `model-directory` means `model-dir`, not the `model`
  // (a Workers AI model id) it also begins with at a boundary.
  return begins[0];
}

/** " (did you mean X?)" or "". */
export function didYouMean(typed: string, known: readonly string[], show: (name: string) => string = (name) => name): string {
  const near = extendedName(typed, known) ?? closest(typed, known);
  return near === undefined ? '' : ` (did you mean ${show(near)}?)`;
}

/** Levenshtein distance with adjacent transpositions counted as one edit. */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, d[i - 2]![j - 2]! + 1);
      d[i]![j] = value;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * " (did you mean X?)" for a mistyped value of a fixed list (`--backend=embeded`, `--log-level warning`), as a mistyped option gets one; "" for
 * a value that is no string or is nowhere near. A value under 4 letters is a typo only with its first letter right:
 * `--progress no` means off, not `on`, and `--device gpu` means cuda, not `cpu`.
 */
export function didYouMeanValue(typed: unknown, allowed: readonly string[]): string {
  if (typeof typed !== 'string') return '';
  // Or the longest value it begins with: `warning` → warn, `truncated` → truncate.
  const lower = typed.trim().toLowerCase();
  const begun = allowed.filter((name) => name.length >= 3 && lower.startsWith(name.toLowerCase())).sort((a, b) => b.length - a.length)[0];
  // A value it begins, first: `of` is one edit from `on` as from `off`, and the nearer-by-order `on` is the opposite switch.
  const begins = lower.length >= 2 ? allowed.find((name) => name.toLowerCase().startsWith(lower)) : undefined;
  const near = begins ?? closest(typed.trim(), allowed) ?? begun;
  if (near === undefined) return '';
  if (typed.trim().length < 4 && near[0]?.toLowerCase() !== typed.trim()[0]?.toLowerCase()) return '';
  return ` (did you mean ${near}?)`;
}
