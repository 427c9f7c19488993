// The notebook's `endpoints` global and `registerModel` against a real server (issue 13 points 1
// and 2, the notebook side), on SQLite and PostgreSQL: a node:http server with the MLflow REST
// routes, the lean serving routes and tRPC; the kernel's same-origin fetch carries the student's
// session cookie. Ana registers a real tfjs model (30→16→1) with its signature and a sampled
// training reference, deploys it from a cell and predicts; Bob, a classmate, lists and calls it
// once shared and may not deploy it; the server's error text reaches the cell.
import type { Server } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type * as tf from "@tensorflow/tfjs";
import "fake-indexeddb/auto";
import { IDBFactory } from "fake-indexeddb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listenLean } from "./helpers/lean-http";
import { createTestDb, insertUser, testProviders, type TestDb } from "./helpers/test-db";
import { predictInProcess, randomRows, tinyModel } from "../unit/serving/tiny-model";
import { createCaller } from "@/lib/server/api/root";
import type { SessionUser } from "@/lib/server/auth";
import { mlflowRoutes } from "@/lib/server/http/mlflow-routes";
import { servingRoutes } from "@/lib/server/http/serving-routes";
import { trpcRoutes } from "@/lib/server/http/trpc-routes";
import { leanSecurityHeaders } from "@/lib/server/http/security-headers";
import { logArtifact } from "@/lib/server/services/tracking/artifacts";
import { DiskArtifactStore } from "@/lib/server/services/tracking/artifacts/store";
import { createEndpointsApi } from "@/lib/kernel/endpoints";
import { registerModel } from "@/lib/kernel/register-model";
import { KernelRuntime, type TfLike } from "@/lib/kernel/runtime";
import type { KernelEvent } from "@/lib/kernel/protocol";
import { createServingEngine, type ServingEngine } from "@/lib/serving/engine/engine";
import type { ModelBytes } from "@/lib/serving/engine/model-spec";

const FEATURES = Array.from({ length: 30 }, (_, i) => `f${i}`);
const MEAN = FEATURES.map((_, i) => i / 10);
const SCALE = FEATURES.map((_, i) => 1 + i / 20);
const ORIGIN = "http://localhost:3000";
/** One score per row (a named single output answers a flat list; an unnamed [n, 1] output, rows of one). */
const first = (predictions: unknown[]) => predictions.map((p) => Number(Array.isArray(p) ? p[0] : p));

let fraud: { model: tf.LayersModel; bytes: ModelBytes };
let engine: ServingEngine;

beforeAll(async () => {
  fraud = await tinyModel(3);
  engine = createServingEngine({ size: 1 });
  await engine.ready();
});
afterAll(() => engine?.close());

describe.each(testProviders)("notebook endpoints API against the server on %s", (provider) => {
  let t: TestDb;
  let server: Server;
  let port: number;
  let teacher: SessionUser, ana: SessionUser, bob: SessionUser;
  let artifactDir: string;
  let runId: string;
  const users = new Map<string, SessionUser>();

  const userOf = (h: Headers) => users.get(/session=(\w+)/.exec(h.get("cookie") ?? "")?.[1] ?? "") ?? null;
  /** The worker's same-origin fetch with `who`'s session cookie (the browser adds Origin to a POST or PUT). */
  const fetchAs = (who: string) =>
    (async (input: RequestInfo | URL, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      headers.set("cookie", `session=${who}`);
      if (init.method && init.method !== "GET" && init.method !== "HEAD") headers.set("origin", ORIGIN);
      return fetch(`http://127.0.0.1:${port}${String(input)}`, { ...init, headers });
    }) as typeof fetch;
  const expected = (rows: number[][]) => predictInProcess(fraud.model, rows.map((r) => r.map((v, i) => (v - MEAN[i]) / SCALE[i]))).map((r) => r[0]);

  const kernel = (who: string) => {
    const events: KernelEvent[] = [];
    const rt = new KernelRuntime({ emit: (e) => events.push(e), loadTf: async () => ({}) as TfLike, fetch: fetchAs(who) });
    return async (cellId: string, source: string) => {
      events.length = 0;
      await rt.run({ runId: cellId, cellId, source, kind: "code" });
      const out = events.filter((e) => e.type === "stream").map((e) => (e as { text: string }).text).join("");
      const errors = events.filter((e) => e.type === "error").map((e) => (e as { message: string }).message);
      return { out, errors };
    };
  };

  beforeAll(async () => {
    t = await createTestDb(provider);
    teacher = await insertUser(t.db, "instructor", "Ada");
    ana = await insertUser(t.db, "student", "Ana");
    bob = await insertUser(t.db, "student", "Bob");
    users.set("teacher", teacher).set("ana", ana).set("bob", bob);
    const c = await createCaller({ db: t.db, user: teacher }).classes.create({ name: "MLOps" });
    await createCaller({ db: t.db, user: ana }).classes.join({ code: c.joinCode! });
    await createCaller({ db: t.db, user: bob }).classes.join({ code: c.joinCode! });
    artifactDir = mkdtempSync(join(tmpdir(), "cuaderno-nb-endpoints-"));
    const store = new DiskArtifactStore(artifactDir);
    const securityHeaders = leanSecurityHeaders([{ source: "/:path*", headers: [{ key: "X-Content-Type-Options", value: "nosniff" }] }]);
    const sessionUser = async (h: Headers) => userOf(h);
    const routes = [
      ...mlflowRoutes({ db: t.db, store, sessionUser, origin: ORIGIN, securityHeaders }),
      ...servingRoutes({ db: t.db, storage: store, engine: () => engine, sessionUser, origin: ORIGIN, securityHeaders }),
    ];
    // tRPC (endpoints, monitoring) as the server serves it: a lean route, with the cookie's user.
    routes.push(...trpcRoutes({ origin: ORIGIN, securityHeaders, createContext: async (headers) => ({ db: t.db, user: userOf(headers) }) }));
    ({ server, port } = await listenLean(routes));

    // Ana's notebook run (filed under the class) with the model logged as `fraud/`.
    const created = await fetchAs("ana")("/api/2.0/mlflow/runs/create", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ start_time: 1, cuaderno: { lesson_slug: "metrics-baselines", class_id: c.id } }),
    });
    expect(created.status).toBe(200);
    runId = ((await created.json()) as { run: { info: { run_id: string } } }).run.info.run_id;
    const enc = new TextEncoder();
    await logArtifact({ db: t.db, user: ana }, { runId, path: "fraud/model.json", data: enc.encode(fraud.bytes.modelJson) }, store);
    await logArtifact({ db: t.db, user: ana }, { runId, path: "fraud/weights.bin", data: new Uint8Array(fraud.bytes.weights) }, store);
  });
  afterAll(async () => {
    server?.close();
    await t?.drop();
    if (artifactDir) rmSync(artifactDir, { recursive: true, force: true });
  });

  it("registerModel creates the model, a version with the signature, and a sampled training reference", async () => {
    const training = randomRows(1500, 30, 11);
    const deps = { fetch: fetchAs("ana"), serverRunId: async () => runId };
    const v1 = await registerModel(deps, "fraud-detector", { path: "fraud", features: FEATURES, scaler: { mean: MEAN, scale: SCALE }, threshold: 0.4, reference: training });
    expect(v1).toEqual({ name: "fraud-detector", version: 1, source: `runs:/${runId}/fraud`, referenceSize: 1000 });
    // the model exists now: a second version
    const v2 = await registerModel(deps, "fraud-detector", { path: "fraud", features: FEATURES, scaler: { mean: MEAN, scale: SCALE } });
    expect(v2.version).toBe(2);
    const rows = await t.db.modelVersion.findMany({ where: { model: { ownerId: ana.id, name: "fraud-detector" } }, orderBy: { version: "asc" } });
    expect(JSON.parse(rows[0].signature!)).toEqual({ inputs: FEATURES, outputs: ["score"], preprocessing: { type: "standard_scaler", mean: MEAN, scale: SCALE }, threshold: 0.4 });
    const ref = JSON.parse(rows[0].trainingReference!) as { features: { name: string; sample: number[] }[] };
    expect(ref.features.map((f) => f.name)).toEqual(FEATURES);
    expect(ref.features.every((f) => f.sample.length === 1000)).toBe(true);
    const col0 = new Set(training.map((r) => r[0]));
    expect(ref.features[0].sample.every((v) => col0.has(v))).toBe(true);
    expect(rows[1].trainingReference).toBeNull();
    // bad registrations name the problem and add nothing
    await expect(registerModel(deps, "fraud-detector", { path: "nope", features: FEATURES })).rejects.toThrow(/registerModel: .*model\.json/);
    await expect(registerModel(deps, "fraud-detector", { path: "fraud", features: ["a", "a"] })).rejects.toThrow(/duplicate input feature 'a'/);
    expect(await t.db.modelVersion.count({ where: { model: { ownerId: ana.id } } })).toBe(2);
  });

  it("a cell deploys, lists and predicts; the answers are the model's", async () => {
    const run = kernel("ana");
    const deployed = await run("d1", `const e = await endpoints.deploy("fraud-detector", { version: 1 }); console.log(JSON.stringify([e.mode, e.servingVersion]))`);
    expect(deployed.errors).toEqual([]);
    expect(JSON.parse(deployed.out)).toEqual(["single", 1]);
    const listed = await run("l1", `console.log(JSON.stringify((await endpoints.list()).map((e) => [e.name, e.mine, e.servingVersion])))`);
    expect(listed.errors).toEqual([]);
    expect(JSON.parse(listed.out)).toEqual([["fraud-detector", true, 1]]);
    const rows = randomRows(5, 30, 5);
    (globalThis as Record<string, unknown>).__rows = rows;
    const p = await run("p1", `const p = await endpoints.predict("fraud-detector", globalThis.__rows); console.log(JSON.stringify(p))`);
    expect(p.errors).toEqual([]);
    const got = first(JSON.parse(p.out) as unknown[]);
    const want = expected(rows);
    expect(got).toHaveLength(5);
    got.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(1e-5));
    const canary = await run("c1", `const c = await endpoints.deploy("fraud-detector", { mode: "canary", candidateVersion: 2, percent: 10 }); console.log(JSON.stringify([c.mode, c.stableVersion, c.candidateVersion]))`);
    expect(canary.errors).toEqual([]);
    expect(JSON.parse(canary.out)).toEqual(["canary", 1, 2]);
  });

  it("the server's error text reaches the cell", async () => {
    const run = kernel("ana");
    (globalThis as Record<string, unknown>).__bad = [Array.from({ length: 30 }, (_, i) => (i === 3 ? "x" : 0))];
    const text = await run("e1", `await endpoints.predict("fraud-detector", globalThis.__bad)`);
    expect(text.errors.join("")).toMatch(/^endpoints\.predict: .*f3/);
    const unknown = await run("e2", `await endpoints.predict("nope", [[1]])`);
    expect(unknown.errors.join("")).toMatch(/endpoints\.predict: Servable not found .*nope/);
    const version = await run("e3", `await endpoints.deploy("fraud-detector", { version: 9 })`);
    expect(version.errors.join("")).toMatch(/endpoints\.deploy: .*9/);
  });

  it("a cell trains, logs and registers a model with run.registerModel (the tracking client uploads it), then predicts through its endpoint", async () => {
    const events: KernelEvent[] = [];
    const rt = new KernelRuntime({
      emit: (e) => events.push(e),
      loadTf: async () => {
        const tfjs = await import("@tensorflow/tfjs");
        await tfjs.setBackend("cpu");
        await tfjs.ready();
        return tfjs as unknown as TfLike;
      },
      fetch: fetchAs("ana"),
      tracking: { fetch: fetchAs("ana"), indexedDB: new IDBFactory(), clientOptions: { flushMs: 20, retryBaseMs: 5, retryMaxMs: 40 } },
    });
    rt.setContext({ signedIn: true, userId: ana.id, lessonSlug: "metrics-baselines" });
    (globalThis as Record<string, unknown>).__training = randomRows(300, 3, 2);
    const source = [
      "const rows = globalThis.__training;",
      "const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [3], activation: 'sigmoid' })] });",
      "const reg = await track.run('cell-model', async (run) => {",
      "  await run.logModel(model, 'clf');",
      "  return run.registerModel('cell-model', { path: 'clf', features: ['x0', 'x1', 'x2'], reference: rows });",
      "});",
      "const online = await endpoints.predict('cell-model', rows.slice(0, 4));",
      "const local = model.predict(tf.tensor2d(rows.slice(0, 4))).arraySync().map((r) => r[0]);",
      "console.log(JSON.stringify({ reg, online, local }));",
    ].join("\n");
    await rt.run({ runId: "k1", cellId: "train", source, kind: "code" });
    expect(events.filter((e) => e.type === "error")).toEqual([]);
    const out = events.filter((e) => e.type === "stream").map((e) => (e as { text: string }).text).join("");
    const { reg, online, local } = JSON.parse(out.trim().split("\n").pop()!) as { reg: { version: number; source: string; referenceSize: number }; online: unknown[]; local: number[] };
    expect(reg.version).toBe(1);
    expect(reg.source).toMatch(/^runs:\/[\w-]+\/clf$/);
    expect(reg.referenceSize).toBe(300);
    const got = first(online);
    expect(got).toHaveLength(4);
    got.forEach((v, i) => expect(Math.abs(v - local[i])).toBeLessThan(1e-5));
    const v = await t.db.modelVersion.findFirstOrThrow({ where: { model: { ownerId: ana.id, name: "cell-model" } } });
    expect(JSON.parse(v.trainingReference!).features.map((f: { name: string }) => f.name)).toEqual(["x0", "x1", "x2"]);
  });

  it("a classmate lists and calls a shared endpoint, and may not deploy it", async () => {
    const bobApi = createEndpointsApi({ fetch: fetchAs("bob") });
    expect(await bobApi.list()).toEqual([]);
    await expect(bobApi.predict(`${ana.id}/fraud-detector`, [randomRows(1)[0]])).rejects.toThrow(/endpoints\.predict: Servable not found/);
    await createCaller({ db: t.db, user: ana }).endpoints.setVisibility({ name: "fraud-detector", visibility: "class" });
    const listed = await bobApi.list();
    expect(listed.map((e) => [e.name, e.mine, e.mode])).toEqual([[`${ana.id}/fraud-detector`, false, "canary"]]); // cell-model stays private
    const rows = randomRows(3, 30, 8);
    await new Promise((r) => setTimeout(r, 1100)); // a caller's view of a model is reused for 1 s
    const preds = first(await bobApi.predict(`${ana.id}/fraud-detector`, rows, { version: 1 }));
    expect(preds).toHaveLength(3);
    preds.forEach((v, i) => expect(Math.abs(v - expected(rows)[i])).toBeLessThan(1e-5));
    await expect(bobApi.deploy(`${ana.id}/fraud-detector`, { version: 1 })).rejects.toThrow(/endpoints\.deploy: Only the owner/);
    // the teacher oversees every student's endpoints and may call them
    const teacherList = await createEndpointsApi({ fetch: fetchAs("teacher") }).list();
    expect(teacherList.map((e) => e.name)).toEqual([`${ana.id}/cell-model`, `${ana.id}/fraud-detector`]);
  });
  it("a cell sends ground truth by request id, reads the version's recall from the stats, rolls back and reads the audit log", async () => {
    const run = kernel("ana");
    const rows = randomRows(40, 30, 21);
    (globalThis as Record<string, unknown>).__fb = rows;
    // Every row labelled fraud: recall is the share the model flags at v1's threshold (0.4).
    const flagged = expected(rows).filter((p) => p >= 0.4).length;
    const sent = await run(
      "fb1",
      [
        "const r = await endpoints.request('fraud-detector', globalThis.__fb, { version: 1 });",
        "const fb = await endpoints.feedback(r.requestId, r.predictions.map(() => 1));",
        "const again = await endpoints.feedback([{ requestId: r.requestId, labels: r.predictions.map(() => 1) }]);",
        "const stats = await endpoints.stats('fraud-detector', { windowSeconds: 60 });",
        "const v1 = stats.versions.find((v) => v.version === 1).stats;",
        "console.log(JSON.stringify({ id: r.requestId, n: r.predictions.length, fb, again, feedback: v1.feedback }));",
      ].join("\n"),
    );
    expect(sent.errors).toEqual([]);
    const out = JSON.parse(sent.out) as { id: string; n: number; fb: { accepted: number }; again: { accepted: number; results: { error?: string }[] }; feedback: { count: number; tp: number; fn: number; recall: number } };
    expect(out.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.n).toBe(40);
    expect(out.fb.accepted).toBe(1);
    expect(out.again.accepted).toBe(0); // already labelled: refused, with the server's reason
    expect(out.again.results[0].error).toMatch(/No prediction awaiting feedback/);
    expect(out.feedback).toMatchObject({ count: 40, tp: flagged, fn: 40 - flagged });
    expect(out.feedback.recall).toBeCloseTo(flagged / 40, 10);

    // The endpoint is in canary (v1 → v2 at 10 %, deployed by a cell above, then shared): one rollback returns to v1 alone, the log shows it.
    const back = await run("rb1", "const e = await endpoints.rollback('fraud-detector'); const log = await endpoints.events('fraud-detector', { limit: 3 }); console.log(JSON.stringify({ mode: e.mode, serving: e.servingVersion, actions: log.map((x) => x.action) }))");
    expect(back.errors).toEqual([]);
    expect(JSON.parse(back.out)).toEqual({ mode: "single", serving: 1, actions: ["rollback", "visibility", "canary"] });
    // Bob is no owner: his rollback is refused with the server's text, nothing changes.
    const bob = kernel("bob");
    const refused = await bob("rb2", `await endpoints.rollback("${ana.id}/fraud-detector")`);
    expect(refused.errors.join("")).toMatch(/^endpoints\.rollback: /);
    expect(await t.db.deploymentEvent.count({ where: { modelName: "fraud-detector", ownerId: ana.id } })).toBe(4);
  });
});
