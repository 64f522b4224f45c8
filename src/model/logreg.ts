/**
 * L2-regularised logistic regression over sparse binary rows, fitted with
 * L-BFGS (full batch, so deterministic: no learning rate, no shuffling).
 */
import { sigmoid } from './predict.js';

/** Rows of feature indices in compressed sparse row form; each row's value is `rowScale[i]` on each index. */
export interface SparseRows {
  /** Row i's indices are `indices[offsets[i] .. offsets[i + 1])`. */
  offsets: Int32Array;
  indices: Int32Array;
  /** The value of every present feature of the row (e.g. 1/sqrt(nnz) for L2-normalised binary rows). */
  rowScale: Float64Array;
  /** Number of distinct feature indices (the weight vector's length). */
  dims: number;
}

/** Options of `fitLogisticRegression`. */
export interface LogRegOptions {
  /** L2 penalty on the weights (not the bias), relative to the number of rows. */
  l2: number;
  /** Per-feature multipliers of the inputs (NB log-count ratios); 1 when absent. */
  featureScale?: Float64Array;
  /** Per-row weights in the loss; 1 when absent. */
  rowWeight?: Float64Array;
  /** Stop after this many L-BFGS iterations. */
  maxIterations?: number;
  /** Stop when the relative decrease of the loss over 5 iterations is below this. */
  tolerance?: number;
  /** Called once per iteration with the current loss (for progress output). */
  onIteration?: (iteration: number, loss: number) => void;
}

export interface LogRegModel {
  /** Weight of each feature index, already multiplied by its feature scale. */
  weights: Float64Array;
  bias: number;
}

/** log(1 + exp(z)) without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/** Margin (log-odds) of row i under weights `w` (last entry = bias). */
function rowMargin(rows: SparseRows, i: number, w: Float64Array, scale: Float64Array | undefined): number {
  let sum = 0;
  const end = rows.offsets[i + 1] as number;
  for (let k = rows.offsets[i] as number; k < end; k++) {
    const j = rows.indices[k] as number;
    sum += (w[j] as number) * (scale ? (scale[j] as number) : 1);
  }
  return sum * (rows.rowScale[i] as number) + (w[rows.dims] as number);
}

/** Mean log-loss + penalty, and its gradient into `grad`. */
function lossAndGradient(
  rows: SparseRows,
  labels: Uint8Array,
  w: Float64Array,
  grad: Float64Array,
  l2: number,
  scale: Float64Array | undefined,
  rowWeight: Float64Array | undefined,
): number {
  const count = labels.length;
  let totalWeight = count;
  if (rowWeight) {
    totalWeight = 0;
    for (let i = 0; i < count; i++) totalWeight += rowWeight[i] as number;
  }
  grad.fill(0);
  let loss = 0;
  for (let i = 0; i < count; i++) {
    const z = rowMargin(rows, i, w, scale);
    const y = labels[i] as number;
    const weight = rowWeight ? (rowWeight[i] as number) : 1;
    loss += weight * (softplus(z) - y * z);
    const g = (weight * (sigmoid(z) - y)) / totalWeight;
    const gRow = g * (rows.rowScale[i] as number);
    const end = rows.offsets[i + 1] as number;
    for (let k = rows.offsets[i] as number; k < end; k++) {
      const j = rows.indices[k] as number;
      grad[j] = (grad[j] as number) + gRow * (scale ? (scale[j] as number) : 1);
    }
    grad[rows.dims] = (grad[rows.dims] as number) + g;
  }
  loss /= totalWeight;
  let penalty = 0;
  for (let j = 0; j < rows.dims; j++) {
    const wj = w[j] as number;
    penalty += wj * wj;
    grad[j] = (grad[j] as number) + l2 * wj;
  }
  return loss + 0.5 * l2 * penalty;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/** Fits the model; `labels[i]` is 1 for positive rows. */
export function fitLogisticRegression(rows: SparseRows, labels: Uint8Array, options: LogRegOptions): LogRegModel {
  const size = rows.dims + 1;
  const memory = 8;
  const maxIterations = options.maxIterations ?? 300;
  const tolerance = options.tolerance ?? 1e-6;
  const scale = options.featureScale;
  let w = new Float64Array(size);
  let grad = new Float64Array(size);
  let loss = lossAndGradient(rows, labels, w, grad, options.l2, scale, options.rowWeight);
  const sHistory: Float64Array[] = [];
  const yHistory: Float64Array[] = [];
  const rhoHistory: number[] = [];
  const losses: number[] = [loss];
  const direction = new Float64Array(size);
  const alpha = new Float64Array(memory);
  let nextW = new Float64Array(size);
  let nextGrad = new Float64Array(size);

  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    // Two-loop recursion: direction = -H * grad.
    direction.set(grad);
    for (let m = sHistory.length - 1; m >= 0; m--) {
      const a = (rhoHistory[m] as number) * dot(sHistory[m] as Float64Array, direction);
      alpha[m] = a;
      const y = yHistory[m] as Float64Array;
      for (let i = 0; i < size; i++) direction[i] = (direction[i] as number) - a * (y[i] as number);
    }
    if (sHistory.length > 0) {
      const last = sHistory.length - 1;
      const y = yHistory[last] as Float64Array;
      const gamma = dot(sHistory[last] as Float64Array, y) / dot(y, y);
      for (let i = 0; i < size; i++) direction[i] = (direction[i] as number) * gamma;
    }
    for (let m = 0; m < sHistory.length; m++) {
      const b = (rhoHistory[m] as number) * dot(yHistory[m] as Float64Array, direction);
      const s = sHistory[m] as Float64Array;
      const a = alpha[m] as number;
      for (let i = 0; i < size; i++) direction[i] = (direction[i] as number) + (s[i] as number) * (a - b);
    }
    for (let i = 0; i < size; i++) direction[i] = -(direction[i] as number);
    let slope = dot(direction, grad);
    if (slope >= 0) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      for (let i = 0; i < size; i++) direction[i] = -(grad[i] as number);
      slope = dot(direction, grad);
      sHistory.length = yHistory.length = rhoHistory.length = 0;
    }

    // Backtracking line search (Armijo condition).
    let step = iteration === 1 && sHistory.length === 0 ? 1 / Math.sqrt(Math.max(dot(grad, grad), 1e-12)) : 1;
    let nextLoss = Infinity;
    for (let tries = 0; tries < 30; tries++) {
      for (let i = 0; i < size; i++) nextW[i] = (w[i] as number) + step * (direction[i] as number);
      nextLoss = lossAndGradient(rows, labels, nextW, nextGrad, options.l2, scale, options.rowWeight);
      if (nextLoss <= loss + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(nextLoss < loss)) break; // no progress possible

    const s = new Float64Array(size);
    const y = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      s[i] = (nextW[i] as number) - (w[i] as number);
      y[i] = (nextGrad[i] as number) - (grad[i] as number);
    }
    const sy = dot(s, y);
    if (sy > 1e-12) {
      if (sHistory.length === memory) {
        sHistory.shift();
        yHistory.shift();
        rhoHistory.shift();
      }
      sHistory.push(s);
      yHistory.push(y);
      rhoHistory.push(1 / sy);
    }
    [w, nextW] = [nextW, w];
    [grad, nextGrad] = [nextGrad, grad];
    loss = nextLoss;
    losses.push(loss);
    options.onIteration?.(iteration, loss);
    const old = losses[losses.length - 6];
    if (old !== undefined && (old - loss) / Math.max(Math.abs(loss), 1e-12) < tolerance) break;
  }

  const weights = new Float64Array(rows.dims);
  for (let j = 0; j < rows.dims; j++) weights[j] = (w[j] as number) * (scale ? (scale[j] as number) : 1);
  return { weights, bias: w[rows.dims] as number };
}
