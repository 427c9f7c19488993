import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import fx from "../../fixtures/sklearn/select.json";
import { decisionTree, knn, logisticRegression, randomForest } from "@/lib/ml/models";
import { createRng } from "@/lib/ml/random";
import { crossValScore, earlyStopping, getScorer, gridSearch, logUniform, parameterGrid, randomSearch, resolveFolds } from "@/lib/ml/select";
import { stratifiedKFold } from "@/lib/ml/split";

function blobs(n: number, seed: number) {
  const rng = createRng(seed);
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    X.push([(c ? 1.5 : -1.5) + rng.normal(), rng.normal()]);
    y.push(c);
  }
  return { X, y };
}

describe("parameterGrid", () => {
  it("iterates keys in sorted order with the last key fastest, like sklearn's ParameterGrid", () => {
    expect(parameterGrid({ b: [1, 2], a: ["x", "y"] })).toEqual([
      { a: "x", b: 1 },
      { a: "x", b: 2 },
      { a: "y", b: 1 },
      { a: "y", b: 2 },
    ]);
    expect(parameterGrid([{ k: [1] }, { m: [true, false] }])).toEqual([{ k: 1 }, { m: true }, { m: false }]);
    expect(() => parameterGrid({ a: [] })).toThrow(/non-empty/);
  });
});

describe("gridSearch vs sklearn GridSearchCV", () => {
  it("uses the same stratified folds", () => {
    expect(resolveFolds(fx.y).map((f) => f.test)).toEqual(fx.testFolds);
  });

  it("matches every candidate's fold scores, mean, std and the best parameters", () => {
    const res = gridSearch(
      (p: { nNeighbors: number; weights: "uniform" | "distance" }) => knn(p),
      { weights: ["uniform", "distance"], nNeighbors: [1, 3, 5, 9] },
      fx.X,
      fx.y,
      { cv: 5 },
    );
    const expected = fx.gridSearch;
    expect(res.results.length).toBe(expected.results.length);
    res.results.forEach((r, i) => {
      const e = expected.results[i];
      expect(r.params).toEqual({ nNeighbors: e.params.n_neighbors, weights: e.params.weights });
      r.scores.forEach((s, k) => expect(s).toBeCloseTo(e.scores[k], 12));
      expect(r.meanScore).toBeCloseTo(e.meanScore, 12);
      expect(r.stdScore).toBeCloseTo(e.stdScore, 12);
    });
    expect(res.bestParams).toEqual({ nNeighbors: expected.bestParams.n_neighbors, weights: expected.bestParams.weights });
    expect(res.bestScore).toBeCloseTo(expected.bestScore, 12);
    expect(res.bestEstimator?.predict(fx.X)).toEqual(knn(res.bestParams).fit(fx.X, fx.y).predict(fx.X));
  });

  it("breaks ties toward the first candidate and ranks like sklearn (method='min')", () => {
    const { X, y } = blobs(40, 1);
    // Two identical candidates: both rank 1, the first wins.
    const res = gridSearch((p: { maxDepth: number; tag: string }) => decisionTree({ maxDepth: p.maxDepth }), { maxDepth: [2], tag: ["a", "b"] }, X, y, { refit: false });
    expect(res.results.map((r) => r.rank)).toEqual([1, 1]);
    expect(res.bestIndex).toBe(0);
    expect(res.bestEstimator).toBeUndefined();
  });
});

describe("crossValScore and scorers", () => {
  it("scores each fold on held-out rows with the chosen scorer", () => {
    const { X, y } = blobs(60, 2);
    const acc = crossValScore(() => logisticRegression(), X, y, { cv: 3 });
    expect(acc).toHaveLength(3);
    acc.forEach((s) => expect(s).toBeGreaterThan(0.8));
    const auc = crossValScore(() => logisticRegression(), X, y, { cv: 3, scoring: "roc_auc" });
    auc.forEach((s, i) => expect(s).toBeGreaterThanOrEqual(acc[i] - 0.2));
    // A custom scorer sees exactly the test fold rows.
    const sizes = crossValScore(() => logisticRegression(), X, y, { cv: stratifiedKFold(y, { nSplits: 4 }), scoring: (_e, Xt) => Xt.length });
    expect(sizes).toEqual([15, 15, 15, 15]);
  });

  it("negates losses so greater is better and rejects unknown names", () => {
    const { X, y } = blobs(40, 3);
    const m = logisticRegression().fit(X, y);
    expect(getScorer("neg_log_loss")(m, X, y)).toBeLessThan(0);
    expect(getScorer("negLogLoss")(m, X, y)).toBe(getScorer("neg_log_loss")(m, X, y));
    expect(() => getScorer("nope" as never)).toThrow(/unknown scoring/);
  });
});

describe("randomSearch (property tests)", () => {
  const { X, y } = blobs(60, 4);
  it("same seed tries the same sets; draws from lists without replacement", () => {
    const f = (p: { nNeighbors: number }) => knn(p);
    const a = randomSearch(f, { nNeighbors: [1, 3, 5, 7, 9, 11] }, X, y, { nIter: 4, seed: 7 });
    const b = randomSearch(f, { nNeighbors: [1, 3, 5, 7, 9, 11] }, X, y, { nIter: 4, seed: 7 });
    expect(a.results.map((r) => r.params)).toEqual(b.results.map((r) => r.params));
    expect(new Set(a.results.map((r) => r.params.nNeighbors)).size).toBe(4);
    const all = randomSearch(f, { nNeighbors: [1, 3] }, X, y, { nIter: 10, seed: 1 });
    expect(all.results.map((r) => r.params.nNeighbors).sort()).toEqual([1, 3]);
  });

  it("samples continuous distributions within range and finds a good C", () => {
    const res = randomSearch((p: { C: number }) => logisticRegression(p), { C: logUniform(1e-3, 10) }, X, y, { nIter: 6, seed: 3 });
    expect(res.results).toHaveLength(6);
    res.results.forEach((r) => {
      expect(r.params.C).toBeGreaterThanOrEqual(1e-3);
      expect(r.params.C).toBeLessThan(10);
    });
    expect(res.bestScore).toBe(Math.max(...res.results.map((r) => r.meanScore)));
    const other = randomSearch((p: { C: number }) => logisticRegression(p), { C: logUniform(1e-3, 10) }, X, y, { nIter: 6, seed: 4 });
    expect(other.results.map((r) => r.params.C)).not.toEqual(res.results.map((r) => r.params.C));
  });

  it("works with forests (seeded estimators give reproducible searches)", () => {
    const f = (p: { maxDepth: number }) => randomForest({ nEstimators: 5, maxDepth: p.maxDepth, seed: 0 });
    const a = randomSearch(f, { maxDepth: [1, 2, 4] }, X, y, { nIter: 2, seed: 0, cv: 3 });
    const b = randomSearch(f, { maxDepth: [1, 2, 4] }, X, y, { nIter: 2, seed: 0, cv: 3 });
    expect(a.results).toEqual(b.results);
  });
});

describe("earlyStopping", () => {
  it("stops after `patience` epochs without an improvement larger than minDelta (min mode)", () => {
    const es = earlyStopping({ patience: 2, minDelta: 0.01 });
    const seq = [1.0, 0.8, 0.795, 0.7, 0.71, 0.695, 0.72];
    const states = seq.map((v) => es.update(v));
    expect(states.map((s) => s.stop)).toEqual([false, false, false, false, false, true, true]);
    expect(states[5]).toMatchObject({ best: 0.7, bestEpoch: 3, wait: 2 });
  });

  it("max mode, patience 0 and baseline", () => {
    const es = earlyStopping({ mode: "max" });
    expect(es.update(0.5).stop).toBe(false);
    expect(es.update(0.6).stop).toBe(false);
    expect(es.update(0.6).stop).toBe(true);
    const withBaseline = earlyStopping({ mode: "max", baseline: 0.9, patience: 1 });
    expect(withBaseline.update(0.8)).toMatchObject({ stop: true, bestEpoch: -1, best: 0.9 });
    es.reset();
    expect(es.state).toMatchObject({ stop: false, bestEpoch: -1 });
  });

  it("stops a tfjs model.fit and restores the best weights", async () => {
    await tf.setBackend("cpu");
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
    model.compile({ optimizer: tf.train.sgd(0.1), loss: "meanSquaredError" });
    const x = tf.tensor2d([[0], [1], [2], [3]]);
    const yv = tf.tensor2d([[1], [3], [5], [7]]);
    // "loss" keeps falling on this problem, so watch a log that we rig to get worse.
    const es = earlyStopping({ patience: 2 });
    let bestKernel = NaN;
    const history = await model.fit(x, yv, {
      epochs: 50,
      verbose: 0,
      callbacks: [
        {
          onEpochEnd: async (epoch: number, logs?: Record<string, number>) => {
            if (logs) logs.rigged = epoch < 3 ? 10 - epoch : epoch === 3 ? 0 : 10 + epoch;
            if (epoch === 3) bestKernel = (model.getWeights()[0].dataSync() as Float32Array)[0];
          },
        },
        es.callback({ model, monitor: "rigged", restoreBestWeights: true }),
      ],
    });
    expect(history.epoch.length).toBe(6);
    expect(es.state).toMatchObject({ stop: true, bestEpoch: 3 });
    expect((model.getWeights()[0].dataSync() as Float32Array)[0]).toBe(bestKernel);
    tf.dispose([x, yv]);
    model.dispose();
  });
});
