// The serving engine with real TensorFlow.js worker threads and a real tiny model (30→16→1).
import type * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServingEngine, type ServingEngine } from "@/lib/serving/engine/engine";
import { ServingError } from "@/lib/serving/engine/errors";
import type { ModelBytes } from "@/lib/serving/engine/model-spec";
import { predictInProcess, randomRows, tinyModel } from "./tiny-model";

async function failure(p: Promise<unknown>): Promise<ServingError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ServingError) return e;
    throw e;
  }
  throw new Error("expected a ServingError");
}

function expectClose(actual: number[][], expected: number[][]): void {
  expect(actual.length).toBe(expected.length);
  for (let r = 0; r < expected.length; r++) {
    expect(actual[r].length).toBe(expected[r].length);
    for (let c = 0; c < expected[r].length; c++) expect(Math.abs(actual[r][c] - expected[r][c])).toBeLessThan(1e-5);
  }
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

let fraud: { model: tf.LayersModel; bytes: ModelBytes };
let other: { model: tf.LayersModel; bytes: ModelBytes };

beforeAll(async () => {
  fraud = await tinyModel(1);
  other = await tinyModel(11);
});

describe("serving engine (2 workers)", () => {
  let engine: ServingEngine;
  beforeAll(async () => {
    engine = createServingEngine({ size: 2 });
    const backends = await engine.ready();
    expect(backends).toHaveLength(2);
  });
  afterAll(() => engine.close());

  it("predicts what model.predict gives in-process (within 1e-5)", async () => {
    engine.register("fraud@1", { load: () => fraud.bytes });
    const rows = randomRows(50);
    const p = await engine.predict("fraud@1", rows);
    expect(p.outputWidth).toBe(1);
    expectClose(p.outputs, predictInProcess(fraud.model, rows));
    expect(p.labels).toBeUndefined();
    expect(await engine.describe("fraud@1")).toMatchObject({ inputWidth: 30, outputWidth: 1 });
  });

  it("merges concurrent requests into one predict call per batch, and each caller gets its own rows", async () => {
    engine.register("batched", { load: () => fraud.bytes, batching: { maxBatchSize: 64, maxLatencyMs: 25 } });
    engine.register("unbatched", { load: () => fraud.bytes, batching: { maxBatchSize: 1 } });
    await engine.predict("batched", randomRows(1));
    await engine.predict("unbatched", randomRows(1));
    const rows = randomRows(40, 30, 3);
    const expected = predictInProcess(fraud.model, rows);

    const calls0 = sum((await engine.workerStats()).map((s) => s.predictCalls));
    const batched = await Promise.all(rows.map((row) => engine.predict("batched", [row])));
    const calls1 = sum((await engine.workerStats()).map((s) => s.predictCalls));
    batched.forEach((p, i) => expectClose(p.outputs, [expected[i]]));
    expect(calls1 - calls0).toBeLessThanOrEqual(2);

    const unbatched = await Promise.all(rows.map((row) => engine.predict("unbatched", [row])));
    const calls2 = sum((await engine.workerStats()).map((s) => s.predictCalls));
    unbatched.forEach((p, i) => expectClose(p.outputs, [expected[i]]));
    expect(calls2 - calls1).toBe(40);
  });

  it("a model that fails to load answers an error for its own requests only; the others keep answering", async () => {
    engine.register("good", { load: () => other.bytes });
    engine.register("bad-json", { load: () => ({ modelJson: "{not json", weights: fraud.bytes.weights }) });
    engine.register("garbage-weights", { load: () => ({ modelJson: fraud.bytes.modelJson, weights: new Uint8Array(100).fill(7).buffer }) });
    engine.register("not-a-model", { load: () => ({ modelJson: JSON.stringify({ hello: "world" }), weights: new ArrayBuffer(0) }) });
    // Valid JSON that only TensorFlow.js can refuse (an unknown layer class), so the worker itself fails to load it.
    const unknownLayer = fraud.bytes.modelJson.replaceAll('"class_name":"Dense"', '"class_name":"NoSuchLayer"');
    engine.register("unknown-layer", { load: () => ({ modelJson: unknownLayer, weights: fraud.bytes.weights }) });
    const started = engine.stats().workersStarted;
    const rows = randomRows(3);
    const [good, badJson, garbage, notModel, unknown] = await Promise.allSettled([
      engine.predict("good", rows),
      engine.predict("bad-json", rows),
      engine.predict("garbage-weights", rows),
      engine.predict("not-a-model", rows),
      engine.predict("unknown-layer", rows),
    ]);
    expect(good.status).toBe("fulfilled");
    const reason = (r: PromiseSettledResult<unknown>) => (r as PromiseRejectedResult).reason as ServingError;
    expect(reason(badJson)).toMatchObject({ code: "load-failed", message: expect.stringMatching(/not valid JSON/) });
    expect(reason(garbage)).toMatchObject({ code: "load-failed", message: expect.stringMatching(/weights\.bin has 100 bytes/) });
    expect(reason(notModel)).toMatchObject({ code: "load-failed", message: expect.stringMatching(/not a TensorFlow\.js layers model/) });
    expect(reason(unknown)).toMatchObject({ code: "load-failed", message: expect.stringMatching(/NoSuchLayer/) });
    // The failure is remembered (answered at once) and nothing else changed.
    expect(await failure(engine.predict("unknown-layer", rows))).toMatchObject({ code: "load-failed" });
    expectClose((await engine.predict("good", rows)).outputs, predictInProcess(other.model, rows));
    expect(engine.stats().workersStarted).toBe(started);
  });

  it("a model that throws on some rows fails only the request that sent them, even when merged in a batch", async () => {
    // An embedding of 5 indices: zeros load and predict; index 100 makes TensorFlow.js throw in the worker.
    const tfjs = await import("@tensorflow/tfjs");
    const embedding = tfjs.sequential({
      layers: [tfjs.layers.embedding({ inputDim: 5, outputDim: 2, inputShape: [30], embeddingsInitializer: tfjs.initializers.randomUniform({ seed: 3 }) }), tfjs.layers.flatten(), tfjs.layers.dense({ units: 1, kernelInitializer: tfjs.initializers.ones() })],
    });
    let bytes: ModelBytes | null = null;
    await embedding.save(
      tfjs.io.withSaveHandler(async (a) => {
        bytes = { modelJson: JSON.stringify({ modelTopology: a.modelTopology, weightsManifest: [{ paths: ["weights.bin"], weights: a.weightSpecs }] }), weights: (a.weightData as ArrayBuffer).slice(0) };
        return { modelArtifactsInfo: tfjs.io.getModelArtifactsInfoForJSON(a) };
      }),
    );
    engine.register("embedding", { load: () => bytes!, batching: { maxBatchSize: 64, maxLatencyMs: 20 } });
    const good = (i: number) => [Array.from({ length: 30 }, (_, j) => (i + j) % 5)];
    const results = await Promise.allSettled([engine.predict("embedding", good(0)), engine.predict("embedding", [Array(30).fill(100)]), engine.predict("embedding", good(1)), engine.predict("fraud@1", randomRows(1))]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled", "fulfilled"]);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: "predict-failed", message: expect.stringMatching(/index value 100 is not in \[0, 4\]/) });
    const alone = predictInProcess(embedding, good(1));
    expectClose((results[2] as PromiseFulfilledResult<{ outputs: number[][] }>).value.outputs, alone);
    // The model is not marked failed: it keeps answering good rows.
    expect((await engine.predict("embedding", good(2))).outputs).toHaveLength(1);
  });

  it("refuses bad inputs with messages that say where and why", async () => {
    engine.register("inputs", { load: () => fraud.bytes });
    const row = randomRows(1)[0];
    const cases: [unknown, RegExp][] = [
      ["hello", /Expected a list of rows/],
      [[], /at least one row/],
      [[row.slice(0, 29)], /Row 0 has 29 values; the model takes 30 features/],
      [[row, [...row.slice(0, 4), Number.NaN, ...row.slice(5)]], /Row 1, feature 4: expected a finite number, got NaN/],
      [[[...row.slice(0, 29), Infinity]], /Row 0, feature 29: expected a finite number, got Infinity/],
      [[[...row.slice(0, 2), "0.5", ...row.slice(3)]], /Row 0, feature 2: expected a finite number, got the text "0.5"/],
      [[row, 3], /Row 1 is 3; expected a list of 30 numbers/],
      [randomRows(10_001), /10001 rows in one request; the limit is 10000/],
    ];
    for (const [input, message] of cases) {
      const e = await failure(engine.predict("inputs", input));
      expect(e.code).toBe("bad-input");
      expect(e.message).toMatch(message);
    }
    expect(await failure(engine.predict("nobody", [row]))).toMatchObject({ code: "not-found" });
    expect((await engine.predict("inputs", [row])).outputs).toHaveLength(1);
  });

  it("applies standard scaling before predict and turns outputs into labels", async () => {
    const mean = Array.from({ length: 30 }, (_, i) => i / 10);
    const scale = Array.from({ length: 30 }, (_, i) => (i === 3 ? 0 : 1 + i / 20));
    engine.register("scaled", { load: () => fraud.bytes, scaling: { mean, scale }, output: { threshold: 0.4, labels: ["legit", "fraud"] } });
    const rows = randomRows(20, 30, 9);
    const scaled = rows.map((r) => r.map((v, i) => (v - mean[i]) / (scale[i] === 0 ? 1 : scale[i])));
    const expected = predictInProcess(fraud.model, scaled);
    const p = await engine.predict("scaled", rows);
    expectClose(p.outputs, expected);
    expect(p.labels).toEqual(expected.map(([v]) => (v >= 0.4 ? "fraud" : "legit")));
    expect(new Set(p.labels).size).toBe(2);
    expect(() => engine.register("bad-scaling", { load: () => fraud.bytes, inputWidth: 30, scaling: { mean: [0], scale: [1] } })).toThrow(/1 features; the model takes 30/);
  });

  it("answers timeout and overloaded rather than waiting forever", async () => {
    engine.register("slow-batch", { load: () => fraud.bytes, batching: { maxBatchSize: 64, maxLatencyMs: 1000 } });
    await engine.describe("slow-batch");
    expect(await failure(engine.predict("slow-batch", randomRows(1), { timeoutMs: 50 }))).toMatchObject({ code: "timeout" });
  });
});

describe("serving engine limits", () => {
  it("unloads the least recently used model under a tiny memory budget, and reloads it on demand", async () => {
    const third = await tinyModel(21);
    const size = fraud.bytes.weights.byteLength + fraud.bytes.modelJson.length;
    const engine = createServingEngine({ size: 1, memoryBudgetBytes: Math.floor(size * 2.5) });
    try {
      const loads: Record<string, number> = { a: 0, b: 0, c: 0 };
      const models = { a: fraud, b: other, c: third };
      for (const key of ["a", "b", "c"] as const) engine.register(key, { load: () => (loads[key]++, models[key].bytes) });
      const rows = randomRows(4);
      for (const key of ["a", "b", "c"] as const) expectClose((await engine.predict(key, rows)).outputs, predictInProcess(models[key].model, rows));
      let [stats] = await engine.workerStats();
      expect(stats.models.map((m) => m.key)).toEqual(["b", "c"]);
      expect(stats.evictions).toBe(1);
      expect(stats.bytes).toBeLessThanOrEqual(stats.memoryBudgetBytes);
      // Using b makes c the least recently used: loading a again unloads c.
      await engine.predict("b", rows);
      expectClose((await engine.predict("a", rows)).outputs, predictInProcess(fraud.model, rows));
      [stats] = await engine.workerStats();
      expect(stats.models.map((m) => m.key)).toEqual(["b", "a"]);
      expect(loads).toEqual({ a: 2, b: 1, c: 1 });
    } finally {
      await engine.close();
    }
  });

  it("refuses a model over the size limit, and others still load", async () => {
    const engine = createServingEngine({ size: 1, maxModelBytes: 2000 });
    try {
      engine.register("big", { load: () => fraud.bytes });
      engine.register("small", { load: () => tinyModel(5, 4, 2).then((m) => m.bytes) });
      const e = await failure(engine.predict("big", randomRows(1)));
      expect(e.code).toBe("load-failed");
      expect(e.message).toMatch(/^The model is 3\.\d kB; the limit per model is 2\.0 kB$/);
      expect((await engine.predict("small", randomRows(2, 4))).outputs).toHaveLength(2);
      const [stats] = await engine.workerStats();
      expect(stats.models.map((m) => m.key)).toEqual(["small"]);
    } finally {
      await engine.close();
    }
  });

  it("replaces a worker that crashes; its in-flight request gets an error, the rest are answered", async () => {
    const engine = createServingEngine({ size: 1 });
    try {
      engine.register("m", { load: () => fraud.bytes, batching: { maxBatchSize: 1 } });
      const rows = randomRows(3);
      await engine.predict("m", rows);
      expect(engine.stats().workersStarted).toBe(1);
      // The first is posted to the worker at once; the others wait in the pool's queue.
      const inFlight = engine.predict("m", rows);
      const queued = [engine.predict("m", rows), engine.predict("m", rows)];
      await engine.pool.crashWorkerForTest(0);
      expect(await failure(inFlight)).toMatchObject({ code: "worker-crashed" });
      for (const p of await Promise.all(queued)) expectClose(p.outputs, predictInProcess(fraud.model, rows));
      expect(engine.stats().workersStarted).toBe(2);
      expectClose((await engine.predict("m", rows)).outputs, predictInProcess(fraud.model, rows));
    } finally {
      await engine.close();
    }
  });

  it("stops and replaces a worker whose job runs past jobTimeoutMs; the request answers timeout", async () => {
    // 1 ms is less than any first batch takes (loading the model alone takes longer).
    const engine = createServingEngine({ size: 1, jobTimeoutMs: 1 });
    try {
      await engine.ready();
      engine.register("m", { load: () => fraud.bytes });
      const e = await failure(engine.predict("m", randomRows(2000)));
      expect(e).toMatchObject({ code: "timeout", message: expect.stringMatching(/its worker was restarted/) });
      expect(engine.stats().workersStarted).toBe(2);
    } finally {
      await engine.close();
    }
  });

  it("refuses requests past the pending limit as overloaded", async () => {
    const engine = createServingEngine({ size: 1, maxPendingRequests: 2 });
    try {
      engine.register("m", { load: () => fraud.bytes, batching: { maxBatchSize: 64, maxLatencyMs: 100 } });
      await engine.describe("m");
      const waiting = [engine.predict("m", randomRows(1)), engine.predict("m", randomRows(1))];
      expect(await failure(engine.predict("m", randomRows(1)))).toMatchObject({ code: "overloaded" });
      expect((await Promise.all(waiting)).map((p) => p.outputs.length)).toEqual([1, 1]);
    } finally {
      await engine.close();
    }
  });
});
