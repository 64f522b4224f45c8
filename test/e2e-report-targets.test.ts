import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli, tempDir } from './support/cli.js';

const FIXTURE = path.join(REPO_ROOT, 'fixtures/reviews.csv');

/**
 * `report -o` never replaces a file of the job it reports on, nor writes HTML under another format's name.
 * (The scored file and the files beside it: e2e-report.test.ts.)
 */
describe('report -o: the job\'s files and the name\'s format', () => {
  let dir: string;
  let cleanup: () => void;
  const at = (name: string) => path.join(dir, name);
  const inputBytes = readFileSync(FIXTURE);

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir('sb-report-targets-'));
    // An export whose name says no format (read as CSV by --format), scored from inside its folder: the checkpoint
    // names it relative to there. Another, scored with its summary beside the output.
    copyFileSync(FIXTURE, at('export'));
    copyFileSync(FIXTURE, at('reviews.csv'));
    const runs = [
      ['score', 'export', '--format', 'csv', '--text-column', 'review', '-o', 'export.scored.csv', '--backend', 'embedded'],
      ['score', 'reviews.csv', '--text-column', 'review', '--summary-json', 'reviews.summary.json', '--backend', 'embedded'],
    ];
    for (const args of runs) expect((await runCli(args, { cwd: dir })).code).toBe(0);
  });
  afterAll(() => cleanup());

  it("-o naming the job's input (as its checkpoint names it) is refused, exit 2, from any folder", async () => {
    const here = await runCli(['report', 'export.scored.csv', '-o', 'export'], { cwd: dir });
    expect(here.code).toBe(2);
    expect(here.stderr).toBe('sentiment-batch: -o export would overwrite the input export of the run that wrote export.scored.csv; choose another path\n');
    const elsewhere = await runCli(['report', at('export.scored.csv'), '-o', at('export')]);
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.stderr).toContain('would overwrite the input export of the run that wrote');
    expect(readFileSync(at('export'))).toEqual(inputBytes);
  });

  it("a name in another working folder that only shares the input's name is not the input: written, exit 0", async () => {
    // The checkpoint names the input 'export', relative to the folder the run was started in (dir); from another
    // folder, -o export is a new file there (and an existing file of that name there is another file).
    const { dir: elsewhere, cleanup: removeElsewhere } = tempDir('sb-report-elsewhere-');
    try {
      const scored = path.relative(elsewhere, at('export.scored.csv'));
      const fresh = await runCli(['report', scored, '-o', 'export'], { cwd: elsewhere });
      expect(fresh.stderr).toBe('');
      expect(fresh.code).toBe(0);
      expect(readFileSync(path.join(elsewhere, 'export'), 'utf8')).toMatch(/^<!doctype html>/);
      // An earlier page, as reports were written before their generator mark (someone's other file is refused: test/e2e-replace-refusals.test.ts).
      const page = readFileSync(path.join(elsewhere, 'export'), 'utf8');
      writeFileSync(path.join(elsewhere, 'export'), page.replace(/<meta name="generator"[^>]*>\n/, '').replace('<h1>', '<h1>old '));
      const replaced = await runCli(['report', scored, '-o', 'export'], { cwd: elsewhere });
      expect(replaced.code).toBe(0);
      expect(readFileSync(path.join(elsewhere, 'export'), 'utf8')).toMatch(/^<!doctype html>/);
      expect(readFileSync(path.join(elsewhere, 'export'), 'utf8')).not.toContain('<h1>old ');
      expect(readFileSync(at('export'))).toEqual(inputBytes);
    } finally {
      removeElsewhere();
    }
  });

  it('-o naming the summary the report reads, or any run summary, is refused, exit 2', async () => {
    const summary = readFileSync(at('reviews.summary.json'));
    const own = await runCli(['report', 'reviews.scored.csv', '-o', 'reviews.summary.json'], { cwd: dir });
    expect(own.code).toBe(2);
    expect(own.stderr).toBe('sentiment-batch: -o reviews.summary.json would overwrite the run summary reviews.summary.json the report reads; choose another path\n');
    const other = await runCli(['report', 'export.scored.csv', '-o', 'reviews.summary.json'], { cwd: dir });
    expect(other.code).toBe(2);
    expect(other.stderr).toBe('sentiment-batch: -o reviews.summary.json would overwrite a run summary written by --summary-json; choose another path\n');
    expect(readFileSync(at('reviews.summary.json'))).toEqual(summary);
    // The input named by the summary (reviews.csv) is refused too, by its name's format first.
    const input = await runCli(['report', 'reviews.scored.csv', '-o', 'reviews.csv'], { cwd: dir });
    expect(input.code).toBe(2);
    expect(readFileSync(at('reviews.csv'))).toEqual(inputBytes);
  });

  it('-o ending in another format is refused, and so is one contradicting --format; none is written', async () => {
    const cases: Array<[string[], string]> = [
      [['-o', 'r.pdf'], '-o r.pdf: a report is an HTML page or JSON, not a .pdf file; end the name in .html or .json'],
      [['-o', 'r.CSV'], '-o r.CSV: a report is an HTML page or JSON, not a .csv file; end the name in .html or .json'],
      [['-o', 'r.html', '--format', 'json'], '-o r.html names an HTML file, but --format json writes JSON: end it in .json, or drop --format'],
      [['-o', 'r.json', '--format', 'html'], '-o r.json names a JSON file, but --format html writes HTML: end it in .html, or drop --format'],
    ];
    for (const [flags, line] of cases) {
      const result = await runCli(['report', 'reviews.scored.csv', ...flags], { cwd: dir });
      expect(result.code, flags.join(' ')).toBe(2);
      expect(result.stderr).toBe(`sentiment-batch: ${line}\n`);
      expect(existsSync(at(flags[1]!))).toBe(false);
    }
  });

  it('score --report ending in another format is refused the same way, exit 2, before any row is scored', async () => {
    for (const name of ['r2.pdf', 'r2.CSV']) {
      const output = at(`refused-${name}.scored.csv`);
      const result = await runCli(['score', 'reviews.csv', '--text-column', 'review', '-o', output, '--report', name, '--backend', 'embedded'], { cwd: dir });
      expect(result.code, name).toBe(2);
      expect(result.stderr).toBe(`sentiment-batch: --report ${name}: a report is an HTML page or JSON, not a ${path.extname(name).toLowerCase()} file; end the name in .html or .json\n`);
      expect(existsSync(at(name))).toBe(false);
      expect(existsSync(output)).toBe(false);
      expect(existsSync(`${output}.partial`)).toBe(false);
    }
  });

  it('extensionless, .htm, .json and -o - still work as documented', async () => {
    expect((await runCli(['report', 'reviews.scored.csv', '-o', 'plain'], { cwd: dir })).code).toBe(0);
    expect(readFileSync(at('plain'), 'utf8')).toMatch(/^<!doctype html>/);
    expect((await runCli(['report', 'reviews.scored.csv', '-o', 'plain.json', '--format', 'json'], { cwd: dir })).code).toBe(0);
    expect(JSON.parse(readFileSync(at('plain.json'), 'utf8'))).toHaveProperty('totals');
    expect((await runCli(['report', 'reviews.scored.csv', '-o', 'data', '--format', 'json'], { cwd: dir })).code).toBe(0);
    expect(JSON.parse(readFileSync(at('data'), 'utf8'))).toHaveProperty('totals');
    expect((await runCli(['report', 'reviews.scored.csv', '-o', 'page.htm'], { cwd: dir })).code).toBe(0);
    const piped = await runCli(['report', 'reviews.scored.csv', '-o', '-', '--format', 'json'], { cwd: dir });
    expect(piped.code).toBe(0);
    expect(JSON.parse(piped.stdout)).toHaveProperty('totals');
  });
});

describe('report: a flag that takes one value, given twice', () => {
  it('takes the last, as score does (a wrapper\'s defaults, then the caller\'s own); --text-column repeats', async () => {
    const { dir, cleanup } = tempDir('sb-report-twice-');
    try {
      const scored = path.join(dir, 'r.scored.csv');
      expect((await runCli(['score', FIXTURE, '--text-column', 'review', '-o', scored, '--backend', 'embedded'])).code).toBe(0);
      const last = await runCli(['report', scored, '--format', 'html', '--format', 'json', '-o', path.join(dir, 'a.html'), '-o', path.join(dir, 'r.json')]);
      expect(last.code).toBe(0);
      expect(existsSync(path.join(dir, 'a.html'))).toBe(false);
      expect(JSON.parse(readFileSync(path.join(dir, 'r.json'), 'utf8'))).toHaveProperty('totals');
      const joined = await runCli(['report', scored, '--text-column', 'title', '--text-column', 'review', '-o', path.join(dir, 'r.html')]);
      expect(joined.code).toBe(0);
    } finally {
      cleanup();
    }
  });
});

