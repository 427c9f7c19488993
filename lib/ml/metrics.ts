/**
 * Model evaluation metrics, following scikit-learn's `sklearn.metrics` (argument order,
 * defaults and return shapes). `yTrue` always comes first; labels are sorted ascending
 * unless given. Inputs may be arrays, typed arrays or tensors (anything with `arraySync`).
 *
 * @packageDocumentation
 */
import { checkSameLength, quantile, toArray1D, toArray2D, unique, type Matrix, type Vector } from "./array";

// ----------------------------------------------------------------------------------------------
// Shared option types
// ----------------------------------------------------------------------------------------------

/** How per-class scores are combined, as sklearn's `average`. */
export type Average = "binary" | "macro" | "micro" | "weighted";

/** Options shared by precision, recall, F-scores and Jaccard. */
export interface ClassificationScoreOptions {
  /** Classes to include (sorted union of `yTrue` and `yPred` by default). */
  labels?: number[];
  /** The positive class when `average` is `"binary"`. Default 1. */
  posLabel?: number;
  /** Averaging: `"binary"` (default) reports only `posLabel`. */
  average?: Average;
  /** Value returned when a ratio has a zero denominator (sklearn's `"warn"` acts as 0). Default 0. */
  zeroDivision?: 0 | 1;
}

/** Options for {@link fbeta}. */
export interface FbetaOptions extends ClassificationScoreOptions {
  /** Weight of recall relative to precision. Default 1. */
  beta?: number;
}

/** Options for {@link confusionMatrix}. */
export interface ConfusionMatrixOptions {
  /** Row/column order of classes. Default: sorted union of `yTrue` and `yPred`. */
  labels?: number[];
  /** Normalise over `"true"` (rows), `"pred"` (columns) or `"all"`. Default: counts. */
  normalize?: "true" | "pred" | "all";
}

function labelsOf(yTrue: number[], yPred: number[]): number[] {
  return unique([...yTrue, ...yPred]);
}

/**
 * Confusion matrix: `cm[i][j]` counts samples whose true class is `labels[i]` and whose
 * predicted class is `labels[j]` (as `sklearn.metrics.confusion_matrix`).
 *
 * @example
 * ```ts
 * ml.metrics.confusionMatrix([0, 1, 1], [0, 0, 1]); // [[1, 0], [1, 1]]
 * ```
 */
export function confusionMatrix(yTrue: Vector, yPred: Vector, options: ConfusionMatrixOptions = {}): number[][] {
  const t = toArray1D(yTrue, "yTrue");
  const p = toArray1D(yPred, "yPred");
  checkSameLength(t, p, "yTrue and yPred");
  const labels = options.labels ?? labelsOf(t, p);
  const index = new Map(labels.map((l, i) => [l, i]));
  const k = labels.length;
  const cm = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < t.length; i++) {
    const a = index.get(t[i]);
    const b = index.get(p[i]);
    if (a !== undefined && b !== undefined) cm[a][b] += 1;
  }
  if (options.normalize) {
    const div = (x: number, d: number) => (d === 0 ? 0 : x / d);
    if (options.normalize === "true") return cm.map((row) => { const s = row.reduce((x, y) => x + y, 0); return row.map((v) => div(v, s)); });
    if (options.normalize === "pred") {
      const cols = labels.map((_, j) => cm.reduce((s, row) => s + row[j], 0));
      return cm.map((row) => row.map((v, j) => div(v, cols[j])));
    }
    const total = cm.reduce((s, row) => s + row.reduce((x, y) => x + y, 0), 0);
    return cm.map((row) => row.map((v) => div(v, total)));
  }
  return cm;
}

/** Options for {@link accuracy}. */
export interface AccuracyOptions {
  /** Return the fraction (default true) or the count of correct predictions. */
  normalize?: boolean;
}

/** Fraction of exact matches (as `accuracy_score`). */
export function accuracy(yTrue: Vector, yPred: Vector, options: AccuracyOptions = {}): number {
  const t = toArray1D(yTrue, "yTrue");
  const p = toArray1D(yPred, "yPred");
  checkSameLength(t, p, "yTrue and yPred");
  let c = 0;
  for (let i = 0; i < t.length; i++) if (t[i] === p[i]) c++;
  return options.normalize === false ? c : c / t.length;
}

interface Counts {
  labels: number[];
  tp: number[];
  pred: number[];
  true: number[];
}

function perLabelCounts(t: number[], p: number[], options: ClassificationScoreOptions, fn: string): Counts {
  checkSameLength(t, p, "yTrue and yPred");
  const average = options.average ?? "binary";
  let labels = options.labels;
  if (average === "binary") {
    const present = labelsOf(t, p);
    if (present.length > 2) {
      throw new Error(`${fn}: target is multiclass (${present.length} classes) but average="binary"; choose average "macro", "micro" or "weighted"`);
    }
    const pos = options.posLabel ?? 1;
    if (!present.includes(pos) && present.length >= 2) {
      throw new Error(`${fn}: posLabel=${pos} is not a valid label; labels are [${present.join(", ")}]`);
    }
    labels = [pos];
  }
  labels = labels ?? labelsOf(t, p);
  const index = new Map(labels.map((l, i) => [l, i]));
  const tp = new Array<number>(labels.length).fill(0);
  const pred = new Array<number>(labels.length).fill(0);
  const tru = new Array<number>(labels.length).fill(0);
  for (let i = 0; i < t.length; i++) {
    const a = index.get(t[i]);
    const b = index.get(p[i]);
    if (a !== undefined) tru[a]++;
    if (b !== undefined) pred[b]++;
    if (a !== undefined && t[i] === p[i]) tp[a]++;
  }
  return { labels, tp, pred, true: tru };
}

function prf(t: number[], p: number[], options: FbetaOptions, fn: string) {
  const average = options.average ?? "binary";
  const zd = options.zeroDivision ?? 0;
  const beta = options.beta ?? 1;
  if (beta < 0) throw new Error(`${fn}: beta must be >= 0`);
  let { tp, pred, true: tru } = perLabelCounts(t, p, options, fn);
  if (average === "micro") {
    const s = (a: number[]) => [a.reduce((x, y) => x + y, 0)];
    tp = s(tp);
    pred = s(pred);
    tru = s(tru);
  }
  const precision = tp.map((v, i) => (pred[i] === 0 ? zd : v / pred[i]));
  const recall = tp.map((v, i) => (tru[i] === 0 ? zd : v / tru[i]));
  const b2 = beta * beta;
  const f = precision.map((pr, i) => {
    if (beta === Infinity) return recall[i];
    let denom = b2 * pr + recall[i];
    if (denom === 0) denom = 1;
    return ((1 + b2) * pr * recall[i]) / denom;
  });
  const avg = (a: number[], w?: number[]) => {
    if (!w) return a.reduce((x, y) => x + y, 0) / a.length;
    const sw = w.reduce((x, y) => x + y, 0);
    return a.reduce((s, v, i) => s + v * w[i], 0) / sw;
  };
  if (average === "weighted") {
    const sw = tru.reduce((x, y) => x + y, 0);
    if (sw === 0) {
      const z = zd === 1 ? 1 : 0;
      const predSum = pred.reduce((x, y) => x + y, 0);
      return predSum === 0 ? { precision: z, recall: z, f: z } : { precision: 0, recall: z, f: 0 };
    }
    return { precision: avg(precision, tru), recall: avg(recall, tru), f: avg(f, tru) };
  }
  return { precision: avg(precision), recall: avg(recall), f: avg(f) };
}

/**
 * Precision `tp / (tp + fp)` (as `precision_score`). Binary with `posLabel` = 1 by default.
 *
 * @example
 * ```ts
 * ml.metrics.precision(yTrue, yPred);                       // binary
 * ml.metrics.precision(yTrue, yPred, { average: "macro" }); // multiclass
 * ```
 */
export function precision(yTrue: Vector, yPred: Vector, options: ClassificationScoreOptions = {}): number {
  return prf(toArray1D(yTrue, "yTrue"), toArray1D(yPred, "yPred"), options, "precision").precision;
}

/** Recall `tp / (tp + fn)` (as `recall_score`). */
export function recall(yTrue: Vector, yPred: Vector, options: ClassificationScoreOptions = {}): number {
  return prf(toArray1D(yTrue, "yTrue"), toArray1D(yPred, "yPred"), options, "recall").recall;
}

/** F1 score, the harmonic mean of precision and recall (as `f1_score`). */
export function f1(yTrue: Vector, yPred: Vector, options: ClassificationScoreOptions = {}): number {
  return prf(toArray1D(yTrue, "yTrue"), toArray1D(yPred, "yPred"), { ...options, beta: 1 }, "f1").f;
}

/** F1 score under scikit-learn's name (`f1_score`): the same function as `f1`. */
export const f1Score: typeof f1 = f1;

/**
 * F-beta score (as `fbeta_score`): `(1 + β²)·P·R / (β²·P + R)`. `beta` > 1 favours recall.
 * Unlike sklearn, `beta` lives in the options object (default 1).
 */
export function fbeta(yTrue: Vector, yPred: Vector, options: FbetaOptions = {}): number {
  return prf(toArray1D(yTrue, "yTrue"), toArray1D(yPred, "yPred"), options, "fbeta").f;
}

/** Options for {@link iou}. */
export interface IouOptions extends ClassificationScoreOptions {
  /**
   * Treat the inputs as boxes `[x1, y1, x2, y2]` (or arrays of boxes). By default 2-D inputs
   * with rows of 4 numbers are boxes, and 1-D inputs are boxes only when they have 4 values
   * that are not all 0/1; otherwise 1-D inputs are label arrays (Jaccard score).
   */
  boxes?: boolean;
}

/**
 * Intersection over union of two boxes `[x1, y1, x2, y2]` (continuous coordinates,
 * `x1 < x2`, `y1 < y2`). Returns 0 when the union is empty.
 */
export function boxIou(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== 4 || b.length !== 4) throw new Error("boxIou: boxes must be [x1, y1, x2, y2]");
  const iw = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const ih = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const inter = iw * ih;
  const area = (r: ArrayLike<number>) => Math.max(0, r[2] - r[0]) * Math.max(0, r[3] - r[1]);
  const union = area(a) + area(b) - inter;
  return union <= 0 ? 0 : inter / union;
}

/**
 * Intersection over union.
 *
 * - Label arrays: the Jaccard score `tp / (tp + fp + fn)` (as `jaccard_score`, binary with
 *   `posLabel` = 1 by default, or averaged like {@link precision}).
 * - Boxes `[x1, y1, x2, y2]`: the IoU of the two boxes; for arrays of boxes, the IoU of each
 *   pair of rows (`number[]`).
 *
 * @example
 * ```ts
 * ml.metrics.iou([1, 1, 0, 0], [1, 0, 1, 0]);        // 1/3
 * ml.metrics.iou([0, 0, 10, 10], [5, 5, 15, 15]);    // 25/175
 * ```
 */
export function iou(a: Vector | Matrix, b: Vector | Matrix, options: IouOptions = {}): number | number[] {
  const va: unknown = (a as { arraySync?: () => unknown }).arraySync ? (a as { arraySync: () => unknown }).arraySync() : a;
  const vb: unknown = (b as { arraySync?: () => unknown }).arraySync ? (b as { arraySync: () => unknown }).arraySync() : b;
  const is2D = Array.isArray(va) && va.length > 0 && typeof (va as unknown[])[0] === "object";
  if (is2D) {
    const A = toArray2D(va as number[][], "a");
    const B = toArray2D(vb as number[][], "b");
    checkSameLength(A, B, "box arrays");
    return A.map((r, i) => boxIou(r, B[i]));
  }
  const ta = toArray1D(va as number[], "a");
  const tb = toArray1D(vb as number[], "b");
  const looksLikeBoxes = ta.length === 4 && tb.length === 4 && [...ta, ...tb].some((v) => v !== 0 && v !== 1);
  if (options.boxes || (options.boxes === undefined && looksLikeBoxes)) return boxIou(ta, tb);
  return jaccard(ta, tb, options);
}

function jaccard(t: number[], p: number[], options: ClassificationScoreOptions): number {
  const average = options.average ?? "binary";
  const zd = options.zeroDivision ?? 0;
  let { tp, pred, true: tru } = perLabelCounts(t, p, options, "iou");
  if (average === "micro") {
    const s = (x: number[]) => [x.reduce((u, v) => u + v, 0)];
    tp = s(tp);
    pred = s(pred);
    tru = s(tru);
  }
  const scores = tp.map((v, i) => {
    const d = pred[i] + tru[i] - v;
    return d === 0 ? zd : v / d;
  });
  if (average === "weighted") {
    const sw = tru.reduce((x, y) => x + y, 0);
    if (sw === 0) return zd;
    return scores.reduce((s, v, i) => s + v * tru[i], 0) / sw;
  }
  return scores.reduce((x, y) => x + y, 0) / scores.length;
}

// ----------------------------------------------------------------------------------------------
// Ranking curves
// ----------------------------------------------------------------------------------------------

/** Options for the binary ranking metrics. */
export interface CurveOptions {
  /** The positive class. Default 1. */
  posLabel?: number;
}

/** Options for {@link rocCurve}. */
export interface RocCurveOptions extends CurveOptions {
  /** Drop thresholds that are not corners of the ROC curve. Default true (as sklearn). */
  dropIntermediate?: boolean;
}

/** Result of {@link rocCurve}. */
export interface RocCurve {
  fpr: number[];
  tpr: number[];
  /** Decreasing thresholds; `thresholds[0]` is `Infinity` (no sample predicted positive). */
  thresholds: number[];
}

function binaryClfCurve(yTrue: Vector, scores: Vector, posLabel: number) {
  const t = toArray1D(yTrue, "yTrue");
  const s = toArray1D(scores, "scores");
  checkSameLength(t, s, "yTrue and scores");
  const order = s.map((_, i) => i).sort((i, j) => s[j] - s[i] || i - j);
  const fps: number[] = [];
  const tps: number[] = [];
  const thresholds: number[] = [];
  let tp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    if (t[i] === posLabel) tp++;
    if (k === order.length - 1 || s[order[k + 1]] !== s[i]) {
      tps.push(tp);
      fps.push(k + 1 - tp);
      thresholds.push(s[i]);
    }
  }
  return { fps, tps, thresholds };
}

/**
 * Receiver operating characteristic curve (as `roc_curve`). Thresholds decrease; the first
 * is `Infinity` (as scikit-learn ≥ 1.3; 1.2 used `max(score) + 1`).
 */
export function rocCurve(yTrue: Vector, scores: Vector, options: RocCurveOptions = {}): RocCurve {
  let { fps, tps, thresholds } = binaryClfCurve(yTrue, scores, options.posLabel ?? 1);
  if ((options.dropIntermediate ?? true) && fps.length > 2) {
    const keep: number[] = [0];
    for (let i = 1; i < fps.length - 1; i++) {
      const d2f = fps[i + 1] - 2 * fps[i] + fps[i - 1];
      const d2t = tps[i + 1] - 2 * tps[i] + tps[i - 1];
      if (d2f !== 0 || d2t !== 0) keep.push(i);
    }
    keep.push(fps.length - 1);
    fps = keep.map((i) => fps[i]);
    tps = keep.map((i) => tps[i]);
    thresholds = keep.map((i) => thresholds[i]);
  }
  fps = [0, ...fps];
  tps = [0, ...tps];
  thresholds = [Infinity, ...thresholds];
  const fN = fps[fps.length - 1];
  const tN = tps[tps.length - 1];
  return {
    fpr: fps.map((v) => (fN <= 0 ? NaN : v / fN)),
    tpr: tps.map((v) => (tN <= 0 ? NaN : v / tN)),
    thresholds,
  };
}

/** Area under a curve by the trapezoidal rule (as `sklearn.metrics.auc`); `x` must be monotonic. */
export function auc(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let direction = 1;
  for (let i = 1; i < x.length; i++) {
    if (x[i] < x[i - 1]) {
      direction = -1;
      break;
    }
  }
  if (direction === -1) {
    for (let i = 1; i < x.length; i++) if (x[i] > x[i - 1]) throw new Error("auc: x is neither increasing nor decreasing");
  }
  let a = 0;
  for (let i = 1; i < x.length; i++) a += ((x[i] - x[i - 1]) * (y[i] + y[i - 1])) / 2;
  return direction * a;
}

/** Area under the ROC curve for binary labels (as `roc_auc_score`). */
export function rocAuc(yTrue: Vector, scores: Vector, options: CurveOptions = {}): number {
  const t = toArray1D(yTrue, "yTrue");
  if (unique(t).length !== 2) throw new Error("rocAuc: only one class present in yTrue; ROC AUC is not defined");
  const { fpr, tpr } = rocCurve(t, scores, { ...options, dropIntermediate: true });
  return auc(fpr, tpr);
}

/** Result of {@link prCurve}. */
export interface PrCurve {
  /** Precision per threshold, with a final 1. */
  precision: number[];
  /** Decreasing recall per threshold, with a final 0. */
  recall: number[];
  /** Increasing thresholds (one fewer than precision/recall). */
  thresholds: number[];
}

/** Precision–recall pairs for each threshold (as `precision_recall_curve`, sklearn 1.2). */
export function prCurve(yTrue: Vector, scores: Vector, options: CurveOptions = {}): PrCurve {
  const { fps, tps, thresholds } = binaryClfCurve(yTrue, scores, options.posLabel ?? 1);
  const last = tps[tps.length - 1];
  const precision = tps.map((tp, i) => (tp + fps[i] === 0 ? 0 : tp / (tp + fps[i])));
  const rec = tps.map((tp) => (last === 0 ? 1 : tp / last));
  return {
    precision: [...precision.reverse(), 1],
    recall: [...rec.reverse(), 0],
    thresholds: [...thresholds].reverse(),
  };
}

/** Average precision, `Σ (R_n − R_{n−1}) P_n` (as `average_precision_score`). */
export function averagePrecision(yTrue: Vector, scores: Vector, options: CurveOptions = {}): number {
  const { precision: p, recall: r } = prCurve(yTrue, scores, options);
  let s = 0;
  for (let i = 0; i < r.length - 1; i++) s += (r[i + 1] - r[i]) * p[i];
  return -s;
}

// ----------------------------------------------------------------------------------------------
// Probabilistic scores
// ----------------------------------------------------------------------------------------------

/** Options for {@link logLoss}. */
export interface LogLossOptions {
  /** Clipping epsilon. Default: float64 machine epsilon (sklearn's `eps="auto"`). */
  eps?: number;
  /** Mean (default true) or sum over samples. */
  normalize?: boolean;
  /** All class labels, sorted; needed when `yTrue` lacks some class. */
  labels?: number[];
}

/**
 * Cross-entropy loss (as `log_loss`). `yProb` is either the probability of the greater
 * class (1-D, binary) or a matrix with one column per sorted label.
 */
export function logLoss(yTrue: Vector, yProb: Vector | Matrix, options: LogLossOptions = {}): number {
  const t = toArray1D(yTrue, "yTrue");
  const eps = options.eps ?? 2.220446049250313e-16;
  const labels = options.labels ? [...options.labels].sort((a, b) => a - b) : unique(t);
  if (labels.length < 2) throw new Error("logLoss: yTrue contains only one label; pass options.labels");
  let P = toArray2D(yProb as Matrix, "yProb");
  checkSameLength(t, P, "yTrue and yProb");
  const clip = (v: number) => Math.min(Math.max(v, eps), 1 - eps);
  P = P.map((row) => row.map(clip));
  if (P[0]?.length === 1) P = P.map((row) => [1 - row[0], row[0]]);
  if (P[0].length !== labels.length) {
    throw new Error(`logLoss: yProb has ${P[0].length} columns but there are ${labels.length} labels`);
  }
  const index = new Map(labels.map((l, i) => [l, i]));
  let total = 0;
  for (let i = 0; i < t.length; i++) {
    const k = index.get(t[i]);
    if (k === undefined) throw new Error(`logLoss: label ${t[i]} not in labels`);
    const s = P[i].reduce((a, b) => a + b, 0);
    total -= Math.log(P[i][k] / s);
  }
  return options.normalize === false ? total : total / t.length;
}

/** Brier score: mean squared difference between `yProb` and the 0/1 outcome (as `brier_score_loss`). */
export function brierScore(yTrue: Vector, yProb: Vector, options: CurveOptions = {}): number {
  const t = toArray1D(yTrue, "yTrue");
  const p = toArray1D(yProb, "yProb");
  checkSameLength(t, p, "yTrue and yProb");
  const pos = options.posLabel ?? Math.max(...unique(t), 1);
  let s = 0;
  for (let i = 0; i < t.length; i++) s += ((t[i] === pos ? 1 : 0) - p[i]) ** 2;
  return s / t.length;
}

/** Options for {@link calibrationCurve}. */
export interface CalibrationCurveOptions extends CurveOptions {
  /** Number of bins. Default 5. */
  nBins?: number;
  /** `"uniform"` (equal-width bins on [0, 1], default) or `"quantile"` (equal counts). */
  strategy?: "uniform" | "quantile";
}

/** Result of {@link calibrationCurve}: one entry per non-empty bin. */
export interface CalibrationCurve {
  /** Fraction of positives in each bin. */
  probTrue: number[];
  /** Mean predicted probability in each bin. */
  probPred: number[];
}

function linspace(a: number, b: number, n: number): number[] {
  if (n === 1) return [a];
  const step = (b - a) / (n - 1);
  const out = Array.from({ length: n }, (_, i) => i * step + a);
  out[n - 1] = b;
  return out;
}

/** Reliability diagram data (as `sklearn.calibration.calibration_curve`). */
export function calibrationCurve(yTrue: Vector, yProb: Vector, options: CalibrationCurveOptions = {}): CalibrationCurve {
  const t = toArray1D(yTrue, "yTrue");
  const p = toArray1D(yProb, "yProb");
  checkSameLength(t, p, "yTrue and yProb");
  const nBins = options.nBins ?? 5;
  if (p.some((v) => v < 0 || v > 1)) throw new Error("calibrationCurve: yProb has values outside [0, 1]");
  const pos = options.posLabel ?? 1;
  const strategy = options.strategy ?? "uniform";
  const qs = linspace(0, 1, nBins + 1);
  const bins = strategy === "quantile" ? qs.map((q) => quantile(p, (q * 100) / 100)) : qs;
  const inner = bins.slice(1, -1);
  const sums = new Array<number>(bins.length).fill(0);
  const trues = new Array<number>(bins.length).fill(0);
  const totals = new Array<number>(bins.length).fill(0);
  for (let i = 0; i < p.length; i++) {
    // searchsorted(inner, p, side="left"): number of inner edges strictly below p
    let lo = 0;
    let hi = inner.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (inner[mid] < p[i]) lo = mid + 1;
      else hi = mid;
    }
    sums[lo] += p[i];
    trues[lo] += t[i] === pos ? 1 : 0;
    totals[lo] += 1;
  }
  const probTrue: number[] = [];
  const probPred: number[] = [];
  for (let b = 0; b < bins.length; b++) {
    if (totals[b] === 0) continue;
    probTrue.push(trues[b] / totals[b]);
    probPred.push(sums[b] / totals[b]);
  }
  return { probTrue, probPred };
}

// ----------------------------------------------------------------------------------------------
// Regression
// ----------------------------------------------------------------------------------------------

function pair(yTrue: Vector, yPred: Vector): [number[], number[]] {
  const t = toArray1D(yTrue, "yTrue");
  const p = toArray1D(yPred, "yPred");
  checkSameLength(t, p, "yTrue and yPred");
  if (t.length === 0) throw new Error("empty input");
  return [t, p];
}

/** Mean squared error (as `mean_squared_error`). */
export function mse(yTrue: Vector, yPred: Vector): number {
  const [t, p] = pair(yTrue, yPred);
  let s = 0;
  for (let i = 0; i < t.length; i++) s += (t[i] - p[i]) ** 2;
  return s / t.length;
}

/** Root mean squared error (as `mean_squared_error(..., squared=False)`). */
export function rmse(yTrue: Vector, yPred: Vector): number {
  return Math.sqrt(mse(yTrue, yPred));
}

/** Mean absolute error (as `mean_absolute_error`). */
export function mae(yTrue: Vector, yPred: Vector): number {
  const [t, p] = pair(yTrue, yPred);
  let s = 0;
  for (let i = 0; i < t.length; i++) s += Math.abs(t[i] - p[i]);
  return s / t.length;
}

/**
 * Coefficient of determination R² (as `r2_score`). With constant `yTrue` it returns 1 for a
 * perfect prediction and 0 otherwise (sklearn's `force_finite=True`).
 */
export function r2(yTrue: Vector, yPred: Vector): number {
  const [t, p] = pair(yTrue, yPred);
  const m = t.reduce((a, b) => a + b, 0) / t.length;
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < t.length; i++) {
    ssRes += (t[i] - p[i]) ** 2;
    ssTot += (t[i] - m) ** 2;
  }
  if (ssTot === 0) return ssRes === 0 ? 1 : 0;
  return 1 - ssRes / ssTot;
}

// ----------------------------------------------------------------------------------------------
// Report
// ----------------------------------------------------------------------------------------------

/** One row of a {@link ClassificationReport}. */
export interface ReportRow {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** Options for {@link classificationReport}. */
export interface ClassificationReportOptions {
  /** Classes to report (sorted union of `yTrue` and `yPred` by default). */
  labels?: number[];
  /** Display names, one per label. */
  targetNames?: string[];
  /** Decimals in `text`. Default 2. */
  digits?: number;
  /** Value for zero-denominator ratios. Default 0. */
  zeroDivision?: 0 | 1;
}

/** Result of {@link classificationReport}. */
export interface ClassificationReport {
  /** Per-class rows keyed by target name (the label as a string by default). */
  classes: Record<string, ReportRow>;
  /** Accuracy (present when the labels cover every class, as in sklearn). */
  accuracy?: number;
  /** Micro average (present instead of `accuracy` when only some labels are reported). */
  microAvg?: ReportRow;
  macroAvg: ReportRow;
  weightedAvg: ReportRow;
  /** The same numbers keyed exactly as sklearn's `output_dict=True` (`"f1-score"`, `"macro avg"`, …). */
  dict: Record<string, number | { precision: number; recall: number; "f1-score": number; support: number }>;
  /** Plain-text table, formatted like sklearn's `classification_report`. */
  text: string;
}

/** Python-style fixed formatting (round half to even on the exact binary value). */
function pyFixed(x: number, digits: number): string {
  if (!Number.isFinite(x)) return String(x);
  const s = x.toFixed(digits);
  const exact = Math.abs(x) < 1e21 ? Math.abs(x).toFixed(Math.min(100, digits + 60)) : "";
  const tail = exact.slice(exact.indexOf(".") + 1 + digits);
  if (tail.length > 0 && tail[0] === "5" && /^50*$/.test(tail)) {
    // exact tie: toFixed rounded away from zero; Python rounds to even
    const lastDigit = Number(exact[exact.indexOf(".") + digits] ?? "0");
    const keptDigit = digits === 0 ? Number(exact[exact.indexOf(".") - 1]) : lastDigit;
    if (keptDigit % 2 === 0) {
      const trunc = (x < 0 ? "-" : "") + exact.slice(0, exact.indexOf(".") + (digits === 0 ? 0 : 1 + digits));
      return trunc;
    }
  }
  return s;
}

/**
 * Per-class precision, recall, F1 and support plus accuracy, macro and weighted averages
 * (as `classification_report`), with a `text` rendering for printing.
 */
export function classificationReport(yTrue: Vector, yPred: Vector, options: ClassificationReportOptions = {}): ClassificationReport {
  const t = toArray1D(yTrue, "yTrue");
  const p = toArray1D(yPred, "yPred");
  const present = labelsOf(t, p);
  const labels = options.labels ?? present;
  const digits = options.digits ?? 2;
  const zd = options.zeroDivision ?? 0;
  const names = options.targetNames ?? labels.map(String);
  if (names.length !== labels.length) throw new Error("classificationReport: targetNames must have one name per label");
  const microIsAccuracy = labels.length === present.length && present.every((l) => labels.includes(l));
  const counts = perLabelCounts(t, p, { labels, average: "macro" }, "classificationReport");
  const rows: ReportRow[] = labels.map((_, i) => {
    const pr = counts.pred[i] === 0 ? zd : counts.tp[i] / counts.pred[i];
    const rc = counts.true[i] === 0 ? zd : counts.tp[i] / counts.true[i];
    const d = pr + rc;
    return { precision: pr, recall: rc, f1: d === 0 ? 0 : (2 * pr * rc) / d, support: counts.true[i] };
  });
  const totalSupport = counts.true.reduce((a, b) => a + b, 0);
  const avgRow = (weights: number[] | null): ReportRow => {
    const sw = weights ? weights.reduce((a, b) => a + b, 0) : rows.length;
    const f = (k: "precision" | "recall" | "f1") =>
      sw === 0 ? zd : rows.reduce((s, r, i) => s + r[k] * (weights ? weights[i] : 1), 0) / sw;
    return { precision: f("precision"), recall: f("recall"), f1: f("f1"), support: totalSupport };
  };
  const macroAvg = avgRow(null);
  const weightedAvg = avgRow(counts.true);
  const classes: Record<string, ReportRow> = {};
  const dict: ClassificationReport["dict"] = {};
  const toDict = (r: ReportRow) => ({ precision: r.precision, recall: r.recall, "f1-score": r.f1, support: r.support });
  names.forEach((n, i) => {
    classes[n] = rows[i];
    dict[n] = toDict(rows[i]);
  });
  const out: ClassificationReport = { classes, macroAvg, weightedAvg, dict, text: "" };
  let micro: ReportRow | undefined;
  if (microIsAccuracy) {
    out.accuracy = accuracy(t, p);
    dict.accuracy = out.accuracy;
  } else {
    const m = prf(t, p, { labels, average: "micro", zeroDivision: zd }, "classificationReport");
    micro = { precision: m.precision, recall: m.recall, f1: m.f, support: totalSupport };
    out.microAvg = micro;
    dict["micro avg"] = toDict(micro);
  }
  dict["macro avg"] = toDict(macroAvg);
  dict["weighted avg"] = toDict(weightedAvg);

  const width = Math.max(...names.map((n) => n.length), "weighted avg".length, digits);
  const padL = (s: string, w: number) => s.padStart(w, " ");
  const num = (v: number) => " " + padL(pyFixed(v, digits), 9);
  let text = padL("", width) + " " + ["precision", "recall", "f1-score", "support"].map((h) => " " + padL(h, 9)).join("") + "\n\n";
  const line = (name: string, r: ReportRow) => padL(name, width) + " " + num(r.precision) + num(r.recall) + num(r.f1) + " " + padL(String(r.support), 9) + "\n";
  names.forEach((n, i) => (text += line(n, rows[i])));
  text += "\n";
  if (microIsAccuracy) {
    text += padL("accuracy", width) + " " + " " + padL("", 9) + " " + padL("", 9) + num(out.accuracy as number) + " " + padL(String(totalSupport), 9) + "\n";
  } else {
    text += line("micro avg", micro as ReportRow);
  }
  text += line("macro avg", macroAvg);
  text += line("weighted avg", weightedAvg);
  out.text = text;
  return out;
}

// ----------------------------------------------------------------------------------------------
// Threshold selection
// ----------------------------------------------------------------------------------------------

/** Options for {@link bestThreshold}: give `beta` to maximise F-beta, or costs to minimise expected cost. */
export interface BestThresholdOptions {
  /** Maximise F-beta with this beta (default objective, beta = 1). */
  beta?: number;
  /** Cost of one false positive. Giving `costFp` or `costFn` switches to cost minimisation. */
  costFp?: number;
  /** Cost of one false negative. */
  costFn?: number;
  /** The positive class. Default 1. */
  posLabel?: number;
}

/** Result of {@link bestThreshold}. */
export interface BestThreshold {
  /** Predict positive when `score >= threshold`. `Infinity` means "never positive". */
  threshold: number;
  /** The F-beta score, or the expected cost per sample, at `threshold`. */
  value: number;
  /** Objective at every candidate threshold (decreasing thresholds, starting at `Infinity`). */
  curve: { thresholds: number[]; values: number[] };
}

/**
 * Picks the decision threshold on `scores` that maximises F-beta (`{ beta }`) or minimises
 * the expected cost `(costFp·FP + costFn·FN) / n` (`{ costFp, costFn }`). Candidates are
 * `Infinity` and every distinct score; ties go to the highest threshold.
 *
 * @example
 * ```ts
 * ml.metrics.bestThreshold(yTest, scores, { costFp: 1, costFn: 50 }).threshold;
 * ```
 */
export function bestThreshold(yTrue: Vector, scores: Vector, options: BestThresholdOptions = {}): BestThreshold {
  const t = toArray1D(yTrue, "yTrue");
  const { fps, tps, thresholds } = binaryClfCurve(t, scores, options.posLabel ?? 1);
  const pos = tps[tps.length - 1];
  const n = t.length;
  const useCost = options.costFp !== undefined || options.costFn !== undefined;
  if (useCost && options.beta !== undefined) throw new Error("bestThreshold: give either beta or costFp/costFn, not both");
  const cFp = options.costFp ?? 1;
  const cFn = options.costFn ?? 1;
  const beta = options.beta ?? 1;
  const b2 = beta * beta;
  const allT = [Infinity, ...thresholds];
  const allTp = [0, ...tps];
  const allFp = [0, ...fps];
  const values = allT.map((_, i) => {
    const tp = allTp[i];
    const fp = allFp[i];
    const fn = pos - tp;
    if (useCost) return (cFp * fp + cFn * fn) / n;
    const denom = (1 + b2) * tp + b2 * fn + fp;
    return denom === 0 ? 0 : ((1 + b2) * tp) / denom;
  });
  let best = 0;
  for (let i = 1; i < values.length; i++) {
    if (useCost ? values[i] < values[best] : values[i] > values[best]) best = i;
  }
  return { threshold: allT[best], value: values[best], curve: { thresholds: allT, values } };
}
