import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, spawnCli, tempDir } from './support/cli.js';
import { syntheticCsv } from './support/reviews.js';
import { scoreInBuiltProcess } from './support/score-in-built-process.js';

/** One line on stderr, no Node parseArgs text, no stack trace. */
function expectOneLine(stderr: string): void {
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/ERR_PARSE_ARGS|ambiguous|internal error|\n\s+at /);
}

describe('flags that used to surprise (built CLI, embedded model)', () => {
  let dir: string;
  let cleanup: () => void;
  let input: string;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    input = path.join(dir, 'in.csv');
    writeFileSync(input, syntheticCsv(40));
  });
  afterEach(() => cleanup());

  it('refuses a bare number as a duration', async () => {
    for (const flag of ['--timeout', '--grace', '--checkpoint-interval']) {
      const r = await runCli(['score', input, '--text-column', 'review', flag, '30']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${flag} expects a duration, a number with a unit: ms, s, m or h (500ms, 30s, 2m, 1h), got '30'`);
      expectOneLine(r.stderr);
    }
    const job = path.join(dir, 'job.json');
    writeFileSync(job, JSON.stringify({ input: 'in.csv', textColumn: 'review', timeout: 30 }));
    const r = await runCli(['run', job]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"timeout" expects a duration, a number with a unit: ms, s, m or h (500ms, 30s, 2m, 1h), got 30');
  });

  it('refuses a job file giving a key twice: exit 2, one line naming the key and both lines', async () => {
    const job = path.join(dir, 'twice.json');
    writeFileSync(job, '{\n  "input": "in.csv",\n  "textColumn": "review",\n  "prefix": "a",\n  "prefix": "b"\n}\n');
    const r = await runCli(['run', job]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`sentiment-batch: job file ${job}: "prefix" is given twice, on lines 4 and 5; keep one\n`);
  });

  it('answers an unknown or malformed flag with one line of its own and a did-you-mean', async () => {
    const typo = await runCli(['score', input, '--rmp', '50']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe("sentiment-batch: unknown option '--rmp' for score (did you mean --rpm?); see sentiment-batch score --help\n");
    const negative = await runCli(['score', input, '--rpm', '-5']);
    expect(negative.code).toBe(2);
    expect(negative.stderr).toBe("sentiment-batch: --rpm expects a positive integer, got '-5'\n");
    const command = await runCli(['scroe', input]);
    expect(command.code).toBe(2);
    expect(command.stderr).toContain("unknown command 'scroe' (did you mean score?)");
    for (const r of [typo, negative, command]) expectOneLine(r.stderr);
  });

  it("'help COMMAND' prints that command's help, as 'COMMAND --help' does; 'help' of no command is refused with the list", async () => {
    // Was: 'help score' printed the general help, which sends the reader to 'score --help'.
    for (const command of ['score', 'run', 'estimate', 'report', 'serve', 'model']) {
      const [viaHelp, viaFlag] = await Promise.all([runCli(['help', command]), runCli([command, '--help'])]);
      expect(viaHelp.stdout).toBe(viaFlag.stdout);
      expect(viaHelp.code).toBe(viaFlag.code);
    }
    const unknown = await runCli(['help', 'scroe']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe("sentiment-batch: unknown command 'scroe' (did you mean score?); expected score, run, estimate, report, model, serve (see --help)\n");
  });

  // A file name with spaces after a flag's value (`--text-column body Reviews - Sheet1.csv`): its first word is not the
  // rest of the value (`--text-column 'body Reviews'`), as the file is there; the quotes go around the file's name.
  it('a spaced file name after a value is told to be quoted, not taken for the rest of the value', async () => {
    writeFileSync(path.join(dir, 'Reviews - Sheet1.csv'), 'id,body\n1,good\n');
    const r = await runCli(['score', '--text-column', 'body', 'Reviews', '-', 'Sheet1.csv'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "sentiment-batch: score takes one input, got 3: Reviews - Sheet1.csv; it is one file name with spaces, which needs quotes: sentiment-batch score 'Reviews - Sheet1.csv' ...\n",
    );
  });

  // The export named first, with no command (`sentiment-batch reviews.csv`, as other tools take a file): the list of
  // commands alone did not say which one scores it.
  it('an export or a job file named in place of the command is told the command that takes it', async () => {
    const csv = await runCli(['reviews.csv', '--text-column', 'review']);
    expect(csv.code).toBe(2);
    expect(csv.stderr).toBe(
      "sentiment-batch: unknown command 'reviews.csv'; expected score, run, estimate, report, model, serve (see --help): to score the file, name the command first: sentiment-batch score reviews.csv\n",
    );
    const job = await runCli(['jobs/nightly.json']);
    expect(job.stderr).toBe(
      "sentiment-batch: unknown command 'jobs/nightly.json'; expected score, run, estimate, report, model, serve (see --help): to run a job file, name the command first: sentiment-batch run jobs/nightly.json\n",
    );
  });

  it('-o - writes the records to standard output, the same bytes as a file, and keeps no checkpoint', async () => {
    // The file to compare with is made in this process (support/score-in-built-process.ts): -o - is the subject, spawned.
    const file = path.join(dir, 'file.csv');
    expect((await scoreInBuiltProcess([input, '--text-column', 'review', '-o', file])).code).toBe(0);
    const before = new Set(readdirSync(dir));
    const r = await runCli(['score', input, '--text-column', 'review', '-o', '-']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(file, 'utf8'));
    // The summary and the logs are on standard error; nothing new beside the input.
    expect(r.stderr).toMatch(/Done: standard output/);
    expect(r.stderr).toMatch(/no checkpoint is kept, so this run cannot be resumed/);
    expect(new Set(readdirSync(dir))).toEqual(before);
    // Standard input to standard output.
    const piped = await runCli(['score', '-', '--format', 'csv', '--text-column', 'review', '-o', '-'], { input: readFileSync(input) });
    expect(piped.code).toBe(0);
    expect(piped.stdout).toBe(readFileSync(file, 'utf8'));
  });

  it('-o - interrupted says the next run starts from the beginning, never that a checkpoint was saved', async () => {
    const big = path.join(dir, 'big.csv');
    writeFileSync(big, `id,text\n${Array.from({ length: 300_000 }, (_, i) => `${i},great product number ${i}`).join('\n')}\n`);
    const child = spawnCli(['score', big, '-o', '-']);
    // Interrupt once records are flowing.
    await new Promise<void>((resolve) => child.stdout?.once('data', () => resolve()));
    child.kill('SIGINT');
    const r = await child.result;
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/stopped by SIGINT; standard output keeps no checkpoint: (?:the 1 row written there is|the [\d,]+ rows written there are) all this run leaves, and the next run scores every row again, from the first; to keep a run's progress, write to a file \(-o FILE\)/);
    expect(r.stderr).toMatch(/standard input or output: no checkpoint is kept/);
    expect(r.stderr).not.toMatch(/checkpoint is saved|saving the checkpoint/);
  }, 60_000);

  it('refuses an output named for another format, and a compressed output, saying what to do', async () => {
    const jsonl = await runCli(['score', input, '--text-column', 'review', '-o', path.join(dir, 'out.jsonl')]);
    expect(jsonl.code).toBe(2);
    expect(jsonl.stderr).toMatch(/out\.jsonl is named as JSONL but the records would be written as CSV.*name the output \.csv/);
    expect(existsSync(path.join(dir, 'out.jsonl'))).toBe(false);
    expect(existsSync(path.join(dir, 'out.jsonl.partial'))).toBe(false);
    const gz = await runCli(['score', input, '--text-column', 'review', '-o', path.join(dir, 'out.csv.gz')]);
    expect(gz.code).toBe(2);
    expect(gz.stderr).toMatch(/compressed output is not supported.*gzip it afterwards, or use -o - \| gzip/);
    for (const r of [jsonl, gz]) expectOneLine(r.stderr);
  });

  it('--format overriding the extension, with -o left out: the default output is named for the format', async () => {
    const tabs = path.join(dir, 'tabs.csv');
    writeFileSync(tabs, 'id\treview\n1\tgreat, works well\n');
    // The names of the files written are the subject, not how the runs end: they score in this process.
    const r = await scoreInBuiltProcess([tabs, '--format', 'tsv', '--text-column', 'review']);
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(dir, 'tabs.scored.tsv'), 'utf8')).toMatch(/^id\treview\tsentiment_label\t.*\n1\tgreat, works well\tPOSITIVE\t/);
    const bare = path.join(dir, 'data');
    writeFileSync(bare, readFileSync(input));
    expect((await scoreInBuiltProcess([bare, '--format', 'csv', '--text-column', 'review'])).code).toBe(0);
    expect(readFileSync(path.join(dir, 'data.scored.csv'), 'utf8').split('\n')).toHaveLength(42);
  });

  it('estimate reads standard input, lists and accepts only its own options, and prices the embedded model as free', async () => {
    const fromFile = await runCli(['estimate', input, '--text-column', 'review', '--json']);
    const fromStdin = await runCli(['estimate', '-', '--format', 'csv', '--text-column', 'review', '--json'], { input: readFileSync(input) });
    expect(fromStdin.code).toBe(0);
    expect(JSON.parse(fromStdin.stdout)).toEqual(JSON.parse(fromFile.stdout));
    const figures = JSON.parse(fromFile.stdout) as { rows: number; backend: string; costUsd: number; requests: number; ifWorkersAi: { requests: number } };
    expect(figures).toMatchObject({ rows: 40, backend: 'embedded', costUsd: 0, requests: 0 });
    expect(figures.ifWorkersAi.requests).toBeGreaterThan(0);
    const human = await runCli(['estimate', input, '--text-column', 'review']);
    expect(human.stdout).toMatch(/backend: the embedded offline model, embedded:sst2-nblr-lex-v\d+ \(no Cloudflare credentials are set\): offline, no requests, no tokens, no cost/);

    const help = await runCli(['estimate', '--help']);
    expect(help.code).toBe(0);
    const options = help.stdout.slice(help.stdout.indexOf('Options:'), help.stdout.indexOf('Environment:'));
    expect(options).toMatch(/--json/);
    expect(options).toMatch(/--text-column/);
    for (const scoreOnly of ['--output', '--timeout', '--restart', '--summary-json', '--concurrency', '--progress']) expect(help.stdout).not.toContain(scoreOnly);
    // Its own texts: estimate writes no output and keeps no checkpoint.
    expect(options).toMatch(/--limit VALUE +count only the first N records/);
    expect(options).toMatch(/--backend VALUE +auto \| workers-ai \| embedded \| local: the backend to estimate for/);
    // The cache keeps Workers AI's answers by address: the run's --base-url decides which are cached (estimate-base-url.test.ts).
    expect(options).toMatch(/--base-url VALUE +the Workers AI-compatible API base the run would use/);
    expect(options).not.toMatch(/output|checkpoint/);

    const refused = await runCli(['estimate', input, '--text-column', 'review', '-o', path.join(dir, 'x.csv')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--output: an option of score that estimate does not use/);
    expectOneLine(refused.stderr);
  });
});
