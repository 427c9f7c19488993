import { describe, expect, it } from "vitest";
import * as drift from "@/lib/ml/drift";
import { expectClose, fixture } from "./helpers";

const fx = fixture("drift");

function generate([n, mul, mod, scale, offset]: number[]): number[] {
  return Array.from({ length: n }, (_, i) => (((i * mul) % mod) / mod) * scale + offset);
}

describe("drift.ksTest vs scipy.stats.ks_2samp", () => {
  fx.ks.forEach((c: any, i: number) => {
    it(`case ${i} (${c.method})`, () => {
      const a = c.generator ? generate(c.generator.a) : c.a;
      const b = c.generator ? generate(c.generator.b) : c.b;
      const r = drift.ksTest(a, b);
      expect(r.method).toBe(c.method);
      expect(r.statistic).toBe(c.statistic);
      expectClose(r.pValue, c.pValue, c.method === "exact" ? 1e-9 : 1e-7);
    });
  });
  it("identical samples give statistic 0 and p-value 1; sign and location are reported", () => {
    const r = drift.ksTest([1, 2, 3], [1, 2, 3]);
    expect(r.statistic).toBe(0);
    expect(r.pValue).toBe(1);
    const s = drift.ksTest([0, 1, 2], [10, 11, 12]);
    expect(s.statistic).toBe(1);
    expect(s.statisticSign).toBe(1);
    expect(s.statisticLocation).toBe(2);
  });
});

describe("drift.jensenShannon vs scipy", () => {
  it("natural log and base 2, normalising inputs", () => {
    for (const c of fx.jensenShannon) {
      expectClose(drift.jensenShannon(c.p, c.q), c.natural);
      expectClose(drift.jensenShannon(c.p, c.q, { base: 2 }), c.base2);
    }
  });
});

describe("drift.psi vs the numpy reference in the fixture script", () => {
  it("quantile and uniform bins", () => {
    for (const c of fx.psi.cases) {
      expectClose(drift.psi(fx.psi.expected, c.actual, { bins: c.bins, strategy: c.strategy }), c.psi);
    }
  });
  it("is ~0 for the same sample and grows with the shift", () => {
    const e = fx.psi.expected as number[];
    expect(drift.psi(e, e)).toBeCloseTo(0, 12);
    const shifted = (k: number) => drift.psi(e, e.map((v) => v + k));
    expect(shifted(0.2)).toBeLessThan(shifted(0.5));
    expect(shifted(0.5)).toBeLessThan(shifted(1.5));
  });
});

describe("drift.ksTest alternatives and forced methods vs scipy", () => {
  fx.ks
    .filter((c: any) => c.variants)
    .forEach((c: any, i: number) => {
      it(`case ${i}: less / greater / two-sided × exact / asymp`, () => {
        for (const v of c.variants) {
          const r = drift.ksTest(c.a, c.b, { alternative: v.alternative, method: v.method });
          expectClose(r.statistic, v.statistic, 1e-12);
          expectClose(r.pValue, v.pValue, v.method === "exact" ? 1e-9 : 1e-7);
        }
      });
    });
});
