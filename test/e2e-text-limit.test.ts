import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCORED_CELLS, expectCsvCellsAppended, failedCells, joinLines, type WrittenLine } from './support/appended.js';
import { runCli } from './support/cli.js';
import { useFileTempDir, useTempDir } from './support/e2e-dir.js';
import { useFileServer } from './support/server.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/** Each row's label and probabilities, from a scored CSV whose last five columns are ours. */
const scoresOf = (csv: string): string[][] => (parse(csv) as string[][]).slice(1).map((row) => row.slice(-5, -2));

describe('several text columns, and --limit', () => {
  const { file, path: inDir } = useTempDir();

  it('--text-column title --text-column review sends the non-blank values joined by a line break', async () => {
    const header = { body: 'id,title,review,stars', ending: '\n' };
    const lines: WrittenLine[] = [
      { body: '1,Terrible,"crashes, but the design is great",2', ending: '\n', cells: SCORED_CELLS },
      { body: '2,,awful battery,1', ending: '\n', cells: SCORED_CELLS },
      { body: '3,Love it,,5', ending: '\n', cells: SCORED_CELLS },
      { body: '4, ,,3', ending: '\n', cells: String.raw`,,,,empty_text: [^\n]*` },
    ];
    const input = file('app.csv', joinLines(header, lines));
    const output = inDir('out.csv');
    const r = await runCli(['score', input, '--text-column', 'title', '--text-column', 'review', '-o', output]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/rows 4: scored 3, skipped 1, failed 0/);
    expectCsvCellsAppended(readFileSync(output, 'utf8'), header, lines);

    // The same texts, joined by hand into one column, get exactly the same scores.
    const joined = file('joined.csv', 'id,text\n1,"Terrible\ncrashes, but the design is great"\n2,awful battery\n3,Love it\n4,\n');
    const joinedOut = inDir('joined.out.csv');
    expect((await runCli(['score', joined, '-o', joinedOut])).code).toBe(0);
    expect(scoresOf(readFileSync(output, 'utf8'))).toEqual(scoresOf(readFileSync(joinedOut, 'utf8')));
    expect(scoresOf(readFileSync(output, 'utf8'))[0]).not.toEqual(scoresOf(readFileSync(joinedOut, 'utf8'))[2]);
  });

  it('another choice of text columns is another job: scored afresh, not taken as already done', async () => {
    const input = file('app.csv', 'id,title,review\n1,Nice,great app\n');
    const output = inDir('out.csv');
    expect((await runCli(['score', input, '--text-column', 'title', '--text-column', 'review', '-o', output])).code).toBe(0);
    const again = await runCli(['score', input, '--text-column', 'review', '-o', output]);
    expect(again.code).toBe(0);
    // The line names what differs, not only the ten settings it could be.
    expect(again.stderr).toMatch(/the settings that shape the output .* differ from the checkpoint's \(text column: 'title' \+ 'review' then, 'review' now\): starting over/);
    const checkpoint = JSON.parse(readFileSync(`${output}.checkpoint.json`, 'utf8')) as { settings: { text: string } };
    expect(checkpoint.settings.text).toBe('review');
    expect((await runCli(['score', input, '--text-column', 'title', '--text-column', 'review', '-o', output])).stderr).toMatch(/starting over/);
    const joinedCheckpoint = JSON.parse(readFileSync(`${output}.checkpoint.json`, 'utf8')) as { settings: { text: string } };
    expect(JSON.parse(joinedCheckpoint.settings.text)).toEqual({ join: ['title', 'review'], separator: '\n' });
  });

  it('JSONL: several fields (Booking), one left out of a record is no text there, as null is', async () => {
    const records = [
      '{"hotel":"A","Positive_Review":"lovely staff","Negative_Review":"noisy room"}',
      '{"hotel":"B","Positive_Review":"great breakfast"}',
    ];
    const input = file('booking.jsonl', `${records.join('\n')}\n`);
    const output = inDir('out.jsonl');
    const r = await runCli(['score', input, '--text-field', 'Positive_Review', '--text-field', 'Negative_Review', '-o', output]);
    expect(r.code).toBe(0);
    const out = readFileSync(output, 'utf8').split('\n');
    expect(out[0]).toMatch(new RegExp(`^${records[0]!.slice(0, -1).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')},"sentiment":\\{"label":"(POSITIVE|NEGATIVE)","positive":[-0-9.e]+,"negative":[-0-9.e]+\\}\\}$`));
    // The record that leaves Negative_Review out is scored on its Positive_Review alone.
    expect(out[1]).toMatch(new RegExp(`^${records[1]!.slice(0, -1).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')},"sentiment":\\{"label":"POSITIVE","positive":[-0-9.e]+,"negative":[-0-9.e]+\\}\\}$`));
  });

  it('--limit N scores only the first N records (blank lines between them kept) and is a job of its own', async () => {
    const header = { body: 'id,text', ending: '\r\n' };
    const lines: WrittenLine[] = [
      { body: '1,great', ending: '\r\n', cells: SCORED_CELLS },
      { body: '', ending: '\r\n' },
      { body: '2,"bad,\r\nreally"', ending: '\r\n', cells: SCORED_CELLS },
      { body: '3,short,x', ending: '\r\n', cells: failedCells('ragged_row') },
      { body: '', ending: '\r\n' },
      { body: '4,fine', ending: '\r\n', cells: SCORED_CELLS },
      { body: '5,never read', ending: '\r\n', cells: SCORED_CELLS },
    ];
    const input = file('in.csv', joinLines(header, lines));
    const output = inDir('out.csv');
    const limited = await runCli(['score', input, '--limit', '3', '-o', output]);
    expect(limited.code).toBe(0);
    expect(limited.stdout).toMatch(/rows 3: scored 2, skipped 0, failed 1/);
    expect(limited.stderr).toMatch(/--limit 3: scoring only the first 3 records/);
    expectCsvCellsAppended(readFileSync(output, 'utf8'), header, lines.slice(0, 4));

    expect((await runCli(['score', input, '--limit', '3', '-o', output])).stdout).toMatch(/Already done/);
    const estimate = await runCli(['estimate', input, '--limit', '3', '--json']);
    expect(estimate.code).toBe(0);
    // No credentials: the run would use the embedded model (free); what Workers AI would send is beside it.
    expect(JSON.parse(estimate.stdout)).toMatchObject({ rows: 3, unreadable: 1, requests: 0, ifWorkersAi: { requests: 2 } });
  });

  it('after a --limit run, a run without it (or with a limit past the end) scores the whole file', async () => {
    const header = { body: 'id,text', ending: '\n' };
    const lines: WrittenLine[] = [
      { body: '1,great', ending: '\n', cells: SCORED_CELLS },
      { body: '2,bad', ending: '\n', cells: SCORED_CELLS },
      { body: '3,fine', ending: '\n', cells: SCORED_CELLS },
    ];
    const input = file('in.csv', joinLines(header, lines));
    const output = inDir('out.csv');
    expect((await runCli(['score', input, '--limit', '1', '-o', output])).stdout).toMatch(/rows 1:/);
    const whole = await runCli(['score', input, '-o', output]);
    expect(whole.code).toBe(0);
    // The limit said in words, not as --limit: a job file's "limit" is no flag anybody typed.
    // The job completed at its limit continues after its row (docs/input-formats.md).
    expect(whole.stderr).toContain("the record limit changed (1 then, none now): the completed job's 1 row is the first row of this output too, so the job continues after it");
    expect(whole.stdout).toMatch(/rows 3: scored 3, skipped 0, failed 0/);
    expectCsvCellsAppended(readFileSync(output, 'utf8'), header, lines);
    // A limit beyond the end scores every record. Given by a job file, its log line names the key, not --limit.
    const job = file('all.json', JSON.stringify({ input, output: inDir('all.csv'), limit: 100 }));
    const beyond = await runCli(['run', job]);
    expect(beyond.stdout).toMatch(/rows 3:/);
    const said = beyond.stderr.trim().split('\n').map((line) => (JSON.parse(line) as { msg: string }).msg);
    expect(said).toContain(`"limit": 100 in job file ${job}: scoring only the first 100 records`);
    expect(beyond.stderr).not.toContain('--limit');
  });

  it('a job that read its input to the end, run again with a limit above its records, continues with nothing to do', async () => {
    // Before, it started over: every row written again for a byte-identical output (lowfix30 #5: 0 requests).
    const input = file('in.csv', 'id,text\n1,great\n2,bad\n3,fine\n\n\n');
    const output = inDir('out.csv');
    expect((await runCli(['score', input, '-o', output])).code).toBe(0);
    const whole = readFileSync(output);
    const limited = await runCli(['score', input, '--limit', '5', '-o', output]);
    expect(limited.code).toBe(0);
    expect(limited.stderr).toContain('the record limit changed (none then, 5 now): the completed job read its input to the end (3 rows), which this output holds too, so the job continues after them');
    expect(limited.stdout).toMatch(/this run: rows 0: scored 0/);
    expect(readFileSync(output).equals(whole)).toBe(true);
    // And back to none: the same.
    const none = await runCli(['score', input, '-o', output]);
    expect(none.stderr).toContain('the record limit changed (5 then, none now): the completed job read its input to the end (3 rows)');
    expect(none.stdout).toMatch(/this run: rows 0: scored 0/);
    expect(readFileSync(output).equals(whole)).toBe(true);
    // A limit equal to its records is another output (no blank lines after the 3rd record): written again.
    const equal = await runCli(['score', input, '--limit', '3', '-o', output]);
    expect(equal.stdout).toMatch(/^Done: .*\n {2}rows 3: scored 3/);
    expect(readFileSync(output, 'utf8')).toBe(whole.toString('utf8').replace(/\n\n\n$/, '\n'));
  });

  // Was: `read its input to the end (0 rows), which this output holds too, so the job continues after them`: nothing to continue after.
  it('a header-only job, run again with a limit, says it found no row and reads on after its header', async () => {
    const input = file('header.csv', 'id,text\n');
    const output = inDir('header-out.csv');
    expect((await runCli(['score', input, '-o', output])).code).toBe(0);
    const whole = readFileSync(output);
    const limited = await runCli(['score', input, '--limit', '5', '-o', output]);
    expect(limited.code).toBe(0);
    expect(limited.stderr).toContain(
      'the record limit changed (none then, 5 now): the completed job read its input to the end and found no row after its header, nor does this output hold one, so the job reads on from the end of its header (its output stays as it is until this run completes)',
    );
    expect(limited.stderr).not.toContain('0 rows');
    expect(readFileSync(output).equals(whole)).toBe(true);
  });
});

describe('--limit across a resume, and the cache keyed on the joined text', () => {
  const { dir } = useFileTempDir();
  const server = useFileServer({ latency: '0-2ms', seed: 5 });
  let env: Record<string, string>;
  beforeAll(() => {
    env = workersAiEnv(server);
  });

  it('a limited run paused part-way continues to exactly the first N records', async () => {
    // 150 rows limited to 100, paused after 60 requests: a pause inside the limit and a resume that ends at it, as with
    // 300 rows, 200 and 120 (17.5 s at load average ~13, the default tier's slowest test but one; now half the requests).
    const rows = Array.from({ length: 150 }, (_, i) => `${i},"review ${i} is ${i % 2 ? 'great' : 'bad'}"\n`);
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, `id,review\n${rows.join('')}`);
    const args = (output: string, extra: string[] = []) => ['score', input, '--text-column', 'review', '--limit', '100', '-o', output, '--rpm', '600000', ...extra];
    const reference = path.join(dir, 'reference.csv');
    expect((await runCli(args(reference), { env })).code).toBe(0);
    const output = path.join(dir, 'paused.csv');
    const first = await runCli(args(output, ['--max-requests', '60', '--concurrency', '4']), { env });
    expect(first.code).toBe(75);
    const second = await runCli(args(output, ['--max-requests', '60', '--concurrency', '4']), { env });
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/resuming from the checkpoint/);
    expect(readFileSync(output).equals(readFileSync(reference))).toBe(true);
    const ids = (parse(readFileSync(output)) as string[][]).slice(1).map((row) => Number(row[0]));
    expect(ids).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('the cache key is the text sent: a joined title + review is a hit for the same text in one column', async () => {
    const cache = path.join(dir, 'cache');
    const split = path.join(dir, 'split.csv');
    writeFileSync(split, 'id,title,review\n1,Great,"works well, good value"\n2,Bad,terrible support\n');
    server.reset();
    const a = await runCli(['score', split, '--text-column', 'title', '--text-column', 'review', '-o', path.join(dir, 'a.csv'), '--cache', cache], { env });
    expect(a.code).toBe(0);
    expect(server.stats().total).toBe(2);
    const one = path.join(dir, 'one.csv');
    writeFileSync(one, 'id,text\n1,"Great\nworks well, good value"\n2,"Bad\nterrible support"\n');
    server.reset();
    const b = await runCli(['score', one, '-o', path.join(dir, 'b.csv'), '--cache', cache, '--summary-json', path.join(dir, 'b.json')], { env });
    expect(b.code).toBe(0);
    expect(server.stats().total).toBe(0);
    expect((JSON.parse(readFileSync(path.join(dir, 'b.json'), 'utf8')) as { totals: { cached: number } }).totals.cached).toBe(2);
  });
});
