import { describe, expect, it } from "vitest";
import { LATENCY_BINS, latencyBin, latencyBinRange, latencyQuantile, scoreBin, SCORE_BINS } from "@/lib/serving/monitoring/histogram";
import { createRng } from "@/lib/ml/random";

/** The nearest-rank quantile of a sample, as latencyQuantile defines it. */
function exactQuantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1];
}

describe("latency histogram", () => {
  it("bins are contiguous and each value lands in the bin whose range holds it", () => {
    let previousHigh = 0;
    for (let b = 0; b < LATENCY_BINS; b++) {
      const [lo, hi] = latencyBinRange(b);
      expect(lo).toBeCloseTo(previousHigh, 9);
      expect(hi).toBeGreaterThan(lo);
      // a bin is at most 1/16 of its lower bound wide (beyond the exact first 16 µs)
      if (b >= 16) expect((hi - lo) / lo).toBeLessThanOrEqual(1 / 16 + 1e-12);
      previousHigh = hi;
    }
    for (const ms of [0, 0.001, 0.0159, 0.016, 0.5, 1, 1.234, 20, 99.9, 1000, 60_000]) {
      const [lo, hi] = latencyBinRange(latencyBin(ms));
      expect(ms).toBeGreaterThanOrEqual(lo - 1e-9);
      expect(ms).toBeLessThan(hi + 1e-9);
    }
  });

  it("values past the range, negative and NaN latencies stay in bounds", () => {
    expect(latencyBin(1e9)).toBe(LATENCY_BINS - 1);
    expect(latencyBin(-5)).toBe(0);
    expect(latencyBin(Number.NaN)).toBe(0);
  });

  it("p50 and p99 of exact small values are exact (1 µs bins below 16 µs)", () => {
    const counts = new Uint32Array(LATENCY_BINS);
    for (let us = 1; us <= 10; us++) counts[latencyBin(us / 1000)] += 10; // 100 values, 10 each of 1..10 µs
    // midpoints of 1 µs bins: value + 0.5 µs
    expect(latencyQuantile(counts, 0.5)).toBeCloseTo(0.0055, 9); // rank 50 → 5 µs
    expect(latencyQuantile(counts, 0.99)).toBeCloseTo(0.0105, 9); // rank 99 → 10 µs
    expect(latencyQuantile(new Uint32Array(LATENCY_BINS), 0.5)).toBeNull();
  });

  it("p50 and p99 of 100,000 log-normal latencies are within 1/32 of the exact nearest-rank values", () => {
    const rng = createRng(7);
    const values = Array.from({ length: 100_000 }, () => Math.exp(1 + 0.8 * rng.normal())); // ms, median e
    const counts = new Uint32Array(LATENCY_BINS);
    for (const v of values) counts[latencyBin(v)]++;
    for (const q of [0.5, 0.9, 0.99, 0.999]) {
      const exact = exactQuantile(values, q);
      const approx = latencyQuantile(counts, q)!;
      expect(Math.abs(approx - exact) / exact).toBeLessThanOrEqual(1 / 32 + 1e-3);
    }
  });
});

describe("score histogram", () => {
  it("20 bins over [0, 1], 1 in the last, values outside are -1", () => {
    expect(scoreBin(0)).toBe(0);
    expect(scoreBin(0.049)).toBe(0);
    expect(scoreBin(0.05)).toBe(1);
    expect(scoreBin(0.999)).toBe(SCORE_BINS - 1);
    expect(scoreBin(1)).toBe(SCORE_BINS - 1);
    expect(scoreBin(-0.1)).toBe(-1);
    expect(scoreBin(3.5)).toBe(-1);
    expect(scoreBin(Number.NaN)).toBe(-1);
  });
});
