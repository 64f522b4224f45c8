/**
 * A plain TypeScript forward pass of the DistilBERT classifier that
 * scripts/onnx/distilbert-graph.ts writes (float linear layers, int8 word
 * embeddings), reading the weights straight from the ONNX file. It shares no
 * code with ONNX Runtime, so agreeing with it checks the backend's inputs
 * (ids, mask, padding), the graph, and the label mapping. Double precision.
 */
import { readFileSync } from 'node:fs';
import { DataType, decodeModel, type TensorMessage } from '../../scripts/onnx/onnx-schema.js';

export interface ReferenceModel {
  /** Probabilities [NEGATIVE, POSITIVE] for one text's ids ([CLS] … [SEP]). */
  probabilities(ids: number[]): [number, number];
}

export function loadReference(onnxPath: string, shape: { layers: number; hidden: number; heads: number; ffn: number }): ReferenceModel {
  const tensors = new Map<string, TensorMessage>();
  for (const t of decodeModel(readFileSync(onnxPath)).graph.initializer) tensors.set(t.name, t);
  const floats = (name: string): Float32Array => {
    const t = tensors.get(name);
    if (!t || t.dataType !== DataType.FLOAT) throw new Error(`no float tensor ${name}`);
    return new Float32Array(new Uint8Array(t.rawData).buffer);
  };
  const int8s = (name: string): Int8Array => {
    const t = tensors.get(name);
    if (!t || t.dataType !== DataType.INT8) throw new Error(`no int8 tensor ${name}`);
    return new Int8Array(new Uint8Array(t.rawData).buffer);
  };
  const H = shape.hidden;
  const words = int8s('distilbert.embeddings.word_embeddings.weight_quantized');
  const wordScale = floats('distilbert.embeddings.word_embeddings.weight_scale')[0] as number;
  const positions = floats('distilbert.embeddings.position_embeddings.weight');
  const linear = (x: number[][], name: string): number[][] => {
    const w = floats(`${name}.weight`);
    const b = floats(`${name}.bias`);
    const outputs = b.length;
    return x.map((row) => {
      const y = Array.from(b);
      for (let i = 0; i < row.length; i++) {
        const xi = row[i] as number;
        for (let j = 0; j < outputs; j++) y[j] = (y[j] as number) + xi * (w[i * outputs + j] as number);
      }
      return y;
    });
  };
  const layerNorm = (x: number[][], name: string): number[][] => {
    const g = floats(`${name}.weight`);
    const b = floats(`${name}.bias`);
    return x.map((row) => {
      const mean = row.reduce((s, v) => s + v, 0) / row.length;
      const variance = row.reduce((s, v) => s + (v - mean) ** 2, 0) / row.length;
      const inv = 1 / Math.sqrt(variance + 1e-12);
      return row.map((v, i) => (v - mean) * inv * (g[i] as number) + (b[i] as number));
    });
  };
  const add = (a: number[][], b: number[][]): number[][] => a.map((row, t) => row.map((v, i) => v + (b[t]?.[i] as number)));

  return {
    probabilities(ids: number[]): [number, number] {
      let x = ids.map((id, t) => Array.from({ length: H }, (_, h) => Math.fround((words[id * H + h] as number) * wordScale) + (positions[t * H + h] as number)));
      x = layerNorm(x, 'distilbert.embeddings.LayerNorm');
      const heads = shape.heads;
      const d = H / heads;
      for (let layer = 0; layer < shape.layers; layer++) {
        const p = `distilbert.transformer.layer.${layer}`;
        const q = linear(x, `${p}.attention.q_lin`);
        const k = linear(x, `${p}.attention.k_lin`);
        const v = linear(x, `${p}.attention.v_lin`);
        const context = x.map(() => new Array<number>(H).fill(0));
        for (let h = 0; h < heads; h++) {
          for (let t = 0; t < ids.length; t++) {
            const scores = ids.map((_, u) => {
              let s = 0;
              for (let i = 0; i < d; i++) s += ((q[t]?.[h * d + i] as number) / Math.sqrt(d)) * (k[u]?.[h * d + i] as number);
              return s;
            });
            const top = Math.max(...scores);
            const e = scores.map((s) => Math.exp(s - top));
            const sum = e.reduce((a, b) => a + b, 0);
            const row = context[t] as number[];
            for (let u = 0; u < ids.length; u++) {
              for (let i = 0; i < d; i++) row[h * d + i] = (row[h * d + i] as number) + ((e[u] as number) / sum) * (v[u]?.[h * d + i] as number);
            }
          }
        }
        const attended = layerNorm(add(linear(context, `${p}.attention.out_lin`), x), `${p}.sa_layer_norm`);
        const inner = linear(attended, `${p}.ffn.lin1`).map((row) => row.map((z) => 0.5 * z * (1 + erf(z / Math.SQRT2))));
        x = layerNorm(add(linear(inner, `${p}.ffn.lin2`), attended), `${p}.output_layer_norm`);
      }
      const pooled = linear([x[0] as number[]], 'pre_classifier').map((row) => row.map((z) => Math.max(0, z)));
      const [negative, positive] = linear(pooled, 'classifier')[0] as [number, number];
      const top = Math.max(negative, positive);
      const n = Math.exp(negative - top);
      const pos = Math.exp(positive - top);
      return [n / (n + pos), pos / (n + pos)];
    },
  };
}

/** erf to ~1e-13: its Taylor series below 4 (cancellation stays small there), 1 beyond (erfc(4) < 2e-8). */
export function erf(x: number): number {
  const a = Math.abs(x);
  if (a >= 4) return Math.sign(x);
  let term = a;
  let sum = a;
  for (let n = 1; n < 200 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
    term *= (-a * a) / n;
    sum += term / (2 * n + 1);
  }
  return (Math.sign(x) * 2 * sum) / Math.sqrt(Math.PI);
}
