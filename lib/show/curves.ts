// show.roc / show.pr: the curves, their areas and their Vega-Lite specs. The numbers come from
// lib/ml/metrics, so the chart and the metric students compute can never disagree.

import type { MimeBundle } from "@/lib/notebook/types";
import * as metrics from "@/lib/ml/metrics";
import type { Vector } from "@/lib/ml/array";
import { VEGA_LITE_MIME, baseSpec, fmt, type ChartOptions, type VegaLiteSpec } from "./vega";

export interface RocCurve {
  fpr: number[];
  tpr: number[];
  /** Decreasing; the first is Infinity. */
  thresholds: number[];
  auc: number;
}
export interface PrCurve {
  /** Ordered by increasing recall, starting at recall 0 / precision 1. */
  precision: number[];
  recall: number[];
  averagePrecision: number;
}

function binaryCounts(yTrue: Vector, scores: Vector): { pos: number; n: number } {
  const y = Array.from(metricsArray(yTrue), Number);
  const s = Array.from(metricsArray(scores), Number);
  if (y.length !== s.length) throw new RangeError(`yTrue has ${y.length} values but scores has ${s.length}`);
  if (y.some((v) => v !== 0 && v !== 1)) throw new TypeError("yTrue must hold 0/1 (or booleans)");
  if (s.some((v) => Number.isNaN(v))) throw new TypeError("scores must be numbers (no NaN)");
  return { pos: y.reduce((a, b) => a + b, 0), n: y.length };
}

function metricsArray(v: Vector): ArrayLike<number | boolean> {
  const t = v as { dataSync?: () => ArrayLike<number> };
  return typeof t.dataSync === "function" ? t.dataSync() : (v as ArrayLike<number | boolean>);
}

export function rocCurve(yTrue: Vector, scores: Vector): RocCurve {
  const { pos, n } = binaryCounts(yTrue, scores);
  if (pos === 0 || pos === n) throw new RangeError("ROC needs both positive and negative examples");
  const c = metrics.rocCurve(yTrue, scores);
  return { fpr: c.fpr, tpr: c.tpr, thresholds: c.thresholds, auc: metrics.auc(c.fpr, c.tpr) };
}

export function prCurve(yTrue: Vector, scores: Vector): PrCurve {
  const { pos } = binaryCounts(yTrue, scores);
  if (pos === 0) throw new RangeError("a precision-recall curve needs at least one positive example");
  const c = metrics.prCurve(yTrue, scores);
  return {
    precision: [...c.precision].reverse(),
    recall: [...c.recall].reverse(),
    averagePrecision: metrics.averagePrecision(yTrue, scores),
  };
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

export function rocSpec(yTrue: Vector, scores: Vector, opts: ChartOptions = {}) {
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

export function prSpec(yTrue: Vector, scores: Vector, opts: ChartOptions = {}) {
  const c = prCurve(yTrue, scores);
  const title = `${opts.title ? opts.title + " — " : "Precision-recall — "}AP = ${c.averagePrecision.toFixed(3)}`;
  // The no-skill line sits at the positive rate.
  const y = Array.from(metricsArray(yTrue), Number);
  const prevalence = y.filter((v) => v === 1).length / Math.max(1, y.length);
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

export function roc(yTrue: Vector, scores: Vector, opts: ChartOptions = {}): MimeBundle {
  const { spec, curve } = rocSpec(yTrue, scores, opts);
  return { [VEGA_LITE_MIME]: spec, "text/plain": `${spec.title}\n${curve.fpr.length} points, AUC ${fmt(curve.auc)}` };
}

export function pr(yTrue: Vector, scores: Vector, opts: ChartOptions = {}): MimeBundle {
  const { spec, curve } = prSpec(yTrue, scores, opts);
  return {
    [VEGA_LITE_MIME]: spec,
    "text/plain": `${spec.title}\n${curve.recall.length} points, average precision ${fmt(curve.averagePrecision)}`,
  };
}
