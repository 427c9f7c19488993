import { describe, expect, it } from "vitest";
import * as preprocess from "@/lib/ml/preprocess";
import * as split from "@/lib/ml/split";
import { expectClose, fixture } from "./helpers";

const fx = fixture("preprocess");

describe("preprocess vs sklearn", () => {
  it("standardScaler (constant column gets scale 1)", () => {
    const s = preprocess.standardScaler().fit(fx.X);
    expectClose(s.mean_, fx.standardScaler.mean);
    expectClose(s.var_, fx.standardScaler.var);
    expectClose(s.scale_, fx.standardScaler.scale);
    expectClose(s.transform(fx.X), fx.standardScaler.transform);
    expectClose(s.transform(fx.Xnew), fx.standardScaler.transformNew);
    expectClose(s.inverseTransform(s.transform(fx.Xnew)), fx.Xnew);
  });
  it("minMaxScaler with default and custom featureRange", () => {
    const m = preprocess.minMaxScaler().fit(fx.X);
    expectClose(m.dataMin_, fx.minMaxScaler.dataMin);
    expectClose(m.dataMax_, fx.minMaxScaler.dataMax);
    expectClose(m.scale_, fx.minMaxScaler.scale);
    expectClose(m.min_, fx.minMaxScaler.min);
    expectClose(m.transform(fx.X), fx.minMaxScaler.transform);
    expectClose(m.transform(fx.Xnew), fx.minMaxScaler.transformNew);
    expectClose(m.inverseTransform(m.transform(fx.Xnew)), fx.Xnew);
    const m2 = preprocess.minMaxScaler({ featureRange: [-1, 2] });
    expectClose(m2.fitTransform(fx.Xraw), fx.minMaxScalerRange.transform);
    expectClose(m2.scale_, fx.minMaxScalerRange.scale);
    expectClose(m2.min_, fx.minMaxScalerRange.min);
  });
  it("simpleImputer strategies (null / NaN are missing)", () => {
    for (const strategy of ["mean", "median", "most_frequent", "constant"] as const) {
      const imp = preprocess.simpleImputer({ strategy, fillValue: -1 }).fit(fx.simpleImputer.X);
      expectClose(imp.statistics_, fx.simpleImputer[strategy].statistics);
      expectClose(imp.transform(fx.simpleImputer.X), fx.simpleImputer[strategy].transform);
      expectClose(imp.transform(fx.simpleImputer.Xnew), fx.simpleImputer[strategy].transformNew);
    }
    const drop = preprocess.simpleImputer().fitTransform([[1, null], [2, null]]);
    expect(drop).toEqual([[1], [2]]);
  });
  it("oneHot with numbers, strings, unknowns and inverse", () => {
    const enc = preprocess.oneHot({ handleUnknown: "ignore" }).fit(fx.oneHot.X);
    expect(enc.categories_).toEqual(fx.oneHot.categories);
    expect(enc.transform(fx.oneHot.X)).toEqual(fx.oneHot.transform);
    expect(enc.transform(fx.oneHot.Xnew)).toEqual(fx.oneHot.transformNew);
    expect(enc.inverseTransform(enc.transform(fx.oneHot.X))).toEqual(fx.oneHot.inverse);
    const strict = preprocess.oneHot().fit(fx.oneHot.X);
    expect(() => strict.transform(fx.oneHot.Xnew)).toThrow(/unknown category/);
    const s = preprocess.oneHot().fit(fx.oneHotStrings.X);
    expect(s.categories_).toEqual(fx.oneHotStrings.categories);
    expect(s.transform(fx.oneHotStrings.X)).toEqual(fx.oneHotStrings.transform);
    expect(s.featureNamesOut(["color", "size"])[0]).toBe("color_blue");
  });
});

describe("preprocess: pipeline learns from the training split only", () => {
  const n = 60;
  const X = Array.from({ length: n }, (_, i) => [i, (i * 7) % 13, i % 2 === 0 ? null : i / 3]);
  it("scaler statistics equal those of the training split alone", () => {
    const [Xtr, Xte] = split.trainTestSplit([X], { testSize: 0.25, seed: 2 });
    const pipe = preprocess.pipeline([
      ["impute", preprocess.simpleImputer({ strategy: "median" })],
      ["scale", preprocess.standardScaler()],
    ]);
    pipe.fit(Xtr);
    const impTrain = preprocess.simpleImputer({ strategy: "median" }).fitTransform(Xtr as number[][]);
    const alone = preprocess.standardScaler().fit(impTrain);
    const scaler = pipe.namedSteps.scale as preprocess.StandardScaler;
    expectClose(scaler.mean_, alone.mean_);
    expectClose(scaler.scale_, alone.scale_);
    const full = preprocess.standardScaler().fit(preprocess.simpleImputer({ strategy: "median" }).fitTransform(X));
    expect(scaler.mean_).not.toEqual(full.mean_);
    // transform of new data reuses the training statistics
    const out = pipe.transform(Xte) as number[][];
    const manual = alone.transform(preprocess.simpleImputer({ strategy: "median" }).fit(Xtr as number[][]).transform(Xte as number[][]));
    expectClose(out, manual);
    expect(pipe.steps.map(([name]) => name)).toEqual(["impute", "scale"]);
  });
  it("final estimator receives transformed training data and predicts on transformed data", () => {
    const seen: number[][][] = [];
    const est = {
      fit(Xf: number[][]) { seen.push(Xf); return est; },
      predict(Xp: number[][]) { return Xp.map((r) => r[0]); },
    };
    const pipe = preprocess.pipeline([preprocess.minMaxScaler(), est]);
    pipe.fit([[0], [10]]);
    expect(seen[0]).toEqual([[0], [1]]);
    expect(pipe.predict([[5], [20]])).toEqual([0.5, 2]);
  });
});
