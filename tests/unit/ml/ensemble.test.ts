import { describe, expect, it } from "vitest";
import fx from "../../fixtures/sklearn/ensemble.json";
import { adaBoost, bagging, boosting, stacking } from "@/lib/ml/ensemble";
import { decisionTree, knn, logisticRegression } from "@/lib/ml/models";
import { createRng } from "@/lib/ml/random";

function close(a: number[] | number[][], b: number[] | number[][], tol: number) {
  const fa = (a as number[]).flat(2) as number[];
  const fb = (b as number[]).flat(2) as number[];
  expect(fa.length).toBe(fb.length);
  fa.forEach((v, i) => expect(Math.abs(v - fb[i]), `index ${i}: ${v} vs ${fb[i]}`).toBeLessThanOrEqual(tol));
}

/** Two classes on either side of a circle: not linearly separable, easy for trees. */
function rings(n: number, seed: number) {
  const rng = createRng(seed);
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = rng.next() * 2 * Math.PI;
    const r = i % 2 ? 2 + 0.3 * rng.normal() : 0.8 * Math.abs(rng.normal());
    X.push([r * Math.cos(a), r * Math.sin(a)]);
    y.push(i % 2);
  }
  return { X, y };
}

describe("adaBoost (SAMME) vs sklearn", () => {
  for (const key of ["adaBoostBinary", "adaBoostMulti"] as const) {
    it(`matches estimator weights, errors, predictions and probabilities (${key})`, () => {
      const f = fx[key] as typeof fx.adaBoostBinary & { learningRate?: number };
      const m = adaBoost({ nEstimators: f.nEstimators, learningRate: f.learningRate ?? 1 }).fit(f.X, f.y);
      close(m.estimatorWeights, f.estimatorWeights.slice(0, m.estimators.length), 1e-9);
      close(m.estimatorErrors, f.estimatorErrors.slice(0, m.estimators.length), 1e-9);
      f.estimatorWeights.slice(m.estimators.length).forEach((w) => expect(w).toBe(0));
      expect(m.predict(f.Xtest)).toEqual(f.predict);
      close(m.predictProba(f.Xtest), f.proba, 1e-9);
    });
  }

  it("boosting is the same function, and stops early on a perfect learner", () => {
    expect(boosting).toBe(adaBoost);
    const m = adaBoost({ nEstimators: 10 }).fit([[0], [1], [2], [3]], [0, 0, 1, 1]);
    expect(m.estimators.length).toBe(1);
    expect(m.estimatorWeights).toEqual([1]);
    expect(m.predict([[0.2], [2.7]])).toEqual([0, 1]);
  });

  it("boosted stumps fit a problem a single stump cannot", () => {
    const train = rings(200, 1);
    const test = rings(200, 2);
    const stump = decisionTree({ maxDepth: 1 }).fit(train.X, train.y).score(test.X, test.y);
    const boosted = adaBoost({ nEstimators: 60 }).fit(train.X, train.y).score(test.X, test.y);
    expect(stump).toBeLessThan(0.8);
    expect(boosted).toBeGreaterThan(0.9);
  });
});

describe("stacking vs sklearn StackingClassifier", () => {
  it("matches meta-learner coefficients and probabilities with deterministic bases", () => {
    const f = fx.stacking;
    const st = stacking([() => knn({ nNeighbors: 7 }), () => logisticRegression({ C: 0.3 })]).fit(f.X, f.y);
    const final = st.finalEstimator as ReturnType<typeof logisticRegression>;
    close(final.coef, f.finalCoef, 1e-6);
    close(final.intercept, f.finalIntercept, 1e-6);
    close(st.predictProba(f.Xtest), f.proba, 1e-6);
    expect(st.predict(f.Xtest)).toEqual(f.predict);
  });

  it("uses every class column for three classes and can pass features through", () => {
    const rng = createRng(5);
    const X = Array.from({ length: 60 }, (_, i) => [(i % 3) * 5 + rng.normal(), rng.normal()]);
    const y = X.map((_, i) => i % 3);
    const st = stacking([() => knn({ nNeighbors: 3 }), () => decisionTree({ maxDepth: 2 })], { passthrough: true, cv: 3 }).fit(X, y);
    expect(st.transform(X)[0]).toHaveLength(3 + 3 + 2);
    expect(st.score(X, y)).toBeGreaterThan(0.9);
  });
});

describe("bagging (property tests)", () => {
  it("same seed same ensemble; different seed differs", () => {
    const { X, y } = rings(80, 3);
    const a = bagging(() => decisionTree(), { nEstimators: 8, seed: 1 }).fit(X, y);
    const b = bagging(() => decisionTree(), { nEstimators: 8, seed: 1 }).fit(X, y);
    const c = bagging(() => decisionTree(), { nEstimators: 8, seed: 2 }).fit(X, y);
    expect(a.samples).toEqual(b.samples);
    expect(a.predictProba(X)).toEqual(b.predictProba(X));
    expect(a.samples).not.toEqual(c.samples);
    a.samples.forEach((s) => expect(s).toHaveLength(80));
  });

  it("averages members' probabilities, even when a bootstrap sample misses a class", () => {
    const X = [[0], [1], [2], [3], [4], [5], [10]];
    const y = [0, 0, 0, 0, 0, 0, 1];
    const bag = bagging(() => knn({ nNeighbors: 1 }), { nEstimators: 20, seed: 0 }).fit(X, y);
    const missing = bag.estimators.filter((e) => e.classes.length === 1).length;
    expect(missing).toBeGreaterThan(0);
    const p = bag.predictProba([[10]])[0];
    const expected = bag.estimators.reduce((s, e) => s + (e.classes.includes(1) ? e.predictProba([[10]])[0][e.classes.indexOf(1)] : 0), 0) / 20;
    expect(p[1]).toBeCloseTo(expected, 12);
    expect(p[0] + p[1]).toBeCloseTo(1, 12);
  });

  it("bagged trees generalise at least as well as one deep tree on noisy data", () => {
    const train = rings(200, 6);
    const test = rings(300, 7);
    const flip = createRng(8);
    const noisy = train.y.map((v) => (flip.next() < 0.15 ? 1 - v : v));
    const one = decisionTree().fit(train.X, noisy).score(test.X, test.y);
    const bag = bagging(() => decisionTree(), { nEstimators: 25, seed: 3 }).fit(train.X, noisy).score(test.X, test.y);
    expect(bag).toBeGreaterThanOrEqual(one);
    expect(bag).toBeGreaterThan(0.85);
  });
});
