import { describe, expect, it } from "vitest";
import * as metrics from "@/lib/ml/metrics";
import { expectClose, fixture } from "./helpers";

const fx = fixture("metrics");
const B = fx.binary;
const M = fx.multiclass;
const R = fx.regression;

describe("metrics: binary classification vs sklearn", () => {
  it("confusionMatrix and accuracy", () => {
    expect(metrics.confusionMatrix(B.yTrue, B.yPred)).toEqual(B.confusionMatrix);
    expectClose(metrics.accuracy(B.yTrue, B.yPred), B.accuracy);
    expect(metrics.accuracy([1, 0, 1], [1, 1, 1], { normalize: false })).toBe(2);
  });
  it("precision / recall / f1 / fbeta with posLabel and zeroDivision", () => {
    expectClose(metrics.precision(B.yTrue, B.yPred), B.precision);
    expectClose(metrics.recall(B.yTrue, B.yPred), B.recall);
    expectClose(metrics.f1(B.yTrue, B.yPred), B.f1);
    expectClose(metrics.fbeta(B.yTrue, B.yPred, { beta: 0.5 }), B.fbeta05);
    expectClose(metrics.fbeta(B.yTrue, B.yPred, { beta: 2 }), B.fbeta2);
    expectClose(metrics.precision(B.yTrue, B.yPred, { posLabel: 0 }), B.precisionPos0);
    expectClose(metrics.recall(B.yTrue, B.yPred, { posLabel: 0 }), B.recallPos0);
    const allNeg = B.yTrue.map(() => 0);
    expectClose(metrics.precision(B.yTrue, allNeg, { zeroDivision: 0 }), B.precisionAllNegZD0);
    expectClose(metrics.precision(B.yTrue, allNeg, { zeroDivision: 1 }), B.precisionAllNegZD1);
    expectClose(metrics.f1(B.yTrue, allNeg), B.f1AllNegZD0);
  });
  it("iou on label arrays is the Jaccard score", () => {
    expectClose(metrics.iou(B.yTrue, B.yPred), B.jaccard);
  });
  it("rocCurve (drop_intermediate true/false), first threshold Infinity", () => {
    for (const [key, drop] of [["rocCurve", true], ["rocCurveAll", false]] as const) {
      const r = metrics.rocCurve(B.yTrue, B.scores, { dropIntermediate: drop });
      expectClose(r.fpr, B[key].fpr);
      expectClose(r.tpr, B[key].tpr);
      expect(r.thresholds[0]).toBe(Infinity);
      expectClose(r.thresholds.slice(1), B[key].thresholds);
    }
    expect(metrics.rocCurve(B.yTrue, B.scores).fpr.length).toBeLessThan(metrics.rocCurve(B.yTrue, B.scores, { dropIntermediate: false }).fpr.length);
  });
  it("rocAuc, prCurve, averagePrecision", () => {
    expectClose(metrics.rocAuc(B.yTrue, B.scores), B.rocAuc);
    expectClose(metrics.prCurve(B.yTrue, B.scores), B.prCurve);
    expectClose(metrics.averagePrecision(B.yTrue, B.scores), B.averagePrecision);
  });
  it("logLoss, brierScore, calibrationCurve", () => {
    expectClose(metrics.logLoss(B.yTrue, B.scores), B.logLoss);
    expectClose(metrics.brierScore(B.yTrue, B.scores), B.brier);
    for (const strategy of ["uniform", "quantile"] as const) {
      for (const nBins of [5, 10]) {
        expectClose(metrics.calibrationCurve(B.yTrue, B.scores, { nBins, strategy }), B.calibration[`${strategy}${nBins}`]);
      }
    }
  });
  it("accepts typed arrays and tensor-likes", () => {
    const tensor = { arraySync: () => B.scores.map((s: number) => [s]), shape: [B.scores.length, 1] };
    expectClose(metrics.rocAuc(Int32Array.from(B.yTrue), tensor), B.rocAuc);
  });
});

describe("metrics: multiclass vs sklearn", () => {
  it("confusion matrix with sorted and given labels", () => {
    expect(metrics.confusionMatrix(M.yTrue, M.yPred)).toEqual(M.confusionMatrix);
    expect(metrics.confusionMatrix(M.yTrue, M.yPred, { labels: [2, 0, 1] })).toEqual(M.confusionMatrixLabels);
    const norm = metrics.confusionMatrix(M.yTrue, M.yPred, { normalize: "true" });
    norm.forEach((row) => expectClose(row.reduce((a, b) => a + b, 0), 1));
  });
  it("averages macro / micro / weighted", () => {
    for (const average of ["macro", "micro", "weighted"] as const) {
      expectClose(metrics.precision(M.yTrue, M.yPred, { average }), M[`precision_${average}`]);
      expectClose(metrics.recall(M.yTrue, M.yPred, { average }), M[`recall_${average}`]);
      expectClose(metrics.f1(M.yTrue, M.yPred, { average }), M[`f1_${average}`]);
      expectClose(metrics.fbeta(M.yTrue, M.yPred, { beta: 2, average }), M[`fbeta2_${average}`]);
      expectClose(metrics.iou(M.yTrue, M.yPred, { average }), M[`jaccard_${average}`]);
    }
    expectClose(metrics.precision(M.yTrue, M.yPredNo2, { average: "macro", zeroDivision: 0 }), M.precision_macro_no2_zd0);
    expectClose(metrics.precision(M.yTrue, M.yPredNo2, { average: "macro", zeroDivision: 1 }), M.precision_macro_no2_zd1);
  });
  it("binary average on multiclass input throws", () => {
    expect(() => metrics.precision(M.yTrue, M.yPred)).toThrow(/multiclass/);
  });
  it("classificationReport dict and text match sklearn", () => {
    const r = metrics.classificationReport(M.yTrue, M.yPred);
    expectClose(r.dict, M.report);
    expect(r.text).toBe(M.reportText);
    expect(metrics.classificationReport(M.yTrue, M.yPred, { digits: 4 }).text).toBe(M.reportText4);
    expectClose(r.classes["0"].f1, M.report["0"]["f1-score"]);
    expectClose(r.accuracy, M.accuracy);
  });
  it("multiclass logLoss from a probability matrix", () => {
    expectClose(metrics.logLoss(M.yTrue, M.proba), M.logLoss);
  });
});

describe("metrics: regression vs sklearn", () => {
  it("mse, mae, rmse, r2", () => {
    expectClose(metrics.mse(R.yTrue, R.yPred), R.mse);
    expectClose(metrics.mae(R.yTrue, R.yPred), R.mae);
    expectClose(metrics.rmse(R.yTrue, R.yPred), R.rmse);
    expectClose(metrics.r2(R.yTrue, R.yPred), R.r2);
    expectClose(metrics.r2([1, 1, 1, 1, 1], [1, 1, 1, 1, 2]), R.r2Constant);
  });
});

describe("metrics: boxes and thresholds", () => {
  it("box IoU", () => {
    expectClose(metrics.iou([0, 0, 10, 10], [5, 5, 15, 15]), 25 / 175);
    expectClose(metrics.iou([0, 0, 1, 1], [0, 0, 1, 1], { boxes: true }), 1);
    expectClose(metrics.iou([0, 0, 1, 1], [2, 2, 3, 3], { boxes: true }), 0);
    expectClose(metrics.iou([[0, 0, 2, 2], [0, 0, 4, 4]], [[1, 1, 3, 3], [0, 0, 2, 4]]), [1 / 7, 0.5]);
  });
  it("bestThreshold maximises F-beta over all candidate thresholds", () => {
    const res = metrics.bestThreshold(B.yTrue, B.scores, { beta: 1 });
    // brute force: F1 of predictions score >= threshold for every distinct score
    let best = -1;
    for (const th of new Set<number>(B.scores)) {
      const pred = B.scores.map((s: number) => (s >= th ? 1 : 0));
      best = Math.max(best, metrics.f1(B.yTrue, pred));
    }
    expectClose(res.value, best);
    const pred = B.scores.map((s: number) => (s >= res.threshold ? 1 : 0));
    expectClose(metrics.f1(B.yTrue, pred), res.value);
    expect(res.curve.thresholds[0]).toBe(Infinity);
    expect(res.curve.values.length).toBe(res.curve.thresholds.length);
  });
  it("bestThreshold minimises expected cost; a high FN cost lowers the threshold", () => {
    const cheap = metrics.bestThreshold(B.yTrue, B.scores, { costFp: 1, costFn: 1 });
    const dear = metrics.bestThreshold(B.yTrue, B.scores, { costFp: 1, costFn: 50 });
    expect(dear.threshold).toBeLessThanOrEqual(cheap.threshold);
    for (const r of [cheap, dear]) {
      const cfn = r === cheap ? 1 : 50;
      const cost = (th: number) => {
        let c = 0;
        B.yTrue.forEach((t: number, i: number) => {
          const p = B.scores[i] >= th ? 1 : 0;
          if (p === 1 && t === 0) c += 1;
          if (p === 0 && t === 1) c += cfn;
        });
        return c / B.yTrue.length;
      };
      expectClose(r.value, cost(r.threshold));
      for (const th of [Infinity, ...B.scores]) expect(cost(th)).toBeGreaterThanOrEqual(r.value - 1e-12);
    }
    // every positive costs 50 -> predicting all positive beats predicting none
    expect(dear.value).toBeLessThan(dear.curve.values[0]);
  });
});
