/**
 * Load-time checks that the model takes every text the tokenizer can give it: the tokenizer's highest token id, and
 * the 512-token window. A model folder without tokenizer.json is taken as it is (tokenizer-fit.ts), and the batching
 * probe feeds 7 common tokens: a model of a smaller vocabulary or fewer positions (another export, a model trained
 * with a shorter window) loaded and scored rows until the first text holding a rare token or longer than its
 * positions, whose batch failed ('Gather … indices element out of data bounds'): exit 1, said as a bug, hours in.
 * The window is config.json's `max_position_embeddings` (BERT-family configs carry it; model-folder.ts reads it with
 * the labels, so the file is read once): a 512-token probe text kept about 60 MB more in a worker for the whole run
 * (ONNX Runtime's arena keeps what a batch needed).
 */
import path from 'node:path';
import { SentimentBatchError } from '../../errors.js';
import { CLS_ID, MODEL_WINDOW_TOKENS, SEP_ID } from '../../tokenizer/index.js';
import { BatchFailedError, type WorkerPool } from './worker-pool.js';

/** Tokens in the bundled tokenizer's vocabulary (bert-base-uncased's); tokenizer-fit.ts holds a folder's to it. */
export const TOKENIZER_VOCABULARY = 30522;

const INTERFACE = `--backend local runs exports of distilbert-base-uncased (${TOKENIZER_VOCABULARY} tokens, ${MODEL_WINDOW_TOKENS} positions): use an export with that interface (docs/local-model.md, --repo)`;

/** Scores [CLS] <the highest token id> [SEP]: a model of a smaller vocabulary refuses it. */
export async function checkVocabularyReach(pool: WorkerPool, onnxPath: string): Promise<void> {
  const highest = BigInt(TOKENIZER_VOCABULARY - 1);
  try {
    await pool.run(1, 3, BigInt64Array.of(BigInt(CLS_ID), highest, BigInt(SEP_ID)), BigInt64Array.of(1n, 1n, 1n));
  } catch (error) {
    if (!(error instanceof BatchFailedError)) throw error;
    throw new SentimentBatchError(
      'model_file',
      `${onnxPath} cannot score token id ${highest}, which the tokenizer gives (ONNX Runtime: ${error.detail.replace(/[\s.]+$/, '')}): ` +
        `a model of a smaller vocabulary fails on every text holding such a token; ${INTERFACE}`,
    );
  }
}

/** A config.json that gives the model fewer positions than the window texts are cut to (`positions`: as model-folder.ts read it). */
export function checkWindowFits(folder: { dir: string; positions?: number }): void {
  const { positions } = folder;
  if (positions === undefined || positions >= MODEL_WINDOW_TOKENS) return;
  const file = path.join(folder.dir, 'config.json');
  throw new SentimentBatchError(
    'model_file',
    `${file} gives the model ${positions} positions (max_position_embeddings): texts are cut to ${MODEL_WINDOW_TOKENS} tokens ` +
      `(Workers AI's window, --long-text), and every longer than ${positions} would fail; ${INTERFACE}`,
  );
}
