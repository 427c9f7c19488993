/**
 * Classic classifiers in plain TypeScript (no tfjs) so they run fast on the CPU of a Web
 * Worker: logistic regression, CART decision tree, random forest and k-nearest neighbours.
 * Each follows scikit-learn's defaults and shares one estimator interface.
 *
 * @packageDocumentation
 */

import { createRng, type Rng } from "./random";
import { toArray1D, toArray2D, type Matrix, type Vector } from "./array";

/**
 * The estimator interface shared by every `ml.models` / `ml.ensemble` classifier
 * (scikit-learn's `fit` / `predict` / `predict_proba` / `classes_`).
 */
export interface Classifier {
  /** Sorted distinct labels seen by `fit`; columns of `predictProba` follow this order. */
  readonly classes: number[];
  /**
   * Fits on rows `X` with labels `y`; returns the estimator itself.
   * @param sampleWeight - optional non-negative weight per row (not every model uses it).
   */
  fit(X: Matrix, y: Vector, sampleWeight?: ArrayLike<number>): this;
  /** Predicted label per row. */
  predict(X: Matrix): number[];
  /** Probability of each class in `classes` order, one row per input row. */
  predictProba(X: Matrix): number[][];
  /** Mean accuracy on `(X, y)`, like scikit-learn's `score`. */
  score(X: Matrix, y: Vector): number;
}

/** Something that builds a fresh, unfitted classifier (used by ensembles and search). */
export type ClassifierFactory = () => Classifier;

/** Encodes labels as indices into their sorted distinct values. */
export function encodeLabels(y: number[]): { classes: number[]; yIdx: Int32Array } {
  const classes = Array.from(new Set(y)).sort((a, b) => a - b);
  const pos = new Map<number, number>();
  classes.forEach((c, i) => pos.set(c, i));
  const yIdx = new Int32Array(y.length);
  for (let i = 0; i < y.length; i++) yIdx[i] = pos.get(y[i])!;
  return { classes, yIdx };
}

/** Index of the first maximum (numpy `argmax` tie rule). */
export function argmax(a: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i] > a[best]) best = i;
  return best;
}

function checkFitInput(X: number[][], y: number[], where: string): void {
  if (X.length === 0) throw new Error(`${where}: X is empty`);
  if (X.length !== y.length) throw new Error(`${where}: X has ${X.length} rows but y has ${y.length} labels`);
  for (const v of y) if (!Number.isFinite(v)) throw new Error(`${where}: labels must be finite numbers`);
}

function checkFitted(classes: number[], where: string): void {
  if (classes.length === 0) throw new Error(`${where}: call fit(X, y) before predicting`);
}

function weightsOrOnes(sampleWeight: ArrayLike<number> | undefined, n: number, where: string): Float64Array {
  const w = new Float64Array(n);
  if (sampleWeight == null) return w.fill(1);
  if (sampleWeight.length !== n) throw new Error(`${where}: sampleWeight has ${sampleWeight.length} values for ${n} rows`);
  for (let i = 0; i < n; i++) {
    if (!(sampleWeight[i] >= 0)) throw new Error(`${where}: sampleWeight must be non-negative`);
    w[i] = sampleWeight[i];
  }
  return w;
}

function accuracyOf(pred: number[], y: number[]): number {
  let ok = 0;
  for (let i = 0; i < y.length; i++) if (pred[i] === y[i]) ok++;
  return ok / y.length;
}

function labelsFromProba(proba: number[][], classes: number[]): number[] {
  return proba.map((p) => classes[argmax(p)]);
}

// ---------------------------------------------------------------------------------------
// L-BFGS (two-loop recursion, backtracking Armijo line search): small, dependable for the
// smooth strictly convex objectives used here.

interface LbfgsResult {
  x: Float64Array;
  iterations: number;
  converged: boolean;
}

function lbfgs(
  fg: (x: Float64Array, g: Float64Array) => number,
  x0: Float64Array,
  maxIter: number,
  tol: number,
  m = 10,
): LbfgsResult {
  const n = x0.length;
  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let f = fg(x, g);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const d = new Float64Array(n);
  const alpha = new Array<number>(m);
  const maxAbs = (v: Float64Array) => v.reduce((a, b) => Math.max(a, Math.abs(b)), 0);
  for (let it = 0; it < maxIter; it++) {
    if (maxAbs(g) <= tol) return { x, iterations: it, converged: true };
    // d = -H g
    for (let i = 0; i < n; i++) d[i] = -g[i];
    for (let j = S.length - 1; j >= 0; j--) {
      let a = 0;
      for (let i = 0; i < n; i++) a += S[j][i] * d[i];
      a *= rho[j];
      alpha[j] = a;
      for (let i = 0; i < n; i++) d[i] -= a * Y[j][i];
    }
    if (S.length > 0) {
      const k = S.length - 1;
      let sy = 0;
      let yy = 0;
      for (let i = 0; i < n; i++) {
        sy += S[k][i] * Y[k][i];
        yy += Y[k][i] * Y[k][i];
      }
      const gamma = sy / yy;
      for (let i = 0; i < n; i++) d[i] *= gamma;
    } else {
      const gn = Math.sqrt(g.reduce((a, b) => a + b * b, 0));
      for (let i = 0; i < n; i++) d[i] /= Math.max(1, gn);
    }
    for (let j = 0; j < S.length; j++) {
      let b = 0;
      for (let i = 0; i < n; i++) b += Y[j][i] * d[i];
      b *= rho[j];
      for (let i = 0; i < n; i++) d[i] += S[j][i] * (alpha[j] - b);
    }
    let gd = 0;
    for (let i = 0; i < n; i++) gd += g[i] * d[i];
    if (!(gd < 0)) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      S.length = 0;
      Y.length = 0;
      rho.length = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i];
      gd = -g.reduce((a, b) => a + b * b, 0);
    }
    let step = 1;
    const xNew = new Float64Array(n);
    const gNew = new Float64Array(n);
    let fNew = Infinity;
    for (let ls = 0; ls < 60; ls++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i] + step * d[i];
      fNew = fg(xNew, gNew);
      if (fNew <= f + 1e-4 * step * gd) break;
      step *= 0.5;
    }
    // No decrease left to find: we are at the optimum to machine precision.
    if (!(fNew < f)) return { x, iterations: it, converged: maxAbs(g) <= Math.max(tol, 1e-9) };
    const s = new Float64Array(n);
    const yv = new Float64Array(n);
    let sy = 0;
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i] - x[i];
      yv[i] = gNew[i] - g[i];
      sy += s[i] * yv[i];
    }
    if (sy > 1e-12) {
      if (S.length === m) {
        S.shift();
        Y.shift();
        rho.shift();
      }
      S.push(s);
      Y.push(yv);
      rho.push(1 / sy);
    }
    x = xNew;
    g = gNew;
    f = fNew;
  }
  return { x, iterations: maxIter, converged: maxAbs(g) <= tol };
}

// ---------------------------------------------------------------------------------------
// Logistic regression

/** Options for {@link logisticRegression} (scikit-learn `LogisticRegression`, lbfgs, L2). */
export interface LogisticRegressionOptions {
  /** Inverse of regularisation strength; smaller is stronger. Default 1. */
  C?: number;
  /** Fit an (unpenalised) intercept. Default true. */
  fitIntercept?: boolean;
  /** Maximum L-BFGS iterations. Default 1000 (sklearn: 100, but we converge tighter). */
  maxIter?: number;
  /** Stop when every gradient entry of the per-sample objective is below this. Default 1e-8. */
  tol?: number;
}

/** A fitted/unfitted logistic regression. */
export interface LogisticRegression extends Classifier {
  /** Weights: `[1, nFeatures]` for two classes, `[nClasses, nFeatures]` otherwise (like sklearn). */
  readonly coef: number[][];
  /** Intercepts: one for two classes, one per class otherwise. */
  readonly intercept: number[];
  /** Iterations used by the last `fit`. */
  readonly nIter: number;
  /** Decision values: `[n]`-shaped log-odds for two classes, `[n, nClasses]` scores otherwise. */
  decisionFunction(X: Matrix): number[] | number[][];
}

function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/**
 * L2-regularised logistic regression minimising
 * `C · Σ wᵢ·logloss + ½‖coef‖²` (intercept not penalised) with L-BFGS, binary or
 * multinomial (softmax) for three or more classes — scikit-learn's `LogisticRegression()`
 * with `solver="lbfgs"`.
 *
 * @example
 * ```ts
 * const clf = ml.models.logisticRegression({ C: 0.5 }).fit(XTrain, yTrain);
 * clf.predictProba(XTest).map((p) => p[1]);
 * ```
 */
export function logisticRegression(options: LogisticRegressionOptions = {}): LogisticRegression {
  const C = options.C ?? 1;
  const fitIntercept = options.fitIntercept ?? true;
  const maxIter = options.maxIter ?? 1000;
  const tol = options.tol ?? 1e-8;
  if (!(C > 0)) throw new Error(`logisticRegression: C must be positive, got ${C}`);

  let classes: number[] = [];
  let coef: number[][] = [];
  let intercept: number[] = [];
  let nIter = 0;

  const scores = (Xr: number[][]): number[][] =>
    Xr.map((row) => {
      if (row.length !== coef[0].length) throw new Error(`logisticRegression: expected ${coef[0].length} features, got ${row.length}`);
      return coef.map((w, k) => {
        let z = intercept[k];
        for (let j = 0; j < w.length; j++) z += w[j] * row[j];
        return z;
      });
    });

  const model: LogisticRegression = {
    get classes() {
      return classes;
    },
    get coef() {
      return coef;
    },
    get intercept() {
      return intercept;
    },
    get nIter() {
      return nIter;
    },
    fit(Xin, yin, sampleWeight) {
      const X = toArray2D(Xin, "X");
      const y = toArray1D(yin, "y");
      checkFitInput(X, y, "logisticRegression.fit");
      const sw = weightsOrOnes(sampleWeight, X.length, "logisticRegression.fit");
      const enc = encodeLabels(y);
      if (enc.classes.length < 2) throw new Error("logisticRegression.fit: needs at least two classes");
      const n = X.length;
      const p = X[0].length;
      const K = enc.classes.length === 2 ? 1 : enc.classes.length;
      const stride = p + 1; // weights then intercept, per output
      const wsum = sw.reduce((a, b) => a + b, 0);
      // Objective divided by C·Σw so the tolerance does not depend on n or C.
      const scale = 1 / (C * wsum);
      const z = new Float64Array(K);
      const fg = (x: Float64Array, g: Float64Array): number => {
        g.fill(0);
        let f = 0;
        for (let i = 0; i < n; i++) {
          const row = X[i];
          const wi = sw[i];
          if (wi === 0) continue;
          for (let k = 0; k < K; k++) {
            let s = fitIntercept ? x[k * stride + p] : 0;
            const off = k * stride;
            for (let j = 0; j < p; j++) s += x[off + j] * row[j];
            z[k] = s;
          }
          if (K === 1) {
            const t = enc.yIdx[i];
            f += wi * (softplus(z[0]) - t * z[0]);
            const r = wi * (sigmoid(z[0]) - t);
            for (let j = 0; j < p; j++) g[j] += r * row[j];
            if (fitIntercept) g[p] += r;
          } else {
            let mx = -Infinity;
            for (let k = 0; k < K; k++) mx = Math.max(mx, z[k]);
            let se = 0;
            for (let k = 0; k < K; k++) se += Math.exp(z[k] - mx);
            const lse = mx + Math.log(se);
            const t = enc.yIdx[i];
            f += wi * (lse - z[t]);
            for (let k = 0; k < K; k++) {
              const r = wi * (Math.exp(z[k] - lse) - (k === t ? 1 : 0));
              const off = k * stride;
              for (let j = 0; j < p; j++) g[off + j] += r * row[j];
              if (fitIntercept) g[off + p] += r;
            }
          }
        }
        f *= C;
        for (let q = 0; q < g.length; q++) g[q] *= C;
        for (let k = 0; k < K; k++) {
          const off = k * stride;
          for (let j = 0; j < p; j++) {
            f += 0.5 * x[off + j] * x[off + j];
            g[off + j] += x[off + j];
          }
        }
        for (let q = 0; q < g.length; q++) g[q] *= scale;
        return f * scale;
      };
      const res = lbfgs(fg, new Float64Array(K * stride), maxIter, tol);
      classes = enc.classes;
      coef = [];
      intercept = [];
      for (let k = 0; k < K; k++) {
        coef.push(Array.from(res.x.subarray(k * stride, k * stride + p)));
        intercept.push(fitIntercept ? res.x[k * stride + p] : 0);
      }
      nIter = res.iterations;
      return model;
    },
    decisionFunction(Xin) {
      checkFitted(classes, "logisticRegression");
      const s = scores(toArray2D(Xin, "X"));
      return classes.length === 2 ? s.map((r) => r[0]) : s;
    },
    predictProba(Xin) {
      checkFitted(classes, "logisticRegression");
      const s = scores(toArray2D(Xin, "X"));
      if (classes.length === 2) {
        return s.map((r) => {
          const p1 = sigmoid(r[0]);
          return [1 - p1, p1];
        });
      }
      return s.map((r) => {
        const mx = Math.max(...r);
        const e = r.map((v) => Math.exp(v - mx));
        const t = e.reduce((a, b) => a + b, 0);
        return e.map((v) => v / t);
      });
    },
    predict(Xin) {
      checkFitted(classes, "logisticRegression");
      return scores(toArray2D(Xin, "X")).map((r) =>
        classes.length === 2 ? classes[r[0] > 0 ? 1 : 0] : classes[argmax(r)],
      );
    },
    score(Xin, yin) {
      return accuracyOf(model.predict(Xin), toArray1D(yin, "y"));
    },
  };
  return model;
}

// ---------------------------------------------------------------------------------------
// CART tree builder shared by decisionTree, randomForest and adaBoost.

/** Split quality measure of a tree. */
export type Criterion = "gini" | "entropy";

/** How many features a tree examines at each split. */
export type MaxFeatures = number | "sqrt" | "log2" | null;

interface TreeParams {
  criterion: Criterion;
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  maxFeatures: MaxFeatures;
}

/** A grown tree in flat arrays (like sklearn's `tree_`); leaves have `left === -1`. */
export interface TreeStructure {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  /** Weighted class totals per node. */
  value: number[][];
  impurity: number[];
  nSamples: number[];
  weightedNSamples: number[];
}

// Values closer than this are treated as equal, as sklearn's FEATURE_THRESHOLD.
const FEATURE_THRESHOLD = 1e-7;
const EPSILON = 2.220446049250313e-16;

function impurityOf(counts: Float64Array, w: number, criterion: Criterion): number {
  if (w <= 0) return 0;
  if (criterion === "gini") {
    let sq = 0;
    for (let k = 0; k < counts.length; k++) sq += counts[k] * counts[k];
    return 1 - sq / (w * w);
  }
  let e = 0;
  for (let k = 0; k < counts.length; k++) {
    if (counts[k] > 0) {
      const q = counts[k] / w;
      e -= q * Math.log2(q);
    }
  }
  return e;
}

function resolveMaxFeatures(mf: MaxFeatures, p: number): number {
  if (mf == null) return p;
  if (mf === "sqrt") return Math.max(1, Math.floor(Math.sqrt(p)));
  if (mf === "log2") return Math.max(1, Math.floor(Math.log2(p)));
  if (mf > 0 && mf < 1) return Math.max(1, Math.floor(mf * p));
  if (Number.isInteger(mf) && mf >= 1) return Math.min(p, mf);
  throw new Error(`maxFeatures must be a positive integer, a fraction in (0, 1), "sqrt", "log2" or null; got ${mf}`);
}

/** Stable argsort of `values` (bottom-up merge sort on indices; ties keep index order). */
function argsort(values: Float64Array): Int32Array {
  const n = values.length;
  let a = new Int32Array(n);
  let b = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) b[k++] = values[a[j]] < values[a[i]] ? a[j++] : a[i++];
      while (i < mid) b[k++] = a[i++];
      while (j < hi) b[k++] = a[j++];
    }
    const t = a;
    a = b;
    b = t;
  }
  return a;
}

/** Column-major copy of X and each feature's stable sort order over all rows. */
interface Presorted {
  cols: Float64Array[];
  order: Int32Array[];
}

function presort(X: number[][]): Presorted {
  const p = X[0].length;
  const cols: Float64Array[] = [];
  const order: Int32Array[] = [];
  for (let f = 0; f < p; f++) {
    const c = new Float64Array(X.length);
    for (let i = 0; i < X.length; i++) c[i] = X[i][f];
    cols.push(c);
    order.push(argsort(c));
  }
  return { cols, order };
}

/**
 * Grows a CART tree (best split, depth first). Rows with zero weight are left out, as in
 * sklearn; features are visited in index order unless `maxFeatures` draws a random subset.
 */
function growTree(X: number[][], yIdx: Int32Array, K: number, w: Float64Array, params: TreeParams, rng: Rng, sorted?: Presorted): TreeStructure {
  const p = X[0].length;
  const mtry = resolveMaxFeatures(params.maxFeatures, p);
  const rows: number[] = [];
  for (let i = 0; i < X.length; i++) if (w[i] > 0) rows.push(i);
  const N = rows.length;
  if (N === 0) throw new Error("decision tree: every sample weight is zero");
  // Column-major values and one sorted row list per feature (rows with weight > 0 only),
  // partitioned stably as nodes split.
  const { cols, order: full } = sorted ?? presort(X);
  const order: Int32Array[] = full.map((o) => {
    if (N === X.length) return Int32Array.from(o);
    const kept = new Int32Array(N);
    let j = 0;
    for (let q = 0; q < o.length; q++) if (w[o[q]] > 0) kept[j++] = o[q];
    return kept;
  });
  const goesLeft = new Uint8Array(X.length);
  const tmp = new Int32Array(N);
  const t: TreeStructure = { feature: [], threshold: [], left: [], right: [], value: [], impurity: [], nSamples: [], weightedNSamples: [] };

  const cl = new Float64Array(K);
  const cr = new Float64Array(K);
  const stack: { start: number; end: number; depth: number; parent: number; isLeft: boolean }[] = [
    { start: 0, end: N, depth: 0, parent: -1, isLeft: false },
  ];
  while (stack.length) {
    const { start, end, depth, parent, isLeft } = stack.pop()!;
    const counts = new Float64Array(K);
    let wn = 0;
    const o0 = order[0];
    for (let q = start; q < end; q++) {
      const i = o0[q];
      counts[yIdx[i]] += w[i];
      wn += w[i];
    }
    const n = end - start;
    const imp = impurityOf(counts, wn, params.criterion);
    const id = t.feature.length;
    t.feature.push(-2);
    t.threshold.push(-2);
    t.left.push(-1);
    t.right.push(-1);
    t.value.push(Array.from(counts));
    t.impurity.push(imp);
    t.nSamples.push(n);
    t.weightedNSamples.push(wn);
    if (parent >= 0) {
      if (isLeft) t.left[parent] = id;
      else t.right[parent] = id;
    }
    const isLeaf =
      depth >= params.maxDepth || n < params.minSamplesSplit || n < 2 * params.minSamplesLeaf || imp <= EPSILON;
    if (isLeaf) continue;

    // Candidate features: all in index order, or a random subset visited until `mtry`
    // non-constant features were seen (sklearn's rule).
    const feats = mtry >= p ? Array.from({ length: p }, (_, f) => f) : rng.permutation(p);
    let bestProxy = -Infinity;
    let bestFeature = -1;
    let bestPos = -1;
    let bestThr = 0;
    let visited = 0;
    for (const f of feats) {
      if (visited >= mtry) break;
      const o = order[f];
      const col = cols[f];
      if (col[o[end - 1]] <= col[o[start]] + FEATURE_THRESHOLD) continue; // constant here
      visited++;
      cl.fill(0);
      for (let k = 0; k < K; k++) cr[k] = counts[k];
      let wl = 0;
      for (let q = start; q < end - 1; q++) {
        const i = o[q];
        cl[yIdx[i]] += w[i];
        cr[yIdx[i]] -= w[i];
        wl += w[i];
        const a = col[i];
        const b = col[o[q + 1]];
        if (b <= a + FEATURE_THRESHOLD) continue;
        const nl = q + 1 - start;
        if (nl < params.minSamplesLeaf || end - start - nl < params.minSamplesLeaf) continue;
        const wr = wn - wl;
        const proxy = -wr * impurityOf(cr, wr, params.criterion) - wl * impurityOf(cl, wl, params.criterion);
        if (proxy > bestProxy) {
          bestProxy = proxy;
          bestFeature = f;
          bestPos = q + 1;
          let thr = a / 2 + b / 2;
          if (thr === b || !Number.isFinite(thr)) thr = a;
          bestThr = thr;
        }
      }
    }
    if (bestFeature < 0) continue; // no valid split: stays a leaf
    t.feature[id] = bestFeature;
    t.threshold[id] = bestThr;
    const ob = order[bestFeature];
    for (let q = start; q < end; q++) goesLeft[ob[q]] = q < bestPos ? 1 : 0;
    for (let f = 0; f < p; f++) {
      const o = order[f];
      let a = 0;
      let b = 0;
      for (let q = start; q < end; q++) {
        const i = o[q];
        if (goesLeft[i]) o[start + a++] = i;
        else tmp[b++] = i;
      }
      for (let q = 0; q < b; q++) o[start + a + q] = tmp[q];
    }
    // Push right first so the left subtree is numbered first (depth-first, like sklearn).
    stack.push({ start: bestPos, end, depth: depth + 1, parent: id, isLeft: false });
    stack.push({ start, end: bestPos, depth: depth + 1, parent: id, isLeft: true });
  }
  return t;
}

function treeLeaf(t: TreeStructure, row: number[]): number {
  let node = 0;
  while (t.left[node] !== -1) node = row[t.feature[node]] <= t.threshold[node] ? t.left[node] : t.right[node];
  return node;
}

function treeProba(t: TreeStructure, row: number[]): number[] {
  const v = t.value[treeLeaf(t, row)];
  const s = v.reduce((a, b) => a + b, 0);
  return v.map((c) => (s > 0 ? c / s : 1 / v.length));
}

function treeImportances(t: TreeStructure, p: number): number[] {
  const imp = new Array<number>(p).fill(0);
  for (let node = 0; node < t.feature.length; node++) {
    const l = t.left[node];
    if (l === -1) continue;
    const r = t.right[node];
    imp[t.feature[node]] +=
      t.weightedNSamples[node] * t.impurity[node] -
      t.weightedNSamples[l] * t.impurity[l] -
      t.weightedNSamples[r] * t.impurity[r];
  }
  const total = imp.reduce((a, b) => a + b, 0);
  return total > 0 ? imp.map((v) => v / total) : imp;
}

function treeDepth(t: TreeStructure): number {
  const depth = new Array<number>(t.feature.length).fill(0);
  let max = 0;
  for (let node = 0; node < t.feature.length; node++) {
    if (t.left[node] !== -1) {
      depth[t.left[node]] = depth[node] + 1;
      depth[t.right[node]] = depth[node] + 1;
      max = Math.max(max, depth[node] + 1);
    }
  }
  return max;
}

/** Options for {@link decisionTree} (scikit-learn `DecisionTreeClassifier`). */
export interface DecisionTreeOptions {
  /** `"gini"` (default) or `"entropy"`. */
  criterion?: Criterion;
  /** Maximum depth; `null`/undefined grows until leaves are pure. */
  maxDepth?: number | null;
  /** Minimum rows needed to split a node. Default 2. */
  minSamplesSplit?: number;
  /** Minimum rows in each child. Default 1. */
  minSamplesLeaf?: number;
  /** Features examined per split: count, fraction, `"sqrt"`, `"log2"` or `null` (all, default). */
  maxFeatures?: MaxFeatures;
  /** Seed for the random feature subsets (only used when `maxFeatures` is set). Default 0. */
  seed?: number;
}

/** A CART classification tree. */
export interface DecisionTree extends Classifier {
  /** Mean decrease in impurity per feature, summing to 1 (sklearn's `feature_importances_`). */
  readonly featureImportances: number[];
  /** The grown tree as flat arrays. */
  readonly tree: TreeStructure;
  /** Depth of the grown tree (root alone is 0). */
  readonly depth: number;
  /** Number of nodes. */
  readonly nodeCount: number;
  /** Index of the leaf each row lands in. */
  apply(X: Matrix): number[];
}

function checkTreeOptions(o: { maxDepth?: number | null; minSamplesSplit?: number; minSamplesLeaf?: number }, where: string) {
  const maxDepth = o.maxDepth ?? Infinity;
  const minSamplesSplit = o.minSamplesSplit ?? 2;
  const minSamplesLeaf = o.minSamplesLeaf ?? 1;
  if (!(maxDepth >= 1)) throw new Error(`${where}: maxDepth must be >= 1, got ${maxDepth}`);
  if (!(minSamplesSplit >= 2)) throw new Error(`${where}: minSamplesSplit must be >= 2, got ${minSamplesSplit}`);
  if (!(minSamplesLeaf >= 1)) throw new Error(`${where}: minSamplesLeaf must be >= 1, got ${minSamplesLeaf}`);
  return { maxDepth, minSamplesSplit, minSamplesLeaf };
}

/**
 * A CART decision-tree classifier (best splits on `x <= threshold`, Gini or entropy),
 * matching scikit-learn's `DecisionTreeClassifier` when no two splits tie exactly.
 *
 * @example
 * ```ts
 * const tree = ml.models.decisionTree({ maxDepth: 3 }).fit(X, y);
 * tree.featureImportances;
 * ```
 */
export function decisionTree(options: DecisionTreeOptions = {}): DecisionTree {
  const { maxDepth, minSamplesSplit, minSamplesLeaf } = checkTreeOptions(options, "decisionTree");
  const params: TreeParams = {
    criterion: options.criterion ?? "gini",
    maxDepth,
    minSamplesSplit,
    minSamplesLeaf,
    maxFeatures: options.maxFeatures ?? null,
  };
  let classes: number[] = [];
  let tree: TreeStructure | null = null;
  let nFeatures = 0;
  const rows = (Xin: Matrix) => {
    checkFitted(classes, "decisionTree");
    const X = toArray2D(Xin, "X");
    for (const r of X) if (r.length !== nFeatures) throw new Error(`decisionTree: expected ${nFeatures} features, got ${r.length}`);
    return X;
  };
  const model: DecisionTree = {
    get classes() {
      return classes;
    },
    get tree() {
      if (!tree) throw new Error("decisionTree: not fitted");
      return tree;
    },
    get featureImportances() {
      return treeImportances(model.tree, nFeatures);
    },
    get depth() {
      return treeDepth(model.tree);
    },
    get nodeCount() {
      return model.tree.feature.length;
    },
    fit(Xin, yin, sampleWeight) {
      const X = toArray2D(Xin, "X");
      const y = toArray1D(yin, "y");
      checkFitInput(X, y, "decisionTree.fit");
      const w = weightsOrOnes(sampleWeight, X.length, "decisionTree.fit");
      const enc = encodeLabels(y);
      nFeatures = X[0].length;
      tree = growTree(X, enc.yIdx, enc.classes.length, w, params, createRng(options.seed ?? 0));
      classes = enc.classes;
      return model;
    },
    apply(Xin) {
      return rows(Xin).map((r) => treeLeaf(model.tree, r));
    },
    predictProba(Xin) {
      return rows(Xin).map((r) => treeProba(model.tree, r));
    },
    predict(Xin) {
      return labelsFromProba(model.predictProba(Xin), classes);
    },
    score(Xin, yin) {
      return accuracyOf(model.predict(Xin), toArray1D(yin, "y"));
    },
  };
  return model;
}

// ---------------------------------------------------------------------------------------
// Random forest

/** Options for {@link randomForest} (scikit-learn `RandomForestClassifier`). */
export interface RandomForestOptions {
  /** Number of trees. Default 100. */
  nEstimators?: number;
  /** `"gini"` (default) or `"entropy"`. */
  criterion?: Criterion;
  /** Maximum depth of each tree; default unlimited. */
  maxDepth?: number | null;
  /** Minimum rows to split a node. Default 2. */
  minSamplesSplit?: number;
  /** Minimum rows per leaf. Default 1. */
  minSamplesLeaf?: number;
  /** Features examined per split. Default `"sqrt"`. */
  maxFeatures?: MaxFeatures;
  /** Draw a bootstrap sample per tree. Default true. */
  bootstrap?: boolean;
  /** Bootstrap size: a fraction of the rows when ≤ 1, else a count. Default all rows. */
  maxSamples?: number | null;
  /** Seed: same seed, same forest. Default 0. */
  seed?: number;
}

/** A fitted/unfitted random forest. */
export interface RandomForest extends Classifier {
  /** Mean of the trees' impurity-based importances. */
  readonly featureImportances: number[];
  /** The grown trees. */
  readonly trees: TreeStructure[];
}

/**
 * A random forest: bootstrap-sampled CART trees with random feature subsets, averaging
 * the trees' class probabilities (scikit-learn's soft vote). Deterministic for a given
 * `seed`; it cannot reproduce scikit-learn's own random draws.
 *
 * @example
 * ```ts
 * const rf = ml.models.randomForest({ nEstimators: 50, maxDepth: 8, seed: 1 }).fit(X, y);
 * ```
 */
export function randomForest(options: RandomForestOptions = {}): RandomForest {
  const nEstimators = options.nEstimators ?? 100;
  if (!(Number.isInteger(nEstimators) && nEstimators >= 1)) throw new Error(`randomForest: nEstimators must be a positive integer, got ${nEstimators}`);
  const { maxDepth, minSamplesSplit, minSamplesLeaf } = checkTreeOptions(options, "randomForest");
  const params: TreeParams = {
    criterion: options.criterion ?? "gini",
    maxDepth,
    minSamplesSplit,
    minSamplesLeaf,
    maxFeatures: options.maxFeatures === undefined ? "sqrt" : options.maxFeatures,
  };
  const bootstrap = options.bootstrap ?? true;
  let classes: number[] = [];
  let trees: TreeStructure[] = [];
  let nFeatures = 0;
  const model: RandomForest = {
    get classes() {
      return classes;
    },
    get trees() {
      return trees;
    },
    get featureImportances() {
      checkFitted(classes, "randomForest");
      const acc = new Array<number>(nFeatures).fill(0);
      for (const t of trees) treeImportances(t, nFeatures).forEach((v, j) => (acc[j] += v / trees.length));
      return acc;
    },
    fit(Xin, yin, sampleWeight) {
      const X = toArray2D(Xin, "X");
      const y = toArray1D(yin, "y");
      checkFitInput(X, y, "randomForest.fit");
      const base = weightsOrOnes(sampleWeight, X.length, "randomForest.fit");
      const enc = encodeLabels(y);
      const n = X.length;
      const ms = options.maxSamples == null ? n : options.maxSamples <= 1 ? Math.max(1, Math.round(options.maxSamples * n)) : Math.min(n, Math.floor(options.maxSamples));
      const rng = createRng(options.seed ?? 0);
      nFeatures = X[0].length;
      const sorted = presort(X);
      trees = [];
      for (let e = 0; e < nEstimators; e++) {
        const treeRng = rng.fork();
        const w = new Float64Array(n);
        if (bootstrap) {
          // Bootstrap counts act as weights, as in sklearn.
          for (let s = 0; s < ms; s++) w[treeRng.int(n)] += 1;
          for (let i = 0; i < n; i++) w[i] *= base[i];
        } else w.set(base);
        trees.push(growTree(X, enc.yIdx, enc.classes.length, w, params, treeRng, sorted));
      }
      classes = enc.classes;
      return model;
    },
    predictProba(Xin) {
      checkFitted(classes, "randomForest");
      return toArray2D(Xin, "X").map((r) => {
        const acc = new Array<number>(classes.length).fill(0);
        for (const t of trees) treeProba(t, r).forEach((v, k) => (acc[k] += v));
        return acc.map((v) => v / trees.length);
      });
    },
    predict(Xin) {
      return labelsFromProba(model.predictProba(Xin), classes);
    },
    score(Xin, yin) {
      return accuracyOf(model.predict(Xin), toArray1D(yin, "y"));
    },
  };
  return model;
}

// ---------------------------------------------------------------------------------------
// k-nearest neighbours

/** Options for {@link knn} (scikit-learn `KNeighborsClassifier`, brute force). */
export interface KnnOptions {
  /** Neighbours consulted. Default 5. */
  nNeighbors?: number;
  /** `"uniform"` (default) or `"distance"` (weight 1/d; exact matches take all the weight). */
  weights?: "uniform" | "distance";
  /** `"euclidean"` (default) or `"manhattan"`. */
  metric?: "euclidean" | "manhattan";
}

/** A k-nearest-neighbours classifier. */
export interface Knn extends Classifier {
  /** Distances and training-row indices of the k nearest neighbours of each row, nearest first. */
  kneighbors(X: Matrix): { distances: number[][]; indices: number[][] };
}

/**
 * k-nearest-neighbours classifier (brute force). Predictions match scikit-learn's
 * `KNeighborsClassifier` whenever neighbour distances are distinct; ties between classes
 * go to the smallest label, as in sklearn.
 *
 * @example
 * ```ts
 * ml.models.knn({ nNeighbors: 3 }).fit(XTrain, yTrain).predict(XTest);
 * ```
 */
export function knn(options: KnnOptions = {}): Knn {
  const k = options.nNeighbors ?? 5;
  const weights = options.weights ?? "uniform";
  const metric = options.metric ?? "euclidean";
  if (!(Number.isInteger(k) && k >= 1)) throw new Error(`knn: nNeighbors must be a positive integer, got ${k}`);
  let classes: number[] = [];
  let Xtr: number[][] = [];
  let ytr: Int32Array = new Int32Array(0);

  const dist = (a: number[], b: number[]) => {
    let s = 0;
    if (metric === "manhattan") {
      for (let j = 0; j < a.length; j++) s += Math.abs(a[j] - b[j]);
      return s;
    }
    for (let j = 0; j < a.length; j++) {
      const d = a[j] - b[j];
      s += d * d;
    }
    return Math.sqrt(s);
  };

  const model: Knn = {
    get classes() {
      return classes;
    },
    fit(Xin, yin) {
      const X = toArray2D(Xin, "X");
      const y = toArray1D(yin, "y");
      checkFitInput(X, y, "knn.fit");
      if (k > X.length) throw new Error(`knn.fit: nNeighbors=${k} is more than the ${X.length} training rows`);
      const enc = encodeLabels(y);
      Xtr = X;
      ytr = enc.yIdx;
      classes = enc.classes;
      return model;
    },
    kneighbors(Xin) {
      checkFitted(classes, "knn");
      const X = toArray2D(Xin, "X");
      const distances: number[][] = [];
      const indices: number[][] = [];
      const d = new Float64Array(Xtr.length);
      for (const row of X) {
        if (row.length !== Xtr[0].length) throw new Error(`knn: expected ${Xtr[0].length} features, got ${row.length}`);
        for (let i = 0; i < Xtr.length; i++) d[i] = dist(row, Xtr[i]);
        // Keep the k best by insertion (k is small).
        const idx: number[] = [];
        for (let i = 0; i < Xtr.length; i++) {
          if (idx.length === k && d[i] >= d[idx[k - 1]]) continue;
          let pos = idx.length === k ? k - 1 : idx.length;
          if (idx.length < k) idx.push(i);
          while (pos > 0 && d[idx[pos - 1]] > d[i]) {
            idx[pos] = idx[pos - 1];
            pos--;
          }
          idx[pos] = i;
        }
        indices.push(idx);
        distances.push(idx.map((i) => d[i]));
      }
      return { distances, indices };
    },
    predictProba(Xin) {
      const { distances, indices } = model.kneighbors(Xin);
      return indices.map((idx, r) => {
        const votes = neighbourVotes(idx, distances[r]);
        const t = votes.reduce((a, b) => a + b, 0);
        return votes.map((v) => v / t);
      });
    },
    predict(Xin) {
      const { distances, indices } = model.kneighbors(Xin);
      return indices.map((idx, r) => classes[argmax(neighbourVotes(idx, distances[r]))]);
    },
    score(Xin, yin) {
      return accuracyOf(model.predict(Xin), toArray1D(yin, "y"));
    },
  };

  function neighbourVotes(idx: number[], dists: number[]): number[] {
    const votes = new Array<number>(classes.length).fill(0);
    const exact = weights === "distance" && dists.some((v) => v === 0);
    idx.forEach((i, j) => {
      const wgt = weights === "uniform" ? 1 : exact ? (dists[j] === 0 ? 1 : 0) : 1 / dists[j];
      votes[ytr[i]] += wgt;
    });
    return votes;
  }
  return model;
}
