import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';

/**
 * The README's way: score an export, then `report` its output. An app-store export in Japanese and Arabic ended its
 * run with the other-language warning, but the run kept no summary (no --summary-json), its checkpoint keeps no
 * warning, and the page showed `positive 100.0 %` (1-star `最悪` reviews among them) with no word of it. The report
 * checks the first texts itself, as score does, when no summary beside the file says what the run found.
 */
describe('report: reviews in another language, with no run summary beside the file', () => {
  let dir: string;
  let cleanup: () => void;
  const at = (name: string) => path.join(dir, name);
  beforeAll(() => ({ dir, cleanup } = tempDir('sb-report-other-language-')));
  afterAll(() => cleanup());
  const reviews = ['このアプリは最高です！毎日使っています。', 'アップデート後にクラッシュします。最悪。', 'تطبيق رائع جدا، أنصح به', 'Love this app and the best update ever'];
  const csv = `id,text\n${reviews.map((text, i) => `${i + 1},${text}`).join('\n')}\n`;

  it('the page, the JSON and the command say so', async () => {
    writeFileSync(at('app.csv'), csv);
    const score = await runCli(['score', at('app.csv'), '--backend', 'embedded', '--log-level', 'error']);
    expect(score.code, score.stderr).toBe(0);
    expect(score.stdout).toContain('looks written in another language than English in 3 of the first 4 texts');
    const html = await runCli(['report', at('app.scored.csv'), '-o', at('app.html')]);
    expect(html.code, html.stderr).toBe(0);
    const sentence = "3 of the first 4 texts look written in another language than English ('このアプリは最高です！毎日使っています。'): both models read English only and label such a text from the few words it shares with English, often wrongly, so the figures count labels that may be wrong (docs/input-formats.md#reviews-in-other-languages)";
    expect(readFileSync(at('app.html'), 'utf8')).toContain(`<p class="note">${sentence.replace(/'/g, '&#39;')}.</p>`);
    expect(html.stderr).toContain(`sentiment-batch: ${sentence}\n`);
    const json = await runCli(['report', at('app.scored.csv'), '-o', at('app.json')]);
    expect(json.code, json.stderr).toBe(0);
    expect((JSON.parse(readFileSync(at('app.json'), 'utf8')) as { otherLanguage?: unknown }).otherLanguage).toEqual({ count: 3, of: 4, first: reviews[0] });
  });

  it('a summary beside the file decides: a run scored with --language-check off gets no such sentence', async () => {
    writeFileSync(at('off.csv'), csv);
    const score = await runCli(['score', at('off.csv'), '--backend', 'embedded', '--language-check', 'off', '--summary-json', at('off.summary.json'), '--log-level', 'error']);
    expect(score.code, score.stderr).toBe(0);
    const html = await runCli(['report', at('off.scored.csv'), '-o', at('off.html')]);
    expect(html.code, html.stderr).toBe(0);
    expect(readFileSync(at('off.html'), 'utf8')).not.toContain('another language');
    expect(html.stderr).not.toContain('another language');
  });

  // A run scored with --language-check off and no summary kept: its checkpoint does not say so, and the report is told.
  it('report --language-check off: no such sentence; one such text of four is said in the singular', async () => {
    writeFileSync(at('one.csv'), 'id,text\n1,Sehr gut verarbeitet und schnelle Lieferung.\n2,lovely phone\n3,awful phone\n4,great sound\n');
    expect((await runCli(['score', at('one.csv'), '--backend', 'embedded', '--language-check', 'off', '--log-level', 'error'])).code).toBe(0);
    const on = await runCli(['report', at('one.scored.csv'), '-o', at('one.html')]);
    expect(on.code, on.stderr).toBe(0);
    expect(on.stderr).toContain("sentiment-batch: 1 of the first 4 texts looks written in another language than English ('Sehr gut verarbeitet und schnelle Lieferung.')");
    const off = await runCli(['report', at('one.scored.csv'), '-o', at('one-off.html'), '--language-check', 'off']);
    expect(off.code, off.stderr).toBe(0);
    expect(off.stderr).not.toContain('another language');
    expect(readFileSync(at('one-off.html'), 'utf8')).not.toContain('another language');
  });

  it('an English export: no such sentence, no such field', async () => {
    writeFileSync(at('en.csv'), 'id,text\n1,lovely phone\n2,awful phone\n');
    expect((await runCli(['score', at('en.csv'), '--backend', 'embedded', '--log-level', 'error'])).code).toBe(0);
    const json = await runCli(['report', at('en.scored.csv'), '-o', at('en.json')]);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(readFileSync(at('en.json'), 'utf8')) as object).not.toHaveProperty('otherLanguage');
  });
});
