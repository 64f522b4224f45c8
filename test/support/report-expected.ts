import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

/**
 * The report's figures computed straight from a scored CSV, independently of
 * src/report: csv-parse's sync parser, plain loops, the Wilson formula written
 * out again. The tests compare the report's JSON and HTML with these.
 */
export interface Expected {
  rows: number;
  scored: number;
  skipped: number;
  failed: number;
  positive: number;
  share: number;
  interval: [number, number];
  histogram: number[];
  groups: Array<{ group: string; rows: number; positive: number; share: number; interval: [number, number] }>;
  ratings: Array<{ rating: number; rows: number; positive: number; share: number }>;
  lowButPositive: [number, number];
  highButNegative: [number, number];
  days: Array<{ period: string; rows: number; positive: number }>;
  mostNegativeRows: number[];
  mostPositiveRows: number[];
}

export function wilson95(k: number, n: number): [number, number] {
  const z = 1.959963984540054;
  const p = k / n;
  const a = p + (z * z) / (2 * n);
  const b = z * Math.sqrt((p * (1 - p) + (z * z) / (4 * n)) / n);
  const c = 1 + (z * z) / n;
  return [(a - b) / c, (a + b) / c];
}

export function expectedFigures(file: string): Expected {
  const records = parse(readFileSync(file), { columns: true }) as Array<Record<string, string>>;
  const scored = records.filter((r) => r['sentiment_label'] !== '');
  const isPositive = (r: Record<string, string>) => r['sentiment_label'] === 'POSITIVE';
  const positive = scored.filter(isPositive).length;
  const histogram = new Array<number>(20).fill(0);
  for (const r of scored) histogram[Math.min(19, Math.floor(Number(r["sentiment_positive"]) * 20))]! += 1;

  const tallyBy = (key: (r: Record<string, string>) => string) => {
    const map = new Map<string, { rows: number; positive: number }>();
    for (const r of scored) {
      const k = key(r);
      if (k === '') continue;
      const t = map.get(k) ?? { rows: 0, positive: 0 };
      t.rows += 1;
      if (isPositive(r)) t.positive += 1;
      map.set(k, t);
    }
    return map;
  };
  const groups = [...tallyBy((r) => r['product']!)]
    .map(([group, t]) => ({ group, ...t, share: t.positive / t.rows, interval: wilson95(t.positive, t.rows) }))
    .sort((a, b) => a.share - b.share || b.rows - a.rows);
  const ratings = [...tallyBy((r) => r['stars']!)]
    .map(([rating, t]) => ({ rating: Number(rating), ...t, share: t.positive / t.rows }))
    .sort((a, b) => a.rating - b.rating);
  const low = scored.filter((r) => Number(r['stars']) <= 2);
  const high = scored.filter((r) => Number(r['stars']) >= 4);
  const days = [...tallyBy((r) => r['day_iso']!)].map(([period, t]) => ({ period, ...t })).sort((a, b) => (a.period < b.period ? -1 : 1));
  const byScore = scored.map((r) => ({ row: records.indexOf(r) + 1, p: Number(r['sentiment_positive']), positive: isPositive(r) }));
  // Each list holds only rows of its label.
  const negatives = byScore.filter((e) => !e.positive).sort((a, b) => a.p - b.p || a.row - b.row).slice(0, 5);
  const positives = byScore.filter((e) => e.positive).sort((a, b) => b.p - a.p || a.row - b.row).slice(0, 5);
  return {
    rows: records.length,
    scored: scored.length,
    skipped: records.filter((r) => r['sentiment_error']!.startsWith('empty_text')).length,
    failed: records.filter((r) => r['sentiment_error'] !== '' && !r['sentiment_error']!.startsWith('empty_text')).length,
    positive,
    share: positive / scored.length,
    interval: wilson95(positive, scored.length),
    histogram,
    groups,
    ratings,
    lowButPositive: [low.filter(isPositive).length, low.length],
    highButNegative: [high.filter((r) => !isPositive(r)).length, high.length],
    days,
    mostNegativeRows: negatives.map((e) => e.row),
    mostPositiveRows: positives.map((e) => e.row),
  };
}

/** `data-figure` name → the text the page prints for it. */
export function printedFigures(html: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const m of html.matchAll(/<span data-figure="([^"]+)">([^<]*)<\/span>/g)) map.set(m[1]!, m[2]!);
  return map;
}

export const asCount = (n: number): string => n.toLocaleString('en-US');
export const asPercent = (share: number): string => `${(share * 100).toFixed(1)} %`;
