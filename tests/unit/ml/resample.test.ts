import { describe, expect, it } from "vitest";
import * as resample from "@/lib/ml/resample";
import { expectClose, fixture } from "./helpers";

const fx = fixture("resample");

function counts(y: number[]): Record<string, number> {
  const c: Record<string, number> = {};
  for (const v of y) c[v] = (c[v] ?? 0) + 1;
  return c;
}

describe("resample: class sizes equal imbalanced-learn's", () => {
  it("randomOversample", () => {
    expect(counts(resample.randomOversample(fx.X, fx.y).y)).toEqual(fx.randomOversample.auto);
    expect(counts(resample.randomOversample(fx.Xb, fx.yb, { samplingStrategy: 0.5 }).y)).toEqual(fx.randomOversample.binary05);
  });
  it("randomUndersample", () => {
    expect(counts(resample.randomUndersample(fx.X, fx.y).y)).toEqual(fx.randomUndersample.auto);
    expect(counts(resample.randomUndersample(fx.Xb, fx.yb, { samplingStrategy: 0.5 }).y)).toEqual(fx.randomUndersample.binary05);
  });
  it("smote", () => {
    expect(counts(resample.smote(fx.X, fx.y, { kNeighbors: 3 }).y)).toEqual(fx.smote.auto);
    expect(counts(resample.smote(fx.Xb, fx.yb, { samplingStrategy: 0.5 }).y)).toEqual(fx.smote.binary05);
  });
  it("classWeights('balanced') equals compute_class_weight", () => {
    const w = resample.classWeights(fx.y);
    expect(Object.keys(w).map(Number)).toEqual(fx.classWeights.classes);
    expectClose(fx.classWeights.classes.map((c: number) => w[c]), fx.classWeights.balanced);
    expect(resample.classWeights([0, 1, 1], { 1: 3 })).toEqual({ 0: 1, 1: 3 });
  });
});

describe("resample: properties", () => {
  it("random samplers only reuse original rows, aligned with sampleIndices", () => {
    for (const r of [resample.randomOversample(fx.X, fx.y, { seed: 1 }), resample.randomUndersample(fx.X, fx.y, { seed: 1 })]) {
      r.sampleIndices.forEach((i, k) => {
        expect(r.X[k]).toEqual(fx.X[i]);
        expect(r.y[k]).toBe(fx.y[i]);
      });
    }
    const under = resample.randomUndersample(fx.X, fx.y, { seed: 1 });
    expect(new Set(under.sampleIndices).size).toBe(under.sampleIndices.length); // without replacement
    const over = resample.randomOversample(fx.X, fx.y, { seed: 1 });
    expect(over.sampleIndices.slice(0, fx.y.length)).toEqual(fx.y.map((_: number, i: number) => i)); // originals first
  });
  it("same seed → same result; different seeds differ", () => {
    expect(resample.smote(fx.X, fx.y, { kNeighbors: 3, seed: 4 })).toEqual(resample.smote(fx.X, fx.y, { kNeighbors: 3, seed: 4 }));
    expect(resample.smote(fx.X, fx.y, { kNeighbors: 3, seed: 4 }).X).not.toEqual(resample.smote(fx.X, fx.y, { kNeighbors: 3, seed: 5 }).X);
    expect(resample.randomUndersample(fx.X, fx.y, { seed: 2 })).toEqual(resample.randomUndersample(fx.X, fx.y, { seed: 2 }));
  });
  it("SMOTE samples lie on segments between a minority row and one of its k nearest minority neighbours; classes end balanced", () => {
    const k = 3;
    const res = resample.smote(fx.X, fx.y, { kNeighbors: k, seed: 11 });
    const c = counts(res.y);
    expect(new Set(Object.values(c)).size).toBe(1);
    expect(res.X.slice(0, fx.X.length)).toEqual(fx.X);
    const d2 = (a: number[], b: number[]) => a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0);
    for (let s = fx.X.length; s < res.X.length; s++) {
      const cls = res.y[s];
      const rows: number[][] = fx.X.filter((_: unknown, i: number) => fx.y[i] === cls);
      const p = res.X[s];
      const ok = rows.some((a, ai) => {
        const neigh = rows
          .map((b, bi) => ({ bi, d: d2(a, b) }))
          .filter((o) => o.bi !== ai)
          .sort((u, v) => u.d - v.d)
          .slice(0, k);
        return neigh.some(({ bi }) => {
          const b = rows[bi];
          const dir = b.map((v, i) => v - a[i]);
          const len2 = dir.reduce((q, v) => q + v * v, 0);
          const t = dir.reduce((q, v, i) => q + v * (p[i] - a[i]), 0) / len2;
          if (t < -1e-12 || t > 1 + 1e-12) return false;
          return a.every((v, i) => Math.abs(v + t * dir[i] - p[i]) < 1e-9);
        });
      });
      expect(ok, `synthetic row ${s} (${p}) is not on a minority segment`).toBe(true);
    }
  });
  it("SMOTE rejects classes smaller than kNeighbors + 1", () => {
    expect(() => resample.smote(fx.X, fx.y, { kNeighbors: 5 })).toThrow(/kNeighbors/);
  });
});
