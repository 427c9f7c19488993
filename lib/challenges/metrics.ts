// The metrics a model challenge can be scored by: a thin registry over lib/ml/metrics that says,
// for each, whether higher is better and whether it reads labels (0/1, classes) or scores.

import * as m from "@/lib/ml/metrics";

export const METRIC_IDS = [
  "f1",
  "precision",
  "recall",
  "accuracy",
  "average-precision",
  "roc-auc",
  "log-loss",
  "rmse",
  "mae",
  "r2",
] as const;
export type MetricId = (typeof METRIC_IDS)[number];

/** What predictions the metric reads: 0/1 decisions, class labels, probabilities/scores, or numbers. */
export type PredictionKind = "binary-label" | "class-label" | "score" | "probability" | "number";

export interface MetricInfo {
  id: MetricId;
  /** Short name shown on the page (same in both languages). */
  name: string;
  higherIsBetter: boolean;
  /** binary: the target is encoded as positive (1) / other (0); regression: numeric target. */
  task: "binary" | "multiclass" | "regression";
  predictions: PredictionKind;
  /**
   * Scores predictions `p` against encoded truth `y` (same length, already validated).
   * Binary tasks get y in {0, 1}; multiclass and regression the numeric target.
   */
  score(y: ArrayLike<number>, p: ArrayLike<number>): number;
}

// ml.metrics copies its inputs to number[]; Array.from on a typed array is the cheapest way there.
const arr = (x: ArrayLike<number>): number[] => (Array.isArray(x) ? (x as number[]) : Array.from(x));

export const METRICS: Record<MetricId, MetricInfo> = {
  f1: { id: "f1", name: "F1", higherIsBetter: true, task: "binary", predictions: "binary-label", score: (y, p) => m.f1(arr(y), arr(p), { labels: undefined, posLabel: 1 }) },
  precision: { id: "precision", name: "Precision", higherIsBetter: true, task: "binary", predictions: "binary-label", score: (y, p) => m.precision(arr(y), arr(p), { posLabel: 1 }) },
  recall: { id: "recall", name: "Recall", higherIsBetter: true, task: "binary", predictions: "binary-label", score: (y, p) => m.recall(arr(y), arr(p), { posLabel: 1 }) },
  accuracy: { id: "accuracy", name: "Accuracy", higherIsBetter: true, task: "multiclass", predictions: "class-label", score: (y, p) => m.accuracy(arr(y), arr(p)) },
  "average-precision": {
    id: "average-precision",
    name: "PR-AUC",
    higherIsBetter: true,
    task: "binary",
    predictions: "score",
    score: (y, p) => m.averagePrecision(arr(y), arr(p), { posLabel: 1 }),
  },
  "roc-auc": { id: "roc-auc", name: "ROC-AUC", higherIsBetter: true, task: "binary", predictions: "score", score: (y, p) => m.rocAuc(arr(y), arr(p), { posLabel: 1 }) },
  // Binary log loss: p is the probability of the positive class; labels fixed so a part with one class still scores.
  "log-loss": { id: "log-loss", name: "Log loss", higherIsBetter: false, task: "binary", predictions: "probability", score: (y, p) => m.logLoss(arr(y), arr(p), { labels: [0, 1] }) },
  rmse: { id: "rmse", name: "RMSE", higherIsBetter: false, task: "regression", predictions: "number", score: (y, p) => m.rmse(arr(y), arr(p)) },
  mae: { id: "mae", name: "MAE", higherIsBetter: false, task: "regression", predictions: "number", score: (y, p) => m.mae(arr(y), arr(p)) },
  r2: { id: "r2", name: "R²", higherIsBetter: true, task: "regression", predictions: "number", score: (y, p) => m.r2(arr(y), arr(p)) },
};

export function isMetricId(value: string): value is MetricId {
  return (METRIC_IDS as readonly string[]).includes(value);
}

export function metricOrThrow(id: string): MetricInfo {
  if (!isMetricId(id)) throw new Error(`Unknown challenge metric "${id}"`);
  return METRICS[id];
}

/** True when `a` is a better score than `b` under the metric. */
export function isBetter(metric: MetricInfo, a: number, b: number): boolean {
  return metric.higherIsBetter ? a > b : a < b;
}

/** Sort comparator: best score first. */
export function compareScores(metric: MetricInfo, a: number, b: number): number {
  return metric.higherIsBetter ? b - a : a - b;
}
