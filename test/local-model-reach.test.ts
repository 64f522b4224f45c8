import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TINY, buildDistilbertOnnx, configJson, type DistilbertShape } from '../scripts/onnx/distilbert-graph.js';
import { createLogger } from '../src/log.js';
import { createLocalScorer } from '../src/scoring/local/local-scorer.js';
import { TOKENIZER_VOCABULARY } from '../src/scoring/local/reach-probe.js';
import { defaultTokenizerPath } from '../src/tokenizer/index.js';
import { runCli } from './support/cli.js';

// A model folder without tokenizer.json (taken as it is) whose model has a smaller vocabulary than the tokenizer's, or
// fewer than 512 positions, loaded: the first text holding a rare token (the load-time batching probe's own, here), or
// longer than the model's positions, failed its batch, 'ONNX Runtime could not score a batch:
// … Gather … indices element out of data bounds, idx=2023 must be within the inclusive range [-1000,999]', exit 1 (a
// bug), with ONNX Runtime's own '[E:onnxruntime:, sequential_executor.cc:671 ExecuteKernel] …' line in red before it.
describe('a model that cannot take every text the tokenizer gives it', () => {
  let dir: string;
  const log = createLogger('silent');
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sb-reach-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const folderOf = (name: string, shape: DistilbertShape): string => {
    const folder = path.join(dir, name);
    mkdirSync(path.join(folder, 'onnx'), { recursive: true });
    writeFileSync(path.join(folder, 'onnx/model_quantized.onnx'), buildDistilbertOnnx(shape));
    writeFileSync(path.join(folder, 'config.json'), configJson(shape));
    return folder;
  };
  const open = (folder: string, workers = 1) => createLocalScorer({ modelDir: folder, origin: 'flag', device: 'cpu', threads: { workers, intraOpThreads: 1 }, batch: undefined, log });

  it('knows the bundled tokenizer vocabulary size', () => {
    const bundled = JSON.parse(readFileSync(defaultTokenizerPath(), 'utf8')) as { model: { vocab: Record<string, number> } };
    expect(Object.keys(bundled.model.vocab).length).toBe(TOKENIZER_VOCABULARY);
  });

  it.each([1, 2])('a model of a vocabulary of 1000 tokens is a model_file error at load, naming the file, not an internal one at a batch (%i workers)', async (workers) => {
    const folder = folderOf(`vocabulary-${workers}`, { ...TINY, vocab: 1000 });
    await expect(open(folder, workers)).rejects.toMatchObject({
      code: 'model_file',
      message: expect.stringMatching(
        new RegExp(`^${path.join(folder, 'onnx/model_quantized\\.onnx')} cannot score token id ${TOKENIZER_VOCABULARY - 1}, which the tokenizer gives \\(ONNX Runtime: .*\\): a model of a smaller vocabulary fails on every text holding such a token; --backend local runs exports of distilbert-base-uncased \\(30522 tokens, 512 positions\\)`),
      ),
    });
  });

  // A text over 128 tokens failed its batch: 'ONNX Runtime could not score a batch: … Attempting to broadcast an axis by
  // a dimension other than 1. 128 by 512', exit 1, the rows before it written.
  it('a model whose config.json gives it 128 positions is a model_file error at load, naming config.json', async () => {
    const folder = folderOf('positions', { ...TINY, maxPositions: 128 });
    await expect(open(folder)).rejects.toMatchObject({
      code: 'model_file',
      message: `${path.join(folder, 'config.json')} gives the model 128 positions (max_position_embeddings): texts are cut to 512 tokens (Workers AI's window, --long-text), and every longer than 128 would fail; --backend local runs exports of distilbert-base-uncased (30522 tokens, 512 positions): use an export with that interface (docs/local-model.md, --repo)`,
    });
  });

  it('the CLI: exit 2, and no line of ONNX Runtime', async () => {
    const folder = folderOf('cli-vocab', { ...TINY, vocab: 1000 });
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, 'id,review\n1,great\n');
    const result = await runCli(['score', input, '--text-column', 'review', '--backend', 'local', '--model-dir', folder, '-o', path.join(dir, 'out.csv'), '--log-format', 'json']);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toContain('onnxruntime:');
    // --log-format json: every line is the run's own JSON, ONNX Runtime's red line was not.
    const plain = result.stderr.split('\n').filter((line) => line !== '' && !line.startsWith('{'));
    expect(plain).toEqual([]);
    expect(result.stderr).toMatch(/cannot score token id 30521, which the tokenizer gives/);
  });
});
