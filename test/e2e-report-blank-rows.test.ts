import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli, warnMessages } from './support/cli.js';
import { useTempDir } from './support/e2e-dir.js';

/**
 * The report on an output with blank rows (every cell of the input's columns empty: a spreadsheet's rows kept after its
 * last review) counted them as ordinary `empty_text` skips, 'skipped 3' with nothing telling the 2 blank rows from the
 * review left blank, where the run's summary said `empty_text: 2 rows are blank, …`. It says so too, in the same words.
 */
const HEADER = '"Review Title","Review Content","Rating","Reviewer Name"\n';
const ROWS = ['"Great little speaker","Absolutely love it, the sound is crisp.","5","Customer 1"', '"Broke after a week","Stopped charging after seven days.","1","Customer 2"', '"No words","","4","Customer 3"'];
const LINE = 'empty_text: 2 rows are blank, every field empty (rows a spreadsheet kept after clearing or formatting them); written back as read';

describe('report: blank rows counted apart, as the run summary counts them', () => {
  const { file, path: at } = useTempDir();

  it('score --report, report --format json and the page each say them; a review left blank alone is none', async () => {
    // One of them as Excel writes some, its delimiters alone and fewer than the header's (io/csv-row.ts isBlankRow).
    const input = file('shop.csv', `${HEADER}${ROWS.join('\n')}\n,,,\n,,\n`);
    const scored = at('shop.scored.csv');
    const run = await runCli(['score', input, '--text-column', 'Review Content', '-o', scored, '--backend', 'embedded', '--report', at('run.json')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`\n  ${LINE}\n`);
    expect(JSON.parse(readFileSync(at('run.json'), 'utf8'))).toMatchObject({ blankRows: 2, totals: { skipped: 3, skippedByCode: { empty_text: 3 } } });

    const json = await runCli(['report', scored, '-o', at('shop.json'), '--text-column', 'Review Content']);
    expect(json.code).toBe(0);
    expect(warnMessages(json.stderr)).toContain(LINE);
    expect(JSON.parse(readFileSync(at('shop.json'), 'utf8'))).toMatchObject({ blankRows: 2 });
    const html = await runCli(['report', scored, '-o', at('shop.html'), '--text-column', 'Review Content']);
    expect(html.code).toBe(0);
    expect(readFileSync(at('shop.html'), 'utf8')).toContain(`<p class="note">${LINE}.</p>`);

    const none = file('none.csv', `${HEADER}${ROWS.join('\n')}\n`);
    const noneRun = await runCli(['score', none, '--text-column', 'Review Content', '-o', at('none.scored.csv'), '--backend', 'embedded', '--report', at('none.json')]);
    expect(noneRun.code).toBe(0);
    expect(JSON.parse(readFileSync(at('none.json'), 'utf8'))).not.toHaveProperty('blankRows');
  });

  it('a CSV of one column has none: its empty cell is an empty text, as score counts it', async () => {
    const input = file('one.csv', 'text\nGreat speaker, love it.\n""\n');
    const run = await runCli(['score', input, '-o', at('one.scored.csv'), '--backend', 'embedded', '--report', at('one.json')]);
    expect(run.code).toBe(0);
    expect(JSON.parse(readFileSync(at('one.json'), 'utf8'))).toMatchObject({ totals: { skippedByCode: { empty_text: 1 } } });
    expect(JSON.parse(readFileSync(at('one.json'), 'utf8'))).not.toHaveProperty('blankRows');
  });
});
