// Batch prediction's pure parts and job store: the CSV read by feature name with each refusal
// naming its row and column, the output columns, owner-only reads, expiry after an hour, the
// per-user running bound, chunks through the backend and a failing model. Over HTTP:
// tests/integration/serving-batch.integration.test.ts.
import { describe, expect, it } from "vitest";
import { BATCH_LIMITS, BatchError, batchJobFor, outputColumns, parseBatchCsv, startBatchJob, type BatchJobs } from "@/lib/server/services/serving/batch";
import type { SessionUser } from "@/lib/server/auth";
import type { ServingBackend } from "@/lib/serving/protocols/answer-request";
import { featureSignature, type ServedModel } from "@/lib/serving/protocols/model";

const ana = { id: "ana", name: "Ana", email: "a@x", role: "student" } as unknown as SessionUser;
const bob = { id: "bob", name: "Bob", email: "b@x", role: "student" } as unknown as SessionUser;

const model: ServedModel = {
  name: "m",
  versions: [
    { version: 1, state: "AVAILABLE", signature: featureSignature({ featureCount: 2 }) },
    { version: 2, state: "AVAILABLE", signature: featureSignature({ featureCount: 2, featureNames: ["a", "b"], outputNames: ["p"] }) },
  ],
};

function backend(calls: number[][][], fail = false): ServingBackend {
  return {
    findModel: (name) => (name === "m" ? model : null),
    predict: async (_m, _v, rows) => {
      calls.push(rows);
      if (fail) throw new Error("model exploded");
      return rows.map((r) => [r[0] * 10 + r[1]]);
    },
  };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe("batch prediction", () => {
  it("reads features by name in the model's order, ids from an id column or row numbers", () => {
    expect(parseBatchCsv("b,id,a,extra\n2,x1,1,z\n4,x2,3,z\n", ["a", "b"])).toEqual({ ids: ["x1", "x2"], rows: [[1, 2], [3, 4]] });
    expect(parseBatchCsv("a,b\n1,2\n", ["a", "b"]).ids).toEqual(["1"]);
  });

  it("refuses what it cannot predict, naming the row and column", () => {
    const refusal = (text: string) => {
      try {
        parseBatchCsv(text, ["a", "b"]);
      } catch (e) {
        expect(e).toBeInstanceOf(BatchError);
        return `${(e as BatchError).status} ${(e as Error).message}`;
      }
      throw new Error("accepted");
    };
    expect(refusal("a,c\n1,2\n")).toMatch(/^400 The CSV has no column "b"; the model's features are: a, b/);
    expect(refusal("a,b\n1,2\n3,abc\n")).toBe('400 Row 2, column "b": "abc" is not a number (every feature must be a finite number)');
    expect(refusal("a,b\nNaN,2\n")).toMatch(/^400 Row 1, column "a": is NaN/);
    expect(refusal("a,b\n1,-Infinity\n")).toMatch(/^400 Row 1, column "b": is -Infinity/);
    expect(refusal("a,b\n1,\n")).toMatch(/^400 Row 1, column "b": is empty/);
    expect(refusal("")).toMatch(/^400 The CSV is empty/);
    expect(refusal("a,b\n")).toMatch(/^400 The CSV has a header but no rows/);
    expect(refusal("a,a\n1,2\n")).toMatch(/duplicate column/);
  });

  it("names output columns by the signature", () => {
    expect(outputColumns(model.versions[1])).toEqual(["p"]);
    expect(outputColumns({ version: 3, state: "AVAILABLE", signature: featureSignature({ featureCount: 2, outputNames: ["probs"], outputWidth: 3 }) })).toEqual(["probs_0", "probs_1", "probs_2"]);
  });

  it("predicts in chunks, keeps the CSV for the owner only, forgets the job after an hour", async () => {
    const store: BatchJobs = { jobs: new Map() };
    const calls: number[][][] = [];
    const n = BATCH_LIMITS.chunkRows * 2 + 5;
    const csv = `a,b\n${Array.from({ length: n }, (_, i) => `${i},1`).join("\n")}\n`;
    const job = await startBatchJob({ user: ana, backend: backend(calls), model: "m", csv }, store, 1000);
    expect(job).toMatchObject({ version: 2, total: n, state: "running" });
    for (let i = 0; i < 20 && job.state === "running"; i++) await settle();
    expect(job.state).toBe("done");
    expect(calls.map((c) => c.length)).toEqual([BATCH_LIMITS.chunkRows, BATCH_LIMITS.chunkRows, 5]);
    const lines = job.csv!.trim().split("\n");
    expect(lines[0]).toBe("id,p");
    expect(lines[1]).toBe("1,1");
    expect(lines[n]).toBe(`${n},${(n - 1) * 10 + 1}`);
    expect(batchJobFor(ana, job.id, store, 1000)).toBe(job);
    expect(batchJobFor(bob, job.id, store, 1000)).toBeNull();
    expect(batchJobFor(ana, job.id, store, 1000 + BATCH_LIMITS.ttlMs - 1)).toBe(job);
    expect(batchJobFor(ana, job.id, store, 1000 + BATCH_LIMITS.ttlMs)).toBeNull();
    expect(store.jobs.size).toBe(0);
  });

  it("a failing model fails the job with its message; a version without feature names or an unknown model is refused", async () => {
    const store: BatchJobs = { jobs: new Map() };
    const job = await startBatchJob({ user: ana, backend: backend([], true), model: "m", version: 2, csv: "a,b\n1,2\n" }, store);
    for (let i = 0; i < 20 && job.state === "running"; i++) await settle();
    expect(job).toMatchObject({ state: "failed", error: "model exploded", csv: null });
    await expect(startBatchJob({ user: ana, backend: backend([]), model: "m", version: 1, csv: "a,b\n1,2\n" }, store)).rejects.toThrow(/no feature names/);
    await expect(startBatchJob({ user: ana, backend: backend([]), model: "zz", csv: "a,b\n1,2\n" }, store)).rejects.toMatchObject({ status: 404 });
  });

  it("bounds running jobs per user", async () => {
    const store: BatchJobs = { jobs: new Map() };
    const never: ServingBackend = { findModel: () => model, predict: () => new Promise(() => {}) };
    for (let i = 0; i < BATCH_LIMITS.runningPerUser; i++) await startBatchJob({ user: ana, backend: never, model: "m", csv: "a,b\n1,2\n" }, store);
    await expect(startBatchJob({ user: ana, backend: never, model: "m", csv: "a,b\n1,2\n" }, store)).rejects.toMatchObject({ status: 429 });
    await expect(startBatchJob({ user: bob, backend: never, model: "m", csv: "a,b\n1,2\n" }, store)).resolves.toMatchObject({ state: "running" });
  });
});
