import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FirstTexts, otherLanguageOf } from '../src/report/other-language.js';
import { runCli, tempDir, warnMessages } from './support/cli.js';
import { scoreInProcess } from './support/score-in-process.js';

/**
 * An export that was its header alone: score ended with `the export had no rows: … check the export` (its summary's
 * `warning`), but the report page of that run showed ROWS 0 and `No scored rows` and no word of it, so an operator who
 * reads the page alone could take the night for a quiet one. The page repeats the warning the summary beside it carries
 * (`run.warning` in the JSON).
 */
describe('report: the warning of the run that wrote the file', () => {
  let dir: string;
  let cleanup: () => void;
  const at = (name: string) => path.join(dir, name);
  beforeAll(() => ({ dir, cleanup } = tempDir('sb-report-run-warning-')));
  afterAll(() => cleanup());

  it('a header-only export: the page and the JSON say the summary warning', async () => {
    writeFileSync(at('night.csv'), 'id,text\n');
    const score = await scoreInProcess([at('night.csv'), '-o', at('night.scored.csv'), '--backend', 'embedded', '--summary-json', at('night.summary.json'), '--log-level', 'error']);
    expect(score.code).toBe(0);
    const warning = (JSON.parse(readFileSync(at('night.summary.json'), 'utf8')) as { warning?: string }).warning;
    expect(warning).toMatch(/^the export had no rows: the input holds only its header/);
    const html = await runCli(['report', at('night.scored.csv'), '-o', at('night.html')]);
    expect(html.code, html.stderr).toBe(0);
    const page = readFileSync(at('night.html'), 'utf8');
    expect(page).toContain(`<p class="note">The run that wrote this file warned: ${warning!}.</p>`);
    const json = await runCli(['report', at('night.scored.csv'), '-o', at('night.json')]);
    expect(json.code, json.stderr).toBe(0);
    expect((JSON.parse(readFileSync(at('night.json'), 'utf8')) as { run: { warning?: string } }).run.warning).toBe(warning);
  });

  // A summary's `warning` holds each of its warnings on a line of its own (reviews in another language and in a font
  // generator's letters): the page says each as a sentence, not both run together in one.
  it('a run that ended with two warnings: the page says each as its own sentence', async () => {
    const bold = '\u{1D406}\u{1D42B}\u{1D41E}\u{1D41A}\u{1D42D} \u{1D41A}\u{1D429}\u{1D429} \u{1D425}\u{1D428}\u{1D42F}\u{1D41E} \u{1D422}\u{1D42D}';
    writeFileSync(at('both.csv'), `id,text\n1,"Sehr gut verarbeitet, schnelle Lieferung."\n2,"${bold}"\n3,"The sound is great and the battery lasts."\n`);
    const score = await scoreInProcess([at('both.csv'), '-o', at('both.scored.csv'), '--backend', 'embedded', '--summary-json', at('both.summary.json'), '--log-level', 'error']);
    expect(score.code).toBe(0);
    const { warnings } = JSON.parse(readFileSync(at('both.summary.json'), 'utf8')) as { warnings?: string[] };
    expect(warnings).toHaveLength(2);
    const html = await runCli(['report', at('both.scored.csv'), '-o', at('both.html')]);
    expect(html.code, html.stderr).toBe(0);
    const notes = readFileSync(at('both.html'), 'utf8').split('\n').filter((line) => line.startsWith('<p class="note">The run that wrote this file warned: '));
    expect(notes).toHaveLength(2);
    expect(notes[0]).toContain('another language than English');
    expect(notes[1]).toContain("mathematical letters");
  });

  it('a run with no warning: no such sentence, no such field', async () => {
    writeFileSync(at('day.csv'), 'id,text\n1,lovely phone\n2,awful phone\n');
    const score = await scoreInProcess([at('day.csv'), '-o', at('day.scored.csv'), '--backend', 'embedded', '--summary-json', at('day.summary.json'), '--log-level', 'error']);
    expect(score.code).toBe(0);
    const json = await runCli(['report', at('day.scored.csv'), '-o', at('day.json')]);
    expect(json.code, json.stderr).toBe(0);
    expect((JSON.parse(readFileSync(at('day.json'), 'utf8')) as { run: Record<string, unknown> }).run).not.toHaveProperty('warning');
    const html = await runCli(['report', at('day.scored.csv'), '-o', at('day.html')]);
    expect(html.code, html.stderr).toBe(0);
    expect(readFileSync(at('day.html'), 'utf8')).not.toContain('warned');
  });

  // The README's way: score an export, then `report` its output. An app-store export in Japanese and Arabic ended its
  // run with the other-language warning, but the run kept no summary (no --summary-json), its checkpoint keeps no
  // warning, and the page showed `positive 100.0 %` (1-star `最悪` reviews among them) with no word of it. The report
  // checks the first texts itself, as score does, when no summary beside the file says what the run found.
  const reviews = ['このアプリは最高です！毎日使っています。', 'アップデート後にクラッシュします。最悪。', 'تطبيق رائع جدا، أنصح به', 'Love this app and the best update ever'];
  const csv = `id,text\n${reviews.map((text, i) => `${i + 1},${text}`).join('\n')}\n`;

  // "of the first 100 texts", as score says it: a long export's 101st row is not among them.
  it('looks at the texts of the first 100 rows only', () => {
    const first = new FirstTexts();
    for (let i = 0; i < 150; i++) first.add(reviews[i % 4]);
    expect(otherLanguageOf(first, null)).toEqual({ count: 75, of: 100, first: reviews[0] });
  });

  it('reviews in another language and no summary beside the file: the page, the JSON and the command say so', async () => {
    writeFileSync(at('app.csv'), csv);
    const score = await scoreInProcess([at('app.csv'), '--backend', 'embedded', '--log-level', 'error']);
    expect(score.code).toBe(0);
    expect(score.stdout).toContain('looks written in another language than English in 3 of the first 4 texts');
    const html = await runCli(['report', at('app.scored.csv'), '-o', at('app.html')]);
    expect(html.code, html.stderr).toBe(0);
    const sentence = "3 of the first 4 texts look written in another language than English ('このアプリは最高です！毎日使っています。'): both models read English only and label such a text from the few words it shares with English, often wrongly, so the figures count labels that may be wrong (docs/input-formats.md#reviews-in-other-languages)";
    expect(readFileSync(at('app.html'), 'utf8')).toContain(`<p class="note">${sentence.replace(/'/g, '&#39;')}.</p>`);
    expect(warnMessages(html.stderr)).toContain(sentence);
    const json = await runCli(['report', at('app.scored.csv'), '-o', at('app.json')]);
    expect(json.code, json.stderr).toBe(0);
    expect((JSON.parse(readFileSync(at('app.json'), 'utf8')) as { otherLanguage?: unknown }).otherLanguage).toEqual({ count: 3, of: 4, first: reviews[0] });
  });

  it('a summary beside the file decides: a run scored with --language-check off gets no such sentence', async () => {
    writeFileSync(at('off.csv'), csv);
    const score = await scoreInProcess([at('off.csv'), '--backend', 'embedded', '--language-check', 'off', '--summary-json', at('off.summary.json'), '--log-level', 'error']);
    expect(score.code).toBe(0);
    const html = await runCli(['report', at('off.scored.csv'), '-o', at('off.html')]);
    expect(html.code, html.stderr).toBe(0);
    expect(readFileSync(at('off.html'), 'utf8')).not.toContain('another language');
    expect(html.stderr).not.toContain('another language');
  });

  // A run scored with --language-check off and no summary kept: its checkpoint does not say so, and the report is told.
  it('report --language-check off: no such sentence; one such text of four is said in the singular', async () => {
    writeFileSync(at('one.csv'), 'id,text\n1,Sehr gut verarbeitet und schnelle Lieferung.\n2,lovely phone\n3,awful phone\n4,great sound\n');
    expect((await scoreInProcess([at('one.csv'), '--backend', 'embedded', '--language-check', 'off', '--log-level', 'error'])).code).toBe(0);
    const on = await runCli(['report', at('one.scored.csv'), '-o', at('one.html')]);
    expect(on.code, on.stderr).toBe(0);
    expect(warnMessages(on.stderr).join('\n')).toContain("1 of the first 4 texts looks written in another language than English ('Sehr gut verarbeitet und schnelle Lieferung.')");
    const off = await runCli(['report', at('one.scored.csv'), '-o', at('one-off.html'), '--language-check', 'off']);
    expect(off.code, off.stderr).toBe(0);
    expect(off.stderr).not.toContain('another language');
    expect(readFileSync(at('one-off.html'), 'utf8')).not.toContain('another language');
  });

  it('an English export and no summary: no other-language sentence, no such field', async () => {
    writeFileSync(at('en.csv'), 'id,text\n1,lovely phone\n2,awful phone\n');
    expect((await scoreInProcess([at('en.csv'), '--backend', 'embedded', '--log-level', 'error'])).code).toBe(0);
    const json = await runCli(['report', at('en.scored.csv'), '-o', at('en.json')]);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(readFileSync(at('en.json'), 'utf8')) as object).not.toHaveProperty('otherLanguage');
  });
});
