// The MLflow REST 2.0 API through handleMlflowRequest with raw Requests in MLflow's shapes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, insertUser, testProviders, type TestDb } from "./helpers/test-db";
import type { SessionUser } from "@/lib/server/auth";
import type { Db } from "@/lib/server/db";
import { handleMlflowRequest } from "@/lib/server/services/tracking/mlflow-rest";
import { createToken, revokeToken } from "@/lib/server/services/tokens";

describe.each(testProviders)("MLflow REST API on %s", (provider) => {
  let t: TestDb;
  let ana: SessionUser, bob: SessionUser;
  let anaToken: string, bobToken: string;

  async function call(method: "GET" | "POST", path: string, opts: { token?: string | null; body?: unknown; query?: Record<string, string>; headers?: Record<string, string>; db?: Db; raw?: string } = {}) {
    const url = new URL(`http://localhost/api/2.0/mlflow/${path}`);
    for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
    const token = opts.token === undefined ? anaToken : opts.token;
    const headers: Record<string, string> = { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}), ...(opts.headers ?? {}) };
    const body = opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
    const res = await handleMlflowRequest(new Request(url, { method, headers, body }), { db: opts.db ?? t.db });
    return { status: res.status, json: (await res.json()) as Record<string, any> };
  }
  const newRun = async (token = anaToken, extra: Record<string, unknown> = {}) => {
    const r = await call("POST", "runs/create", { token, body: { experiment_id: expId, start_time: 1000, ...extra } });
    expect(r.status).toBe(200);
    return r.json.run.info.run_id as string;
  };
  let expId: string;

  beforeAll(async () => {
    t = await createTestDb(provider);
    ana = await insertUser(t.db, "student", "Ana");
    bob = await insertUser(t.db, "student", "Bob");
    anaToken = (await createToken({ db: t.db, user: ana }, { name: "laptop" })).token;
    bobToken = (await createToken({ db: t.db, user: bob }, { name: "bob" })).token;
    const r = await call("POST", "experiments/create", { body: { name: "mnist", tags: [{ key: "course", value: "mlops" }] } });
    expect(r.status).toBe(200);
    expId = r.json.experiment_id;
  });
  afterAll(async () => t?.drop());

  it("creates and reads experiments in MLflow's shapes, with MLflow's errors", async () => {
    expect(expId).toMatch(/^\d+$/);
    const got = await call("GET", "experiments/get", { query: { experiment_id: expId } });
    expect(got.status).toBe(200);
    expect(got.json.experiment).toMatchObject({
      experiment_id: expId,
      name: "mnist",
      artifact_location: `mlflow-artifacts:/${expId}`,
      lifecycle_stage: "active",
      tags: [{ key: "course", value: "mlops" }],
    });
    expect(typeof got.json.experiment.creation_time).toBe("number");
    expect((await call("GET", "experiments/get-by-name", { query: { experiment_name: "mnist" } })).json.experiment.experiment_id).toBe(expId);

    const dup = await call("POST", "experiments/create", { body: { name: "mnist" } });
    expect(dup).toMatchObject({ status: 400, json: { error_code: "RESOURCE_ALREADY_EXISTS" } });
    expect(await call("GET", "experiments/get", { query: { experiment_id: "999999" } })).toMatchObject({ status: 404, json: { error_code: "RESOURCE_DOES_NOT_EXIST" } });
    expect(await call("POST", "experiments/create", { body: {} })).toMatchObject({ status: 400, json: { error_code: "INVALID_PARAMETER_VALUE" } });
    expect(await call("GET", "experiments/get", { token: bobToken, query: { experiment_id: expId } })).toMatchObject({ status: 404 });

    const search = await call("POST", "experiments/search", { body: { filter: "name LIKE 'mni%'", max_results: 10 } });
    expect(search.json.experiments.map((e: { name: string }) => e.name)).toEqual(["mnist"]);
  });

  it("rejects unknown endpoints, wrong methods, bad JSON and missing auth", async () => {
    expect(await call("GET", "runs/teleport")).toMatchObject({ status: 404, json: { error_code: "ENDPOINT_NOT_FOUND" } });
    expect((await call("GET", "runs/log-metric")).status).toBe(405);
    expect(await call("POST", "runs/log-metric", { raw: "{not json" })).toMatchObject({ status: 400, json: { error_code: "INVALID_PARAMETER_VALUE" } });
    expect(await call("GET", "experiments/search", { token: null })).toMatchObject({ status: 401, json: { error_code: "UNAUTHENTICATED" } });
    expect(await call("GET", "experiments/search", { token: "cdn_forged" })).toMatchObject({ status: 401, json: { error_code: "UNAUTHENTICATED" } });
  });

  it("creates, logs to, updates and reads a run", async () => {
    const created = await call("POST", "runs/create", {
      body: { experiment_id: expId, run_name: "baseline", start_time: 1700000000000, tags: [{ key: "cuaderno.backend", value: "webgl" }], cuaderno: { seed: 42, dataset_name: "mnist", dataset_hash: "abc", source: "model.fit(x, y)" } },
    });
    expect(created.status).toBe(200);
    const info = created.json.run.info;
    expect(info).toMatchObject({ experiment_id: expId, run_name: "baseline", user_id: ana.id, status: "RUNNING", start_time: 1700000000000, lifecycle_stage: "active" });
    expect(info.run_id).toMatch(/^[0-9a-f]{32}$/);
    expect(info.run_uuid).toBe(info.run_id);
    expect(info.artifact_uri).toBe(`mlflow-artifacts:/${expId}/${info.run_id}/artifacts`);
    const run_id = info.run_id;

    for (const [step, value] of [[0, 0.5], [1, 0.7], [2, 0.9]]) {
      expect(await call("POST", "runs/log-metric", { body: { run_id, key: "acc", value, timestamp: 1700000000000 + step, step } })).toEqual({ status: 200, json: {} });
    }
    for (const [key, value, step] of [["loss", "NaN", 0], ["grad", "-Infinity", 0], ["grad", "Infinity", 1]] as const) {
      expect(await call("POST", "runs/log-metric", { body: { run_id, key, value, timestamp: step + 1, step } })).toEqual({ status: 200, json: {} });
    }
    expect(await call("POST", "runs/log-parameter", { body: { run_id, key: "lr", value: "0.01" } })).toEqual({ status: 200, json: {} });
    expect(await call("POST", "runs/log-parameter", { body: { run_id, key: "lr", value: "0.01" } })).toEqual({ status: 200, json: {} });
    const changed = await call("POST", "runs/log-parameter", { body: { run_id, key: "lr", value: "0.1" } });
    expect(changed).toMatchObject({ status: 400, json: { error_code: "INVALID_PARAMETER_VALUE" } });
    expect(changed.json.message).toMatch(/Changing param values is not allowed/);
    await call("POST", "runs/set-tag", { body: { run_id, key: "note", value: "first" } });
    await call("POST", "runs/set-tag", { body: { run_id, key: "note", value: "second" } });

    const upd = await call("POST", "runs/update", { body: { run_id, status: "FINISHED", end_time: 1700000005000 } });
    expect(upd.json.run_info).toMatchObject({ run_id, status: "FINISHED", end_time: 1700000005000 });
    expect(await call("POST", "runs/update", { body: { run_id, status: "DONE" } })).toMatchObject({ status: 400, json: { error_code: "INVALID_PARAMETER_VALUE" } });

    const got = await call("GET", "runs/get", { query: { run_id } });
    const data = got.json.run.data;
    expect(data.metrics).toEqual([
      { key: "acc", value: 0.9, timestamp: 1700000000002, step: 2 },
      { key: "grad", value: "Infinity", timestamp: 2, step: 1 },
      { key: "loss", value: "NaN", timestamp: 1, step: 0 },
    ]);
    expect(data.params).toEqual([{ key: "lr", value: "0.01" }]);
    expect(data.tags).toEqual(expect.arrayContaining([{ key: "note", value: "second" }, { key: "mlflow.runName", value: "baseline" }, { key: "cuaderno.backend", value: "webgl" }]));

    const hist = await call("GET", "metrics/get-history", { query: { run_id, metric_key: "acc" } });
    expect(hist.json.metrics.map((m: { value: number }) => m.value)).toEqual([0.5, 0.7, 0.9]);
    const grad = await call("GET", "metrics/get-history", { query: { run_id, metric_key: "grad" } });
    expect(grad.json.metrics.map((m: { value: unknown }) => m.value)).toEqual(["-Infinity", "Infinity"]);
    const page = await call("GET", "metrics/get-history", { query: { run_id, metric_key: "acc", max_results: "2" } });
    expect(page.json.metrics).toHaveLength(2);
    const rest = await call("GET", "metrics/get-history", { query: { run_id, metric_key: "acc", page_token: page.json.next_page_token } });
    expect(rest.json.metrics.map((m: { step: number }) => m.step)).toEqual([2]);

    const row = await t.db.run.findUnique({ where: { id: run_id }, select: { seed: true, backend: true, datasetHash: true, source: true } });
    expect(row).toEqual({ seed: 42, backend: "webgl", datasetHash: "abc", source: "model.fit(x, y)" });
  });

  it("validates metrics, keys and log-batch limits like MLflow", async () => {
    const run_id = await newRun();
    const bad = [
      { run_id, key: "acc", value: "high", timestamp: 1 },
      { run_id, key: "acc", value: 1 },
      { run_id, key: "../etc", value: 1, timestamp: 1 },
      { run_id, key: "k".repeat(251), value: 1, timestamp: 1 },
    ];
    for (const body of bad) expect(await call("POST", "runs/log-metric", { body })).toMatchObject({ status: 400, json: { error_code: "INVALID_PARAMETER_VALUE" } });
    expect(await call("POST", "runs/log-parameter", { body: { run_id, key: "big", value: "x".repeat(6001) } })).toMatchObject({ status: 400 });
    expect((await call("POST", "runs/log-parameter", { body: { run_id, key: "big", value: "x".repeat(6000) } })).status).toBe(200);
    const m = (n: number) => Array.from({ length: n }, (_, i) => ({ key: "m", value: i, timestamp: i, step: i }));
    const p = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `p${i}`, value: "v" }));
    for (const body of [{ run_id, metrics: m(1001) }, { run_id, params: p(101) }, { run_id, tags: p(101) }, { run_id, metrics: m(950), params: p(51) }]) {
      const r = await call("POST", "runs/log-batch", { body });
      expect(r).toMatchObject({ status: 400, json: { error_code: "INVALID_PARAMETER_VALUE" } });
      expect(r.json.message).toMatch(/at most/);
    }
    expect(await t.db.metric.count({ where: { runId: run_id } })).toBe(0);
    expect(await call("POST", "runs/log-metric", { body: { run_id: "0".repeat(32), key: "a", value: 1, timestamp: 1 } })).toMatchObject({ status: 404, json: { error_code: "RESOURCE_DOES_NOT_EXIST" } });
  });

  it("logs a 1,000-entity batch atomically; a conflicting param rejects the whole batch", async () => {
    const run_id = await newRun();
    const metrics = Array.from({ length: 900 }, (_, i) => ({ key: i % 2 ? "loss" : "acc", value: i / 1000, timestamp: 1000 + i, step: i }));
    const params = Array.from({ length: 50 }, (_, i) => ({ key: `p${i}`, value: String(i) }));
    const tags = Array.from({ length: 50 }, (_, i) => ({ key: `t${i}`, value: String(i) }));
    expect(await call("POST", "runs/log-batch", { body: { run_id, metrics, params, tags } })).toEqual({ status: 200, json: {} });
    expect(await t.db.metric.count({ where: { runId: run_id } })).toBe(900);
    const conflict = await call("POST", "runs/log-batch", { body: { run_id, metrics: metrics.slice(0, 10), params: [{ key: "p1", value: "changed" }], tags: [{ key: "t1", value: "new" }] } });
    expect(conflict).toMatchObject({ status: 400, json: { error_code: "INVALID_PARAMETER_VALUE" } });
    expect(await t.db.metric.count({ where: { runId: run_id } })).toBe(900);
    expect((await t.db.runTag.findUnique({ where: { runId_key: { runId: run_id, key: "t1" } } }))?.value).toBe("1");
  });

  it("applies a batch id once: retries (header or body) and concurrent duplicates are no-ops", async () => {
    const run_id = await newRun();
    const metrics = Array.from({ length: 100 }, (_, i) => ({ key: "acc", value: i, timestamp: i, step: i }));
    const batchId = "0f8fad5b-d9cb-469f-a165-70867728950e";
    const send = (how: "header" | "body") =>
      call("POST", "runs/log-batch", how === "header" ? { body: { run_id, metrics }, headers: { "X-Cuaderno-Batch-Id": batchId } } : { body: { run_id, metrics, batch_id: batchId } });
    expect(await send("header")).toEqual({ status: 200, json: {} });
    expect(await send("body")).toEqual({ status: 200, json: {} });
    expect(await send("header")).toEqual({ status: 200, json: {} });
    expect(await t.db.metric.count({ where: { runId: run_id } })).toBe(100);

    const concurrent = await Promise.all(Array.from({ length: 4 }, () => call("POST", "runs/log-batch", { body: { run_id, metrics, batch_id: "concurrent-1" } })));
    expect(concurrent.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(await t.db.metric.count({ where: { runId: run_id } })).toBe(200);
    expect(await t.db.logBatchReceipt.count({ where: { runId: run_id } })).toBe(2);

    // log-metric with a batch id is idempotent too
    for (let i = 0; i < 3; i++) await call("POST", "runs/log-metric", { body: { run_id, key: "one", value: 1, timestamp: 1 }, headers: { "x-cuaderno-batch-id": "single-1" } });
    expect(await t.db.metric.count({ where: { runId: run_id, key: "one" } })).toBe(1);

    // the same id for another run is refused rather than silently dropped
    const other = await newRun();
    expect(await call("POST", "runs/log-batch", { body: { run_id: other, metrics, batch_id: batchId } })).toMatchObject({ status: 400 });
    expect(await call("POST", "runs/log-batch", { body: { run_id, metrics }, headers: { "x-cuaderno-batch-id": "a" }, raw: JSON.stringify({ run_id, metrics, batch_id: "b" }) })).toMatchObject({ status: 400 });
  });

  it("a request dropped mid-transaction leaves nothing behind, and its retry applies exactly once", async () => {
    const run_id = await newRun();
    let failures = 1;
    // The connection "drops" after the receipt and params were written, while inserting metrics.
    const flaky = new Proxy(t.db, {
      get(target, prop) {
        if (prop === "$transaction") {
          return (fn: (tx: unknown) => Promise<unknown>) =>
            target.$transaction((tx) =>
              fn(
                new Proxy(tx, {
                  get(txTarget, p) {
                    if (p === "$executeRaw" && failures > 0) {
                      return async () => {
                        failures--;
                        throw new Error("Connection terminated unexpectedly");
                      };
                    }
                    const v = Reflect.get(txTarget, p);
                    return typeof v === "function" ? v.bind(txTarget) : v;
                  },
                }),
              ),
            );
        }
        const v = Reflect.get(target, prop);
        return typeof v === "function" ? v.bind(target) : v;
      },
    }) as Db;
    const body = { run_id, batch_id: "dropped-1", metrics: [{ key: "acc", value: 0.5, timestamp: 1, step: 0 }], params: [{ key: "lr", value: "0.1" }] };
    const first = await call("POST", "runs/log-batch", { body, db: flaky });
    expect(first.status).toBe(500);
    expect(failures).toBe(0); // the failure really happened inside the transaction
    expect(await t.db.logBatchReceipt.count({ where: { runId: run_id } })).toBe(0);
    expect(await t.db.param.count({ where: { runId: run_id } })).toBe(0);
    expect(await t.db.metric.count({ where: { runId: run_id } })).toBe(0);
    expect((await call("POST", "runs/log-batch", { body, db: flaky })).status).toBe(200);
    expect((await call("POST", "runs/log-batch", { body })).status).toBe(200);
    expect(await t.db.metric.count({ where: { runId: run_id } })).toBe(1);
    expect(await t.db.param.count({ where: { runId: run_id } })).toBe(1);
  });

  it("searches runs with MLflow's filter and order_by, paginated", async () => {
    const e = await call("POST", "experiments/create", { body: { name: "search-me" } });
    const experiment_id = e.json.experiment_id;
    const mk = async (name: string, acc: number, lr: string, status: string, start: number) => {
      const r = await call("POST", "runs/create", { body: { experiment_id, run_name: name, start_time: start } });
      const run_id = r.json.run.info.run_id;
      await call("POST", "runs/log-batch", { body: { run_id, metrics: [{ key: "acc", value: acc / 2, timestamp: 1, step: 0 }, { key: "acc", value: acc, timestamp: 2, step: 1 }], params: [{ key: "lr", value: lr }], tags: [{ key: "x", value: name === "c" ? "y" : "z" }] } });
      await call("POST", "runs/update", { body: { run_id, status } });
      return run_id;
    };
    await mk("a", 0.95, "0.01", "FINISHED", 1);
    await mk("b", 0.92, "0.01", "FINISHED", 2);
    await mk("c", 0.97, "0.01", "FINISHED", 3);
    await mk("d", 0.99, "0.1", "FAILED", 4);
    const names = (r: { json: Record<string, any> }) => (r.json.runs as { info: { run_name: string } }[]).map((x) => x.info.run_name);

    const r1 = await call("POST", "runs/search", {
      body: { experiment_ids: [experiment_id], filter: "metrics.acc > 0.9 and params.lr = '0.01' and tags.x != 'y' and attributes.status = 'FINISHED'", order_by: ["metrics.acc DESC"] },
    });
    expect(r1.status).toBe(200);
    expect(names(r1)).toEqual(["a", "b"]);
    // filters use the latest value (step 1), not any point: 0.95/2 would match < 0.5
    expect(names(await call("POST", "runs/search", { body: { experiment_ids: [experiment_id], filter: "metrics.acc < 0.5" } }))).toEqual([]);
    expect(names(await call("POST", "runs/search", { body: { experiment_ids: [experiment_id], order_by: ["attributes.start_time ASC"] } }))).toEqual(["a", "b", "c", "d"]);
    expect(names(await call("POST", "runs/search", { body: { experiment_ids: [experiment_id] } }))).toEqual(["d", "c", "b", "a"]);
    expect(names(await call("POST", "runs/search", { body: { experiment_ids: [experiment_id], filter: "attributes.run_name ILIKE 'A'" } }))).toEqual(["a"]);
    // `=` and IN on params, tags and run columns are also answered by the database (search-sql.ts)
    const search = async (filter: string) => names(await call("POST", "runs/search", { body: { experiment_ids: [experiment_id], filter, order_by: ["attributes.run_name ASC"] } }));
    expect(await search("params.lr IN ('0.1', '0.5')")).toEqual(["d"]);
    expect(await search("tags.x = 'z' and params.lr = '0.01'")).toEqual(["a", "b"]);
    expect(await search("attributes.status IN ('FAILED', 'KILLED')")).toEqual(["d"]);
    expect(await search("attributes.run_name = 'c' and tags.x = 'y'")).toEqual(["c"]);
    expect(await search("params.lr = '0.01' and params.missing = '1'")).toEqual([]);
    expect(await search("params.LR = '0.01'")).toEqual([]);
    const d = await call("POST", "runs/search", { body: { experiment_ids: [experiment_id], filter: "attributes.status = 'FAILED'" } });
    expect(await search(`attributes.run_id = '${d.json.runs[0].info.run_id}'`)).toEqual(["d"]);

    const p1 = await call("POST", "runs/search", { body: { experiment_ids: [experiment_id], order_by: ["metrics.acc DESC"], max_results: 3 } });
    expect(names(p1)).toEqual(["d", "c", "a"]);
    const p2 = await call("POST", "runs/search", { body: { experiment_ids: [experiment_id], order_by: ["metrics.acc DESC"], max_results: 3, page_token: p1.json.next_page_token } });
    expect(names(p2)).toEqual(["b"]);
    expect(p2.json.next_page_token).toBeUndefined();

    expect(await call("POST", "runs/search", { body: { experiment_ids: [experiment_id], filter: "metrics.acc >> 1" } })).toMatchObject({ status: 400, json: { error_code: "INVALID_PARAMETER_VALUE" } });
    expect(await call("POST", "runs/search", { body: { experiment_ids: [experiment_id], page_token: "garbage" } })).toMatchObject({ status: 400 });
  });

  it("deletes runs (soft), hides them from search and refuses logging to them", async () => {
    const run_id = await newRun();
    expect(await call("POST", "runs/delete", { body: { run_id } })).toEqual({ status: 200, json: {} });
    expect((await call("GET", "runs/get", { query: { run_id } })).json.run.info.lifecycle_stage).toBe("deleted");
    const active = await call("POST", "runs/search", { body: { experiment_ids: [expId] } });
    expect(active.json.runs.map((r: { info: { run_id: string } }) => r.info.run_id)).not.toContain(run_id);
    const deleted = await call("POST", "runs/search", { body: { experiment_ids: [expId], run_view_type: "DELETED_ONLY" } });
    expect(deleted.json.runs.map((r: { info: { run_id: string } }) => r.info.run_id)).toContain(run_id);
    expect(await call("POST", "runs/log-metric", { body: { run_id, key: "a", value: 1, timestamp: 1 } })).toMatchObject({ status: 400, json: { error_code: "INVALID_PARAMETER_VALUE" } });
  });

  it("a token acts only as its owner; another user's private run is invisible and unwritable", async () => {
    const run_id = await newRun(anaToken);
    expect(await call("GET", "runs/get", { token: bobToken, query: { run_id } })).toMatchObject({ status: 404, json: { error_code: "RESOURCE_DOES_NOT_EXIST" } });
    expect(await call("POST", "runs/log-metric", { token: bobToken, body: { run_id, key: "a", value: 1, timestamp: 1 } })).toMatchObject({ status: 404 });
    expect(await call("GET", "metrics/get-history", { token: bobToken, query: { run_id, metric_key: "a" } })).toMatchObject({ status: 404 });
    // user_id in the body cannot impersonate: the run belongs to the token's owner
    const made = await call("POST", "runs/create", { token: bobToken, body: { user_id: ana.id } });
    expect(made.json.run.info.user_id).toBe(bob.id);
    const bobSearch = await call("POST", "runs/search", { token: bobToken, body: { experiment_ids: [expId] } });
    expect(bobSearch.json.runs ?? []).toEqual([]);
    expect(await t.db.metric.count({ where: { runId: run_id } })).toBe(0);
  });

  it("rejects a revoked token at once", async () => {
    const { id, token } = await createToken({ db: t.db, user: bob }, { name: "temp" });
    expect((await call("GET", "experiments/search", { token })).status).toBe(200);
    await revokeToken({ db: t.db, user: bob }, { id });
    expect(await call("GET", "experiments/search", { token })).toMatchObject({ status: 401, json: { error_code: "UNAUTHENTICATED" } });
    const row = await t.db.apiToken.findUnique({ where: { id }, select: { tokenHash: true, prefix: true } });
    expect(row?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row?.tokenHash).not.toContain(token);
    expect(token.startsWith(row!.prefix)).toBe(true);
  });

  it("accepts a session cookie when the route supplies a session resolver, JSON content type and the app's Origin required for POST", async () => {
    const req = (method: string, type: string) =>
      new Request("http://localhost/api/2.0/mlflow/runs/create", { method, headers: { cookie: "session=1", "content-type": type, origin: "http://localhost" }, body: JSON.stringify({ experiment_id: expId }) });
    const sessionUser = async (h: Headers) => (h.get("cookie") === "session=1" ? ana : null);
    const ok = await handleMlflowRequest(req("POST", "application/json"), { db: t.db, sessionUser, appOrigin: "http://localhost" });
    expect(ok.status).toBe(200);
    const form = await handleMlflowRequest(req("POST", "text/plain"), { db: t.db, sessionUser, appOrigin: "http://localhost" });
    expect(form.status).toBe(403);
  });
});
