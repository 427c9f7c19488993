// Runs cut off by a dead kernel (restarted worker, closed tab) are ended as KILLED by the next
// tracking client on this browser, once; runs of a client that is still alive are left alone.
import "fake-indexeddb/auto";
import { IDBFactory } from "fake-indexeddb";
import { describe, expect, it } from "vitest";
import { TrackingClient } from "@/lib/tracking-client/client";
import { memoryLiveness, webLocksLiveness } from "@/lib/tracking-client/liveness";
import { createTrackApi } from "@/lib/tracking-client/notebook-api";

function serverFetch() {
  const sent: { path: string; body: Record<string, unknown> }[] = [];
  let runs = 0;
  const fetch = async (url: string, init: RequestInit = {}) => {
    const path = url.replace(/^.*\/api\/2\.0\/mlflow\//, "");
    const body = init.body ? JSON.parse(String(init.body)) : {};
    sent.push({ path, body });
    if (path === "runs/create") return Response.json({ run: { info: { run_id: String(++runs).padStart(32, "0") } } });
    return Response.json({});
  };
  return { sent, fetch };
}

const options = { context: { signedIn: true }, flushMs: 5, retryBaseMs: 1, reapDelaysMs: [] };

describe("orphaned runs", () => {
  it("a run whose client died is ended KILLED by the next client, exactly once", async () => {
    const { sent, fetch } = serverFetch();
    const indexedDB = new IDBFactory();
    const liveness = memoryLiveness();

    const dead = new TrackingClient({ ...options, fetch, indexedDB, liveness });
    const run = await createTrackApi(dead).start("cut-off", { lr: 0.1 });
    run.logMetric("loss", 0.5, 0);
    await dead.flush(5_000);
    liveness.kill(dead.holderId); // the worker is terminated: no close(), no end
    const alive = new TrackingClient({ ...options, fetch, indexedDB, liveness });
    const kept = await createTrackApi(alive).start("still-running");
    await alive.flush(5_000);

    const next = new TrackingClient({ ...options, fetch, indexedDB, liveness });
    expect(await next.reapOrphans()).toBe(1);
    expect(await next.reapOrphans()).toBe(0); // already ended
    expect(await next.flush(5_000)).toEqual({ pending: 0, uploaded: true });

    const updates = sent.filter((s) => s.path === "runs/update");
    expect(updates).toHaveLength(1);
    expect(updates[0].body).toMatchObject({ run_id: await dead.serverRunId(run.id), status: "KILLED" });
    expect(updates[0].body.end_time).toEqual(expect.any(Number));
    // the live client's run is untouched and still ends normally
    await kept.end();
    await alive.flush(5_000);
    expect(sent.filter((s) => s.path === "runs/update").map((s) => s.body.status)).toEqual(["KILLED", "FINISHED"]);
    await Promise.all([dead.close(), alive.close(), next.close()]);
  });

  it("reaps on its own after the outbox opens, and never its own runs", async () => {
    const { sent, fetch } = serverFetch();
    const indexedDB = new IDBFactory();
    const liveness = memoryLiveness();
    const first = new TrackingClient({ ...options, fetch, indexedDB, liveness });
    await createTrackApi(first).start("mine");
    await first.flush(5_000);
    expect(await first.reapOrphans()).toBe(0);
    await first.close(); // a closed tab releases its hold too

    const second = new TrackingClient({ ...options, fetch, indexedDB, liveness, reapDelaysMs: [0] });
    await expect.poll(() => sent.filter((s) => s.path === "runs/update").length, { timeout: 5_000 }).toBe(1);
    await second.close();
  });

  it("without a way to tell (no Web Locks), nothing is reaped", async () => {
    expect(webLocksLiveness(undefined)).toBeNull();
    const { sent, fetch } = serverFetch();
    const indexedDB = new IDBFactory();
    const a = new TrackingClient({ ...options, fetch, indexedDB, liveness: null });
    await createTrackApi(a).start("open");
    await a.close();
    const b = new TrackingClient({ ...options, fetch, indexedDB, liveness: null });
    expect(await b.reapOrphans()).toBe(0);
    await b.flush(5_000);
    expect(sent.some((s) => s.path === "runs/update")).toBe(false);
    await b.close();
  });
});
