import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEmbeddedModel } from '../src/scoring/embedded.js';
import { openModelFolder } from '../src/scoring/local/model-folder.js';
import { REPO_ROOT, runCli, tempDir, warnMessages } from './support/cli.js';

// Without credentials (the embedded model), `estimate --json` said "model": "@cf/huggingface/distilbert-sst-2-int8",
// the Workers AI model the run does not use, and counted the cache's texts against that model's answers whichever
// backend the run would use. It names the run's model now, as score's summary does.
const INPUT = path.join(REPO_ROOT, 'fixtures/reviews.csv');
const TINY = path.join(REPO_ROOT, 'fixtures/tiny-distilbert');

interface Figures {
  model: string;
  backend: string;
  requests: number;
  costUsd: number;
  uniqueTexts: number;
  alreadyCached: number;
  ifWorkersAi?: { model: string; requests: number };
}

describe('estimate names the model the run would use', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());

  it('embedded: the model score names, nothing sent, no cost; the Workers AI figures under their own model', async () => {
    // The id the embedded run's log and summary name (createEmbeddedScorer's).
    const runModel = loadEmbeddedModel().modelId;
    expect(runModel).toMatch(/^embedded:/);
    const json = await runCli(['estimate', INPUT, '--text-column', 'review', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const figures = JSON.parse(json.stdout) as Figures;
    expect(figures).toMatchObject({ model: runModel, backend: 'embedded', requests: 0, costUsd: 0 });
    expect(figures.ifWorkersAi).toMatchObject({ model: '@cf/huggingface/distilbert-sst-2-int8', requests: 27 });

    const plain = await runCli(['estimate', INPUT, '--text-column', 'review']);
    expect(plain.stdout).toContain(`backend: the embedded offline model, ${runModel} (no Cloudflare credentials are set): offline, no requests, no tokens, no cost`);
    expect(plain.stdout).toContain('with Workers AI (@cf/huggingface/distilbert-sst-2-int8) it would be: requests 27');
  });

  it("local: the model --model-dir holds, as the run names it; its cache counted against the run's answers, Workers AI's figures against Workers AI's", async () => {
    const { modelId } = await openModelFolder(TINY, 'flag');
    expect(modelId).toMatch(/^local:/);
    const cache = path.join(dir, 'cache');
    const summaryPath = path.join(dir, 'summary.json');
    const local = ['--text-column', 'review', '--backend', 'local', '--model-dir', TINY, '--cache', cache];
    const score = await runCli(['score', INPUT, ...local, '-o', path.join(dir, 'out.csv'), '--summary-json', summaryPath]);
    expect(score.code, score.stderr).toBe(0);
    expect((JSON.parse(readFileSync(summaryPath, 'utf8')) as { model: string }).model).toBe(modelId);

    const json = await runCli(['estimate', INPUT, ...local, '--json']);
    expect(json.code, json.stderr).toBe(0);
    const figures = JSON.parse(json.stdout) as Figures;
    expect(figures).toMatchObject({ model: modelId, backend: 'local', requests: 0, costUsd: 0, uniqueTexts: 27, alreadyCached: 27 });
    // Workers AI would find none of the local model's answers in the cache.
    expect(figures.ifWorkersAi).toMatchObject({ requests: 27 });

    // The embedded run does not read the cache: nothing counts as cached, and it is said.
    const embedded = await runCli(['estimate', INPUT, '--text-column', 'review', '--cache', cache, '--json']);
    expect(embedded.code, embedded.stderr).toBe(0);
    expect(embedded.stderr).toContain('an embedded run does not use the result cache');
    expect(JSON.parse(embedded.stdout) as Figures).toMatchObject({ alreadyCached: 0, ifWorkersAi: { requests: 27 } });
  });

  it('local with no model anywhere: estimates, and says why score would stop', async () => {
    const hub = path.join(dir, 'empty-hub');
    const json = await runCli(['estimate', INPUT, '--text-column', 'review', '--backend', 'local', '--json'], { env: { HF_HUB_CACHE: hub } });
    expect(json.code, json.stderr).toBe(0);
    expect(warnMessages(json.stderr)).toEqual([expect.stringMatching(/^score would stop here: no local model in the Hub cache.*sentiment-batch model pull/)]);
    expect((JSON.parse(json.stdout) as Figures).model).toBe('local (no usable model folder)');
  });

  // `--model` with a typo was priced at DistilBERT's rate without a word: the figures are that model's, the only one whose
  // price the tool knows. As score offline (it warns that --model is ignored and goes on), estimate goes on, and says so.
  it('a model whose price the tool does not know: the figures are said to be the default model\'s', async () => {
    const typo = '@cf/huggingface/distilbert-sst2-int8';
    const note = `'${typo}' is not a model this tool knows the price of: the neurons and cost are those of @cf/huggingface/distilbert-sst-2-int8 (the default, the model this tool reads)`;
    const offline = await runCli(['estimate', INPUT, '--text-column', 'review', '--model', typo]);
    expect(offline.code, offline.stderr).toBe(0);
    expect(offline.stdout).toContain(`with Workers AI (${typo}) it would be: requests 27`);
    expect(offline.stdout).toContain(note);
    const env = { CLOUDFLARE_ACCOUNT_ID: 'dev', CLOUDFLARE_API_TOKEN: 'dev' };
    const workersAi = await runCli(['estimate', INPUT, '--text-column', 'review', '--model', typo], { env });
    expect(workersAi.stdout).toContain(note);
    const json = await runCli(['estimate', INPUT, '--text-column', 'review', '--model', typo, '--json'], { env });
    expect(JSON.parse(json.stdout)).toMatchObject({ model: typo, pricedAs: '@cf/huggingface/distilbert-sst-2-int8' });
    const offlineJson = await runCli(['estimate', INPUT, '--text-column', 'review', '--model', typo, '--json']);
    expect(JSON.parse(offlineJson.stdout)).toMatchObject({ ifWorkersAi: { model: typo, pricedAs: '@cf/huggingface/distilbert-sst-2-int8' } });
    // The default model: no such line, no such field.
    const known = await runCli(['estimate', INPUT, '--text-column', 'review', '--json'], { env });
    expect(JSON.parse(known.stdout)).not.toHaveProperty('pricedAs');
    expect((await runCli(['estimate', INPUT, '--text-column', 'review'], { env })).stdout).not.toContain('the price of');
  });
});
