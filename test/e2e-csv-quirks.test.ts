import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCORED_CELLS, expectCsvCellsAppended, failedCells, joinLines, type WrittenLine } from './support/appended.js';
import { runCli } from './support/cli.js';
import { useFileTempDir, useTempDir } from './support/e2e-dir.js';
import { scoreInBuiltProcess } from './support/score-in-built-process.js';
import { useFileServer } from './support/server.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/** Real exports' CSV quirks, read as Python's csv module reads them. */
describe('CSV as exports really come', () => {
  const { file, path: inDir } = useTempDir();

  const score = async (content: string, extra: string[] = []) => {
    const input = file('in.csv', content);
    const output = inDir('out.csv');
    const result = await runCli(['score', input, '-o', output, ...extra]);
    return { ...result, output, text: () => readFileSync(output, 'utf8') };
  };
  /** The same run in this process (support/score-in-built-process.ts): the records read and written are the subject. */
  const scoreHere = async (content: string) => {
    const input = file('in.csv', content);
    const output = inDir('out.csv');
    const result = await scoreInBuiltProcess([input, '-o', output]);
    return { ...result, output, text: () => readFileSync(output, 'utf8') };
  };

  it('a bare quote inside an unquoted value is data (1,5" screen; 37°36\'37.8"N)', async () => {
    const header = { body: 'id,text,location', ending: '\n' };
    const lines: WrittenLine[] = [
      { body: '1,5" screen is great,home', ending: '\n', cells: SCORED_CELLS },
      { body: '2,terrible 5 "inch" screen,37°36\'37.8"N', ending: '\n', cells: SCORED_CELLS },
      { body: '3,"properly ""quoted"", fine",x', ending: '\n', cells: SCORED_CELLS },
    ];
    const r = await score(joinLines(header, lines));
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/rows 3: scored 3, skipped 0, failed 0/);
    expectCsvCellsAppended(r.text(), header, lines);
  });

  it('a CRLF header followed by 1,000 LF rows reads 1,000 records', async () => {
    const header = { body: 'id,text', ending: '\r\n' };
    const lines: WrittenLine[] = Array.from({ length: 1000 }, (_, i) => ({ body: `${i},review ${i} was great`, ending: '\n', cells: SCORED_CELLS }));
    const r = await scoreHere(joinLines(header, lines));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/rows 1,000: scored 1,000, skipped 0, failed 0/);
    expectCsvCellsAppended(r.text(), header, lines);
  });

  it('a CR-only file (Excel for Mac) and any mix of endings read record for record', async () => {
    const cr = { body: 'id,text', ending: '\r' };
    const crLines: WrittenLine[] = [
      { body: '1,lovely', ending: '\r', cells: SCORED_CELLS },
      { body: '2,"two\rlines, awful"', ending: '\r', cells: SCORED_CELLS },
      { body: '3,fine', ending: '\r', cells: SCORED_CELLS },
    ];
    const crRun = await scoreHere(joinLines(cr, crLines));
    expect(crRun.code).toBe(0);
    expect(crRun.stdout).toMatch(/rows 3: scored 3, skipped 0, failed 0/);
    expectCsvCellsAppended(crRun.text(), cr, crLines);

    const mixed = { body: 'id,text,stars', ending: '\n' };
    const mixedLines: WrittenLine[] = [
      { body: '1,good,5', ending: '\r\n', cells: SCORED_CELLS },
      { body: '2,bad,1', ending: '\r', cells: SCORED_CELLS },
      { body: '', ending: '\r\n' },
      { body: '3,short', ending: '\n', cells: `,${failedCells('ragged_row')}` },
      { body: '4,"quoted\r\nbreak",2', ending: '\n', cells: SCORED_CELLS },
      { body: '5,last,3', ending: '', cells: SCORED_CELLS },
    ];
    const mixedRun = await scoreHere(joinLines(mixed, mixedLines));
    expect(mixedRun.code).toBe(0);
    expect(mixedRun.stdout).toMatch(/rows 5: scored 4, skipped 0, failed 1/);
    expectCsvCellsAppended(mixedRun.text(), mixed, mixedLines);
  });
});

describe('mixed line endings resume to the same bytes', () => {
  const { dir } = useFileTempDir();
  const server = useFileServer({ latency: '0-2ms', seed: 3 });

  it('a run paused by --max-requests continues where it stopped, byte-identical to one run', async () => {
    // 150 rows paused every 60 requests: two pauses and a last run, as with 300 rows paused every 120 (the test ran
    // 20 s of its 60 s limit at load average ~13 and near the limit above; half the rows is half the requests).
    const endings = ['\r\n', '\n', '\r'];
    const rows = Array.from({ length: 150 }, (_, i) => `${i},"review ${i}: ${i % 2 ? 'great' : 'awful'}",${i % 5}${endings[i % 3]}`);
    const input = path.join(dir, 'mixed.csv');
    writeFileSync(input, `id,review,stars\r\n${rows.join('')}`);
    const env = workersAiEnv(server);
    const args = (output: string, extra: string[] = []) => ['score', input, '--text-column', 'review', '-o', output, '--rpm', '600000', ...extra];

    const reference = path.join(dir, 'reference.csv');
    expect((await runCli(args(reference), { env })).code).toBe(0);
    const output = path.join(dir, 'paused.csv');
    const paused = [];
    for (let run = 0; run < 4; run++) {
      const result = await runCli(args(output, ['--max-requests', '60', '--concurrency', '4']), { env });
      paused.push(result.code);
      if (result.code === 0) break;
    }
    expect(paused).toEqual([75, 75, 0]);
    expect(readFileSync(output).equals(readFileSync(reference))).toBe(true);
    // Stripping the five appended cells gives the input back, endings included.
    const stripped = readFileSync(reference, 'utf8').replace(/,[^,\r\n]*,[^,\r\n]*,[^,\r\n]*,[^,\r\n]*,[^,\r\n]*(\r\n|\n|\r|$)/g, '$1');
    expect(stripped).toBe(readFileSync(input, 'utf8'));
  });
});
