import { describe, expect, it } from "vitest";
import * as baselines from "@/lib/ml/baselines";
import { expectClose, fixture } from "./helpers";

const fx = fixture("baselines");

describe("baselines.zeroRule vs DummyClassifier / DummyRegressor", () => {
  it("most frequent class, prior and one-hot probabilities", () => {
    const m = baselines.zeroRule().fit(null, fx.y);
    expect(m.classes_).toEqual(fx.zeroRule.classes);
    expectClose(m.classPrior_, fx.zeroRule.prior);
    expect(m.predict(5)).toEqual(fx.zeroRule.predict);
    expect(m.predictProba([[0], [0], [0], [0], [0]])).toEqual(fx.zeroRule.predictProba);
    expect(baselines.zeroRule().fit(null, [0, 0, 1, 1]).predict(1)).toEqual(fx.zeroRule.tiePredict);
  });
  it("regression predicts the training mean", () => {
    expectClose(baselines.zeroRule({ task: "regression" }).fit(null, fx.yr).predict(3), fx.zeroRule.regressionPredict);
  });
});

describe("baselines.random", () => {
  const y = Array.from({ length: 1000 }, (_, i) => (i % 10 < 8 ? 0 : 1));
  it("stratified guesses follow the class prior; same seed → same guesses", () => {
    const m = baselines.random({ seed: 3 }).fit(null, y);
    const p = m.predict(4000);
    const share = p.filter((v) => v === 1).length / p.length;
    expect(Math.abs(share - 0.2)).toBeLessThan(0.03);
    expect(m.predict(50)).toEqual(baselines.random({ seed: 3 }).fit(null, y).predict(50));
    expect(m.predict(50)).not.toEqual(baselines.random({ seed: 4 }).fit(null, y).predict(50));
    const proba = m.predictProba(10);
    proba.forEach((r, i) => expect(r[m.predict(10)[i]]).toBe(1));
  });
  it("uniform guesses cover classes equally; probabilities are 1/k", () => {
    const m = baselines.random({ strategy: "uniform", seed: 1 }).fit(null, [5, 7, 9, 9, 9]);
    const p = m.predict(3000);
    for (const c of [5, 7, 9]) expect(Math.abs(p.filter((v) => v === c).length / 3000 - 1 / 3)).toBeLessThan(0.03);
    expectClose(m.predictProba(2), [[1 / 3, 1 / 3, 1 / 3], [1 / 3, 1 / 3, 1 / 3]]);
  });
});

describe("baselines.thresholdHeuristic", () => {
  const X = [[1, 100], [2, 600], [3, 50], [4, 700], [5, 520]];
  const y = [0, 1, 0, 1, 1];
  it("applies a given rule to one column", () => {
    const r = baselines.thresholdHeuristic(1, 500).fit(X, y);
    expect(r.predict(X)).toEqual([0, 1, 0, 1, 1]);
    expect(baselines.thresholdHeuristic(1, 500, "<=").predict(X)).toEqual([1, 0, 1, 0, 0]);
    expect(r.predictProba([[0, 900]])).toEqual([[0, 1]]);
  });
  it("learns threshold and direction when not given", () => {
    const r = baselines.thresholdHeuristic(1).fit(X, y);
    expect(r.predict(X)).toEqual(y);
    const inv = baselines.thresholdHeuristic(1).fit(X, y.map((v) => 1 - v));
    expect(inv.direction_).toBe("<=");
    expect(inv.predict(X)).toEqual(y.map((v) => 1 - v));
    expect(baselines.thresholdHeuristic(0).fit([1, 2, 3, 4], [0, 0, 1, 1]).threshold_).toBe(3);
  });
});
