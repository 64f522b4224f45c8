import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { useTempDir } from './support/e2e-dir.js';
import { formulaErrorWarning } from '../src/preflight/formula-errors.js';

// A Google Sheets or Excel export whose review column is a formula (=GOOGLETRANSLATE(B2,"de","en") to translate the
// reviews first, as docs/input-formats.md advises for other languages; a VLOOKUP join) writes a failed cell as its error
// code: #VALUE!, #N/A, or Loading... for one not computed yet. Each was scored as a review of those characters, exit 0,
// paid for with Workers AI, and nothing was said.
describe("a spreadsheet formula's error as the text (#VALUE!, #N/A, Loading...): said at start-up", () => {
  const { file, path: inDir } = useTempDir();

  it('names the column, the codes, the count, and what to do', () => {
    expect(formulaErrorWarning(['great', '#VALUE!', '#N/A', ' #VALUE! ', 'bad'], "--text-column 'english'", true)).toBe(
      "--text-column 'english' is '#VALUE!' or '#N/A' in 3 of the first 5 rows: a spreadsheet formula's error (Excel, Google Sheets: " +
        'a GOOGLETRANSLATE or VLOOKUP that failed, or Loading... for a cell not computed yet), which is scored, and billed with Workers AI, ' +
        'as a review of those characters; let the sheet finish computing and fix or clear those cells (IFERROR(formula, "") leaves them empty, ' +
        'skipped as empty_text and not sent), then export it again',
    );
    // A code inside a review, or a hashtag, is text.
    expect(formulaErrorWarning(['#1 product, no #N/A here', '#blessed', 'Loading... took ages but great'], "--text-column 'body'", true)).toBeUndefined();
    // The embedded and local models bill and send nothing: the line says neither.
    expect(formulaErrorWarning(['Loading...'], "--text-column 'body'", false)).toMatch(/which is scored as a review of those characters; .*skipped as empty_text\), then export it again$/);
  });

  it('score warns on a Google Sheets export of GOOGLETRANSLATE cells, estimate on a JSONL field', async () => {
    const csv = file('sheet.csv', 'Timestamp,Original,English\r\n11/01/2026,Sehr gut,Very good\r\n11/02/2026,Schrecklich,#VALUE!\r\n11/03/2026,Toll,Loading...\r\n');
    const score = await runCli(['score', csv, '--text-column', 'English', '-o', inDir('sheet.scored.csv'), '--log-format', 'json']);
    expect(score.code).toBe(0);
    expect(score.stderr).toMatch(/"level":40,[^\n]*"msg":"--text-column 'English' is '#VALUE!' or 'Loading...' in 2 of the first 3 rows: a spreadsheet formula's error/);
    expect(score.stderr).not.toContain('billed');
    const jsonl = file('rows.jsonl', '{"id":1,"text":"lovely"}\n{"id":2,"text":"#N/A"}\n');
    const estimate = await runCli(['estimate', jsonl]);
    expect(estimate.code).toBe(0);
    expect(estimate.stderr).toContain("is '#N/A' in 1 of the first 2 rows: a spreadsheet formula's error");
  });

  it('the summary ends with it, --summary-json holds it, and the Already done rerun says it again, as the language warning', async () => {
    // Said at start-up only before: a scheduled run's log scrolls past it, the summary and --summary-json are what is read.
    const csv = file('sheet2.csv', 'Timestamp,Original,English\r\n11/01/2026,Sehr gut,Very good\r\n11/02/2026,Schrecklich,#VALUE!\r\n');
    const summaryPath = inDir('sheet2.summary.json');
    const args = ['score', csv, '--text-column', 'English', '-o', inDir('sheet2.scored.csv'), '--summary-json', summaryPath, '--log-level', 'error'];
    const warning = formulaErrorWarning(['Very good', '#VALUE!'], "--text-column 'English'", false);
    for (const status of ['done', 'already-done']) {
      const r = await runCli(args);
      expect(r.code).toBe(0);
      expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(`  ${warning}`);
      expect(JSON.parse(readFileSync(summaryPath, 'utf8'))).toMatchObject({ status, warning });
    }
  });
});
