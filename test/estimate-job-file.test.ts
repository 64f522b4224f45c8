import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { estimateCommand } from '../src/commands/estimate.js';
import type { Estimate } from '../src/job/estimate.js';

async function estimate(argv: string[]): Promise<Estimate> {
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const code = await estimateCommand([...argv, '--json'], { stdout, env: {}, onSignal: () => () => undefined });
  expect(code).toBe(0);
  return JSON.parse(text) as Estimate;
}

// A nightly job is a job file (`sentiment-batch run jobs/nightly.json`); `estimate jobs/nightly.json` answered
// "cannot tell the format of 'jobs/nightly.json' from its extension …; name the format with --format csv|tsv|jsonl",
// advice that would have read the job file itself as the reviews.
describe('estimate of a job file', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('estimates the job it describes: its input (relative to the job file), text column and limit', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sb-estimate-job-'));
    writeFileSync(path.join(dir, 'reviews.csv'), 'id,body\n1,This pizza is great!\n2,\n3,This pizza is great!\n4,Awful.\n5,Fine\n');
    writeFileSync(path.join(dir, 'nightly.json'), JSON.stringify({ input: 'reviews.csv', output: 'out/reviews.scored.csv', textColumn: 'body', limit: 4, report: 'out/report.html' }));
    const fromJob = await estimate([path.join(dir, 'nightly.json')]);
    const direct = await estimate([path.join(dir, 'reviews.csv'), '--text-column', 'body', '--limit', '4']);
    expect(fromJob).toEqual(direct);
    expect(fromJob).toMatchObject({ rows: 4, nonEmpty: 3, uniqueTexts: 2 });
    // A flag overrides the job file, as for run.
    expect(await estimate([path.join(dir, 'nightly.json'), '--limit', '5'])).toMatchObject({ rows: 5, uniqueTexts: 3 });
  });
});

// estimate sends nothing and shares no rate limit: a REDIS_URL of only white space (a template that filled in nothing),
// which score rightly refuses, refused estimate too (exit 2), for a variable it never reads.
describe('estimate and the environment', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads no REDIS_URL, blank or not, and still refuses a blank variable it reads', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sb-estimate-env-'));
    const input = path.join(dir, 'reviews.csv');
    writeFileSync(input, 'id,text\n1,This pizza is great!\n');
    const run = (env: NodeJS.ProcessEnv) => estimateCommand([input, '--json'], { stdout: new PassThrough(), env, onSignal: () => () => undefined });
    await expect(run({ REDIS_URL: ' \t' })).resolves.toBe(0);
    await expect(run({ CLOUDFLARE_BASE_URL: ' ' })).rejects.toThrow('CLOUDFLARE_BASE_URL is set to only white space');
  });
});

// `estimate x.json` reads a .json as a job file, as run does; an export there got run's words: "run takes a job file
// (JSON), and x.json holds a JSON array of 1 records, an export: … then score it with sentiment-batch score x.jsonl",
// where score itself gives the jq line and "run the same command on that file". Now estimate's own.
describe('estimate given an export named .json', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const refusal = async (file: string): Promise<string> => {
    try {
      await estimateCommand([file], { stdout: new PassThrough(), env: {}, onSignal: () => () => undefined });
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('not refused');
  };

  it('a JSON array: the jq line, then estimate that file', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sb-estimate-array-'));
    const file = path.join(dir, 'reviews.json');
    writeFileSync(file, '[{"id":1,"text":"good"}]');
    const lines = file.replace(/\.json$/, '.jsonl');
    expect(await refusal(file)).toBe(
      `estimate takes an export or a job file (JSON), and ${file} holds a JSON array of 1 record, an export: ` +
        `write one record per line (jq -c '.[]' ${file} > ${lines}), then estimate it with sentiment-batch estimate ${lines} (with the same options)`,
    );
  });

  it('JSON Lines named .json: estimate it with --format jsonl', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sb-estimate-lines-'));
    const file = path.join(dir, 'export-000000000000.json');
    writeFileSync(file, '{"id":1,"text":"good"}\n{"id":2,"text":"bad"}\n');
    expect(await refusal(file)).toBe(
      `estimate takes an export or a job file (JSON), and ${file} holds one JSON object per line, a JSON Lines export: to estimate it, run sentiment-batch estimate ${file} --format jsonl (with the same options)`,
    );
  });

  // BigQuery's gzip JSON Lines export (.json.gz) is no job file (one is never compressed), so estimate read it as an
  // input and gave score's extension refusal ('… reads with --format jsonl (or name it .jsonl)'), not its own line.
  it('JSON Lines named .json.gz: estimate it with --format jsonl, as a .json is told', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sb-estimate-lines-gz-'));
    const file = path.join(dir, 'export-000000000000.json.gz');
    writeFileSync(file, gzipSync('{"id":1,"text":"good"}\n{"id":2,"text":"bad"}\n'));
    expect(await refusal(file)).toBe(
      `estimate takes an export or a job file (JSON), and ${file} is gzip-compressed, an export: to estimate it, run sentiment-batch estimate ${file} --format jsonl (with the same options)`,
    );
    // Its advice works: with --format jsonl it is estimated.
    expect(await estimate([file, '--format', 'jsonl'])).toMatchObject({ rows: 2, nonEmpty: 2 });
  });
});
