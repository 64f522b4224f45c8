import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { expectCleanError, useTempDir } from './support/e2e-dir.js';

const REVIEWS = 'id,review\n1,great phone\n2,"awful, broke in a week"\n';

/** Exit 2 with one clean line that names both flags. */
function expectRefusal(r: { code: number | null; stderr: string; stdout: string }, ...named: RegExp[]): void {
  expect(r.code).toBe(2);
  expectCleanError(r.stderr);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  for (const pattern of named) expect(r.stderr).toMatch(pattern);
}

describe('the input, the output (and the files beside it), --report and --summary-json are distinct files', () => {
  const { file, path: inDir } = useTempDir();
  const score = (input: string, ...flags: string[]) => runCli(['score', input, '--text-column', 'review', ...flags]);

  it('--summary-json naming the input, the output, the report or a checkpoint is refused before any work; nothing is overwritten', async () => {
    const input = file('r.csv', REVIEWS);
    const onInput = await score(input, '-o', inDir('out1.csv'), '--summary-json', input);
    expectRefusal(onInput, /^sentiment-batch: --summary-json \S+r\.csv would overwrite the input \S+r\.csv; choose another --summary-json$/m);
    // Not even the failure summary that every other refusal leaves there.
    expect(readFileSync(input, 'utf8')).toBe(REVIEWS);
    expect(existsSync(inDir('out1.csv.checkpoint.json'))).toBe(false);

    const output = inDir('out1.csv');
    expect((await score(input, '-o', output)).code).toBe(0);
    const scored = readFileSync(output, 'utf8');
    expectRefusal(await score(input, '-o', output, '--summary-json', output), /--summary-json \S+out1\.csv would overwrite -o \S+out1\.csv/);
    expect(readFileSync(output, 'utf8')).toBe(scored);

    expectRefusal(await score(input, '-o', inDir('o2.csv'), '--report', inDir('rp.json'), '--summary-json', inDir('rp.json')), /--summary-json \S+rp\.json would overwrite --report \S+rp\.json/);
    expectRefusal(
      await score(input, '-o', output, '--summary-json', `${output}.checkpoint.json`),
      /--summary-json \S+ would overwrite the checkpoint \S+out1\.csv\.checkpoint\.json of -o \S+out1\.csv/,
    );
    expectRefusal(await score(input, '-o', inDir('o3.csv'), '--report', input), /--report \S+r\.csv would overwrite the input/);
  });

  it('a bad flag next to --summary-json naming the input: the failure summary does not replace the input', async () => {
    const input = file('r.csv', REVIEWS);
    const r = await score(input, '--rpm', 'fast', '--summary-json', input);
    expectRefusal(r, /--rpm expects a positive integer/);
    expect(readFileSync(input, 'utf8')).toBe(REVIEWS);
    // A missing file, or an earlier summary, still gets the failure summary.
    const summary = inDir('s.json');
    expect((await score(input, '--rpm', 'fast', '--summary-json', summary)).code).toBe(2);
    expect(JSON.parse(readFileSync(summary, 'utf8'))).toMatchObject({ status: 'failed', exitCode: 2 });
  });

  it('an input named like the output\'s partial file is refused (the partial output would replace it)', async () => {
    const input = file('r.csv.partial', REVIEWS);
    const r = await runCli(['score', input, '--format', 'csv', '--text-column', 'review', '-o', inDir('r.csv')]);
    expectRefusal(r, /the partial output \S+r\.csv\.partial of -o \S+r\.csv would overwrite the input/);
    expect(readFileSync(input, 'utf8')).toBe(REVIEWS);
  });

  it('a job file named by its own summaryJson, output or report is refused; the job file is left as it was', async () => {
    file('in.csv', REVIEWS);
    for (const key of ['summaryJson', 'output', 'report'] as const) {
      const text = JSON.stringify({ input: 'in.csv', textColumn: 'review', [key]: 'job.json' });
      const job = file('job.json', text);
      const r = await runCli(['run', job]);
      // Named by the key the job file gave (was the flag, which nobody typed: "choose another --summary-json").
      expectRefusal(r, new RegExp(`^sentiment-batch: job file \\S+job\\.json: "${key}" \\S+job\\.json would overwrite the job file \\S+job\\.json; choose another "${key}" in the job file$`, 'm'));
      expect(readFileSync(job, 'utf8')).toBe(text);
    }
    // Named by a flag on the command line, through a symlink, too.
    const job = file('j.json', JSON.stringify({ input: 'in.csv', textColumn: 'review', output: 'o.csv' }));
    symlinkSync(job, inDir('jlink.json'));
    expectRefusal(await runCli(['run', job, '--summary-json', inDir('jlink.json')]), /--summary-json \S+jlink\.json would overwrite the job file \S+j\.json \(the same file through a link\)/);
    expect(existsSync(inDir('o.csv.checkpoint.json'))).toBe(false);
  });

  it('-o, --summary-json or --report inside the --cache folder is refused, whatever the backend', async () => {
    const input = file('r.csv', REVIEWS);
    const cache = inDir('c');
    mkdirSync(cache);
    const lmdb = file('c/data.mdb', 'not really LMDB');
    for (const flags of [['--summary-json', lmdb], ['-o', lmdb], ['--report', inDir('c/r.json')], ['-o', inDir('c/sub/o.csv')], ['-o', cache]]) {
      const [flag, given] = flags as [string, string];
      const r = await score(input, ...(flag === '-o' ? [] : ['-o', inDir('o.csv')]), ...flags, '--cache', cache);
      expectRefusal(r, new RegExp(`^sentiment-batch: ${flag} ${given.replace(/[.]/g, '\\.')} lies in the --cache folder \\S+c, whose files are the result cache's; choose another ${flag}$`, 'm'));
    }
    // Through a symlink to the folder, and with the folder not made yet.
    symlinkSync(cache, inDir('clink'));
    expectRefusal(await score(input, '-o', inDir('clink/o.csv'), '--cache', cache), /-o \S+clink\/o\.csv lies in the --cache folder/);
    expectRefusal(await score(input, '-o', inDir('new/o.csv'), '--cache', inDir('new')), /-o \S+new\/o\.csv lies in the --cache folder/);
    expect(readFileSync(lmdb, 'utf8')).toBe('not really LMDB');
    expect(readdirSync(cache)).toEqual(['data.mdb']);
    // Beside the cache folder is fine (the embedded model ignores --cache, with a warning).
    expect((await score(input, '-o', inDir('c.csv'), '--cache', cache)).code).toBe(0);
  });

  it('--report or --summary-json inside the output\'s lock folder is refused: the folder goes when the run ends', async () => {
    const input = file('r.csv', REVIEWS);
    for (const [flag, given] of [['--report', inDir('o.csv.lock/r.html')], ['--summary-json', inDir('o.csv.lock/owner.json')]] as const) {
      expectRefusal(await score(input, '-o', inDir('o.csv'), flag, given), new RegExp(`^sentiment-batch: ${flag} \\S+o\\.csv\\.lock/\\S+ lies in the lock folder \\S+o\\.csv\\.lock of -o \\S+o\\.csv, removed when the run ends; choose another ${flag}$`, 'm'));
    }
    expect(existsSync(inDir('o.csv'))).toBe(false);
  });

  it('the input reached through a symlink, a symlinked folder or a hard link is refused as -o', async () => {
    const input = file('r.csv', REVIEWS);
    symlinkSync(input, inDir('rlink.csv'));
    expectRefusal(await score(inDir('rlink.csv'), '-o', input), /-o \S+r\.csv would overwrite the input \S+rlink\.csv \(the same file through a link\); choose another -o/);
    expect(readFileSync(input, 'utf8')).toBe(REVIEWS);

    mkdirSync(inDir('sub'));
    symlinkSync(path.dirname(input), inDir('sub/lnk'));
    expectRefusal(await score(input, '-o', inDir('sub/lnk/r.csv')), /-o \S+sub\/lnk\/r\.csv would overwrite the input/);

    linkSync(input, inDir('hard.csv'));
    expectRefusal(await score(inDir('hard.csv'), '-o', input), /-o \S+r\.csv would overwrite the input \S+hard\.csv/);
    // A symlinked --summary-json onto the output is the same case.
    expectRefusal(await score(input, '-o', inDir('o.csv'), '--summary-json', inDir('rlink.csv')), /--summary-json \S+rlink\.csv would overwrite the input/);
    expect(readFileSync(input, 'utf8')).toBe(REVIEWS);
    expect(readdirSync(path.dirname(input)).sort()).toEqual(['hard.csv', 'r.csv', 'rlink.csv', 'sub']);
  });
});

describe('path problems are found at startup, not after the whole job', () => {
  const { file, path: inDir } = useTempDir();

  it('-o naming an existing folder, or a path through a file: exit 2 before anything is scored', async () => {
    const input = file('r.csv', REVIEWS);
    mkdirSync(inDir('d'));
    const r = await runCli(['score', input, '--text-column', 'review', '-o', inDir('d')]);
    expectRefusal(r, /-o \S+\/d is a folder: give the path of a file/);
    expect(existsSync(inDir('d.partial'))).toBe(false);
    expect(existsSync(inDir('d.checkpoint.json'))).toBe(false);
    // A file where a folder should be: one line, not an internal error from mkdir (EEXIST).
    const afile = file('afile', '');
    expectRefusal(await runCli(['score', input, '--text-column', 'review', '-o', inDir('afile/x/o.csv')]), /-o \S+afile\/x\/o\.csv: \S+afile is a file, not a folder/);
    expectRefusal(await runCli(['score', input, '--text-column', 'review', '-o', inDir('o.csv'), '--summary-json', `${afile}/s.json`]), /--summary-json \S+: \S+afile is a file, not a folder/);
    expect(existsSync(inDir('o.csv.checkpoint.json'))).toBe(false);
  });

  it('a path ending in / names a folder: -o, --report, --summary-json (flag or job file) and report -o are refused at startup, not written as a file or failed after the run', async () => {
    const input = file('r.csv', REVIEWS);
    // Was: -o out/ wrote a file named out; --report rr/ and --summary-json sj/ scored the whole input, then exit 74
    // saying the folder "was removed while the command ran" (and the same again on every rerun).
    for (const [flag, target] of [['-o', 'out/'], ['--report', 'rr/'], ['--summary-json', 'sj/']] as const) {
      const flags = flag === '-o' ? ['-o', inDir(target)] : ['-o', inDir('o.csv'), flag, inDir(target)];
      const r = await runCli(['score', input, '--text-column', 'review', ...flags]);
      expectRefusal(r, new RegExp(`^sentiment-batch: ${flag} \\S+/${target} ends in '/', so it names a folder: give the path of a file \\(in it or elsewhere\\)$`, 'm'));
      expect(r.stdout).not.toMatch(/Done:/);
      expect(existsSync(inDir(target))).toBe(false);
      expect(existsSync(inDir('o.csv'))).toBe(false);
    }
    // A job file's "output" is resolved against its folder: the slash still names a folder.
    const job = file('job.json', JSON.stringify({ input: 'r.csv', textColumn: 'review', output: 'jout/' }));
    expectRefusal(await runCli(['run', job]), /"output" \S+\/jout\/ ends in '\/', so it names a folder|-o \S+\/jout\/ ends in '\/', so it names a folder/);
    expect(existsSync(inDir('jout'))).toBe(false);
    expect((await runCli(['score', input, '--text-column', 'review', '-o', inDir('scored.csv')])).code).toBe(0);
    expectRefusal(await runCli(['report', inDir('scored.csv'), '-o', inDir('rep/')]), /-o \S+\/rep\/ ends in '\/', so it names a folder/);
    expect(existsSync(inDir('rep'))).toBe(false);
  });

  it("a path ending in /. or /.. names a folder as one ending in / does (was: -o out/. wrote a file named out)", async () => {
    const input = file('r.csv', REVIEWS);
    // Not inDir(target): path.join would drop the dots.
    const unjoined = (target: string) => `${inDir('.')}/${target}`;
    for (const target of ['dot/.', 'dots/..']) {
      const r = await runCli(['score', input, '--text-column', 'review', '-o', unjoined(target)]);
      expectRefusal(r, new RegExp(`^sentiment-batch: -o \\S+/${target.replace(/\./g, '\\.')} ends in '${target.slice(target.indexOf('/')).replace(/\./g, '\\.')}', so it names a folder`, 'm'));
      expect(existsSync(inDir(target.split('/')[0]!))).toBe(false);
    }
    const job = file('job-dot.json', JSON.stringify({ input: 'r.csv', textColumn: 'review', output: 'jdot/.' }));
    expectRefusal(await runCli(['run', job]), /\S+\/jdot\/ ends in '\/', so it names a folder/);
    expect(existsSync(inDir('jdot'))).toBe(false);
    expect((await runCli(['score', input, '--text-column', 'review', '-o', inDir('scored-dot.csv')])).code).toBe(0);
    expectRefusal(await runCli(['report', inDir('scored-dot.csv'), '-o', unjoined('repdot/.')]), /-o \S+\/repdot\/\. ends in '\/\.', so it names a folder/);
    expect(existsSync(inDir('repdot'))).toBe(false);
  });

  it('a symbolic link to nothing where a folder should be: exit 2 naming the flag and the link, whichever path flag (was 74 for -o)', async () => {
    const input = file('r.csv', REVIEWS);
    const dangling = inDir('dangling');
    symlinkSync(inDir('nowhere'), dangling);
    const pointsNowhere = (flag: string) => `${dangling} is a symbolic link to ${inDir('nowhere')}, which leads to no folder; create the folder it points to, or choose another ${flag} (in a container, a link holding an absolute path of the host leads nowhere: make it relative)`;
    // --cache is used by Workers AI only (the embedded model ignores it): credentials for a server never reached.
    const workersAi = ['--backend', 'workers-ai', '--account-id', 'a', '--base-url', 'http://127.0.0.1:9/client/v4'];
    for (const [flag, given, more] of [
      ['-o', `${dangling}/o.csv`, []],
      ['--summary-json', `${dangling}/s.json`, ['-o', inDir('o.csv')]],
      ['--report', `${dangling}/r.html`, ['-o', inDir('o.csv')]],
      ['--cache', `${dangling}/c`, ['-o', inDir('o.csv'), ...workersAi]],
    ] as const) {
      const r = await runCli(['score', input, '--text-column', 'review', flag, given, ...more], { env: { CLOUDFLARE_API_TOKEN: 'never-sent' } });
      expect(r.code).toBe(2);
      expectCleanError(r.stderr);
      // The last line (--cache is refused once the backend is chosen, after its log line).
      expect(r.stderr.trim().split('\n').at(-1)).toBe(`sentiment-batch: ${flag} ${given}: ${pointsNowhere(flag)}`);
    }
    const report = await runCli(['report', input, '-o', `${dangling}/r.html`]);
    expectRefusal(report);
    expect(report.stderr).toBe(`sentiment-batch: -o ${dangling}/r.html: ${pointsNowhere('-o')}\n`);
    expect(existsSync(inDir('nowhere'))).toBe(false);
    expect(existsSync(inDir('o.csv.checkpoint.json'))).toBe(false);
  });

  it('--summary-json and --report into a missing folder: the folder is created, as for -o', async () => {
    const input = file('r.csv', REVIEWS);
    const r = await runCli(['score', input, '--text-column', 'review', '-o', inDir('out/o.csv'), '--summary-json', inDir('nodirX/s.json'), '--report', inDir('nodirY/r.json')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(inDir('nodirX/s.json'), 'utf8'))).toMatchObject({ status: 'done', exitCode: 0 });
    expect(JSON.parse(readFileSync(inDir('nodirY/r.json'), 'utf8')).totals.rows).toBe(2);
  });

  it('--report-by/--report-date/--report-rating naming no column: exit 2 before the run, naming the flag typed', async () => {
    const input = file('r.csv', REVIEWS);
    for (const flag of ['--report-by', '--report-date', '--report-rating']) {
      const output = inDir('o.csv');
      const r = await runCli(['score', input, '--text-column', 'review', '-o', output, '--report', inDir('rp.json'), flag, 'nope']);
      expectRefusal(r, new RegExp(`^sentiment-batch: ${flag} nope: the input has no such column; its columns are: 'id', 'review' \\(and the ones score adds to the output: 'sentiment_label', `, 'm'));
      expect(existsSync(output)).toBe(false);
      expect(existsSync(`${output}.checkpoint.json`)).toBe(false);
    }
    // The output's sentiment columns are columns of the report too.
    const ok = await runCli(['score', input, '--text-column', 'review', '-o', inDir('ok.csv'), '--report', inDir('ok.json'), '--report-by', 'sentiment_label']);
    expect(ok.code).toBe(0);
  });

  it('--report - and --summary-json - are refused (they would be files named -)', async () => {
    const input = file('r.csv', REVIEWS);
    for (const flag of ['--report', '--summary-json']) {
      const r = await runCli(['score', input, '--text-column', 'review', '-o', inDir('o.csv'), flag, '-'], { cwd: path.dirname(input) });
      expectRefusal(r, new RegExp(`${flag} - is not supported`));
    }
    expect(existsSync(inDir('-'))).toBe(false);
  });
});

describe('report: -o - and the format flag', () => {
  const { file, path: inDir } = useTempDir();

  it('report -o - writes the report to standard output and no file named -', async () => {
    const input = file('r.csv', REVIEWS);
    const scored = inDir('r.scored.csv');
    expect((await runCli(['score', input, '--text-column', 'review', '-o', scored])).code).toBe(0);
    const r = await runCli(['report', scored, '-o', '-', '--format', 'json'], { cwd: path.dirname(input) });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).totals.rows).toBe(2);
    expect(r.stderr).toMatch(/^Report: standard output\n/);
    expect(existsSync(inDir('-'))).toBe(false);
    const folder = inDir('dd');
    mkdirSync(folder);
    expectRefusal(await runCli(['report', scored, '-o', folder]), /-o \S+dd is a folder/);
    // Nor over the files the scored file's job keeps: a report over its checkpoint would make the next run start over.
    const checkpoint = `${scored}.checkpoint.json`;
    const before = readFileSync(checkpoint);
    expectRefusal(await runCli(['report', scored, '-o', checkpoint]), /would overwrite the checkpoint of the scored file's job/);
    expect(readFileSync(checkpoint).equals(before)).toBe(true);
  });

  it('a scored file without a known extension: report names its own flag, --input-format', async () => {
    const r = await runCli(['report', file('x.csv.partial', REVIEWS)]);
    expectRefusal(r, /name the format with --input-format csv\|tsv\|jsonl/);
  });
});
