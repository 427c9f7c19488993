// Challenge scores against scikit-learn 1.2 goldens (scripts/fixtures/make_challenge_fixtures.py):
// every metric, public and private part, text and numeric labels, tied scores.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { METRIC_IDS, METRICS, compareScores, isBetter } from "@/lib/challenges/metrics";
import { assertScorable, checkPredictionValues, createScoringPlan, scoreParts } from "@/lib/challenges/scoring";
import { isChallengeProblem } from "@/lib/challenges/errors";

interface GoldenCase {
  name: string;
  metric: string;
  labels: (number | string)[];
  positiveLabel: string | null;
  predictions: number[];
  publicMask: string;
  public: number;
  private: number;
}
const golden = JSON.parse(readFileSync(new URL("../../fixtures/sklearn/challenges.json", import.meta.url), "utf8")) as { cases: GoldenCase[] };

const problemCode = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (isChallengeProblem(e)) return e.code;
    throw e;
  }
  return null;
};

describe("challenge scoring", () => {
  it("covers every metric id with a golden case", () => {
    expect(new Set(golden.cases.map((c) => c.metric))).toEqual(new Set(METRIC_IDS));
  });

  it.each(golden.cases.map((c) => [c.name, c] as const))("matches sklearn: %s", (_, c) => {
    const ids = c.labels.map((_, i) => String(i + 1));
    const plan = createScoringPlan(c.metric, { ids, labels: c.labels, publicMask: c.publicMask }, c.positiveLabel);
    const p = Float64Array.from(c.predictions);
    checkPredictionValues(plan, p);
    const s = scoreParts(plan, p);
    expect(s.publicScore).toBeCloseTo(c.public, 10);
    expect(s.privateScore).toBeCloseTo(c.private, 10);
    expect(plan.publicRows.length).toBe([...c.publicMask].filter((x) => x === "1").length);
  });

  it("knows which way is better", () => {
    expect(METRICS.rmse.higherIsBetter).toBe(false);
    expect(METRICS["log-loss"].higherIsBetter).toBe(false);
    expect(METRICS.f1.higherIsBetter).toBe(true);
    expect(isBetter(METRICS.mae, 1, 2)).toBe(true);
    expect(isBetter(METRICS["roc-auc"], 0.7, 0.8)).toBe(false);
    expect([0.3, 0.9, 0.5].sort((a, b) => compareScores(METRICS.f1, a, b))).toEqual([0.9, 0.5, 0.3]);
    expect([0.3, 0.9, 0.5].sort((a, b) => compareScores(METRICS.rmse, a, b))).toEqual([0.3, 0.5, 0.9]);
    for (const id of METRIC_IDS) expect(["binary-label", "class-label", "score", "probability", "number"]).toContain(METRICS[id].predictions);
  });

  it("refuses values a metric cannot read", () => {
    const hidden = { ids: ["a", "b", "c", "d"], labels: [1, 0, 1, 0], publicMask: "1100" };
    const f1 = createScoringPlan("f1", hidden, "1");
    expect(problemCode(() => checkPredictionValues(f1, Float64Array.from([1, 0, 0.5, 0])))).toBe("notBinary");
    expect(problemCode(() => checkPredictionValues(f1, Float64Array.from([1, 0, 2, 0])))).toBe("notBinary");
    expect(problemCode(() => checkPredictionValues(f1, Float64Array.from([1, 0, 1, 0])))).toBeNull();
    const ll = createScoringPlan("log-loss", hidden, "1");
    expect(problemCode(() => checkPredictionValues(ll, Float64Array.from([1.2, 0, 0.5, 0])))).toBe("outOfRange");
    const ap = createScoringPlan("average-precision", hidden, "1");
    expect(problemCode(() => checkPredictionValues(ap, Float64Array.from([12, -3, 0.5, 0])))).toBeNull();
    // text labels need a positive label; regression needs numbers
    expect(problemCode(() => createScoringPlan("roc-auc", { ...hidden, labels: ["y", "n", "y", "n"] }, null))).toBe("positiveLabelMissing");
    expect(problemCode(() => createScoringPlan("roc-auc", { ...hidden, labels: ["y", "n", "y", "n"] }, "maybe"))).toBe("positiveLabelUnknown");
    expect(problemCode(() => createScoringPlan("rmse", { ...hidden, labels: ["y", "n", "y", "n"] }, null))).toBe("targetNotNumeric");
  });

  it("refuses a split where a part has one class", () => {
    expect(problemCode(() => assertScorable(createScoringPlan("roc-auc", { ids: ["a", "b", "c", "d"], labels: [1, 1, 0, 0], publicMask: "1100" }, "1")))).toBe("oneClassPart");
    expect(problemCode(() => assertScorable(createScoringPlan("roc-auc", { ids: ["a", "b", "c", "d"], labels: [1, 0, 1, 0], publicMask: "1100" }, "1")))).toBeNull();
    expect(problemCode(() => assertScorable(createScoringPlan("rmse", { ids: ["a", "b"], labels: [1, 2], publicMask: "11" }, null)))).toBe("tooFewRows");
  });
});
