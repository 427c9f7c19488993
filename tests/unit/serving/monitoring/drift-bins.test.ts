import { describe, expect, it } from "vitest";
import { ksAsympPValue, ksTest, psi } from "@/lib/ml/drift";
import { compareToReference } from "@/lib/serving/monitoring/drift-check";
import { addBinCounts, binnedDrift, countRow, KS_BINS, referenceBins } from "@/lib/serving/monitoring/drift-bins";
import type { TrainingReference } from "@/lib/serving/monitoring/reference";

/** Deterministic normal draws (LCG + Box–Muller). */
function normals(seed: number) {
  let s = seed >>> 0;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 1) / 4294967297;
  return (mean = 0, sd = 1) => mean + sd * Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

const draw = normals(7);
const reference: TrainingReference = {
  features: [
    { name: "age", sample: Array.from({ length: 2000 }, () => draw(40, 10)) },
    { name: "income", sample: Array.from({ length: 1500 }, () => draw(0, 1)) },
    // a discrete feature: many ties, so edges collapse
    { name: "children", sample: Array.from({ length: 800 }, () => Math.min(4, Math.floor(Math.abs(draw(0, 1.5))))) },
  ],
};
const bins = referenceBins(reference);
const liveRows = (n: number, ageShift: number, seed: number) => {
  const d = normals(seed);
  return Array.from({ length: n }, () => [d(40 + ageShift, 10), d(0, 1), Math.min(4, Math.floor(Math.abs(d(0, 1.5))))]);
};

describe("binned drift", () => {
  it("bins a feature at most 101 ways, the PSI edges among them", () => {
    for (const b of bins) {
      expect(b.edges.length + 1).toBeLessThanOrEqual(KS_BINS + 1);
      expect(b.reference.reduce((a, c) => a + c, 0)).toBe(b.referenceSize);
    }
    expect(bins[2].edges.length).toBeLessThan(10); // ties collapse
  });

  it("gives ml.drift.psi's PSI exactly and a KS statistic within its documented error", () => {
    for (const [shift, seed] of [[0, 1], [3, 2], [12, 3]]) {
      const rows = liveRows(700, shift, seed);
      const counts: number[][] = [];
      for (const r of rows) countRow(bins, counts, r);
      const got = binnedDrift(bins, counts);
      expect(got).toHaveLength(3);
      got.forEach((g, i) => {
        const live = rows.map((r) => r[i]);
        expect(g.samples).toBe(700);
        expect(g.psi).toBeCloseTo(psi(reference.features[i].sample, live, { bins: 10 }), 10);
        const exact = ksTest(reference.features[i].sample, live, { method: "asymp" });
        expect(g.ksStatistic).toBeLessThanOrEqual(exact.statistic + 1e-12);
        expect(g.ksStatistic).toBeGreaterThanOrEqual(exact.statistic - g.ksError - 1e-12);
        expect(g.ksPValue).toBeGreaterThanOrEqual(exact.pValue - 1e-12); // never more alarmed than the exact test
        if (i < 2 && shift === 0) expect(g.ksError).toBeLessThan(0.03); // live spread like the reference: ~1 % a bin
      });
    }
  });

  it("agrees with the sample-based levels on a clear shift and on no shift", () => {
    const shifted = liveRows(1000, 12, 11);
    const same = liveRows(1000, 0, 12);
    for (const rows of [shifted, same]) {
      const counts: number[][] = [];
      for (const r of rows) countRow(bins, counts, r);
      const exact = compareToReference(reference, [0, 1, 2].map((i) => rows.map((r) => r[i])));
      expect(binnedDrift(bins, counts).map((d) => d.level)).toEqual(exact.map((d) => d.level));
    }
    const counts: number[][] = [];
    for (const r of shifted) countRow(bins, counts, r);
    expect(binnedDrift(bins, counts)[0].level).toBe("alert");
  });

  it("two recorders' counts added give the drift of one that saw everything", () => {
    const rows = liveRows(900, 6, 21);
    const a: number[][] = [];
    const b: number[][] = [];
    const all: number[][] = [];
    rows.forEach((r, i) => {
      countRow(bins, i % 3 === 0 ? a : b, r);
      countRow(bins, all, r);
    });
    const merged = addBinCounts(addBinCounts([], a), b);
    expect(binnedDrift(bins, merged)).toEqual(binnedDrift(bins, all));
    // each half alone sees fewer rows: a weaker KS test than the whole
    expect(binnedDrift(bins, a)[0].ksPValue).toBeGreaterThan(binnedDrift(bins, merged)[0].ksPValue);
  });

  it("leaves out features without live values and values that are not finite", () => {
    const counts: number[][] = [];
    countRow(bins, counts, [NaN, 1]);
    const got = binnedDrift(bins, counts);
    expect(got.map((d) => d.feature)).toEqual(["income"]);
  });

  it("ksAsympPValue is ksTest's asymptotic p for the same statistic", () => {
    const x = reference.features[0].sample;
    const y = liveRows(300, 4, 5).map((r) => r[0]);
    const r = ksTest(x, y, { method: "asymp" });
    expect(ksAsympPValue(r.statistic, x.length, y.length)).toBeCloseTo(r.pValue, 12);
  });
});
