import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';

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
    const score = await runCli(['score', at('night.csv'), '-o', at('night.scored.csv'), '--backend', 'embedded', '--summary-json', at('night.summary.json'), '--log-level', 'error']);
    expect(score.code, score.stderr).toBe(0);
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
    const score = await runCli(['score', at('both.csv'), '-o', at('both.scored.csv'), '--backend', 'embedded', '--summary-json', at('both.summary.json'), '--log-level', 'error']);
    expect(score.code, score.stderr).toBe(0);
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
    const score = await runCli(['score', at('day.csv'), '-o', at('day.scored.csv'), '--backend', 'embedded', '--summary-json', at('day.summary.json'), '--log-level', 'error']);
    expect(score.code, score.stderr).toBe(0);
    const json = await runCli(['report', at('day.scored.csv'), '-o', at('day.json')]);
    expect(json.code, json.stderr).toBe(0);
    expect((JSON.parse(readFileSync(at('day.json'), 'utf8')) as { run: Record<string, unknown> }).run).not.toHaveProperty('warning');
    const html = await runCli(['report', at('day.scored.csv'), '-o', at('day.html')]);
    expect(html.code, html.stderr).toBe(0);
    expect(readFileSync(at('day.html'), 'utf8')).not.toContain('warned');
  });
});
