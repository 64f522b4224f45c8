import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Figures } from '../src/report/index.js';
import { startServer, type RunningServer } from '../src/server/index.js';
import { runCli, tempDir, type CliResult } from './support/cli.js';
import { syntheticCsv } from './support/reviews.js';
import { TestScorer } from './support/test-scorer.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/**
 * How a run that completed with failed rows ends: over --max-error-rate it is
 * exit 5 however small the input (the windowed guard waits for 50 rows), and
 * rows left failed are always pointed out with what a rerun does about them.
 * The status `report` gives such an output agrees (it reads the same runs).
 */
describe('the outcome of a run with failed rows (built CLI)', () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer;
  const env = () => workersAiEnv(server);
  const summaryOf = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  /**
   * For runs whose outcome does not hang on the rate: the default 2,000 rpm spaces requests 27 ms apart (a second
   * for 40 rows). Not on the unreachable-service runs below: there the spacing may decide whether the error-rate guard
   * stops the run before its last row is sent, and the two tests' verdicts differ on just that.
   */
  const FAST = ['--rpm', '100000'];
  /**
   * A run two tests read (the outcome here, the report's status below), made once by whichever asks first; its
   * output folder is copied aside after it, and `restore` puts that copy back at the same path (the input stays
   * outside it, untouched: the checkpoint knows its modification time).
   */
  const sharedRun = (folder: string, run: () => Promise<CliResult>) => {
    let result: Promise<CliResult> | undefined;
    const start = async () => {
      const done = await run();
      cpSync(path.join(dir, folder), path.join(dir, `${folder}-aside`), { recursive: true });
      return done;
    };
    return {
      result: () => (result ??= start()),
      restore: () => {
        rmSync(path.join(dir, folder), { recursive: true, force: true });
        cpSync(path.join(dir, `${folder}-aside`), path.join(dir, folder), { recursive: true });
      },
    };
  };
  /** 30 rows (2 of them empty) that all fail: exit 5, output complete, its --summary-json not beside the output. */
  const smallOutput = () => path.join(dir, 'small', 'small.out.csv');
  const smallSummary = () => path.join(dir, 'small', 'small.json');
  const smallArgs = () => ['score', path.join(dir, 'small.csv'), '--text-column', 'review', '-o', smallOutput(), '--max-attempts', '1', '--summary-json', smallSummary(), '--log-level', 'warn', ...FAST];
  const smallOutage = sharedRun('small', async () => {
    writeFileSync(path.join(dir, 'small.csv'), syntheticCsv(30, { duplicateEvery: 0, emptyEvery: 15 }));
    server.setFaults({ seed: 3, failRate: 1 });
    try {
      return await runCli(smallArgs(), { env: env() });
    } finally {
      server.setFaults({ seed: 3 });
    }
  });
  /** 40 rows, 5 of which fail (500, code 3043): exit 0, its --summary-json beside the output. */
  const mostlyOutput = () => path.join(dir, 'mostly', 'mostly.out.csv');
  const mostlySummary = () => `${mostlyOutput()}.summary.json`;
  const mostly = sharedRun('mostly', async () => {
    writeFileSync(path.join(dir, 'mostly.csv'), syntheticCsv(40, { duplicateEvery: 0, emptyEvery: 0, marker: (i) => (i % 8 === 3 ? ' OUTAGE' : '') }));
    server.setFaults({ seed: 3, rules: [{ textIncludes: 'OUTAGE', respond: { status: 500, code: 3043 } }] });
    try {
      return await runCli(['score', path.join(dir, 'mostly.csv'), '--text-column', 'review', '-o', mostlyOutput(), '--max-attempts', '1', '--summary-json', mostlySummary(), '--log-level', 'warn', ...FAST], { env: env() });
    } finally {
      server.setFaults({ seed: 3 });
    }
  });

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    server = await startServer({ scorer: new TestScorer(), seed: 3 });
  });
  afterAll(async () => {
    await server.close();
    cleanup();
  });

  it('30 rows that all fail in an outage: exit 5 with a complete output; the same command mends them once the service is back', async () => {
    const output = smallOutput();
    const summaryJson = smallSummary();
    const args = smallArgs();

    // The outage (all requests 500), shared with the report's status test; its files as it left them.
    const outage = await smallOutage.result();
    smallOutage.restore();
    expect(outage.code).toBe(5);
    expect(outage.stdout).toMatch(/^Finished, but too many rows failed: .*small\.out\.csv\n/);
    expect(outage.stdout).toContain('rows 30: scored 0, skipped 2, failed 28');
    expect(outage.stdout).toContain('28 of 28 rows sent to the model failed in this run (limit --max-error-rate 0.5)');
    // The service answered (500): it was reachable.
    expect(outage.stdout).not.toContain('could not be reached');
    expect(outage.stdout.trimEnd().split('\n').at(-1)).toBe('  28 rows failed transiently: run the same command again to re-score just those rows');
    expect(summaryOf(summaryJson)).toMatchObject({ status: 'failed', exitCode: 5, outputComplete: true, failedRows: { retry: 28, final: 0 } });
    expect(existsSync(output)).toBe(true);

    server.setFaults({ seed: 3 });
    const mended = await runCli(args, { env: env() });
    expect(mended.code).toBe(0);
    expect(mended.stdout).toContain('mended 28 rows that had failed transiently (0 rows still failed)');
    expect(summaryOf(summaryJson)).toMatchObject({ status: 'done', exitCode: 0, failedRows: { retry: 0, final: 0 } });
    expect(readFileSync(output, 'utf8')).not.toMatch(/http_500/);
  });

  it('a service that cannot be reached at all: exit 5, and the stop says the service could not be reached', async () => {
    // A port nothing listens on: every request is refused before it is sent.
    const gone = await startServer({ scorer: new TestScorer() });
    const baseURL = gone.baseURL;
    await gone.close();
    const input = path.join(dir, 'down.csv');
    writeFileSync(input, syntheticCsv(120, { duplicateEvery: 0, emptyEvery: 0 }));
    const output = path.join(dir, 'down.out.csv');
    const summaryJson = path.join(dir, 'down.json');
    const args = ['score', input, '--text-column', 'review', '-o', output, '--max-attempts', '1', '--log-level', 'warn', '--summary-json', summaryJson];
    const down = await runCli(args, { env: { ...env(), CLOUDFLARE_BASE_URL: baseURL } });
    expect(down.code).toBe(5);
    // Nothing left this machine: no request, token or neuron is counted as sent.
    expect(down.stdout).toMatch(/requests sent 0 \(answered 0 /);
    expect(down.stdout).toContain('sent with retries 0');
    expect(summaryOf(summaryJson)).toMatchObject({ totals: { requests: 0, tokens: 0, neurons: 0 } });
    const last = down.stdout.trimEnd().split('\n').at(-1) as string;
    expect(last).toMatch(/^ {2}the service could not be reached: the last \d+ rows sent failed without a connection \(Network error talking to http:\/\/127\.0\.0\.1:\d+ \(connect ECONNREFUSED /);
    expect(last).toContain('check that it is up and the base URL, then run the same command again');
    expect(last).toMatch(/rows sent to the model failed \(limit --max-error-rate 0\.5\)/);
  });

  it('a service that cannot be reached, too few rows for the stop mid-run: the verdict on the complete output does not send to the error column', async () => {
    const gone = await startServer({ scorer: new TestScorer() });
    const baseURL = gone.baseURL;
    await gone.close();
    const input = path.join(dir, 'down-small.csv');
    writeFileSync(input, syntheticCsv(20, { duplicateEvery: 0, emptyEvery: 0 }));
    const args = ['score', input, '--text-column', 'review', '-o', path.join(dir, 'down-small.out.csv'), '--max-attempts', '1', '--log-level', 'warn'];
    const down = await runCli(args, { env: { ...env(), CLOUDFLARE_BASE_URL: baseURL } });
    expect(down.code).toBe(5);
    const verdict = down.stdout.trimEnd().split('\n').at(-2) as string;
    expect(verdict).toMatch(/^ {2}the service could not be reached: the last 20 rows sent failed without a connection .*; check that it is up and the base URL, then run the same command again \(20 of 20 rows sent to the model failed in this run/);
    // Before: "…; the output is complete: see the sentiment_error column)", beside "20 rows failed transiently: run the same command again";
    // then "…: the service is failing: run the same command again once it answers (…))", a second cause after the first.
    expect(verdict).toMatch(/; the output is complete: the rerun re-scores just the rows that failed transiently\)$/);
    expect(down.stdout).not.toContain('see the sentiment_error column');
  });

  it('a mend that fails again is no success either', async () => {
    const input = path.join(dir, 'again.csv');
    writeFileSync(input, syntheticCsv(10, { duplicateEvery: 0, emptyEvery: 0 }));
    const args = ['score', input, '--text-column', 'review', '-o', path.join(dir, 'again.out.csv'), '--max-attempts', '1', '--log-level', 'warn', ...FAST];
    server.setFaults({ seed: 3, failRate: 1 });
    try {
      const first = await runCli(args, { env: env() });
      expect(first.code).toBe(5);
      // All 500s: both verdicts say the service is failing, not "see the sentiment_error column".
      expect(first.stdout).toContain('10 of 10 rows sent to the model failed in this run (limit --max-error-rate 0.5); the output is complete: the service is failing: run the same command again once it answers (it re-scores just the rows that failed transiently)\n');
      const again = await runCli(args, { env: env() });
      expect(again.code).toBe(5);
      // Judged as the output is, over the whole job, as the first run was (not on the mend's rows alone).
      expect(again.stdout).toContain('10 of 10 rows sent to the model failed in the whole job (limit --max-error-rate 0.5); the output is complete: the service is failing: run the same command again once it answers (it re-scores just the rows that failed transiently)\n');
    } finally {
      server.setFaults({ seed: 3 });
    }
  });

  it('--max-errors on JSON lines with --prefix mood: the message names the "error" inside the "mood" field, and one row in the singular', async () => {
    const input = path.join(dir, 'mood.jsonl');
    writeFileSync(input, Array.from({ length: 20 }, (_, i) => `{"id":${i},"text":"review ${i} of the mood test"}\n`).join(''));
    const output = path.join(dir, 'mood.out.jsonl');
    const args = ['score', input, '-o', output, '--prefix', 'mood', '--max-errors', '1', '--max-attempts', '1', '--concurrency', '1', '--log-level', 'warn'];
    // Refused for their text (400): running again changes nothing, so the message sends the reader to the errors.
    server.setFaults({ seed: 3, rules: [{ textIncludes: 'of the mood test', respond: { status: 400 } }] });
    try {
      const r = await runCli(args, { env: env() });
      expect(r.code).toBe(5);
      expect(r.stdout).toContain('more than 1 row failed (--max-errors); see the "error" inside the "mood" field of the partial output and the log');
      // An outage (500s) instead: the same stop says to run again once the service answers.
      server.setFaults({ seed: 3, failRate: 1 });
      const outage = await runCli([...args.slice(0, 3), `${output}.2`, ...args.slice(4)], { env: env() });
      expect(outage.code).toBe(5);
      expect(outage.stdout).toContain('more than 1 row failed (--max-errors); the service is failing: run the same command again once it answers (it continues where this run stopped');
      // The rows written say what kept failing, with one attempt in the singular.
      const firstOfOutage = JSON.parse(readFileSync(`${output}.2.partial`, 'utf8').split('\n')[0] as string) as { mood: { error: { message: string } } };
      expect(firstOfOutage.mood.error.message).toMatch(/\(gave up after 1 attempt\)$/);
    } finally {
      server.setFaults({ seed: 3 });
    }
  });

  it('a CSV read as JSON lines is refused at startup (exit 3), not "Done" with a failure per row', async () => {
    const input = path.join(dir, 'reviews.csv');
    writeFileSync(input, syntheticCsv(33, { duplicateEvery: 0, emptyEvery: 0 }));
    const output = path.join(dir, 'rj.jsonl');
    const r = await runCli(['score', input, '--format', 'jsonl', '-o', output, '--backend', 'embedded', '--log-level', 'warn']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('none of the first 34 non-blank lines is a JSON object, so this is not JSON Lines: give the format with --format csv');
    expect(existsSync(`${output}.partial`)).toBe(false);
  });

  it.each([
    ['a pretty-printed JSON array', '[\n  {"text": "great"},\n  {"text": "awful"}\n]\n', "the first line is '[' alone: this is one JSON document (an array, or pretty-printed), not JSON Lines; write one object per line, e.g. jq -c '.[]' in.json > in.jsonl"],
    ['a one-line JSON array (named in the singular)', '[{"text":"a"},{"text":"b"}]\n', "the first non-blank line is not a JSON object, so this is not JSON Lines: it looks like a JSON array: write one object per line, e.g. jq -c '.[]' in.json > in.jsonl"],
    // Was told to give --format csv or tsv: each line a JSON string that holds an object (encoded twice, as some log pipelines write them).
    ['JSON Lines encoded twice', '"{\\"text\\":\\"great\\"}"\n"{\\"text\\":\\"awful\\"}"\n', "none of the first 2 non-blank lines is a JSON object, so this is not JSON Lines: its lines are JSON strings that hold an object (encoded twice): decode them, e.g. jq -c 'fromjson' in.jsonl > decoded.jsonl"],
    // Was told to give --format csv or tsv: UTF-16 without a byte-order mark (every other byte NUL), as the CSV header check names it.
    ['JSON Lines in UTF-16 without a byte-order mark', Buffer.from('{"text":"great"}\n{"text":"awful"}\n', 'utf16le'), 'so this is not JSON Lines: its lines hold NUL bytes: the file looks like UTF-16 (little-endian, no byte-order mark) or binary data; save it as UTF-8 text, e.g. iconv -f UTF-16LE -t UTF-8 ARRAY.jsonl > ARRAY-utf8.jsonl'],
    // Was told to give --format csv or tsv: its lines are JSON objects, ended by CR alone (classic Mac OS), which JSON Lines does not use.
    ['JSON Lines ended by CR alone', '{"text":"great"}\r{"text":"awful"}\r', "the first non-blank line is not a JSON object, so this is not JSON Lines: its lines seem to end in CR alone (classic Mac OS line endings), which JSON Lines does not use: end them with LF, e.g. tr '\\r' '\\n' < in.jsonl > lf.jsonl"],
    // Was told to give --format csv or tsv: a script's print(record) of dicts, Python's repr (single quotes, None, True),
    // where json.dumps was meant: the one change that makes it JSON Lines was not named.
    [
      'Python dicts written with print()',
      "{'id': 1, 'review': {'text': 'great', 'verified': True}}\n{'id': 2, 'review': {'text': \"it's awful\", 'verified': None}}\n",
      "none of the first 2 non-blank lines is a JSON object, so this is not JSON Lines: its first line is a Python dict as print() or str() writes it (single quotes; None, True, False), not JSON: write each record with json.dumps(record), or convert the lines, e.g. python3 -c 'import ast, json, sys; [print(json.dumps(ast.literal_eval(l), ensure_ascii=False)) for l in sys.stdin if l.strip()]' < in.jsonl > fixed.jsonl",
    ],
    // Was told to give --format csv or tsv: each object followed by a comma (a JSON array's records, brackets removed).
    [
      'JSON objects each followed by a comma',
      '{"text":"great"},\n{"text":"awful"},\n',
      "none of the first 2 non-blank lines is a JSON object, so this is not JSON Lines: its lines end in a comma after the object, as the records of a JSON array do with its brackets removed: remove it, e.g. sed 's/,[[:space:]]*$//' in.jsonl > fixed.jsonl",
    ],
    // Was told the export looked cut short: one line of objects written with no line break between them.
    [
      'JSON objects with no line break between them',
      '{"text":"great"}{"text":"awful"}{"text":"fine"}',
      'the first non-blank line is not a JSON object, so this is not JSON Lines: its first line holds several JSON objects one after another, with no line break between them (a script that wrote json.dumps(record) without "\\n"?): write one per line, e.g. jq -c . in.jsonl > fixed.jsonl',
    ],
  ])('%s saved as .jsonl is refused at startup with the way to convert it', async (_what, content, message) => {
    const input = path.join(dir, 'array.jsonl');
    writeFileSync(input, content);
    const r = await runCli(['score', input, '-o', path.join(dir, 'array.out.jsonl'), '--backend', 'embedded']);
    expect(r.code).toBe(3);
    // The conversion names the file itself (e2e-utf16-advice.test.ts).
    expect(r.stderr).toContain(message.replaceAll('ARRAY', path.join(dir, 'array')));
  });

  it('failures under the rate: exit 0, and the last line says how many failed and that a rerun retries just those', async () => {
    // The run (OUTAGE rows answered 500, code 3043) is shared with the report's status test; its files as it left them.
    const r = await mostly.result();
    mostly.restore();
    const summaryJson = mostlySummary();
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Done: /);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('  5 rows failed transiently: run the same command again to re-score just those rows');
    expect(summaryOf(summaryJson)).toMatchObject({ status: 'done', exitCode: 0, failedRows: { retry: 5, final: 0 } });
  });

  /** The status a report gives is the run's verdict: a run that ended exit 5 is not `done`, even with its output complete. */
  describe('report: the status agrees with the run', () => {
    const at = (name: string) => path.join(dir, name);
    const runOf = async (args: string[]) => {
      const report = await runCli(['report', ...args]);
      expect(report.code).toBe(0);
      const output = args[args.indexOf('-o') + 1]!;
      return output.endsWith('.json') ? (JSON.parse(readFileSync(output, 'utf8')) as Figures).run : readFileSync(output, 'utf8');
    };

    it('every row failed (exit 5, output complete): failed, from the summary (with exit 5) and from the checkpoint alone', async () => {
      // The outage run of "30 rows that all fail" above, its files as it left them.
      const run = await smallOutage.result();
      smallOutage.restore();
      expect(run.code).toBe(5);
      const [output, summary] = [smallOutput(), smallSummary()];
      expect(existsSync(output)).toBe(true);
      expect(await runOf([output, '--summary', summary, '-o', at('s-report.json')])).toMatchObject({ source: summary, status: 'failed', exitCode: 5 });
      expect(await runOf([output, '--summary', summary, '-o', at('s-report.html')])).toContain('status <span data-figure="run.status">failed (exit 5)</span>');
      // No summary found beside it (small.json is not small.out.csv.summary.json): the checkpoint's counts judge, as the job does.
      expect(await runOf([output, '-o', at('c-report.json')])).toMatchObject({ source: `${output}.checkpoint.json`, status: 'failed', exitCode: null });
      expect(await runOf([output, '-o', at('c-report.html')])).toContain('status <span data-figure="run.status">failed</span>');
    });

    it('some rows failed, within the limits (exit 0): done from the summary; from the checkpoint, complete (it does not know the limits)', async () => {
      // The run of "failures under the rate" above, its files as it left them.
      expect((await mostly.result()).code).toBe(0);
      mostly.restore();
      const output = mostlyOutput();
      expect(await runOf([output, '-o', at('m-report.json')])).toMatchObject({ source: mostlySummary(), status: 'done', exitCode: 0 });
      rmSync(mostlySummary());
      expect(await runOf([output, '-o', at('m-report.json')])).toMatchObject({ source: `${output}.checkpoint.json`, status: 'complete', exitCode: null });
    });

    it('no row failed: done from the checkpoint too', async () => {
      writeFileSync(at('clean.csv'), syntheticCsv(20, { duplicateEvery: 0, emptyEvery: 0 }));
      expect((await runCli(['score', at('clean.csv'), '--text-column', 'review', '-o', at('clean.out.csv'), '--log-level', 'warn', ...FAST], { env: env() })).code).toBe(0);
      expect(await runOf([at('clean.out.csv'), '-o', at('clean-report.json')])).toMatchObject({ status: 'done', exitCode: null });
    });
  });
});
