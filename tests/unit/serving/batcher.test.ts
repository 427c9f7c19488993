// The Batcher alone, with a stand-in for the worker that records each batch it is given.
import { describe, expect, it } from "vitest";
import { Batcher, type BatchOutput } from "@/lib/serving/engine/batcher";

/** Doubles every value; records the batch sizes. */
function recorder(width = 2) {
  const batches: number[] = [];
  const run = async (rows: Float32Array, nRows: number): Promise<BatchOutput> => {
    batches.push(nRows);
    expect(rows.length).toBe(nRows * width);
    return { outputs: rows.map((v) => v * 2), outputWidth: width };
  };
  return { batches, run };
}

const row = (i: number) => new Float32Array([i, i + 0.5]);

describe("Batcher", () => {
  it("merges requests arriving within maxLatencyMs and splits the outputs back per request", async () => {
    const { batches, run } = recorder();
    const b = new Batcher({ maxBatchSize: 64, maxLatencyMs: 5 }, run);
    const outs = await Promise.all([b.add(row(1), 1), b.add(new Float32Array([2, 2.5, 3, 3.5]), 2), b.add(row(4), 1)]);
    expect(batches).toEqual([4]);
    expect(outs.map((o) => Array.from(o.outputs))).toEqual([[2, 3], [4, 5, 6, 7], [8, 9]]);
  });

  it("sends a batch as soon as it is full, without waiting for the timer", async () => {
    const { batches, run } = recorder();
    const b = new Batcher({ maxBatchSize: 3, maxLatencyMs: 10_000 }, run);
    const started = Date.now();
    await Promise.all([0, 1, 2].map((i) => b.add(row(i), 1)));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(batches).toEqual([3]);
  });

  it("never exceeds maxBatchSize rows, and runs an oversized request alone", async () => {
    const { batches, run } = recorder();
    const b = new Batcher({ maxBatchSize: 4, maxLatencyMs: 1 }, run);
    await Promise.all([b.add(row(0), 1), b.add(new Float32Array(12), 6), b.add(row(1), 1), b.add(row(2), 1), b.add(row(3), 1), b.add(row(4), 1)]);
    expect(batches).toEqual([1, 6, 4]);
  });

  it("maxBatchSize 1 runs every request on its own", async () => {
    const { batches, run } = recorder();
    const b = new Batcher({ maxBatchSize: 1, maxLatencyMs: 50 }, run);
    await Promise.all([0, 1, 2, 3].map((i) => b.add(row(i), 1)));
    expect(batches).toEqual([1, 1, 1, 1]);
  });

  it("a failed batch rejects every request in it, and only those", async () => {
    let calls = 0;
    const b = new Batcher({ maxBatchSize: 2, maxLatencyMs: 1 }, async (rows, nRows) => {
      if (calls++ === 0) throw new Error("boom");
      return { outputs: rows, outputWidth: rows.length / nRows };
    });
    const results = await Promise.allSettled([b.add(row(0), 1), b.add(row(1), 1), b.add(row(2), 1)]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected", "fulfilled"]);
  });

  it("a merged batch that fails for one request's rows is run again request by request, when told to", async () => {
    const batches: number[] = [];
    const run = async (rows: Float32Array, nRows: number): Promise<BatchOutput> => {
      batches.push(nRows);
      if (rows.includes(-1)) throw new Error("bad row");
      return { outputs: rows, outputWidth: 2 };
    };
    const b = new Batcher({ maxBatchSize: 8, maxLatencyMs: 5 }, run, (e) => (e as Error).message === "bad row");
    const results = await Promise.allSettled([b.add(row(1), 1), b.add(new Float32Array([-1, 0]), 1), b.add(row(3), 1)]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(batches).toEqual([3, 1, 1, 1]);
  });

  it("failAll answers what waits", async () => {
    const { batches, run } = recorder();
    const b = new Batcher({ maxBatchSize: 64, maxLatencyMs: 10_000 }, run);
    const waiting = b.add(row(0), 1);
    expect(b.waiting).toBe(1);
    b.failAll(new Error("removed"));
    await expect(waiting).rejects.toThrow("removed");
    expect(batches).toEqual([]);
  });
});
