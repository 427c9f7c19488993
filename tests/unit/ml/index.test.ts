import { describe, expect, it } from "vitest";
import * as ml from "@/lib/ml";
import { createRng } from "@/lib/ml/random";
import { toArray1D, toArray2D } from "@/lib/ml/array";

describe("ml public surface", () => {
  it("exports the twelve namespaces", () => {
    for (const ns of ["metrics", "split", "resample", "losses", "preprocess", "augment", "drift", "baselines", "select", "models", "ensemble", "explain"]) {
      expect(typeof (ml as Record<string, unknown>)[ns], ns).toBe("object");
    }
    expect(typeof ml.metrics.f1).toBe("function");
    expect(typeof ml.split.trainTestSplit).toBe("function");
  });
});

describe("random.createRng", () => {
  it("same seed → same stream; different seeds differ; values in range", () => {
    const a = createRng(42);
    const b = createRng(42);
    const xs = Array.from({ length: 100 }, () => a.next());
    expect(Array.from({ length: 100 }, () => b.next())).toEqual(xs);
    expect(createRng(43).next()).not.toBe(xs[0]);
    xs.forEach((x) => expect(x >= 0 && x < 1).toBe(true));
    const r = createRng(1);
    for (let i = 0; i < 1000; i++) {
      const k = r.int(7);
      expect(Number.isInteger(k) && k >= 0 && k < 7).toBe(true);
    }
    expect(() => r.int(0)).toThrow();
  });
  it("normal() has mean ≈ 0 and sd ≈ 1; shuffle is a permutation", () => {
    const r = createRng(7);
    const v = Array.from({ length: 20000 }, () => r.normal());
    const m = v.reduce((s, x) => s + x, 0) / v.length;
    const sd = Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / v.length);
    expect(Math.abs(m)).toBeLessThan(0.03);
    expect(Math.abs(sd - 1)).toBeLessThan(0.03);
    const arr = Array.from({ length: 50 }, (_, i) => i);
    const sh = createRng(3).shuffle([...arr]);
    expect([...sh].sort((p, q) => p - q)).toEqual(arr);
    expect(sh).not.toEqual(arr);
    expect(createRng(3).shuffle([...arr])).toEqual(sh);
  });
});

describe("array helpers", () => {
  it("convert arrays, typed arrays, booleans and tensor-likes", () => {
    expect(toArray1D(Float32Array.from([1, 2]))).toEqual([1, 2]);
    expect(toArray1D([true, false])).toEqual([1, 0]);
    expect(toArray1D({ arraySync: () => [[1], [2]] })).toEqual([1, 2]);
    expect(toArray2D([1, 2])).toEqual([[1], [2]]);
    expect(toArray2D({ arraySync: () => [[1, 2], [3, 4]] })).toEqual([[1, 2], [3, 4]]);
    expect(() => toArray2D([[1, 2], [3]])).toThrow(/ragged/);
    expect(() => toArray1D([[1, 2]])).toThrow();
  });
});
