import { describe, expect, it } from "vitest";
import fx from "../../fixtures/sklearn/models.json";
import { decisionTree, knn, logisticRegression, randomForest } from "@/lib/ml/models";
import { createRng } from "@/lib/ml/random";

function close(a: number[] | number[][], b: number[] | number[][], tol: number) {
  const fa = (a as number[]).flat(2) as number[];
  const fb = (b as number[]).flat(2) as number[];
  expect(fa.length).toBe(fb.length);
  fa.forEach((v, i) => expect(Math.abs(v - fb[i]), `index ${i}: ${v} vs ${fb[i]}`).toBeLessThanOrEqual(tol));
}

/** Two well-separated Gaussian blobs in `d` dimensions. */
function separable(n: number, d: number, seed: number) {
  const rng = createRng(seed);
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    X.push(Array.from({ length: d }, (_, j) => (j < 2 ? (c ? 2 : -2) : 0) + rng.normal()));
    y.push(c);
  }
  return { X, y };
}

describe("logisticRegression vs sklearn", () => {
  it("matches binary coefficients, intercept and probabilities (C=1 and C=0.5)", () => {
    const f = fx.logisticBinary;
    const m = logisticRegression().fit(f.X, f.y);
    close(m.coef, f.coef, 1e-6);
    close(m.intercept, f.intercept, 1e-6);
    close(m.predictProba(f.Xtest), f.proba, 1e-6);
    expect(m.predict(f.Xtest)).toEqual(f.predict);
    expect(m.classes).toEqual([0, 1]);
    const m05 = logisticRegression({ C: 0.5 }).fit(f.X, f.y);
    close(m05.coef, f.coefC05, 1e-6);
    close(m05.intercept, f.interceptC05, 1e-6);
  });

  it("matches multinomial coefficients for three classes", () => {
    const f = fx.logisticMulti;
    const m = logisticRegression().fit(f.X, f.y);
    close(m.coef, f.coef, 1e-6);
    close(m.intercept, f.intercept, 1e-6);
    close(m.predictProba(f.Xtest), f.proba, 1e-6);
    expect(m.predict(f.Xtest)).toEqual(f.predict);
  });

  it("keeps original label values and rejects a single class", () => {
    const { X, y } = separable(40, 2, 1);
    const m = logisticRegression().fit(X, y.map((v) => (v ? 7 : -3)));
    expect(m.classes).toEqual([-3, 7]);
    expect(new Set(m.predict(X))).toEqual(new Set([-3, 7]));
    expect(m.score(X, y.map((v) => (v ? 7 : -3)))).toBeGreaterThan(0.9);
    expect(() => logisticRegression().fit([[1], [2]], [0, 0])).toThrow(/two classes/);
    expect(() => logisticRegression().predict([[1]])).toThrow(/fit/);
  });

  it("sample weights equal to 2 act like duplicated rows", () => {
    const { X, y } = separable(30, 2, 2);
    const w = X.map((_, i) => (i < 10 ? 2 : 1));
    const a = logisticRegression().fit(X, y, w);
    const b = logisticRegression().fit([...X, ...X.slice(0, 10)], [...y, ...y.slice(0, 10)]);
    close(a.coef, b.coef, 1e-6);
  });
});

describe("decisionTree vs sklearn", () => {
  const f = fx.decisionTree;
  for (const t of f.trees) {
    it(`matches predictions, probabilities and importances for ${JSON.stringify(t.params)}`, () => {
      const m = decisionTree({
        maxDepth: t.params.max_depth,
        minSamplesSplit: (t.params as { min_samples_split?: number }).min_samples_split,
      }).fit(f.X, f.y);
      expect(m.predict(f.Xtest)).toEqual(t.predict);
      close(m.predictProba(f.Xtest), t.proba, 1e-9);
      close(m.featureImportances, t.featureImportances, 1e-9);
      expect(m.nodeCount).toBe(t.nodeCount);
      expect(m.depth).toBe(t.depth);
    });
  }

  it("grows pure leaves without a depth limit and respects minSamplesLeaf", () => {
    const { X, y } = separable(60, 3, 3);
    const full = decisionTree().fit(X, y);
    expect(full.score(X, y)).toBe(1);
    const leafy = decisionTree({ minSamplesLeaf: 10 }).fit(X, y);
    const t = leafy.tree;
    t.left.forEach((l, node) => {
      if (l === -1) expect(t.nSamples[node]).toBeGreaterThanOrEqual(10);
    });
  });

  it("entropy criterion also separates the classes", () => {
    const { X, y } = separable(60, 2, 4);
    expect(decisionTree({ criterion: "entropy", maxDepth: 3 }).fit(X, y).score(X, y)).toBeGreaterThan(0.9);
  });
});

describe("knn vs sklearn", () => {
  const f = fx.knn;
  for (const m of f.models) {
    it(`matches predictions and probabilities for ${JSON.stringify(m.params)}`, () => {
      const model = knn({ nNeighbors: m.params.n_neighbors, weights: (m.params as { weights?: "distance" }).weights }).fit(f.X, f.y);
      expect(model.predict(f.Xtest)).toEqual(m.predict);
      close(model.predictProba(f.Xtest), m.proba, 1e-9);
    });
  }

  it("breaks class ties toward the smallest label and trusts exact matches with distance weights", () => {
    const X = [[0], [1], [3], [4]];
    const y = [5, 2, 5, 2];
    expect(knn({ nNeighbors: 2 }).fit(X, y).predict([[0.4]])).toEqual([2]);
    expect(knn({ nNeighbors: 3, weights: "distance" }).fit(X, y).predictProba([[1]])).toEqual([[1, 0]]);
  });
});

describe("randomForest (property tests)", () => {
  it("same seed gives the same forest; different seeds differ", () => {
    const { X, y } = separable(80, 4, 5);
    const Xt = separable(20, 4, 6).X;
    const a = randomForest({ nEstimators: 15, seed: 3 }).fit(X, y).predictProba(Xt);
    const b = randomForest({ nEstimators: 15, seed: 3 }).fit(X, y).predictProba(Xt);
    const c = randomForest({ nEstimators: 15, seed: 4 }).fit(X, y).predictProba(Xt);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it("beats the majority baseline on held-out separable data and puts importance on informative features", () => {
    const train = separable(200, 6, 7);
    const test = separable(100, 6, 8);
    const rf = randomForest({ nEstimators: 30, maxDepth: 6, seed: 1 }).fit(train.X, train.y);
    expect(rf.score(test.X, test.y)).toBeGreaterThan(0.9);
    const imp = rf.featureImportances;
    expect(imp.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 9);
    expect(imp[0] + imp[1]).toBeGreaterThan(0.6);
    rf.predictProba(test.X).forEach((p) => expect(p[0] + p[1]).toBeCloseTo(1, 12));
  });

  it("draws bootstrap samples of the requested size (fraction ≤ 1 or count)", () => {
    const { X, y } = separable(60, 3, 9);
    const half = randomForest({ nEstimators: 3, maxSamples: 0.5, seed: 2 }).fit(X, y);
    half.trees.forEach((t) => expect(t.weightedNSamples[0]).toBe(30));
    const all = randomForest({ nEstimators: 3, maxSamples: 1, seed: 2 }).fit(X, y);
    all.trees.forEach((t) => expect(t.weightedNSamples[0]).toBe(60));
    const count = randomForest({ nEstimators: 3, maxSamples: 12, seed: 2 }).fit(X, y);
    count.trees.forEach((t) => expect(t.weightedNSamples[0]).toBe(12));
    const noBoot = randomForest({ nEstimators: 2, bootstrap: false, maxFeatures: null }).fit(X, y);
    expect(noBoot.trees[0]).toEqual(noBoot.trees[1]); // all rows, all features: identical trees
  });
});
