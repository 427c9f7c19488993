// show.roc / show.pr: the curves, their areas and their Vega-Lite specs.
// TODO: switch the computations to lib/ml/metrics (rocCurve, prCurve) once that module lands,
// so the chart and the metric students compute can never disagree.

import type { MimeBundle } from "@/lib/notebook/types";
import { VEGA_LITE_MIME, baseSpec, fmt, type ChartOptions, type VegaLiteSpec } from "./vega";

export interface RocCurve {
  fpr: number[];
  tpr: number[];
  thresholds: number[];
  auc: number;
}
export interface PrCurve {
  precision: number[];
  recall: number[];
  thresholds: number[];
  averagePrecision: number;
}

function labelsAndScores(yTrue: ArrayLike<number | boolean>, scores: ArrayLike<number>) {
  const y = Array.from(yTrue, (v) => (v === true || v === 1 ? 1 : v === false || v === 0 ? 0 : Number.NaN));
  const s = Array.from(scores, Number);
  if (y.length !== s.length) throw new RangeError(`yTrue has ${y.length} values but scores has ${s.length}`);
  if (y.some((v) => Number.isNaN(v))) throw new TypeError("yTrue must hold 0/1 (or booleans)");
  if (s.some((v) => Number.isNaN(v))) throw new TypeError("scores must be numbers (no NaN)");
  const order = s.map((_, i) => i).sort((a, b) => s[b] - s[a]);
  const pos = y.reduce((a, b) => a + b, 0);
  return { y, s, order, pos, neg: y.length - pos };
}

/**
 * Walks thresholds from the highest score down, one step per distinct score (ties move
 * together, as in scikit-learn), yielding cumulative true and false positives.
 */
function* steps(y: number[], s: number[], order: number[]) {
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    if (y[i] === 1) tp++;
    else fp++;
    if (k === order.length - 1 || s[order[k + 1]] !== s[i]) yield { tp, fp, threshold: s[i] };
  }
}

export function rocCurve(yTrue: ArrayLike<number | boolean>, scores: ArrayLike<number>): RocCurve {
  const { y, s, order, pos, neg } = labelsAndScores(yTrue, scores);
  if (pos === 0 || neg === 0) throw new RangeError("ROC needs both positive and negative examples");
  const fpr = [0];
  const tpr = [0];
  const thresholds = [Infinity];
  for (const { tp, fp, threshold } of steps(y, s, order)) {
    fpr.push(fp / neg);
    tpr.push(tp / pos);
    thresholds.push(threshold);
  }
  let auc = 0;
  for (let k = 1; k < fpr.length; k++) auc += ((fpr[k] - fpr[k - 1]) * (tpr[k] + tpr[k - 1])) / 2;
  return { fpr, tpr, thresholds, auc };
}

/** Precision/recall per threshold; average precision = Σ (Rₙ − Rₙ₋₁)·Pₙ (scikit-learn's definition). */
export function prCurve(yTrue: ArrayLike<number | boolean>, scores: ArrayLike<number>): PrCurve {
  const { y, s, order, pos } = labelsAndScores(yTrue, scores);
  if (pos === 0) throw new RangeError("a precision-recall curve needs at least one positive example");
  const precision = [1];
  const recall = [0];
  const thresholds = [Infinity];
  let ap = 0;
  for (const { tp, fp, threshold } of steps(y, s, order)) {
    const p = tp / (tp + fp);
    const r = tp / pos;
    ap += (r - recall[recall.length - 1]) * p;
    precision.push(p);
    recall.push(r);
    thresholds.push(threshold);
  }
  return { precision, recall, thresholds, averagePrecision: ap };
}

/** Keeps at most `max` points (always the first and last) so huge curves stay light to draw. */
function thin<T>(points: T[], max = 1500): T[] {
  if (points.length <= max) return points;
  const stride = (points.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => points[Math.round(i * stride)]);
}

function curveSpec(
  points: { x: number; y: number }[],
  reference: { x: number; y: number }[],
  axes: { x: string; y: string },
  opts: ChartOptions,
  step: boolean,
): VegaLiteSpec {
  const size = { width: opts.width ?? 320, height: opts.height ?? 320 };
  const scale = { domain: [0, 1] };
  return {
    ...baseSpec({ ...opts, ...size }),
    layer: [
      {
        data: { values: reference },
        mark: { type: "line", strokeDash: [4, 4], color: "#999" },
        encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } },
      },
      {
        data: { values: thin(points) },
        mark: { type: "line", interpolate: step ? "step-before" : "linear", tooltip: true },
        encoding: {
          x: { field: "x", type: "quantitative", title: opts.xLabel ?? axes.x, scale },
          y: { field: "y", type: "quantitative", title: opts.yLabel ?? axes.y, scale },
        },
      },
    ],
  };
}

export function rocSpec(yTrue: ArrayLike<number | boolean>, scores: ArrayLike<number>, opts: ChartOptions = {}) {
  const c = rocCurve(yTrue, scores);
  const title = `${opts.title ? opts.title + " — " : "ROC — "}AUC = ${c.auc.toFixed(3)}`;
  const spec = curveSpec(
    c.fpr.map((x, i) => ({ x, y: c.tpr[i] })),
    [
      { x: 0, y: 0 },
      { x: 1, y: 1 },
    ],
    { x: "false positive rate", y: "true positive rate" },
    { ...opts, title },
    false,
  );
  return { spec, curve: c };
}

export function prSpec(yTrue: ArrayLike<number | boolean>, scores: ArrayLike<number>, opts: ChartOptions = {}) {
  const c = prCurve(yTrue, scores);
  const title = `${opts.title ? opts.title + " — " : "Precision-recall — "}AP = ${c.averagePrecision.toFixed(3)}`;
  // The no-skill line sits at the positive rate.
  const prevalence = Array.from(yTrue).filter((v) => v === 1 || v === true).length / Math.max(1, Array.from(yTrue).length);
  const spec = curveSpec(
    c.recall.map((x, i) => ({ x, y: c.precision[i] })),
    [
      { x: 0, y: prevalence },
      { x: 1, y: prevalence },
    ],
    { x: "recall", y: "precision" },
    { ...opts, title },
    true,
  );
  return { spec, curve: c };
}

export function roc(yTrue: ArrayLike<number | boolean>, scores: ArrayLike<number>, opts: ChartOptions = {}): MimeBundle {
  const { spec, curve } = rocSpec(yTrue, scores, opts);
  return { [VEGA_LITE_MIME]: spec, "text/plain": `${spec.title}\n${curve.fpr.length} points, AUC ${fmt(curve.auc)}` };
}

export function pr(yTrue: ArrayLike<number | boolean>, scores: ArrayLike<number>, opts: ChartOptions = {}): MimeBundle {
  const { spec, curve } = prSpec(yTrue, scores, opts);
  return {
    [VEGA_LITE_MIME]: spec,
    "text/plain": `${spec.title}\n${curve.recall.length} points, average precision ${fmt(curve.averagePrecision)}`,
  };
}
