/**
 * Calibration and its measures. The ensemble's members give margins; a
 * logistic regression over those margins (Platt scaling with one slope per
 * member), fitted on sentences no member was trained on, turns them into
 * probabilities that mean what they say.
 */
import { sigmoid } from './predict.js';

export interface Combiner {
  weights: number[];
  bias: number;
}

/** Solves the small dense system A x = b (Gaussian elimination with partial pivoting). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i] as number]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    const p = m[col]![col]!;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r]![col]! / p;
      for (let c = col; c <= n; c++) m[r]![c] = m[r]![c]! - f * m[col]![c]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}

/**
 * Fits P(positive) = sigmoid(bias + sum_k weights[k] * margins[i][k]) by
 * Newton's method, with a tiny ridge so that separable data stays finite.
 */
export function fitCombiner(margins: readonly number[][], labels: readonly number[], ridge = 1e-3): Combiner {
  const k = margins[0]?.length ?? 0;
  let theta = new Array<number>(k + 1).fill(0); // [bias, w1..wk]
  for (let iteration = 0; iteration < 50; iteration++) {
    const grad = new Array<number>(k + 1).fill(0);
    const hess = Array.from({ length: k + 1 }, () => new Array<number>(k + 1).fill(0));
    margins.forEach((z, i) => {
      const x = [1, ...z];
      const p = sigmoid(x.reduce((s, v, j) => s + v * theta[j]!, 0));
      const g = p - (labels[i] as number);
      const h = p * (1 - p);
      for (let a = 0; a <= k; a++) {
        grad[a]! += g * x[a]!;
        for (let b = 0; b <= k; b++) hess[a]![b]! += h * x[a]! * x[b]!;
      }
    });
    for (let a = 1; a <= k; a++) {
      grad[a]! += ridge * theta[a]!;
      hess[a]![a]! += ridge;
    }
    const step = solve(hess, grad);
    theta = theta.map((t, j) => t - step[j]!);
    if (Math.max(...step.map(Math.abs)) < 1e-9) break;
  }
  return { bias: theta[0]!, weights: theta.slice(1) };
}

/** Share of examples whose most probable label is the true one. */
export function accuracy(probabilities: readonly number[], labels: readonly number[]): number {
  let correct = 0;
  probabilities.forEach((p, i) => {
    if ((p >= 0.5 ? 1 : 0) === labels[i]) correct++;
  });
  return probabilities.length > 0 ? correct / probabilities.length : 0;
}

/** Mean negative log-likelihood (nats); 0.693 is a coin flip. */
export function logLoss(probabilities: readonly number[], labels: readonly number[]): number {
  let sum = 0;
  probabilities.forEach((p, i) => {
    const q = Math.min(1 - 1e-12, Math.max(1e-12, labels[i] === 1 ? p : 1 - p));
    sum -= Math.log(q);
  });
  return sum / Math.max(1, probabilities.length);
}

export interface ReliabilityBin {
  /** Confidence range [from, to) of the predicted label. */
  from: number;
  to: number;
  count: number;
  meanConfidence: number;
  accuracy: number;
}

/** Reliability table over the confidence of the predicted label, and the expected calibration error. */
export function reliability(probabilities: readonly number[], labels: readonly number[], bins = 5): { bins: ReliabilityBin[]; ece: number } {
  const table = Array.from({ length: bins }, (_, b) => ({ from: 0.5 + (0.5 * b) / bins, to: 0.5 + (0.5 * (b + 1)) / bins, count: 0, conf: 0, hits: 0 }));
  probabilities.forEach((p, i) => {
    const confidence = Math.max(p, 1 - p);
    const bin = table[Math.min(bins - 1, Math.floor(((confidence - 0.5) / 0.5) * bins))]!;
    bin.count++;
    bin.conf += confidence;
    if ((p >= 0.5 ? 1 : 0) === labels[i]) bin.hits++;
  });
  let ece = 0;
  const out = table.map((b) => {
    const meanConfidence = b.count > 0 ? b.conf / b.count : 0;
    const acc = b.count > 0 ? b.hits / b.count : 0;
    ece += (b.count / Math.max(1, probabilities.length)) * Math.abs(meanConfidence - acc);
    return { from: b.from, to: b.to, count: b.count, meanConfidence, accuracy: acc };
  });
  return { bins: out, ece };
}
