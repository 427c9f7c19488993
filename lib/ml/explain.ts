/**
 * Model explanations that only need predictions: permutation importance (as
 * `sklearn.inspection.permutation_importance`) and KernelSHAP (Lundberg & Lee, 2017).
 *
 * @packageDocumentation
 */

import { toArray1D, toArray2D, type Matrix, type Vector } from "./array";
import { createRng, type Rng } from "./random";
import { getScorer, type Predictor, type Scoring } from "./select";

// ---------------------------------------------------------------------------------------
// Permutation importance

/** Options for {@link permutationImportance}. */
export interface PermutationImportanceOptions {
  /** Scorer name or function (greater is better). Default `"accuracy"`. */
  scoring?: Scoring;
  /** Shuffles per feature. Default 5 (as sklearn). */
  nRepeats?: number;
  /** Same seed, same shuffles. Default 0. */
  seed?: number;
}

/** Result of {@link permutationImportance}. */
export interface PermutationImportanceResult {
  /** Mean drop in score per feature. */
  importancesMean: number[];
  /** Population standard deviation of the drops per feature. */
  importancesStd: number[];
  /** `[nFeatures][nRepeats]` drops in score. */
  importances: number[][];
  /** Score on the unshuffled data. */
  baselineScore: number;
}

/**
 * How much the score drops when one feature's column is shuffled, breaking its link with
 * the target. Works with any fitted estimator or with a plain predict function.
 * Shuffles come from `./random`, so they differ from scikit-learn's draws.
 *
 * @param estimator - a fitted estimator (`predict`, optionally `predictProba`) or `(X) => predictions`.
 *
 * @example
 * ```ts
 * const imp = ml.explain.permutationImportance(model, XTest, yTest, { nRepeats: 10, seed: 0 });
 * show.bar({ labels: featureNames, values: imp.importancesMean });
 * ```
 */
export function permutationImportance(
  estimator: Predictor | ((X: number[][]) => ArrayLike<number>),
  X: Matrix,
  y: Vector,
  options: PermutationImportanceOptions = {},
): PermutationImportanceResult {
  const Xr = toArray2D(X, "X");
  const yr = toArray1D(y, "y");
  if (Xr.length !== yr.length) throw new Error(`permutationImportance: X has ${Xr.length} rows but y has ${yr.length}`);
  if (Xr.length === 0) throw new Error("permutationImportance: X is empty");
  const nRepeats = options.nRepeats ?? 5;
  if (!(Number.isInteger(nRepeats) && nRepeats >= 1)) throw new Error(`permutationImportance: nRepeats must be a positive integer`);
  const est: Predictor = typeof estimator === "function" ? { predict: estimator } : estimator;
  const scorer = getScorer(options.scoring ?? "accuracy");
  const baselineScore = scorer(est, Xr, yr);
  const rng = createRng(options.seed ?? 0);
  const p = Xr[0].length;
  const importances: number[][] = [];
  for (let j = 0; j < p; j++) {
    const r = rng.fork();
    const Xp = Xr.map((row) => row.slice());
    const drops: number[] = [];
    for (let k = 0; k < nRepeats; k++) {
      const perm = r.permutation(Xr.length);
      for (let i = 0; i < Xr.length; i++) Xp[i][j] = Xr[perm[i]][j];
      drops.push(baselineScore - scorer(est, Xp, yr));
    }
    importances.push(drops);
  }
  const importancesMean = importances.map((d) => d.reduce((a, b) => a + b, 0) / d.length);
  const importancesStd = importances.map((d, j) => Math.sqrt(d.reduce((a, b) => a + (b - importancesMean[j]) ** 2, 0) / d.length));
  return { importancesMean, importancesStd, importances, baselineScore };
}

// ---------------------------------------------------------------------------------------
// KernelSHAP

/** Options for {@link kernelShap}. */
export interface KernelShapOptions {
  /**
   * Coalitions evaluated. When all `2^M − 2` fit, every coalition is used and the result
   * is the exact Shapley value; otherwise coalitions are sampled. Default `2·M + 2048`.
   */
  nSamples?: number;
  /** Same seed, same sampled coalitions. Default 0. */
  seed?: number;
  /** Rows per call to `predictFn` (bounds memory). Default 10000. */
  batchSize?: number;
}

/** Result of {@link kernelShap}. */
export interface KernelShapResult {
  /** One attribution per feature; they sum to `prediction − baseValue`. */
  values: number[];
  /** Mean prediction over the background rows, `E[f(background)]`. */
  baseValue: number;
  /** `f(x)`. */
  prediction: number;
  /** Whether every coalition was enumerated (exact Shapley values). */
  exact: boolean;
}

function binom(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

/** Solves `A x = b` (small dense, partial pivoting); A is modified. */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(A[r][c]) > Math.abs(A[piv][c])) piv = r;
    [A[c], A[piv]] = [A[piv], A[c]];
    [b[c], b[piv]] = [b[piv], b[c]];
    if (Math.abs(A[c][c]) < 1e-300) throw new Error("kernelShap: singular system; raise nSamples");
    for (let r = c + 1; r < n; r++) {
      const f = A[r][c] / A[c][c];
      if (f === 0) continue;
      for (let k = c; k < n; k++) A[r][k] -= f * A[c][k];
      b[r] -= f * b[c];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r];
    for (let k = r + 1; k < n; k++) s -= A[r][k] * x[k];
    x[r] = s / A[r][r];
  }
  return x;
}

function sampleCoalitions(M: number, nSamples: number, rng: Rng): Map<string, { mask: Uint8Array; weight: number }> {
  const out = new Map<string, { mask: Uint8Array; weight: number }>();
  // Sizes drawn with the Shapley kernel's total weight per size, ∝ (M−1)/(s(M−s)); a
  // coalition and its complement are added together (paired sampling).
  const sizeW = Array.from({ length: M - 1 }, (_, i) => (M - 1) / ((i + 1) * (M - 1 - i)));
  const total = sizeW.reduce((a, b) => a + b, 0);
  const add = (mask: Uint8Array) => {
    const key = mask.join("");
    const e = out.get(key);
    if (e) e.weight += 1;
    else out.set(key, { mask, weight: 1 });
  };
  const idx = Array.from({ length: M }, (_, i) => i);
  for (let t = 0; t < Math.ceil(nSamples / 2); t++) {
    let u = rng.next() * total;
    let s = 1;
    while (s < M - 1 && u >= sizeW[s - 1]) u -= sizeW[s++ - 1];
    for (let i = 0; i < s; i++) {
      const j = i + rng.int(M - i);
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
    const mask = new Uint8Array(M);
    for (let i = 0; i < s; i++) mask[idx[i]] = 1;
    add(mask);
    add(mask.map((v) => 1 - v));
  }
  return out;
}

/**
 * KernelSHAP: attributions `φᵢ` of one prediction `f(x)` to each feature, relative to
 * a background set. Features outside a coalition take background values (interventional
 * expectation); `φ` solves the Shapley-kernel weighted least squares with the constraint
 * `Σφ = f(x) − E[f(background)]`, so the attributions always add up exactly. With all
 * coalitions enumerated (small M) they are the exact Shapley values; for a linear model
 * they equal `coefᵢ·(xᵢ − mean(backgroundᵢ))`.
 *
 * @param predictFn - maps rows to one number each, e.g. `(X) => clf.predictProba(X).map((p) => p[1])`.
 * @param background - reference rows (a few dozen is typical; cost grows linearly).
 * @param x - the row to explain.
 *
 * @example
 * ```ts
 * const { values, baseValue } = ml.explain.kernelShap((X) => model.predictProba(X).map((p) => p[1]), XTrain.slice(0, 50), XTest[0]);
 * ```
 */
export function kernelShap(
  predictFn: (X: number[][]) => ArrayLike<number>,
  background: Matrix,
  x: Vector,
  options: KernelShapOptions = {},
): KernelShapResult {
  const bg = toArray2D(background, "background");
  const xr = toArray1D(x, "x");
  if (bg.length === 0) throw new Error("kernelShap: background is empty");
  const M = xr.length;
  if (bg[0].length !== M) throw new Error(`kernelShap: x has ${M} features but background rows have ${bg[0].length}`);
  const batchSize = options.batchSize ?? 10000;
  const nSamples = options.nSamples ?? 2 * M + 2048;

  const evalRows = (rows: number[][]): number[] => {
    const out: number[] = [];
    for (let s = 0; s < rows.length; s += batchSize) {
      const part = rows.slice(s, s + batchSize);
      const pred = predictFn(part);
      if (pred.length !== part.length) throw new Error(`kernelShap: predictFn returned ${pred.length} values for ${part.length} rows`);
      for (let i = 0; i < pred.length; i++) out.push(Number(pred[i]));
    }
    return out;
  };
  const bgPred = evalRows(bg);
  const baseValue = bgPred.reduce((a, b) => a + b, 0) / bg.length;
  const prediction = evalRows([xr])[0];
  const gap = prediction - baseValue;
  if (M === 1) return { values: [gap], baseValue, prediction, exact: true };

  // Coalitions with their regression weights.
  let coalitions: { mask: Uint8Array; weight: number }[];
  const exact = M < 31 && 2 ** M - 2 <= nSamples;
  if (exact) {
    coalitions = [];
    for (let code = 1; code < 2 ** M - 1; code++) {
      const mask = new Uint8Array(M);
      let s = 0;
      for (let i = 0; i < M; i++) if ((code >> i) & 1) (mask[i] = 1), s++;
      coalitions.push({ mask, weight: (M - 1) / (binom(M, s) * s * (M - s)) });
    }
  } else {
    coalitions = Array.from(sampleCoalitions(M, nSamples, createRng(options.seed ?? 0)).values());
  }

  // v(z) = mean over the background of f(x on z, background elsewhere).
  const rows: number[][] = [];
  for (const { mask } of coalitions) for (const b of bg) rows.push(b.map((v, i) => (mask[i] ? xr[i] : v)));
  const preds = evalRows(rows);
  const v = coalitions.map((_, c) => {
    let s = 0;
    for (let k = 0; k < bg.length; k++) s += preds[c * bg.length + k];
    return s / bg.length;
  });

  // Eliminate the last feature through the constraint, solve the (M−1)-dim normal equations.
  const m = M - 1;
  const A = Array.from({ length: m }, () => new Array<number>(m).fill(0));
  const rhs = new Array<number>(m).fill(0);
  coalitions.forEach(({ mask, weight }, c) => {
    const zl = mask[m];
    const target = v[c] - baseValue - zl * gap;
    for (let i = 0; i < m; i++) {
      const ai = mask[i] - zl;
      if (ai === 0) continue;
      rhs[i] += weight * ai * target;
      for (let j = 0; j < m; j++) A[i][j] += weight * ai * (mask[j] - zl);
    }
  });
  const phi = solve(A, rhs);
  const last = gap - phi.reduce((a, b) => a + b, 0);
  return { values: [...phi, last], baseValue, prediction, exact };
}
