import { describe, expect, it } from "vitest";
import { createRng } from "@/lib/datasets/prng";

describe("createRng", () => {
  it("repeats the same sequence for the same seed", () => {
    const a = createRng(42);
    const b = createRng(42);
    const xs = Array.from({ length: 100 }, () => a.next());
    const ys = Array.from({ length: 100 }, () => b.next());
    expect(xs).toEqual(ys);
  });

  it("differs between seeds", () => {
    expect(createRng(1).next()).not.toBe(createRng(2).next());
  });

  it("stays in range and looks uniform", () => {
    const rng = createRng(7);
    const xs = Array.from({ length: 20_000 }, () => rng.next());
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(xs.reduce((a, b) => a + b, 0) / xs.length).toBeCloseTo(0.5, 1);
    const ks = new Set(Array.from({ length: 1000 }, () => rng.int(3, 5)));
    expect([...ks].sort()).toEqual([3, 4, 5]);
  });

  it("draws normals with the requested mean and sd", () => {
    const rng = createRng(9);
    const xs = Array.from({ length: 20_000 }, () => rng.normal(10, 2));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    expect(mean).toBeCloseTo(10, 1);
    expect(sd).toBeCloseTo(2, 1);
  });

  it("shuffles into a permutation and honours weights", () => {
    const rng = createRng(3);
    const xs = rng.shuffle(Array.from({ length: 50 }, (_, i) => i));
    expect([...xs].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    const counts = [0, 0];
    for (let i = 0; i < 10_000; i++) counts[rng.weightedIndex([1, 3])]++;
    expect(counts[1] / 10_000).toBeCloseTo(0.75, 1);
  });

  it("rejects non-integer seeds", () => {
    expect(() => createRng(1.5)).toThrow(/integer/);
  });
});
