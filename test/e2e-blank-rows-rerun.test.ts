import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { useTempDir } from './support/e2e-dir.js';

/**
 * The blank rows of a completed job (CSV rows whose every field is empty: e2e-blank-rows.test.ts), as its checkpoint
 * keeps them (`blankRows`): an "already done" rerun, which reads no row, gave an export of blank rows alone the
 * generic 'check the export and the text column', and said nothing of those among reviews.
 */
const HEADER = '"Review Title","Review Content","Rating","Reviewer Name"\n';
const reviews = [
  '"Great little speaker","Absolutely love it, the sound is crisp.","5","Customer 1"',
  '"Broke after a week","Stopped charging after seven days.","1","Customer 2"',
  '"No words","","4","Customer 3"',
].join('\n');

const LINE = (rows: number) => `empty_text: ${rows} rows are blank, every field empty (rows a spreadsheet kept after clearing or formatting them); written back as read`;

describe('blank rows, said again by a rerun of a completed job', () => {
  const { file, path: inDir } = useTempDir();
  const score = (input: string, output: string) => runCli(['score', input, '--text-column', 'Review Content', '-o', output, '--backend', 'embedded']);

  it('an "already done" rerun says them again from the checkpoint, in the same words; an older checkpoint still reads', async () => {
    // It said 'no row was scored: every one of the 2 rows was skipped, … check the export and the text column' of an
    // export of blank rows alone, and nothing of the blank rows among others: the checkpoint kept no count of them.
    const line = LINE(2);
    const cleared = file('cleared-again.csv', `${HEADER},,,\n,,\n`);
    const clearedOut = inDir('cleared-again.scored.csv');
    expect((await score(cleared, clearedOut)).code).toBe(0);
    const again = await score(cleared, clearedOut);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Already done');
    expect(again.stdout).toContain(`\n  ${line}\n`);
    const warning = 'no row was scored: every field of each of the 2 rows is empty (blank rows, as a spreadsheet exports a sheet cleared of its rows); check the export';
    expect(again.stdout.trimEnd().split('\n').at(-1)).toBe(`  ${warning}`);

    // Among reviews: the line alone, as the first run said it.
    const shop = file('shop-again.csv', `${HEADER}${reviews}\n,,,\n,,,\n`);
    const shopOut = inDir('shop-again.scored.csv');
    expect((await score(shop, shopOut)).code).toBe(0);
    const shopAgain = await score(shop, shopOut);
    expect(shopAgain.stdout).toContain(`(scored by an earlier run; this run did nothing)\n  scored as POSITIVE 1 · NEGATIVE 1\n  ${line}\n`);

    // A checkpoint written before the count (no blankRows) is still the job's: already done, with the words it had.
    const checkpointPath = `${clearedOut}.checkpoint.json`;
    const { blankRows, ...older } = JSON.parse(readFileSync(checkpointPath, 'utf8')) as { blankRows?: number };
    expect(blankRows).toBe(2);
    writeFileSync(checkpointPath, JSON.stringify(older));
    const olderRerun = await score(cleared, clearedOut);
    expect(olderRerun.code).toBe(0);
    expect(olderRerun.stdout).toContain('Already done');
    expect(olderRerun.stdout).not.toContain('blank');
    expect(olderRerun.stdout).toContain('check the export and the text column');
    // One that cannot be (more than the rows skipped) is dropped as unknown, not taken for the output's.
    writeFileSync(checkpointPath, JSON.stringify({ ...older, blankRows: 3 }));
    const edited = await score(cleared, clearedOut);
    expect(edited.stdout).toContain('Already done');
    expect(edited.stdout).not.toContain('blank');
  });

  it('a job of an older checkpoint with no row skipped, continued for blank rows appended, keeps their count', async () => {
    // Such a checkpoint (no blankRows) had no blank row, whatever its version: the grown export's are the whole job's,
    // kept for an "already done" rerun to say, not unknown.
    const input = file('older-grown.csv', `${HEADER}${reviews.split('\n').slice(0, 2).join('\n')}\n`);
    const output = inDir('older-grown.scored.csv');
    expect((await score(input, output)).code).toBe(0);
    const checkpointPath = `${output}.checkpoint.json`;
    const { blankRows, ...older } = JSON.parse(readFileSync(checkpointPath, 'utf8')) as { blankRows?: number; totals: { skipped: number } };
    expect([blankRows, older.totals.skipped]).toEqual([0, 0]);
    writeFileSync(checkpointPath, JSON.stringify(older));
    appendFileSync(input, ',,,\n,,\n');
    const grown = await score(input, output);
    expect(grown.code).toBe(0);
    expect(grown.stdout).toContain(`\n  ${LINE(2)}\n`);
    // This run's blank rows are the whole job's: no second line saying them again as the whole job's.
    expect(grown.stdout).not.toContain('whole job: empty_text');
    const again = await score(input, output);
    expect(again.stdout).toContain('Already done');
    expect(again.stdout).toContain(`\n  ${LINE(2)}\n`);
  });

  it('a job continued for its grown export counts the old part\'s with the new part\'s', async () => {
    const input = file('grown.csv', `${HEADER}${reviews}\n,,,\n,,,\n`);
    const output = inDir('grown.scored.csv');
    expect((await score(input, output)).code).toBe(0);
    appendFileSync(input, '"Fine","Works as described.","4","Customer 4"\n,,\n');
    const grown = await score(input, output);
    expect(grown.code).toBe(0);
    expect(grown.stdout).toContain(`\n  ${LINE(1).replace('1 rows are', '1 row is')}\n`);
    expect(grown.stdout).toContain(`\n  whole job: ${LINE(3)}\n`);
    const again = await score(input, output);
    expect(again.stdout).toContain('Already done');
    expect(again.stdout).toContain(`\n  ${LINE(3)}\n`);
  });
});
