import { testScores } from './test-scorer.js';

/**
 * A German Excel export ("CSV UTF-8"): a BOM, `;` between cells, CRLF line endings, ratings with a decimal comma, and a
 * text cell quoted because it holds a `;`. Every row's text has words the test scorer counts, so the scores are fractions.
 */
export function germanExport(rows: number): { text: string; lines: string[]; texts: string[] } {
  const words = ['great good', 'bad', 'love it, best', 'terrible; awful', 'nice', 'boring poor'];
  const lines = ['id;Bewertung;Text'];
  const texts: string[] = [];
  for (let i = 0; i < rows; i++) {
    const text = `Nr. ${i}: ${words[i % words.length]}`;
    texts.push(text);
    lines.push(`${i};${(i % 5) + 1},5;${text.includes(';') ? `"${text}"` : text}`);
  }
  return { text: `\uFEFF${lines.join('\r\n')}\r\n`, lines, texts };
}

/** What `score --delimiter ';' --text-column Text` writes for `germanExport(rows)` against the test scorer, with `decimal`'s mark. */
export function scoredGermanExport(rows: number, decimal: 'point' | 'comma'): string {
  const { lines, texts } = germanExport(rows);
  const mark = (n: number): string => (decimal === 'comma' ? String(n).replace('.', ',') : String(n));
  const header = `\uFEFF${lines[0]};sentiment_label;sentiment_positive;sentiment_negative;sentiment_truncated;sentiment_error\r\n`;
  return header + texts.map((text, i) => {
    const s = testScores(text);
    return `${lines[i + 1]};${s.label};${mark(s.positive)};${mark(s.negative)};;\r\n`;
  }).join('');
}
