import { existsSync, lstatSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';

// `score a.csv --summary-json b.csv` (a slip for -o, or tab completion picking another export) replaced the user's
// export b.csv with the run's summary JSON and exited 0: --report refuses a .csv name, --summary-json took it.
// A file that is not an earlier summary is now refused before any work, as a clash with the input is.
describe('--summary-json naming a file that is not a run summary', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  const common = ['--backend', 'embedded', '--progress', 'off', '--log-level', 'warn'];

  it('is refused, exit 2, the file and the run untouched', async () => {
    const input = path.join(dir, 'a.csv');
    writeFileSync(input, 'id,text\n1,great\n');
    const other = path.join(dir, 'b.csv');
    const data = 'id,text\n1,someone else\'s export\n';
    writeFileSync(other, data);
    const output = path.join(dir, 'a.scored.csv');
    const r = await runCli(['score', input, '-o', output, '--summary-json', other, ...common]);
    expect(r.stderr).toBe(
      `sentiment-batch: --summary-json ${other} is a file that is not a run summary (${data.length} bytes): it would be replaced whole; choose another --summary-json, or delete that file first\n`,
    );
    expect(r.code).toBe(2);
    expect(readFileSync(other, 'utf8')).toBe(data);
    expect(existsSync(output)).toBe(false);
  });

  it('a job file\'s "summaryJson" is named as the job file gave it', async () => {
    writeFileSync(path.join(dir, 'a.csv'), 'id,text\n1,great\n');
    writeFileSync(path.join(dir, 'notes.txt'), 'my notes\n');
    const job = path.join(dir, 'job.json');
    writeFileSync(job, JSON.stringify({ input: 'a.csv', summaryJson: 'notes.txt', backend: 'embedded' }));
    const r = await runCli(['run', job, '--progress', 'off', '--log-level', 'warn']);
    expect(r.stderr).toMatch(/"summaryJson" \S*\/notes\.txt is a file that is not a run summary \(9 bytes\): it would be replaced whole; choose another "summaryJson" in the job file, or delete that file first\n$/);
    expect(r.code).toBe(2);
    expect(readFileSync(path.join(dir, 'notes.txt'), 'utf8')).toBe('my notes\n');
  });

  it('an earlier summary, an empty file (mktemp) and a symbolic link to an earlier summary (replaced, its target kept) are still replaced', async () => {
    const input = path.join(dir, 'a.csv');
    writeFileSync(input, 'id,text\n1,great\n');
    const earlier = path.join(dir, 'earlier.json');
    writeFileSync(earlier, JSON.stringify({ status: 'done', exitCode: 0 }));
    const empty = path.join(dir, 'empty.json');
    writeFileSync(empty, '');
    const target = path.join(dir, 'target.json');
    const kept = JSON.stringify({ status: 'failed', exitCode: 3 });
    writeFileSync(target, kept);
    const link = path.join(dir, 'link.json');
    symlinkSync(target, link);
    const dangling = path.join(dir, 'dangling.json');
    symlinkSync(path.join(dir, 'nothing.json'), dangling);
    for (const [at, summary] of [earlier, empty, link, dangling].entries()) {
      const r = await runCli(['score', input, '-o', path.join(dir, `out${at}.csv`), '--summary-json', summary!, ...common]);
      expect(r.code, summary).toBe(0);
      expect(JSON.parse(readFileSync(summary!, 'utf8'))).toMatchObject({ status: 'done', exitCode: 0 });
    }
    expect(readFileSync(target, 'utf8')).toBe(kept);
    expect(existsSync(path.join(dir, 'nothing.json'))).toBe(false);
  });

  // Judged by the link itself (not a regular file), a link to an export was replaced where -o, --report and report -o,
  // which judge the link's target, refuse it.
  it('a symbolic link to a file that is not a run summary is refused as that file is, exit 2, the link and its target untouched', async () => {
    const input = path.join(dir, 'a.csv');
    writeFileSync(input, 'id,text\n1,great\n');
    const data = "id,text\n1,someone else's export\n";
    const target = path.join(dir, 'b.csv');
    writeFileSync(target, data);
    const link = path.join(dir, 'link.json');
    symlinkSync(target, link);
    const output = path.join(dir, 'a.scored.csv');
    const r = await runCli(['score', input, '-o', output, '--summary-json', link, ...common]);
    expect(r.stderr).toBe(
      `sentiment-batch: --summary-json ${link} is a file that is not a run summary (${data.length} bytes): it would be replaced whole; choose another --summary-json, or delete that file first\n`,
    );
    expect(r.code).toBe(2);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe(data);
    expect(existsSync(output)).toBe(false);
  });
});
