import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TINY, buildDistilbertOnnx, configJson } from '../scripts/onnx/distilbert-graph.js';
import { decodeModel, encodeModel } from '../scripts/onnx/onnx-schema.js';
import { createLogger } from '../src/log.js';
import { createLocalScorer, type LocalScorer } from '../src/scoring/local/local-scorer.js';
import { loadTokenizer } from '../src/tokenizer/index.js';
import { erf, loadReference } from './support/distilbert-reference.js';

const FIXTURE = path.resolve('fixtures/tiny-distilbert');
const log = createLogger('silent');
const tokenizer = loadTokenizer();
const reference = loadReference(path.join(FIXTURE, 'onnx/model_quantized.onnx'), TINY);

// Short, long and in between; a 600-word text is fitted to the 512-token window first.
const TEXTS = [
  'Great.',
  'Absolutely love it. The sound is crisp and the battery lasts all weekend.',
  'Stopped charging after seven days. Support never answered my emails.',
  "It does the job, nothing more. The strap feels cheap but the screen is bright.",
  'not good, not bad',
  'Ünïcödé, emoji 🎉 and CJK 中文 all go through the same tokenizer!',
  ...Array.from({ length: 30 }, (_, i) => `review ${i}: ${'the plot was slow but the acting saved it '.repeat(1 + (i % 7))}`),
  tokenizer.fitToWindow('word '.repeat(600)).text,
];

function ids(text: string): number[] {
  return tokenizer.encode(text);
}

describe('local backend on the tiny DistilBERT fixture', () => {
  let scorer: LocalScorer;
  beforeAll(async () => {
    scorer = await createLocalScorer({ modelDir: FIXTURE, origin: 'flag', device: 'cpu', threads: { workers: 1, intraOpThreads: 1 }, batch: undefined, log });
  });
  afterAll(async () => {
    await scorer?.close();
  });

  it('finds the float model independent of batching and batches 32 texts', () => {
    expect(scorer.batching).toEqual({ texts: 32, independent: true });
    expect(scorer.modelId).toMatch(/^local:distilbert-sst2-int8@sha256-[0-9a-f]{12}$/);
  });

  it('matches the plain TypeScript forward pass within 1e-4', async () => {
    let worst = 0;
    for (const text of TEXTS) {
      const got = await scorer.score(text);
      const [negative, positive] = reference.probabilities(ids(text));
      worst = Math.max(worst, Math.abs(got.positive - positive), Math.abs(got.negative - negative));
      expect(got.label).toBe(positive >= negative ? 'POSITIVE' : 'NEGATIVE');
    }
    expect(worst).toBeLessThan(1e-4);
    expect(ids(TEXTS[TEXTS.length - 1] as string).length).toBe(512);
  });

  it('gives each text the same scores alone and in a padded batch of 32', async () => {
    const batch = TEXTS.slice(0, 32);
    const lengths = batch.map((t) => ids(t).length);
    expect(Math.max(...lengths)).toBeGreaterThan(Math.min(...lengths) * 10); // real padding
    const alone = [];
    for (const text of batch) alone.push(await scorer.score(text));
    const together = await Promise.all(batch.map((text) => scorer.score(text)));
    expect(together).toEqual(alone);
  });

  it('scores varied outputs, not a constant', async () => {
    const positives = await Promise.all(TEXTS.map(async (t) => (await scorer.score(t)).positive));
    expect(new Set(positives.map((p) => p.toFixed(3))).size).toBeGreaterThan(10);
  });
});

describe('local backend: model folder problems are one clear line', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'local-model-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const open = (modelDir: string, device: 'cpu' | 'cuda' = 'cpu') =>
    createLocalScorer({ modelDir, origin: 'flag', device, threads: { workers: 1, intraOpThreads: 1 }, batch: undefined, log });

  it('a missing folder names the command that fetches the model into it', async () => {
    // Was `sentiment-batch model pull`, which fetches into the Hub cache: the same --model-dir then failed again.
    const nope = path.join(dir, 'nope');
    await expect(open(nope)).rejects.toThrow(
      `the local model folder ${nope} does not exist: run \`sentiment-batch model pull --model-dir ${nope}\` (it needs the internet), or copy a pulled model folder there`,
    );
    const empty = path.join(dir, 'empty');
    mkdirSync(empty);
    await expect(open(empty)).rejects.toThrow(`the local model folder ${empty} has no config.json: run \`sentiment-batch model pull --model-dir ${empty}\``);
  });

  it('a config without POSITIVE/NEGATIVE labels is refused', async () => {
    const copy = path.join(dir, 'labels');
    cpSync(FIXTURE, copy, { recursive: true });
    writeFileSync(path.join(copy, 'config.json'), JSON.stringify({ id2label: { 0: 'LABEL_0', 1: 'LABEL_1' } }));
    await expect(open(copy)).rejects.toThrow(/expected id2label to name exactly POSITIVE and NEGATIVE/);
  });

  // Labels numbered from 1 read a logit the model has not: every row scored 0.5 / 0.5, POSITIVE, exit 0.
  it('an id2label naming an index past the model\'s two outputs is refused at load', async () => {
    const copy = path.join(dir, 'labels-from-one');
    cpSync(FIXTURE, copy, { recursive: true });
    const config = JSON.parse(readFileSync(path.join(copy, 'config.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(path.join(copy, 'config.json'), JSON.stringify({ ...config, id2label: { 1: 'POSITIVE', 2: 'NEGATIVE' } }));
    await expect(open(copy)).rejects.toMatchObject({
      code: 'model_file',
      message:
        `${path.join(copy, 'config.json')} names POSITIVE at index 1 and NEGATIVE at index 2 of the model's output, which has 2 values per text: ` +
        '--backend local runs a two-label SST-2 classifier, whose id2label names indices 0 and 1; restore the config.json that came with the model (`sentiment-batch model pull` fetches it), or fix id2label',
    });
  });

  // A folder copied by hand (no pull record to check it) whose config.json had id2label swapped was named as before
  // the swap, by its ONNX file alone: a --cache kept answering with the old order beside new rows in the swapped one,
  // one output mixing both, exit 0. Such a model is not refused (its outputs may be in that order): it is named apart.
  it('a folder whose id2label names POSITIVE first is scored that way under a model id of its own', async () => {
    const copy = path.join(dir, 'positive-first');
    cpSync(FIXTURE, copy, { recursive: true });
    const before = await open(copy);
    const asBefore = await before.score('great phone');
    await before.close();
    const config = JSON.parse(readFileSync(path.join(copy, 'config.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(path.join(copy, 'config.json'), JSON.stringify({ ...config, id2label: { 0: 'POSITIVE', 1: 'NEGATIVE' }, label2id: { POSITIVE: 0, NEGATIVE: 1 } }));
    const swapped = await open(copy);
    try {
      expect(before.modelId).toMatch(/^local:distilbert-sst2-int8@sha256-[0-9a-f]{12}$/);
      expect(swapped.modelId).toBe(`${before.modelId}+labels-POSITIVE-NEGATIVE`);
      const answer = await swapped.score('great phone');
      expect([answer.positive, answer.negative]).toEqual([asBefore.negative, asBefore.positive]);
    } finally {
      await swapped.close();
    }
  });

  // The folder's tokenizer.json was never read: a model of another vocabulary (or one edited by hand) was fed the
  // package's bert-base-uncased ids, which mean other words to it; every row scored, exit 0.
  it('a tokenizer.json of another vocabulary than the one texts are encoded with is refused at load', async () => {
    const copy = path.join(dir, 'other-vocabulary');
    cpSync(FIXTURE, copy, { recursive: true });
    const file = path.join(copy, 'tokenizer.json');
    const tokenizerJson = JSON.parse(readFileSync(file, 'utf8')) as { model: { vocab: Record<string, number> } };
    const { good, bad } = tokenizerJson.model.vocab as { good: number; bad: number };
    Object.assign(tokenizerJson.model.vocab, { good: bad, bad: good });
    writeFileSync(file, JSON.stringify(tokenizerJson));
    await expect(open(copy)).rejects.toMatchObject({
      code: 'model_file',
      message: expect.stringMatching(
        /tokenizer\.json is not the tokenizer --backend local encodes texts with \(its token "(good|bad)" is id \d+, not \d+\): this model would be given token ids that mean other words to it, and every score would be wrong/,
      ),
    });
    // Edits that do not change the ids are no concern: the package's tokenizer encodes the texts.
    writeFileSync(file, JSON.stringify({ ...tokenizerJson, model: { ...tokenizerJson.model, vocab: { ...tokenizerJson.model.vocab, good, bad } }, truncation: { max_length: 128 } }));
    const scorer = await open(copy);
    await scorer.close();
  });

  it('a damaged ONNX file is a model_file error, not a crash', async () => {
    const copy = path.join(dir, 'damaged');
    cpSync(FIXTURE, copy, { recursive: true });
    writeFileSync(path.join(copy, 'onnx/model_quantized.onnx'), 'not a model');
    await expect(open(copy)).rejects.toMatchObject({ code: 'model_file', message: expect.stringMatching(/ONNX Runtime cannot load/) });
  });

  it('a damaged ONNX file says how to get a good one: pull again (the cache) or copy a good folder (--model-dir)', async () => {
    const copy = path.join(dir, 'damaged-remedy');
    cpSync(FIXTURE, copy, { recursive: true });
    writeFileSync(path.join(copy, 'onnx/model_quantized.onnx'), 'not a model');
    const threads = { workers: 1, intraOpThreads: 1 };
    await expect(createLocalScorer({ modelDir: copy, origin: 'cache', device: 'cpu', threads, batch: undefined, log })).rejects.toMatchObject({
      code: 'model_file',
      message: expect.stringMatching(/ONNX Runtime cannot load .*; if the file is damaged, run `sentiment-batch model pull` again: it checks each file against the Hub/),
    });
    await expect(open(copy)).rejects.toThrow(/; if the file is damaged, copy a good model folder there again \(`sentiment-batch model pull --model-dir DIR` fetches one\)$/);
  });

  // Such models loaded, then every batch failed: 'ONNX Runtime could not score a batch: input 'token_type_ids' is missing
  // in 'feeds'', an internal error (exit 1, "a bug") for a model the command chose (--repo, --model-dir).
  it.each([
    ['an extra input (a BERT export with token_type_ids)', (graph: ReturnType<typeof decodeModel>['graph']) => void graph.input.push({ ...structuredClone(graph.input[0]!), name: 'token_type_ids' }), /found the inputs input_ids, attention_mask, token_type_ids and the outputs logits/],
    ['another output name', (graph: ReturnType<typeof decodeModel>['graph']) => {
      graph.output[0]!.name = 'scores';
      for (const node of graph.node) node.output = node.output.map((o) => (o === 'logits' ? 'scores' : o));
    }, /found the inputs input_ids, attention_mask and the outputs scores/],
  ])('a model with %s is a model_file error at load, not an internal one at the first batch', async (name, change, found) => {
    const copy = path.join(dir, name.replace(/\W+/g, '-'));
    cpSync(FIXTURE, copy, { recursive: true });
    const onnx = path.join(copy, 'onnx/model_quantized.onnx');
    const model = decodeModel(readFileSync(onnx));
    change(model.graph);
    writeFileSync(onnx, encodeModel(model));
    await expect(open(copy)).rejects.toMatchObject({
      code: 'model_file',
      message: expect.stringMatching(/model_quantized\.onnx is not a model --backend local can run: expected the inputs input_ids and attention_mask and the output logits/),
    });
    await expect(open(copy)).rejects.toThrow(found);
  });

  // Said as 'a file (read) is a folder, expected a file: … (or choose another path, -o)', exit 74, naming no path.
  it('a folder where the ONNX file should be is named, not said as a file of the job (-o)', async () => {
    const copy = path.join(dir, 'onnx-is-a-folder');
    cpSync(FIXTURE, copy, { recursive: true });
    const onnx = path.join(copy, 'onnx/model_quantized.onnx');
    rmSync(onnx);
    mkdirSync(onnx);
    await expect(open(copy)).rejects.toMatchObject({ code: 'model_file', message: `${onnx} is a folder, expected the model file: copy a good model folder there, or point --model-dir at one` });
  });

  it('--device cuda without a GPU provider says so', async () => {
    await expect(open(FIXTURE, 'cuda')).rejects.toThrow(/--device cuda: no GPU execution provider is installed/);
  });
});

describe('the committed tiny fixture', () => {
  it('is exactly what the generator writes (npm run make-distilbert -- --size tiny)', () => {
    expect(Buffer.from(buildDistilbertOnnx(TINY)).equals(readFileSync(path.join(FIXTURE, 'onnx/model_quantized.onnx')))).toBe(true);
    expect(readFileSync(path.join(FIXTURE, 'config.json'), 'utf8')).toBe(configJson(TINY));
  });
});

describe('reference erf', () => {
  it('matches known values', () => {
    expect(erf(0)).toBe(0);
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 12);
    expect(erf(-1.5)).toBeCloseTo(-0.9661051464753108, 12);
    expect(erf(3.5)).toBeCloseTo(0.9999992569016276, 12);
  });
});
