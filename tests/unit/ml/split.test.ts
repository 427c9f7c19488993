import { describe, expect, it } from "vitest";
import * as split from "@/lib/ml/split";
import { fixture } from "./helpers";

const fx = fixture("split");

describe("split: index generators equal sklearn's without shuffling", () => {
  it("kFold", () => {
    expect(split.kFold(10, { nSplits: 3 })).toEqual(fx.kFold.n10k3);
    expect(split.kFold(23, { nSplits: 5 })).toEqual(fx.kFold.n23k5);
    expect(split.kFold(new Array(7).fill(0), { nSplits: 7 })).toEqual(fx.kFold.n7k7);
  });
  it("stratifiedKFold", () => {
    expect(split.stratifiedKFold(fx.y, { nSplits: 3 })).toEqual(fx.stratifiedKFold.k3);
    expect(split.stratifiedKFold(fx.y, { nSplits: 5 })).toEqual(fx.stratifiedKFold.k5);
  });
  it("groupKFold", () => {
    expect(split.groupKFold(fx.groups, { nSplits: 3 })).toEqual(fx.groupKFold.k3);
    expect(split.groupKFold(fx.groups, { nSplits: 4 })).toEqual(fx.groupKFold.k4);
  });
  it("timeSeriesSplit", () => {
    expect(split.timeSeriesSplit(23, { nSplits: 5 })).toEqual(fx.timeSeriesSplit.n23k5);
    expect(split.timeSeriesSplit(23, { nSplits: 3, testSize: 4 })).toEqual(fx.timeSeriesSplit.n23k3t4);
    expect(split.timeSeriesSplit(23, { nSplits: 3, gap: 2 })).toEqual(fx.timeSeriesSplit.n23k3g2);
    expect(split.timeSeriesSplit(23, { nSplits: 4, testSize: 3, gap: 1, maxTrainSize: 6 })).toEqual(fx.timeSeriesSplit.n23k4t3g1m6);
    expect(() => split.timeSeriesSplit(5, { nSplits: 5 })).toThrow();
  });
  it("trainTestSplit with shuffle=false", () => {
    const idx = Array.from({ length: 23 }, (_, i) => i);
    for (const c of Object.values<any>(fx.trainTestSplit)) {
      const o = c.options;
      const [tr, te] = split.trainTestSplit([idx], { testSize: o.test_size, trainSize: o.train_size, shuffle: false });
      expect(tr).toEqual(c.train);
      expect(te).toEqual(c.test);
    }
  });
});

describe("split: shuffled and stratified splits (properties)", () => {
  const n = 103;
  const X = Array.from({ length: n }, (_, i) => [i, i * 2]);
  const y = Array.from({ length: n }, (_, i) => (i % 10 < 7 ? 0 : i % 10 < 9 ? 1 : 2));

  it("returns [Xtr, Xte, ytr, yte] aligned with trainIndex/testIndex, partitioning the rows", () => {
    const res = split.trainTestSplit([X, y], { testSize: 0.2, seed: 3 });
    const [Xtr, Xte, ytr, yte] = res;
    expect(Xte.length).toBe(Math.ceil(0.2 * n));
    expect(Xtr.length + Xte.length).toBe(n);
    expect(Xtr).toEqual(res.trainIndex.map((i) => X[i]));
    expect(yte).toEqual(res.testIndex.map((i) => y[i]));
    expect(ytr.length).toBe(Xtr.length);
    expect(new Set([...res.trainIndex, ...res.testIndex]).size).toBe(n);
    expect(res.testIndex).not.toEqual([...res.testIndex].sort((a, b) => a - b)); // shuffled
  });
  it("same seed → same split; different seed → different split", () => {
    const a = split.trainTestSplit([X, y], { seed: 7 });
    const b = split.trainTestSplit([X, y], { seed: 7 });
    const c = split.trainTestSplit([X, y], { seed: 8 });
    expect(a.testIndex).toEqual(b.testIndex);
    expect(a.testIndex).not.toEqual(c.testIndex);
  });
  it("stratify keeps each class's count within one sample of its share", () => {
    for (const seed of [0, 1, 2, 3, 4]) {
      for (const testSize of [0.2, 0.33, 17]) {
        const [, , ytr, yte] = split.trainTestSplit([X, y], { testSize, seed, stratify: y });
        for (const cls of [0, 1, 2]) {
          const total = y.filter((v) => v === cls).length;
          const inTest = (yte as number[]).filter((v) => v === cls).length;
          const inTrain = (ytr as number[]).filter((v) => v === cls).length;
          expect(inTest + inTrain).toBe(total);
          expect(Math.abs(inTest - (total * yte.length) / n)).toBeLessThanOrEqual(1);
          expect(Math.abs(inTrain - (total * ytr.length) / n)).toBeLessThanOrEqual(1);
        }
      }
    }
  });
  it("trainValTestSplit partitions rows into three aligned parts, stratified", () => {
    const r = split.trainValTestSplit([X, y], { valSize: 0.2, testSize: 0.2, seed: 5, stratify: y });
    const [Xtr, Xval, Xte, ytr, yval, yte] = r;
    expect(Xtr.length + Xval.length + Xte.length).toBe(n);
    expect(new Set([...r.trainIndex, ...r.valIndex, ...r.testIndex]).size).toBe(n);
    expect(Xval).toEqual(r.valIndex.map((i) => X[i]));
    expect(yval.length).toBe(Math.ceil(0.2 * n));
    for (const part of [ytr, yval, yte] as number[][]) {
      const share = part.filter((v) => v === 0).length / part.length;
      expect(Math.abs(share - 0.7)).toBeLessThan(0.06);
    }
    expect(Xte.length).toBe(yte.length);
  });
  it("shuffled kFold and stratifiedKFold partition the rows and are seed-reproducible", () => {
    for (const folds of [split.kFold(n, { nSplits: 4, shuffle: true, seed: 1 }), split.stratifiedKFold(y, { nSplits: 4, shuffle: true, seed: 1 })]) {
      const tests = folds.flatMap((f) => f.test).sort((a, b) => a - b);
      expect(tests).toEqual(Array.from({ length: n }, (_, i) => i));
      folds.forEach((f) => expect(f.train.length + f.test.length).toBe(n));
    }
    expect(split.kFold(n, { nSplits: 4, shuffle: true, seed: 1 })).toEqual(split.kFold(n, { nSplits: 4, shuffle: true, seed: 1 }));
    expect(split.kFold(n, { nSplits: 4, shuffle: true, seed: 1 })).not.toEqual(split.kFold(n, { nSplits: 4 }));
    for (const f of split.stratifiedKFold(y, { nSplits: 4, shuffle: true, seed: 9 })) {
      for (const cls of [0, 1, 2]) {
        const total = y.filter((v) => v === cls).length;
        const inTest = f.test.filter((i) => y[i] === cls).length;
        expect(Math.abs(inTest - total / 4)).toBeLessThanOrEqual(1);
      }
    }
  });
  it("groupKFold never shares a group between train and test", () => {
    for (const f of split.groupKFold(fx.groups, { nSplits: 3 })) {
      const trainGroups = new Set(f.train.map((i) => fx.groups[i]));
      f.test.forEach((i) => expect(trainGroups.has(fx.groups[i])).toBe(false));
    }
  });
  it("accepts tensors", () => {
    const t = { arraySync: () => X, shape: [n, 2] };
    const [Xtr] = split.trainTestSplit([t, y], { seed: 1 });
    expect((Xtr as number[][])[0].length).toBe(2);
  });
});
