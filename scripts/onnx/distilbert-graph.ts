/**
 * Builds a DistilBERT sequence classifier as an ONNX model with the interface
 * of the transformers.js export of distilbert-base-uncased-finetuned-sst-2-english
 * (inputs `input_ids` and `attention_mask`, int64 [batch, sequence]; output
 * `logits` [batch, 2]) and its structure: word + position embeddings, layer
 * norm, N transformer blocks (multi-head self-attention, GELU feed-forward,
 * post-layer norms), [CLS] → pre_classifier → ReLU → classifier.
 *
 * Weights are random from a fixed seed: speed does not depend on their values,
 * and a reference forward pass (test/support) checks the runtime's answers.
 * The word embeddings are int8 (Gather + DequantizeLinear) as in the quantized
 * export, which keeps the committed tiny fixture small. With `quantized`, every
 * linear layer is the quantized export's dynamic int8 form
 * (DynamicQuantizeLinear → MatMulInteger → rescale), for speed measurements.
 */
import { createRng, type Rng } from '../../src/model/rng.js';
import { UNTRAINED_WORDS } from '../../src/scoring/local/untrained-mark.js';
import { GraphBuilder } from './graph-builder.js';
import { DataType, encodeModel, type ValueInfoMessage } from './onnx-schema.js';

export interface DistilbertShape {
  layers: number;
  hidden: number;
  heads: number;
  ffn: number;
  vocab: number;
  maxPositions: number;
  /** Linear layers as int8 MatMulInteger (the quantized export's operators) instead of float MatMul. */
  quantized: boolean;
  seed: number;
}

/** DistilBERT-base: the size of the real model (66 M parameters). */
export const FULL_SIZE: DistilbertShape = { layers: 6, hidden: 768, heads: 12, ffn: 3072, vocab: 30522, maxPositions: 512, quantized: true, seed: 7 };
/** Small enough to commit, same structure and vocabulary. */
export const TINY: DistilbertShape = { layers: 2, hidden: 16, heads: 2, ffn: 32, vocab: 30522, maxPositions: 512, quantized: false, seed: 13 };

export const LABELS = { 0: 'NEGATIVE', 1: 'POSITIVE' } as const;
const LAYER_NORM_EPSILON = 1e-12;
// DistilBERT masks padded positions with the smallest float before the softmax.
const MASKED = -3.4028234663852886e38;

export function buildDistilbertOnnx(shape: DistilbertShape): Uint8Array {
  const g = new GraphBuilder();
  const rng = createRng(shape.seed);
  const { hidden, heads } = shape;
  const headSize = hidden / heads;
  if (!Number.isInteger(headSize)) throw new Error(`hidden ${hidden} is not a multiple of heads ${heads}`);

  const linear = (x: string, name: string, inputs: number, outputs: number, gain = 1): string => {
    const weight = uniform(rng, inputs * outputs, gain * Math.sqrt(3 / inputs));
    const bias = uniform(rng, outputs, 0.1);
    const b = g.floats(`${name}.bias`, [outputs], bias);
    if (!shape.quantized) return g.op('Add', [g.op('MatMul', [x, g.floats(`${name}.weight`, [inputs, outputs], weight)]), b]);
    const q = quantizeInt8(weight);
    const wq = g.int8s(`${name}.weight_quantized`, [inputs, outputs], q.values);
    const ws = g.scalar(`${name}.weight_scale`, q.scale);
    const wz = g.int8s(`${name}.weight_zero_point`, [], new Int8Array([0]));
    const [xq, xs, xz] = g.node('DynamicQuantizeLinear', [x], {}, 3) as [string, string, string];
    const product = g.op('Cast', [g.op('MatMulInteger', [xq, wq, xz, wz])], { to: DataType.FLOAT });
    return g.op('Add', [g.op('Mul', [product, g.op('Mul', [xs, ws])]), b]);
  };
  const layerNorm = (x: string, name: string): string => {
    const gamma = Float32Array.from({ length: hidden }, () => 1 + (rng() - 0.5) * 0.2);
    const beta = uniform(rng, hidden, 0.05);
    return g.op('LayerNormalization', [x, g.floats(`${name}.weight`, [hidden], gamma), g.floats(`${name}.bias`, [hidden], beta)], {
      axis: -1,
      epsilon: { float: LAYER_NORM_EPSILON },
    });
  };

  // Embeddings: int8 word embeddings (as in the quantized export) + float positions.
  const words = quantizeInt8(uniform(rng, shape.vocab * hidden, 1));
  const wordTable = g.int8s('distilbert.embeddings.word_embeddings.weight_quantized', [shape.vocab, hidden], words.values);
  const wordScale = g.scalar('distilbert.embeddings.word_embeddings.weight_scale', words.scale);
  const wordZero = g.int8s('distilbert.embeddings.word_embeddings.weight_zero_point', [], new Int8Array([0]));
  const wordVectors = g.op('DequantizeLinear', [g.op('Gather', [wordTable, 'input_ids']), wordScale, wordZero]);
  const positionTable = g.floats('distilbert.embeddings.position_embeddings.weight', [shape.maxPositions, hidden], uniform(rng, shape.maxPositions * hidden, 0.5));
  const sequenceLength = g.op('Gather', [g.op('Shape', ['input_ids']), g.int64s('one_index', [], [1])], { axis: 0 });
  const positions = g.op('Range', [g.int64s('zero_i64', [], [0]), sequenceLength, g.int64s('one_i64', [], [1])]);
  const positionVectors = g.op('Gather', [positionTable, positions]);
  let x = layerNorm(g.op('Add', [wordVectors, positionVectors]), 'distilbert.embeddings.LayerNorm');

  // [batch, 1, 1, sequence]: 0 where attended, the smallest float where padded.
  const maskFloat = g.op('Cast', ['attention_mask'], { to: DataType.FLOAT });
  const maskAdd = g.op('Mul', [g.op('Sub', [g.scalar('one_f32', 1), maskFloat]), g.scalar('masked_f32', MASKED)]);
  const maskBias = g.op('Unsqueeze', [maskAdd, g.int64s('mask_axes', [2], [1, 2])]);
  const splitHeads = g.int64s('split_heads_shape', [4], [0, 0, heads, headSize]);
  const mergeHeads = g.int64s('merge_heads_shape', [3], [0, 0, hidden]);
  const scale = g.scalar('attention_scale', Math.sqrt(headSize));

  for (let layer = 0; layer < shape.layers; layer++) {
    const p = `distilbert.transformer.layer.${layer}`;
    const heads4 = (name: string, perm: number[]): string =>
      g.op('Transpose', [g.op('Reshape', [linear(x, `${p}.attention.${name}`, hidden, hidden), splitHeads])], { perm });
    const q = g.op('Div', [heads4('q_lin', [0, 2, 1, 3]), scale]);
    const k = heads4('k_lin', [0, 2, 3, 1]);
    const v = heads4('v_lin', [0, 2, 1, 3]);
    const weights = g.op('Softmax', [g.op('Add', [g.op('MatMul', [q, k]), maskBias])], { axis: -1 });
    const context = g.op('Reshape', [g.op('Transpose', [g.op('MatMul', [weights, v])], { perm: [0, 2, 1, 3] }), mergeHeads]);
    const attended = layerNorm(g.op('Add', [linear(context, `${p}.attention.out_lin`, hidden, hidden), x]), `${p}.sa_layer_norm`);
    const inner = linear(attended, `${p}.ffn.lin1`, hidden, shape.ffn);
    const gelu = g.op('Mul', [g.op('Mul', [inner, g.scalar(`${p}.half`, 0.5)]), g.op('Add', [g.op('Erf', [g.op('Div', [inner, g.scalar(`${p}.sqrt2`, Math.SQRT2)])]), g.scalar(`${p}.one`, 1)])]);
    x = layerNorm(g.op('Add', [linear(gelu, `${p}.ffn.lin2`, shape.ffn, hidden), attended]), `${p}.output_layer_norm`);
  }

  const cls = g.op('Gather', [x, g.int64s('cls_index', [], [0])], { axis: 1 });
  const pooled = g.op('Relu', [linear(cls, 'pre_classifier', hidden, hidden)]);
  g.output('logits', linear(pooled, 'classifier', hidden, 2, 3));

  return encodeModel({
    irVersion: 8,
    producerName: 'sentiment-batch scripts/make-distilbert-onnx',
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'distilbert_sst2_random',
      node: g.nodes,
      initializer: g.initializers,
      input: [int64Input('input_ids'), int64Input('attention_mask')],
      output: [floatOutput('logits', ['batch_size', 2])],
    },
  });
}

/** config.json as the export has it: what the backend reads (labels, sizes). */
export function configJson(shape: DistilbertShape): string {
  const config = {
    architectures: ['DistilBertForSequenceClassification'],
    model_type: 'distilbert',
    dim: shape.hidden,
    hidden_dim: shape.ffn,
    n_heads: shape.heads,
    n_layers: shape.layers,
    vocab_size: shape.vocab,
    max_position_embeddings: shape.maxPositions,
    id2label: { '0': LABELS[0], '1': LABELS[1] },
    label2id: { [LABELS[0]]: 0, [LABELS[1]]: 1 },
    // The words start-up warns of (untrained-mark.ts): a run scoring with these weights is told its labels are noise.
    _comment: `random weights (seed ${shape.seed}) ${UNTRAINED_WORDS}`,
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

function uniform(rng: Rng, length: number, bound: number): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = (rng() * 2 - 1) * bound;
  return out;
}

/** Symmetric per-tensor int8, as dynamic quantization stores weights. */
function quantizeInt8(values: Float32Array): { values: Int8Array; scale: number } {
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, Math.abs(values[i] as number));
  const scale = Math.fround(max / 127 || 1);
  const out = new Int8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Math.max(-127, Math.min(127, Math.round((values[i] as number) / scale)));
  return { values: out, scale };
}

function int64Input(name: string): ValueInfoMessage {
  return { name, type: { tensorType: { elemType: DataType.INT64, shape: { dim: [{ dimParam: 'batch_size' }, { dimParam: 'sequence_length' }] } } } };
}

function floatOutput(name: string, dims: Array<string | number>): ValueInfoMessage {
  const dim = dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType: DataType.FLOAT, shape: { dim } } } };
}
