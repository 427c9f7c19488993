import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { focalLoss, weightedBinaryCrossentropy } from "@/lib/ml/losses";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const values = (t: tf.Tensor) => Array.from(t.dataSync());

describe("focalLoss", () => {
  it("matches hand-computed values (gamma 2, alpha 0.25)", () => {
    const yTrue = tf.tensor2d([[1], [1], [0], [0]]);
    const yPred = tf.tensor2d([[0.9], [0.2], [0.1], [0.7]]);
    // −αₜ(1−pₜ)^γ log pₜ with pₜ = p for y = 1, 1 − p for y = 0
    const expected = [
      -0.25 * 0.1 ** 2 * Math.log(0.9),
      -0.25 * 0.8 ** 2 * Math.log(0.2),
      -0.75 * 0.1 ** 2 * Math.log(0.9),
      -0.75 * 0.7 ** 2 * Math.log(0.3),
    ];
    const before = tf.memory().numTensors;
    const out = focalLoss()(yTrue, yPred);
    expect(tf.memory().numTensors).toBe(before + 1); // intermediates are tidied
    expect(out.shape).toEqual([4]);
    const got = values(out);
    got.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
  });

  it("reduces to binary cross-entropy with gamma 0 and alpha 0.5 (times 0.5), and handles logits", () => {
    const yTrue = tf.tensor2d([[1, 0], [0, 1]]);
    const p = tf.tensor2d([[0.8, 0.3], [0.4, 0.6]]);
    const bce = values(tf.metrics.binaryCrossentropy(yTrue, p));
    values(focalLoss({ gamma: 0, alpha: 0.5 })(yTrue, p)).forEach((v, i) => expect(v).toBeCloseTo(0.5 * bce[i], 5));
    const logits = tf.log(tf.div(p, tf.sub(1, p)));
    const fromProb = values(focalLoss()(yTrue, p));
    values(focalLoss({ fromLogits: true })(yTrue, logits)).forEach((v, i) => expect(v).toBeCloseTo(fromProb[i], 5));
    // Large logits stay finite.
    values(focalLoss({ fromLogits: true })(tf.tensor2d([[1]]), tf.tensor2d([[-200]]))).forEach((v) => expect(Number.isFinite(v)).toBe(true));
  });
});

describe("weightedBinaryCrossentropy", () => {
  it("matches hand-computed values and equals BCE with posWeight 1", () => {
    const yTrue = tf.tensor2d([[1], [0], [1]]);
    const yPred = tf.tensor2d([[0.9], [0.2], [0.3]]);
    const got = values(weightedBinaryCrossentropy({ posWeight: 5 })(yTrue, yPred));
    const expected = [-5 * Math.log(0.9), -Math.log(0.8), -5 * Math.log(0.3)];
    got.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
    const bce = values(tf.metrics.binaryCrossentropy(yTrue, yPred));
    values(weightedBinaryCrossentropy()(yTrue, yPred)).forEach((v, i) => expect(v).toBeCloseTo(bce[i], 5));
    const logits = tf.tensor2d([[Math.log(9)], [Math.log(0.25)], [Math.log(3 / 7)]]);
    values(weightedBinaryCrossentropy({ posWeight: 5, fromLogits: true })(yTrue, logits)).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
  });
});

describe("training with the losses", () => {
  for (const [name, loss] of [
    ["focalLoss", focalLoss()],
    ["weightedBinaryCrossentropy", weightedBinaryCrossentropy({ posWeight: 3 })],
  ] as const) {
    it(`a tiny model compiles and learns with ${name}`, async () => {
      const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2], activation: "sigmoid", kernelInitializer: "zeros" })] });
      model.compile({ optimizer: tf.train.adam(0.1), loss });
      const x = tf.tensor2d([[0, 0], [0, 1], [1, 0], [1, 1], [2, 2], [-1, -1], [2, 1], [-1, 0]]);
      const y = tf.tensor2d([[0], [0], [0], [1], [1], [0], [1], [0]]);
      await model.fit(x, y, { epochs: 1, verbose: 0 }); // creates the optimizer's slots
      const before = tf.memory().numTensors;
      const h = await model.fit(x, y, { epochs: 60, verbose: 0 });
      const losses = h.history.loss as number[];
      expect(losses[losses.length - 1]).toBeLessThan(losses[0] * 0.5);
      const pred = (model.predict(x) as tf.Tensor).dataSync();
      const acc = Array.from(pred).filter((p, i) => (p > 0.5 ? 1 : 0) === [0, 0, 0, 1, 1, 0, 1, 0][i]).length / 8;
      expect(acc).toBeGreaterThanOrEqual(0.875);
      expect(tf.memory().numTensors).toBeLessThanOrEqual(before + 1); // no per-step leaks (the prediction is one)
      model.dispose();
    });
  }
});
