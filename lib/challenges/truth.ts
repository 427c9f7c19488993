// Turns a challenge's hidden labels into the numbers its metric reads: 1/0 for the positive class
// of a binary metric, the numeric class for accuracy, the value for regression.

import { ChallengeProblem, quote } from "./errors";
import type { MetricInfo } from "./metrics";

export type Label = number | string;

/** Whether the metric scores a positive class (and so needs `positiveLabel`). */
export function needsPositiveLabel(metric: MetricInfo, labels?: readonly Label[]): boolean {
  if (metric.task === "binary") return true;
  // Accuracy over text labels is scored as positive vs the rest.
  return metric.task === "multiclass" && !!labels && labels.some((l) => typeof l !== "number");
}

/** Encoded truth, one number per hidden row; throws ChallengeProblem when the labels cannot be scored. */
export function encodeTruth(metric: MetricInfo, labels: readonly Label[], positiveLabel: string | null): Float64Array {
  const y = new Float64Array(labels.length);
  if (needsPositiveLabel(metric, labels) || (metric.task === "multiclass" && positiveLabel !== null)) {
    if (positiveLabel === null) throw new ChallengeProblem("positiveLabelMissing", `The metric ${metric.name} needs a positive label`);
    let positives = 0;
    for (let i = 0; i < labels.length; i++) {
      const hit = String(labels[i]) === positiveLabel;
      y[i] = hit ? 1 : 0;
      if (hit) positives++;
    }
    if (positives === 0) {
      throw new ChallengeProblem("positiveLabelUnknown", `No row has the positive label "${quote(positiveLabel)}"`, { label: quote(positiveLabel) });
    }
    return y;
  }
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new ChallengeProblem("targetNotNumeric", `Target value "${quote(v)}" (row ${i + 1}) is not a number`, { value: quote(v), row: i + 1 });
    }
    y[i] = v;
  }
  return y;
}
