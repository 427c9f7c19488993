import { describe, expect, it } from "vitest";
import fx from "../../fixtures/sklearn/explain.json";
import { kernelShap, permutationImportance } from "@/lib/ml/explain";
import { logisticRegression } from "@/lib/ml/models";
import { createRng } from "@/lib/ml/random";

function randomRows(n: number, d: number, seed: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => Array.from({ length: d }, () => rng.normal()));
}

describe("permutationImportance", () => {
  // The sklearn model itself, rebuilt from its coefficients.
  const w = fx.coef[0];
  const b = fx.intercept[0];
  const predict = (X: number[][]) => X.map((r) => (r.reduce((s, v, j) => s + v * w[j], b) > 0 ? 1 : 0));

  it("agrees with sklearn's permutation_importance within sampling error (200 repeats)", () => {
    const res = permutationImportance(predict, fx.X, fx.y, { nRepeats: fx.nRepeats, seed: 0 });
    expect(res.baselineScore).toBe(fx.baseline);
    res.importancesMean.forEach((m, j) => {
      const se = Math.sqrt((res.importancesStd[j] ** 2 + fx.importancesStd[j] ** 2) / fx.nRepeats);
      expect(Math.abs(m - fx.importancesMean[j]), `feature ${j}`).toBeLessThanOrEqual(4 * se + 1e-12);
    });
    // Informative features matter more than the noise column.
    expect(res.importancesMean[0] + res.importancesMean[1]).toBeGreaterThan(5 * Math.abs(res.importancesMean[2]));
  });

  it("gives exactly zero to a feature the model ignores, and is reproducible", () => {
    const X = randomRows(50, 3, 1);
    const y = X.map((r) => (r[0] > 0 ? 1 : 0));
    const f = (Xs: number[][]) => Xs.map((r) => (r[0] > 0 ? 1 : 0));
    const a = permutationImportance(f, X, y, { nRepeats: 7, seed: 3 });
    expect(a.importances[1]).toEqual(new Array(7).fill(0));
    expect(a.importances[2]).toEqual(new Array(7).fill(0));
    expect(a.importancesMean[0]).toBeGreaterThan(0.3);
    expect(a.importances.map((r) => r.length)).toEqual([7, 7, 7]);
    expect(permutationImportance(f, X, y, { nRepeats: 7, seed: 3 })).toEqual(a);
    expect(permutationImportance(f, X, y, { nRepeats: 7, seed: 4 }).importances[0]).not.toEqual(a.importances[0]);
  });

  it("accepts a fitted estimator and probability-based scorers", () => {
    const X = randomRows(60, 2, 2);
    const y = X.map((r) => (r[1] + 0.3 * r[0] > 0 ? 1 : 0));
    const m = logisticRegression().fit(X, y);
    const res = permutationImportance(m, X, y, { scoring: "roc_auc", nRepeats: 5, seed: 1 });
    expect(res.baselineScore).toBeGreaterThan(0.95);
    expect(res.importancesMean[1]).toBeGreaterThan(res.importancesMean[0]);
  });
});

describe("kernelShap", () => {
  const bg = randomRows(20, 4, 10);
  const x = [1.5, -0.7, 0.3, 2.0];
  const coef = [0.5, -2, 1.25, 0.75];
  const linear = (X: number[][]) => X.map((r) => r.reduce((s, v, j) => s + v * coef[j], 0.3));
  const means = coef.map((_, j) => bg.reduce((s, r) => s + r[j], 0) / bg.length);

  it("gives coef·(x − mean) for an exactly linear model (exact and sampled)", () => {
    const exact = kernelShap(linear, bg, x);
    expect(exact.exact).toBe(true);
    exact.values.forEach((v, j) => expect(v).toBeCloseTo(coef[j] * (x[j] - means[j]), 10));
    // 12 features: 4094 coalitions > nSamples, so they are sampled; still exact for linear f.
    const bg12 = randomRows(10, 12, 11);
    const c12 = Array.from({ length: 12 }, (_, j) => j - 5.5);
    const x12 = Array.from({ length: 12 }, (_, j) => Math.sin(j));
    const f12 = (X: number[][]) => X.map((r) => r.reduce((s, v, j) => s + v * c12[j], 0));
    const sampled = kernelShap(f12, bg12, x12, { nSamples: 300, seed: 2 });
    expect(sampled.exact).toBe(false);
    sampled.values.forEach((v, j) => {
      const mean = bg12.reduce((s, r) => s + r[j], 0) / bg12.length;
      expect(v).toBeCloseTo(c12[j] * (x12[j] - mean), 8);
    });
  });

  it("attributions add up to f(x) − E[f(background)] for a nonlinear model", () => {
    const f = (X: number[][]) => X.map((r) => Math.tanh(r[0] * r[1]) + Math.max(0, r[2]) ** 2 - r[3] * r[0]);
    const res = kernelShap(f, bg, x);
    const fx0 = f([x])[0];
    const base = f(bg).reduce((a, b) => a + b, 0) / bg.length;
    expect(res.prediction).toBeCloseTo(fx0, 12);
    expect(res.baseValue).toBeCloseTo(base, 12);
    expect(res.values.reduce((a, b) => a + b, 0)).toBeCloseTo(fx0 - base, 10);
    const sampled = kernelShap(f, bg, x, { nSamples: 8, seed: 1 });
    expect(sampled.exact).toBe(false);
    expect(sampled.values.reduce((a, b) => a + b, 0)).toBeCloseTo(fx0 - base, 10);
  });

  it("equals the brute-force Shapley formula when every coalition is enumerated", () => {
    const f = (X: number[][]) => X.map((r) => r[0] * r[1] + Math.exp(0.3 * r[2]) - Math.abs(r[3] - r[0]));
    const M = 4;
    const v = (S: number[]) => {
      const rows = bg.map((b) => b.map((val, i) => (S.includes(i) ? x[i] : val)));
      return f(rows).reduce((a, c) => a + c, 0) / rows.length;
    };
    const fact = (n: number): number => (n <= 1 ? 1 : n * fact(n - 1));
    const shapley = Array.from({ length: M }, (_, i) => {
      let phi = 0;
      for (let code = 0; code < 2 ** M; code++) {
        if ((code >> i) & 1) continue;
        const S = Array.from({ length: M }, (_, j) => j).filter((j) => (code >> j) & 1);
        phi += ((fact(S.length) * fact(M - S.length - 1)) / fact(M)) * (v([...S, i]) - v(S));
      }
      return phi;
    });
    const res = kernelShap(f, bg, x);
    res.values.forEach((val, i) => expect(val).toBeCloseTo(shapley[i], 9));
  });

  it("is reproducible for a seed, batches calls, and checks shapes", () => {
    const f = (X: number[][]) => X.map((r) => Math.sin(r[0]) * r[1] + r[2] * r[3]);
    const bg8 = randomRows(5, 8, 12);
    const x8 = [0.1, 0.2, -0.3, 0.4, 0.5, -0.6, 0.7, 0.8];
    let calls = 0;
    const counted = (X: number[][]) => {
      calls++;
      expect(X.length).toBeLessThanOrEqual(64);
      return f(X);
    };
    const a = kernelShap(counted, bg8, x8, { nSamples: 60, seed: 5, batchSize: 64 });
    expect(calls).toBeGreaterThan(2);
    expect(kernelShap(f, bg8, x8, { nSamples: 60, seed: 5 }).values).toEqual(a.values);
    expect(() => kernelShap(f, bg8, [1, 2])).toThrow(/features/);
  });
});
