// The REST write hot path on SQLite and PostgreSQL: the JSON metric insert (exact values, order),
// group-committed log-metric (one statement for concurrent requests, a failing one fails alone),
// and the token / run caches (invalidated at once, also for requests already in flight).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, insertUser, testProviders, type TestDb } from "./helpers/test-db";
import { dbProvider, type Db } from "@/lib/server/db";
import type { SessionUser } from "@/lib/server/auth";
import { handleMlflowRequest } from "@/lib/server/services/tracking/mlflow-rest";
import { logBatch, logMetric } from "@/lib/server/services/tracking/logging";
import { getMetricHistory } from "@/lib/server/services/tracking/metrics";
import { createRun, deleteRun } from "@/lib/server/services/tracking/runs";
import { authenticateToken, createToken, revokeToken } from "@/lib/server/services/tokens";

/** A client wrapper (its own cache key) that counts raw statements and transactions and can hold one model read. */
function wrap(db: Db, hold?: { model: "apiToken" | "run"; method: "findUnique"; until: Promise<void> }) {
  const counts = { executeRaw: 0, queryRaw: 0, transaction: 0 };
  const bind = (t: object, p: string | symbol) => {
    const v = Reflect.get(t, p);
    return typeof v === "function" ? v.bind(t) : v;
  };
  const proxy = new Proxy(db, {
    get(t, p) {
      if (p === "$executeRaw") return (...a: Parameters<Db["$executeRaw"]>) => (counts.executeRaw++, t.$executeRaw(...a));
      if (p === "$queryRaw") return (...a: Parameters<Db["$queryRaw"]>) => (counts.queryRaw++, t.$queryRaw(...a));
      if (p === "$transaction") return (...a: unknown[]) => (counts.transaction++, (t.$transaction as (...x: unknown[]) => unknown)(...a));
      if (hold && p === hold.model) {
        const model = Reflect.get(t, p) as object;
        return new Proxy(model, {
          get(m, q) {
            if (q !== hold.method) return bind(m, q);
            return async (args: unknown) => {
              const row = await (m as Record<string, (a: unknown) => Promise<unknown>>)[hold.method](args);
              await hold.until;
              return row;
            };
          },
        });
      }
      return bind(t, p);
    },
  });
  return { db: proxy as Db, counts };
}

function gate() {
  let open!: () => void;
  const until = new Promise<void>((r) => (open = r));
  return { until, open };
}

describe.each(testProviders)("tracking write path on %s", (provider) => {
  let t: TestDb;
  let ana: SessionUser;
  beforeAll(async () => {
    t = await createTestDb(provider);
    ana = await insertUser(t.db, "student", "Ana");
  });
  afterAll(async () => t?.drop());
  const ctxOn = (db: Db) => ({ db, user: ana });
  const newRun = async (db: Db = t.db) => (await createRun(ctxOn(db), { runName: "r" })).info.runId;

  it("knows the provider of a client, wrapped or not", () => {
    expect(dbProvider(t.db)).toBe(provider);
    expect(dbProvider(wrap(t.db).db)).toBe(provider);
  });

  it("stores metric values exactly and keeps the logged order of equal (step, timestamp) points", async () => {
    const runId = await newRun();
    const buf = new DataView(new ArrayBuffer(8));
    const values = [0.1 + 0.2, 1 / 3, 1.2345678901234567e299, Number.MIN_VALUE, 2.2250738585072014e-308, -0, 123456789012345680000, 5e-324 * 12345, NaN, Infinity, -Infinity, 7];
    for (let i = 0; i < 300; i++) {
      buf.setUint32(0, (Math.random() * 2 ** 32) >>> 0);
      buf.setUint32(4, (Math.random() * 2 ** 32) >>> 0);
      const x = buf.getFloat64(0);
      if (Number.isFinite(x) && Math.abs(x) < 1e300) values.push(x); // ≥ the infinity sentinel reads back as ±Infinity (values.ts)
    }
    // without a batch id, and with one (on PostgreSQL, the statement that also writes the receipt)
    for (const [key, batchId] of [["v", null], ["w", "exact-w"]] as const) {
      await logBatch(ctxOn(t.db), { runId, metrics: values.map((value) => ({ key, value, timestamp: 5, step: 1 })), batchId });
      const { metrics } = await getMetricHistory(ctxOn(t.db), { runId, key });
      expect(metrics.map((m) => m.value)).toEqual(values.map((v) => (Object.is(v, -0) ? 0 : v)));
      expect(metrics.every((m) => m.step === 1 && m.timestamp === 5)).toBe(true);
    }
  });

  it("a metrics-only batch with a batch id is one statement on PostgreSQL (no interactive transaction), applied once, all or nothing", async () => {
    const { db, counts } = wrap(t.db);
    const runId = await newRun(db);
    const gone = await newRun(db);
    const metrics = Array.from({ length: 1000 }, (_, i) => ({ key: `m${i % 10}`, value: i, timestamp: 7, step: Math.floor(i / 10) }));
    for (const id of [runId, gone]) await logMetric(ctxOn(db), { runId: id, key: "warm", value: 0, timestamp: 1, step: 0 }); // runs now cached
    counts.queryRaw = counts.transaction = 0;
    expect(await logBatch(ctxOn(db), { runId, metrics, batchId: "one-statement" })).toEqual({ applied: true });
    if (provider === "postgresql") expect(counts).toMatchObject({ queryRaw: 1, transaction: 0 });
    expect(await logBatch(ctxOn(db), { runId, metrics, batchId: "one-statement" })).toEqual({ applied: false });
    expect(await t.db.metric.count({ where: { runId, key: { startsWith: "m" } } })).toBe(1000);
    const { metrics: m3 } = await getMetricHistory(ctxOn(t.db), { runId, key: "m3" });
    expect(m3.map((m) => [m.step, m.value])).toEqual(Array.from({ length: 100 }, (_, s) => [s, s * 10 + 3]));
    await expect(logBatch(ctxOn(db), { runId: gone, metrics, batchId: "one-statement" })).rejects.toThrow(/already used for another run/);
    // A batch the database refuses (its run removed behind the cache's back) leaves no receipt, so a retry is not swallowed.
    await t.db.run.delete({ where: { id: gone } });
    await expect(logBatch(ctxOn(db), { runId: gone, metrics, batchId: "refused" })).rejects.toThrow();
    expect(await t.db.logBatchReceipt.count({ where: { id: `${ana.id}:refused` } })).toBe(0);
  });

  it("writes concurrent log-metric calls with one statement, each answering after it committed", async () => {
    const { db, counts } = wrap(t.db);
    const runId = await newRun(db);
    await logMetric(ctxOn(db), { runId, key: "warm", value: 0, timestamp: 1, step: 0 }); // run now cached
    counts.executeRaw = 0;
    await Promise.all(Array.from({ length: 40 }, (_, i) => logMetric(ctxOn(db), { runId, key: "loss", value: i / 10, timestamp: 1000 + i, step: i })));
    expect(counts.executeRaw).toBe(1);
    const { metrics } = await getMetricHistory(ctxOn(t.db), { runId, key: "loss" });
    expect(metrics.map((m) => [m.step, m.value, m.timestamp])).toEqual(Array.from({ length: 40 }, (_, i) => [i, i / 10, 1000 + i]));
  });

  it("a request whose row the database refuses fails alone; the others in its group commit", async () => {
    const { db, counts } = wrap(t.db);
    const good = await newRun(db);
    const gone = await newRun(db);
    for (const runId of [good, gone]) await logMetric(ctxOn(db), { runId, key: "warm", value: 0, timestamp: 1, step: 0 });
    // Removed behind the cache's back (as another process would): the write check still passes
    // from the cache, the insert then breaks the foreign key.
    await t.db.run.delete({ where: { id: gone } });
    counts.executeRaw = 0;
    const results = await Promise.allSettled([
      ...[1, 2, 3].map((step) => logMetric(ctxOn(db), { runId: good, key: "acc", value: step, timestamp: 1, step })),
      logMetric(ctxOn(db), { runId: gone, key: "acc", value: 9, timestamp: 1, step: 9 }),
      logMetric(ctxOn(db), { runId: good, key: "acc", value: 4, timestamp: 1, step: 4 }),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "fulfilled", "rejected", "fulfilled"]);
    expect(counts.executeRaw).toBe(1 + 5); // the group, then each alone
    expect(await t.db.metric.count({ where: { runId: good, key: "acc" } })).toBe(4);
    expect(await t.db.metric.count({ where: { runId: gone } })).toBe(0);
  });

  it("a token revoked while its lookup is in flight is not cached back", async () => {
    const g = gate();
    const { db } = wrap(t.db, { model: "apiToken", method: "findUnique", until: g.until });
    const { id, token } = await createToken({ db: t.db, user: ana }, { name: "race" });
    const inFlight = authenticateToken(db, token); // reads the row (not yet revoked), then waits
    await new Promise((r) => setTimeout(r, 50));
    await revokeToken({ db, user: ana }, { id });
    g.open();
    expect((await inFlight)?.id).toBe(ana.id); // it started before the revocation
    expect(await authenticateToken(db, token)).toBeNull();
  });

  it("a run deleted while a write check is in flight refuses the next write at once", async () => {
    const g = gate();
    const { db } = wrap(t.db, { model: "run", method: "findUnique", until: g.until });
    const runId = await newRun(t.db);
    const inFlight = logMetric(ctxOn(db), { runId, key: "a", value: 1, timestamp: 1, step: 0 }); // reads the run as active, then waits
    await new Promise((r) => setTimeout(r, 50));
    await deleteRun(ctxOn(db), runId);
    g.open();
    await inFlight;
    await expect(logMetric(ctxOn(db), { runId, key: "a", value: 2, timestamp: 2, step: 0 })).rejects.toThrow(/must be in the 'active' state. Current state is deleted/);
  });

  it("over REST, with the caches warm: a FINISHED run still takes metrics (as in MLflow), a deleted one refuses them, a restored one takes them again", async () => {
    const { token } = await createToken({ db: t.db, user: ana }, { name: "rest" });
    const call = async (path: string, body: unknown) => {
      const res = await handleMlflowRequest(
        new Request(`http://localhost/api/2.0/mlflow/${path}`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(body) }),
        { db: t.db },
      );
      return { status: res.status, json: (await res.json()) as Record<string, unknown> };
    };
    const run_id = await newRun();
    const metric = (step: number) => ({ run_id, key: "m", value: step, timestamp: 1, step });
    expect((await call("runs/log-metric", metric(1))).status).toBe(200);
    expect((await call("runs/update", { run_id, status: "FINISHED", end_time: 2 })).status).toBe(200);
    expect((await call("runs/log-metric", metric(2))).status).toBe(200);
    expect(await call("runs/delete", { run_id })).toEqual({ status: 200, json: {} });
    expect(await call("runs/log-metric", metric(3))).toEqual({
      status: 400,
      json: { error_code: "INVALID_PARAMETER_VALUE", message: `The run ${run_id} must be in the 'active' state. Current state is deleted.` },
    });
    expect((await call("runs/log-batch", { run_id, metrics: [metric(4)] })).status).toBe(400);
    expect((await call("runs/restore", { run_id })).status).toBe(200);
    expect((await call("runs/log-metric", metric(5))).status).toBe(200);
    const rows = await t.db.metric.findMany({ where: { runId: run_id }, select: { step: true }, orderBy: { id: "asc" } });
    expect(rows.map((r) => Number(r.step))).toEqual([1, 2, 5]);
  });
});
