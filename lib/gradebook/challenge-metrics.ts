// How a challenge's metric reads as a grade: which way is better, and whether its values are
// already a 0–1 grade (F1, PR-AUC, accuracy…) that can enter a student's total. An error metric
// (RMSE, log loss…) has no natural 0–1 reading, so it is shown but left out of totals. The
// direction comes from the challenges' metric registry when the metric is one of its ids.

import { METRICS, type MetricId } from "@/lib/challenges/metrics";

const normalize = (metric: string) => metric.toLowerCase().replace(/[^a-z0-9]/g, "");

/** Higher is better and values lie in [0, 1]. */
const UNIT_INTERVAL = new Set([
  "accuracy", "balancedaccuracy", "precision", "recall", "f1", "f1score", "fbeta", "iou", "jaccard",
  "rocauc", "auc", "auroc", "prauc", "auprc", "averageprecision", "ap",
]);

/** Lower is better (errors and losses). */
const LOWER_IS_BETTER = /(loss|error|mse|mae|rmse|mape|brier)/;

export interface MetricScale {
  higherIsBetter: boolean;
  /** Values are 0–1 grades (higher better). */
  unitInterval: boolean;
}

export function metricScale(metric: string): MetricScale {
  const known = Object.hasOwn(METRICS, metric) ? METRICS[metric as MetricId] : null;
  const m = normalize(metric);
  if (known) return { higherIsBetter: known.higherIsBetter, unitInterval: known.higherIsBetter && UNIT_INTERVAL.has(m) };
  if (UNIT_INTERVAL.has(m) || /^f\d+$/.test(m)) return { higherIsBetter: true, unitInterval: true };
  if (LOWER_IS_BETTER.test(m)) return { higherIsBetter: false, unitInterval: false };
  return { higherIsBetter: true, unitInterval: false };
}
