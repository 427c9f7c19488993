// The tracking client's batching and the track API's call-site checks, with a recording fetch
// (no server): batch sizes stay inside MLflow's limits, each batch keeps its id across retries,
// default steps count per key.
import "fake-indexeddb/auto";
import { IDBFactory } from "fake-indexeddb";
import { describe, expect, it } from "vitest";
import { TrackingClient } from "@/lib/tracking-client/client";
import { createTrackApi } from "@/lib/tracking-client/notebook-api";

interface Sent {
  path: string;
  batchId: string | null;
  body: { metrics?: unknown[]; params?: unknown[]; tags?: unknown[] } & Record<string, unknown>;
}

function recordingFetch(failFirstBatchTimes = 0) {
  const sent: Sent[] = [];
  let batchFailures = 0;
  const fetch = async (url: string, init: RequestInit = {}) => {
    const path = url.replace(/^.*\/api\/2\.0\/mlflow\//, "");
    const headers = new Headers(init.headers);
    const body = init.body ? JSON.parse(String(init.body)) : {};
    sent.push({ path, batchId: headers.get("x-cuaderno-batch-id"), body });
    if (path === "runs/create") return Response.json({ run: { info: { run_id: "a".repeat(32) } } });
    if (path === "runs/log-batch" && batchFailures < failFirstBatchTimes) {
      batchFailures++;
      return Response.json({ error_code: "INTERNAL_ERROR", message: "db restarting" }, { status: 503 });
    }
    return Response.json({});
  };
  return { sent, fetch };
}

describe("tracking client batching", () => {
  it("splits big flushes within MLflow's limits, in order, one id per batch", async () => {
    const { sent, fetch } = recordingFetch();
    const client = new TrackingClient({ fetch, indexedDB: new IDBFactory(), context: { signedIn: true }, flushMs: 10_000, maxBatchPoints: 1_000_000, retryBaseMs: 1 });
    const track = createTrackApi(client);
    const run = await track.start("big");
    const params: Record<string, number> = {};
    for (let i = 0; i < 150; i++) params[`p${i}`] = i;
    run.logParams(params);
    for (let i = 0; i < 450; i++) run.logMetric("x", i);
    await run.end();
    expect(await client.flush(5_000)).toEqual({ pending: 0, uploaded: true });
    const batches = sent.filter((s) => s.path === "runs/log-batch");
    expect(batches.length).toBeGreaterThanOrEqual(2);
    for (const b of batches) {
      expect(b.body.params!.length).toBeLessThanOrEqual(100);
      expect(b.body.metrics!.length + b.body.params!.length + b.body.tags!.length).toBeLessThanOrEqual(1000);
    }
    expect(new Set(batches.map((b) => b.batchId)).size).toBe(batches.length);
    const steps = batches.flatMap((b) => (b.body.metrics as { step: number }[]).map((m) => m.step));
    expect(steps).toEqual(Array.from({ length: 450 }, (_, i) => i)); // default steps count per key, in order
    expect(batches.flatMap((b) => b.body.params!).length).toBe(150);
    expect(sent.at(-1)?.path).toBe("runs/update");
    await client.close();
  });

  it("retries a refused (503) batch with the same batch id", async () => {
    const { sent, fetch } = recordingFetch(3);
    const client = new TrackingClient({ fetch, indexedDB: new IDBFactory(), context: { signedIn: true }, flushMs: 5, retryBaseMs: 1, retryMaxMs: 5 });
    await createTrackApi(client).run("retry", {}, (run) => run.logMetric("m", 1, 0));
    expect(await client.flush(5_000)).toEqual({ pending: 0, uploaded: true });
    const ids = sent.filter((s) => s.path === "runs/log-batch").map((s) => s.batchId);
    expect(ids).toHaveLength(4);
    expect(new Set(ids).size).toBe(1);
    await client.close();
  });

  it("checks names, values and params at the call", async () => {
    const { fetch } = recordingFetch();
    const client = new TrackingClient({ fetch, indexedDB: new IDBFactory(), context: { signedIn: false } });
    const track = createTrackApi(client);
    const run = await track.start("checks", { lr: 0.1 });
    expect(() => run.logMetric("ok/key.1", 1)).not.toThrow();
    expect(() => run.logMetric("no!", 1)).toThrow(/invalid metric name/);
    expect(() => run.logMetric("v", "abc")).toThrow(/must be a number/);
    expect(() => run.logParam("lr", 0.2)).toThrow(/already logged/);
    expect(() => run.logParam("lr", 0.1)).not.toThrow();
    await expect(track.run("x", {} as never)).rejects.toThrow(/needs a function/);
    await run.end();
    expect(() => run.logMetric("late", 1)).toThrow(/has ended/);
    await client.close();
  });
});
