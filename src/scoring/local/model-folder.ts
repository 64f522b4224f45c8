/**
 * A local model folder, as `model pull` leaves it in the Hub cache or as a
 * user copied it (--model-dir): config.json (labels) and onnx/model_quantized.onnx.
 * Its identity, `local:<name>@<revision>`, goes into checkpoints, the summary
 * and the result cache so answers of different models are never mixed.
 */
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { readAccessRemedy } from '../../wording/not-readable.js';
import path from 'node:path';
import { SentimentBatchError } from '../../errors.js';
import { describeSnapshotPath } from '../../hub/cache-layout.js';
import { hashFile, type FileHash } from '../../hub/file-hash.js';
import { DEFAULT_REPO, ONNX_FILE } from '../../hub/hub-env.js';
import { PULL_RECORD, checkAgainstPull, readPullRecord } from '../../hub/pull-record.js';
import { checkTokenizerFits } from './tokenizer-fit.js';
import { untrainedNote } from './untrained-mark.js';
import { kindOf } from '../../wording/file-kind.js';
import { jsonTypeName } from '../../io/dotted-path.js';

export interface ModelFolder {
  dir: string;
  onnxPath: string;
  /** Output index of each label in `logits`. */
  positiveIndex: number;
  negativeIndex: number;
  modelId: string;
  /** config.json's words when it says the model is not a trained one (untrained-mark.ts): start-up warns of it. */
  untrained?: string;
  /** config.json's `max_position_embeddings` when a number (reach-probe.ts holds it to the window): read with the labels. */
  positions?: number;
}

const PULL = 'sentiment-batch model pull';

/** Validates the folder; a missing folder or file says which command fetches it (`setting`: what points at a copy). */
export async function openModelFolder(dir: string, origin: 'flag' | 'cache', setting = '--model-dir'): Promise<ModelFolder> {
  const remedy = origin === 'cache' ? `run \`${PULL}\` once (it needs the internet), or point ${setting} at a copy` : `run \`${PULL} --model-dir ${dir}\` (it needs the internet), or copy a pulled model folder there`;
  if (!existsSync(dir)) throw modelError(`the local model folder ${dir} does not exist: ${remedy}`);
  // A file there was said to be a folder without config.json.
  const kind = statSync(dir);
  if (!kind.isDirectory()) throw modelError(`the local model folder ${dir} is ${kindOf(kind)}, not a folder: ${remedy}`);
  const onnxPath = path.join(dir, ONNX_FILE);
  const configPath = path.join(dir, 'config.json');
  for (const file of [configPath, onnxPath]) {
    if (!existsSync(file)) throw modelError(`the local model folder ${dir} has no ${path.relative(dir, file)}: ${remedy}`);
    checkReadable(file, setting);
  }
  // A pull's record this user may not read was taken for none: the folder was used unchecked, a changed file scored as the pull.
  if (existsSync(path.join(dir, PULL_RECORD))) checkReadable(path.join(dir, PULL_RECORD), setting);
  const snapshot = describeSnapshotPath(path.resolve(dir));
  const record = readPullRecord(dir);
  // The ONNX file's sha256 is read once: it names a folder outside the cache, and the pull's record checks it.
  const onnxHash = !snapshot || record ? await hashFile(onnxPath, 'sha256') : undefined;
  // tokenizer.json too when there (a folder without one is taken as it is): one cut short was 'cannot be read as a
  // tokenizer (… JSON at position 1000)', with no word of the pull that restores it.
  const checked = ['config.json', ONNX_FILE, ...(existsSync(path.join(dir, 'tokenizer.json')) ? ['tokenizer.json'] : [])];
  if (checked.length > 2) checkReadable(path.join(dir, 'tokenizer.json'), setting);
  if (record) await checkAgainstPull(dir, record, checked, repullRemedy(dir, origin, record, snapshot !== undefined, setting), new Map(onnxHash ? [[ONNX_FILE, onnxHash]] : []));
  checkTokenizerFits(
    dir,
    origin === 'cache'
      ? `if it was edited, run \`${PULL}\` again: it fetches it afresh`
      : `if it was edited, copy a good model folder there (\`${PULL} --model-dir DIR\` fetches one); a model of another vocabulary needs another tool`,
  );
  const { positiveIndex, negativeIndex, untrained, positions } = readConfig(configPath);
  const modelId = `${modelIdOf(snapshot, onnxHash)}${labelOrderMark(positiveIndex)}`;
  return { dir, onnxPath, positiveIndex, negativeIndex, modelId, ...(untrained !== undefined ? { untrained } : {}), ...(positions !== undefined ? { positions } : {}) };
}

/**
 * How to get back the files a pull recorded: the cache's `main` is pulled again; a folder, at the commit it holds. A
 * folder of one's own may be changed on purpose (it is then named by its ONNX file's content); a cache snapshot is
 * named by its commit, so a changed copy belongs in a folder of its own.
 */
function repullRemedy(dir: string, origin: 'flag' | 'cache', record: { repo: string; commit: string }, inCache: boolean, setting: string): string {
  const onPurpose = inCache
    ? `to score with a changed copy, put it in a folder of its own and point ${setting} at it`
    : `if you changed it on purpose, delete ${path.join(dir, PULL_RECORD)} to use the folder as it is`;
  if (origin === 'cache') return `run \`${PULL}\` again: it checks each file against the Hub and fetches a damaged one afresh (${onPurpose})`;
  const repo = record.repo === DEFAULT_REPO ? '' : ` --repo ${record.repo}`;
  return `run \`${PULL} --model-dir ${dir}${repo} --revision ${record.commit}\` to fetch it afresh, or copy a good model folder there (${onPurpose})`;
}

/**
 * A model file this user may not read (a volume of another user's, files 0600) was said as a folder not writable,
 * with -o to write elsewhere (the ONNX file), or as config.json 'is not valid JSON (EACCES …)'; a folder in the file's
 * place as 'a file (read) is a folder'. Each now names the file and what to do.
 */
function checkReadable(file: string, setting: string): void {
  // A named pipe there was said to be a folder too.
  const stats = statSync(file);
  if (!stats.isFile()) throw modelError(`${file} is ${kindOf(stats)}, expected the model file: copy a good model folder there, or point ${setting} at one`);
  try {
    accessSync(file, constants.R_OK);
  } catch (error) {
    throw modelError(
      `cannot read ${file} (${(error as NodeJS.ErrnoException).code === 'EACCES' ? 'permission denied' : ((error as NodeJS.ErrnoException).code ?? (error as Error).message)}): ${readAccessRemedy(file)}, ` +
        `or point ${setting} at a copy it can read`,
    );
  }
}

/** config.json, read once: its labels, its untrained mark and its window (`max_position_embeddings`). */
function readConfig(configPath: string): { positiveIndex: number; negativeIndex: number; untrained: string | undefined; positions: number | undefined } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(configPath, 'utf8'));
  } catch (error) {
    throw modelError(`${configPath} is not valid JSON (${(error as Error).message})`);
  }
  // `null` there was read for its id2label: a TypeError, said as an internal error with its stack (exit 1).
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw modelError(`${configPath} holds ${jsonTypeName(parsed)}, expected a JSON object with id2label: copy a good model folder there`);
  }
  const config = parsed as { id2label?: Record<string, unknown>; max_position_embeddings?: unknown };
  const labels = new Map<string, number>();
  for (const [index, label] of Object.entries(config.id2label ?? {})) {
    if (typeof label === 'string' && /^\d+$/.test(index)) labels.set(label.trim().toUpperCase(), Number(index));
  }
  const positiveIndex = labels.get('POSITIVE');
  const negativeIndex = labels.get('NEGATIVE');
  if (labels.size !== 2 || positiveIndex === undefined || negativeIndex === undefined) {
    throw modelError(`${configPath}: expected id2label to name exactly POSITIVE and NEGATIVE (an SST-2 classifier), got ${JSON.stringify(config.id2label ?? null)}`);
  }
  const positions = typeof config.max_position_embeddings === 'number' ? config.max_position_embeddings : undefined;
  return { positiveIndex, negativeIndex, untrained: untrainedNote(config), positions };
}

/**
 * `local:distilbert-sst2-int8@<commit>` for the default export pulled into the
 * Hub cache, `local:<name>@<commit>` for another repo; a folder outside the
 * cache is named by its ONNX file's content (`@sha256-<12 hex>`), so a copy
 * keeps the identity of what it holds.
 */
function modelIdOf(snapshot: { repo: string; commit: string } | undefined, onnxHash: FileHash | undefined): string {
  if (snapshot) {
    const name = snapshot.repo === DEFAULT_REPO ? 'distilbert-sst2-int8' : snapshot.repo.split('/')[1];
    return `local:${name}@${snapshot.commit}`;
  }
  return `local:distilbert-sst2-int8@sha256-${(onnxHash as FileHash).actual.slice(0, 12)}`;
}

/**
 * The id names the labels' order when it is not the export's own (NEGATIVE 0, POSITIVE 1): the ONNX file or the
 * commit alone named a folder whose config.json had id2label swapped (copied by hand, so no pull record checked it)
 * as the folder before the swap, and a --cache or a resumed job mixed both orders' answers in one output under one
 * id. Nothing is refused: a model whose outputs are in that order is scored, as a model of its own.
 */
function labelOrderMark(positiveIndex: number): string {
  return positiveIndex === 0 ? '+labels-POSITIVE-NEGATIVE' : '';
}

function modelError(message: string): SentimentBatchError {
  return new SentimentBatchError('model_file', message);
}
