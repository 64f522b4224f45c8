import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
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
