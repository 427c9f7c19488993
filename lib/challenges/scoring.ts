// Scores aligned predictions on the public and the private rows of a challenge. A plan is built
// once per challenge (truth encoded, rows split) and reused for every submission.

import { ChallengeProblem, quote } from "./errors";
import { metricOrThrow, type MetricInfo } from "./metrics";
import { encodeTruth, needsPositiveLabel, type Label } from "./truth";

export interface HiddenSet {
  /** Canonical ids, feature-file order. */
  ids: readonly string[];
  labels: readonly Label[];
  /** '1' = public row, '0' = private row, one per id. */
  publicMask: string;
}

export interface ScoringPlan {
  metric: MetricInfo;
  /** True when truth is 1 (positive label) / 0: predictions of a label metric must then be 0 or 1. */
  binary: boolean;
  ids: readonly string[];
  publicRows: Int32Array;
  privateRows: Int32Array;
  yPublic: number[];
  yPrivate: number[];
}

export interface PartScores {
  publicScore: number;
  privateScore: number;
}

export function createScoringPlan(metricId: string, hidden: HiddenSet, positiveLabel: string | null): ScoringPlan {
  const metric = metricOrThrow(metricId);
  if (hidden.publicMask.length !== hidden.ids.length || hidden.labels.length !== hidden.ids.length) {
    throw new Error("createScoringPlan: ids, labels and mask differ in length");
  }
  const binary = needsPositiveLabel(metric, hidden.labels) || (metric.task === "multiclass" && positiveLabel !== null);
  const y = encodeTruth(metric, hidden.labels, positiveLabel);
  const pub: number[] = [];
  const priv: number[] = [];
  for (let i = 0; i < hidden.ids.length; i++) (hidden.publicMask.charCodeAt(i) === 49 ? pub : priv).push(i);
  const publicRows = Int32Array.from(pub);
  const privateRows = Int32Array.from(priv);
  return {
    metric,
    binary,
    ids: hidden.ids,
    publicRows,
    privateRows,
    yPublic: pub.map((i) => y[i]),
    yPrivate: priv.map((i) => y[i]),
  };
}

/** Refuses values the metric cannot read (a 0.7 for F1, a 1.2 for log loss), naming the first. */
export function checkPredictionValues(plan: ScoringPlan, predictions: Float64Array): void {
  const kind = plan.metric.predictions;
  const labels = kind === "binary-label" || (kind === "class-label" && plan.binary);
  const probability = kind === "probability";
  if (!labels && !probability) return;
  for (let i = 0; i < predictions.length; i++) {
    const v = predictions[i];
    if (labels && v !== 0 && v !== 1) {
      throw new ChallengeProblem("notBinary", `Prediction for id ${quote(plan.ids[i])} is ${v}: ${plan.metric.name} scores decisions, send 1 (positive) or 0`, {
        id: quote(plan.ids[i]),
        value: v,
        metric: plan.metric.name,
      });
    }
    if (probability && (v < 0 || v > 1)) {
      throw new ChallengeProblem("outOfRange", `Prediction for id ${quote(plan.ids[i])} is ${v}: ${plan.metric.name} needs probabilities between 0 and 1`, {
        id: quote(plan.ids[i]),
        value: v,
        metric: plan.metric.name,
      });
    }
  }
}

function gather(predictions: Float64Array, rows: Int32Array): number[] {
  const out = new Array<number>(rows.length);
  for (let k = 0; k < rows.length; k++) out[k] = predictions[rows[k]];
  return out;
}

/** Public and private scores of predictions aligned to `plan.ids` (call checkPredictionValues first). */
export function scoreParts(plan: ScoringPlan, predictions: Float64Array): PartScores {
  if (predictions.length !== plan.ids.length) throw new Error("scoreParts: predictions are not aligned to the test rows");
  const publicScore = plan.metric.score(plan.yPublic, gather(predictions, plan.publicRows));
  const privateScore = plan.metric.score(plan.yPrivate, gather(predictions, plan.privateRows));
  return { publicScore, privateScore };
}

/**
 * Checks that both parts can be scored at all (e.g. ROC-AUC needs both classes in each part), using
 * the truth itself as predictions: a challenge that fails this is refused when it is created.
 */
export function assertScorable(plan: ScoringPlan): void {
  if (plan.publicRows.length === 0 || plan.privateRows.length === 0) {
    throw new ChallengeProblem("tooFewRows", "The hidden rows are too few to split into a public and a private part", {});
  }
  if (plan.binary) {
    for (const [part, y] of [["public", plan.yPublic], ["private", plan.yPrivate]] as const) {
      let pos = 0;
      for (const v of y) pos += v;
      if (pos === 0 || pos === y.length) {
        throw new ChallengeProblem("oneClassPart", `The ${part} part of the hidden rows holds only one class: add rows of both classes or change the split`, { part });
      }
    }
  }
  const truth = new Float64Array(plan.ids.length);
  plan.publicRows.forEach((r, k) => (truth[r] = plan.yPublic[k]));
  plan.privateRows.forEach((r, k) => (truth[r] = plan.yPrivate[k]));
  const { publicScore, privateScore } = scoreParts(plan, truth);
  if (!Number.isFinite(publicScore) || !Number.isFinite(privateScore)) {
    throw new ChallengeProblem("oneClassPart", "The hidden rows cannot be scored with this metric", { part: "public" });
  }
}
