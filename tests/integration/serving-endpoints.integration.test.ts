// Registered models served as TensorFlow Serving– and OIP v2–compatible endpoints through the lean
// HTTP layer (lib/server/http/serving-routes.ts) over a real node:http server, on SQLite and
// PostgreSQL: a student logs a real tfjs model (30→16→1) as run artifacts, registers it through the
// registry REST API, and the endpoints answer what model.predict answers; bad input gets a 4xx in
// TF Serving's shape and the next request still answers; others' models stay hidden.
import type { Server } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, insertUser, testProviders, type TestDb } from "./helpers/test-db";
import { listenLean, send, testSecurityHeaders, TEST_ORIGIN, type Reply } from "./helpers/lean-http";
import { predictInProcess, randomRows, tinyModel } from "../unit/serving/tiny-model";
import { createCaller } from "@/lib/server/api/root";
import type { SessionUser } from "@/lib/server/auth";
import { mlflowRoutes } from "@/lib/server/http/mlflow-routes";
import { servingRoutes } from "@/lib/server/http/serving-routes";
import { logArtifact } from "@/lib/server/services/tracking/artifacts";
import { DiskArtifactStore } from "@/lib/server/services/tracking/artifacts/store";
import { createToken } from "@/lib/server/services/tokens";
import { createServingEngine, type ServingEngine } from "@/lib/serving/engine/engine";
import type { ModelBytes } from "@/lib/serving/engine/model-spec";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const FEATURES = Array.from({ length: 30 }, (_, i) => `f${i}`);
const MEAN = FEATURES.map((_, i) => i / 10);
const SCALE = FEATURES.map((_, i) => 1 + i / 20);

function expectClose(actual: number[], expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i] - expected[i])).toBeLessThan(1e-5);
}

let fraud: { model: tf.LayersModel; bytes: ModelBytes };
let engine: ServingEngine;

beforeAll(async () => {
  fraud = await tinyModel(3);
  engine = createServingEngine({ size: 1 });
  await engine.ready();
});
afterAll(() => engine?.close());

describe.each(testProviders)("serving endpoints (TF Serving REST, OIP v2) on %s", (provider) => {
  let t: TestDb;
  let server: Server;
  let port: number;
  let teacher: SessionUser, ana: SessionUser, bob: SessionUser;
  const tokens: Record<string, string> = {};
  let artifactDir: string;
  let store: DiskArtifactStore;
  const ORIGIN = TEST_ORIGIN;

  const headers = (who: string | null) => ({ "content-type": "application/json", ...(who ? { authorization: `Bearer ${tokens[who]}` } : {}) });
  const mlflow = async (who: string, method: string, path: string, body: unknown) => {
    const r = await send(port, method, `/api/2.0/mlflow/${path}`, { headers: headers(who), body: JSON.stringify(body) });
    expect(r.status, r.body).toBe(200);
    return JSON.parse(r.body) as Json;
  };
  const get = (path: string, who: string | null = "ana") => send(port, "GET", path, { headers: headers(who) });
  const post = (path: string, body: unknown, who: string | null = "ana") => send(port, "POST", path, { headers: headers(who), body: typeof body === "string" ? body : JSON.stringify(body) });
  const json = (r: Reply) => JSON.parse(r.body) as Json;
  const scaled = (rows: number[][]) => rows.map((r) => r.map((v, i) => (v - MEAN[i]) / SCALE[i]));
  const expected = (rows: number[][]) => predictInProcess(fraud.model, rows).map((r) => r[0]);
  /** A good request after a bad one: the server keeps answering. */
  const stillAnswers = async () => {
    const rows = randomRows(2, 30, 99);
    const r = await post("/v1/models/fraud-detector/versions/1:predict", { instances: rows });
    expect(r.status, r.body).toBe(200);
    expectClose(json(r).predictions, expected(rows));
  };
  const expectTfError = (r: Reply, status: number, message?: RegExp) => {
    expect(r.status, r.body).toBe(status);
    const body = json(r);
    expect(Object.keys(body)).toEqual(["error"]);
    if (message) expect(body.error).toMatch(message);
  };

  beforeAll(async () => {
    t = await createTestDb(provider);
    teacher = await insertUser(t.db, "instructor", "Ada");
    ana = await insertUser(t.db, "student", "Ana");
    bob = await insertUser(t.db, "student", "Bob");
    for (const [who, user] of [["teacher", teacher], ["ana", ana], ["bob", bob]] as const) tokens[who] = (await createToken({ db: t.db, user }, { name: who })).token;
    const c = await createCaller({ db: t.db, user: teacher }).classes.create({ name: "MLOps" });
    await createCaller({ db: t.db, user: ana }).classes.join({ code: c.joinCode! });
    await createCaller({ db: t.db, user: bob }).classes.join({ code: c.joinCode! });
    artifactDir = mkdtempSync(join(tmpdir(), "cuaderno-serving-"));
    store = new DiskArtifactStore(artifactDir);
    const securityHeaders = testSecurityHeaders();
    const sessionUser = async (h: Headers) => (h.get("cookie") === "session=ana" ? ana : null);
    const routes = [
      ...mlflowRoutes({ db: t.db, store, sessionUser, origin: ORIGIN, securityHeaders }),
      ...servingRoutes({ db: t.db, storage: store, engine: () => engine, sessionUser, origin: ORIGIN, securityHeaders }),
    ];
    ({ server, port } = await listenLean(routes));

    // Ana trains in a notebook filed under the class, logs the model as run artifacts, registers it.
    const run = (await mlflow("ana", "POST", "runs/create", { start_time: 1, cuaderno: { lesson_slug: "metrics-baselines", class_id: c.id } })).run.info;
    const enc = new TextEncoder();
    const log = (path: string, data: Uint8Array) => logArtifact({ db: t.db, user: ana }, { runId: run.run_id, path, data }, store);
    await log("fraud/model.json", enc.encode(fraud.bytes.modelJson));
    await log("fraud/weights.bin", new Uint8Array(fraud.bytes.weights));
    await log("broken/model.json", enc.encode('{"format":"layers-model","note":"not a model"}'));
    await log("broken/weights.bin", new Uint8Array([1, 2, 3, 4]));
    await mlflow("ana", "POST", "registered-models/create", { name: "fraud-detector" });
    // v1: no signature (one input of the model.json's width); v2: named features with a standard scaler.
    await mlflow("ana", "POST", "model-versions/create", { name: "fraud-detector", source: `runs:/${run.run_id}/fraud` });
    await mlflow("ana", "POST", "model-versions/create", {
      name: "fraud-detector",
      source: `runs:/${run.run_id}/fraud`,
      cuaderno: { signature: { inputs: FEATURES, outputs: ["fraud"], preprocessing: { type: "standard_scaler", mean: MEAN, scale: SCALE } } },
    });
    await mlflow("ana", "POST", "registered-models/create", { name: "broken" });
    await mlflow("ana", "POST", "model-versions/create", { name: "broken", source: `runs:/${run.run_id}/broken`, cuaderno: { signature: { inputs: ["a", "b"], outputs: ["y"] } } });
    await mlflow("ana", "POST", "registered-models/create", { name: "broken-unsigned" });
    await mlflow("ana", "POST", "model-versions/create", { name: "broken-unsigned", source: `runs:/${run.run_id}/broken` });
  });
  afterAll(async () => {
    server?.close();
    await t?.drop();
    if (artifactDir) rmSync(artifactDir, { recursive: true, force: true });
  });

  it("GET /v1/models/{name}: both versions AVAILABLE, newest first, in TF Serving's shape", async () => {
    const r = await get("/v1/models/fraud-detector");
    expect(r.status, r.body).toBe(200);
    expect(r.headers["x-content-type-options"]).toBe("nosniff");
    expect(json(r)).toEqual({
      model_version_status: [
        { version: "2", state: "AVAILABLE", status: { error_code: "OK", error_message: "" } },
        { version: "1", state: "AVAILABLE", status: { error_code: "OK", error_message: "" } },
      ],
    });
    const one = json(await get("/v1/models/fraud-detector/versions/1"));
    expect(one.model_version_status).toEqual([{ version: "1", state: "AVAILABLE", status: { error_code: "OK", error_message: "" } }]);
  });

  it("GET /metadata: named float inputs for v2 (the signature), one [-1, 30] input for v1 (model.json)", async () => {
    const v2 = json(await get("/v1/models/fraud-detector/metadata"));
    expect(v2.model_spec).toMatchObject({ name: "fraud-detector", version: "2" });
    const sig2 = v2.metadata.signature_def.signature_def.serving_default;
    expect(Object.keys(sig2.inputs)).toHaveLength(30);
    expect(sig2.inputs.f7).toMatchObject({ dtype: "DT_FLOAT", name: "f7:0" });
    expect(Object.keys(sig2.outputs)).toEqual(["fraud"]);
    const v1 = json(await get("/v1/models/fraud-detector/versions/1/metadata"));
    const sig1 = v1.metadata.signature_def.signature_def.serving_default;
    expect(sig1.inputs.inputs.tensor_shape.dim.map((d: Json) => d.size)).toEqual(["-1", "30"]);
  });

  it(":predict on the latest version (v2, scaled) with row instances of named features and with columnar inputs", async () => {
    const rows = randomRows(5, 30, 11);
    const instances = rows.map((r) => Object.fromEntries(FEATURES.map((f, i) => [f, r[i]])));
    const byRow = await post("/v1/models/fraud-detector:predict", { instances });
    expect(byRow.status, byRow.body).toBe(200);
    expectClose(json(byRow).predictions, expected(scaled(rows)));
    const inputs = Object.fromEntries(FEATURES.map((f, i) => [f, rows.map((r) => r[i])]));
    const byColumn = await post("/v1/models/fraud-detector:predict", { inputs });
    expect(byColumn.status, byColumn.body).toBe(200);
    expectClose(json(byColumn).outputs, expected(scaled(rows)));
  });

  it("/versions/1:predict takes plain rows (instances and inputs), unscaled", async () => {
    const rows = randomRows(64, 30, 12);
    const a = await post("/v1/models/fraud-detector/versions/1:predict", { instances: rows });
    expect(a.status, a.body).toBe(200);
    expectClose(json(a).predictions, expected(rows));
    const b = await post("/v1/models/fraud-detector/versions/1:predict", { inputs: rows });
    expectClose(json(b).outputs, expected(rows));
  });

  it("/labels/{alias}:predict after the owner sets the alias; an unknown label is TF Serving's error", async () => {
    const rows = randomRows(3, 30, 13);
    expectTfError(await post("/v1/models/fraud-detector/labels/champion:predict", { instances: rows }), 400, /Unrecognized servable version label: champion/);
    await mlflow("ana", "POST", "registered-models/alias", { name: "fraud-detector", alias: "champion", version: "1" });
    await new Promise((r) => setTimeout(r, 1100)); // the endpoint's 1 s view of the registry
    const r = await post("/v1/models/fraud-detector/labels/champion:predict", { instances: rows });
    expect(r.status, r.body).toBe(200);
    expectClose(json(r).predictions, expected(rows));
  });

  it("OIP v2: /v2/health/ready, model ready and metadata, /infer", async () => {
    const ready = await send(port, "GET", "/v2/health/ready");
    expect(ready.status).toBe(200);
    expect(json(ready)).toEqual({ ready: true });
    expect(json(await get("/v2/models/fraud-detector/ready"))).toMatchObject({ name: "fraud-detector", ready: true });
    const rows = randomRows(4, 30, 14);
    const r = await post("/v2/models/fraud-detector/versions/1/infer", { id: "req-1", inputs: [{ name: "inputs", shape: [4, 30], datatype: "FP32", data: rows.flat() }] });
    expect(r.status, r.body).toBe(200);
    const body = json(r);
    expect(body).toMatchObject({ model_name: "fraud-detector", model_version: "1", id: "req-1" });
    expect(body.outputs).toHaveLength(1);
    expect(body.outputs[0]).toMatchObject({ name: "outputs", shape: [4], datatype: "FP32" });
    expectClose(body.outputs[0].data, expected(rows));
  });

  it("bad input gets a 4xx {error} in TF Serving's shape and the next request still answers", async () => {
    const path = "/v1/models/fraud-detector/versions/1:predict";
    expectTfError(await post(path, { instances: [randomRows(1, 29)[0]] }), 400);
    await stillAnswers();
    expectTfError(await post(path, { instances: [["a", ...randomRows(1, 29)[0]]] }), 400);
    await stillAnswers();
    expectTfError(await post(path, `{"instances": [[NaN${", 1".repeat(29)}]]}`), 400, /NaN/);
    await stillAnswers();
    expectTfError(await post(path, "{not json"), 400);
    await stillAnswers();
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    const big = await send(port, "POST", path, { headers: headers("ana"), chunked: Array.from({ length: 10 }, () => chunk) });
    expectTfError(big, 413);
    expect(big.headers.connection).toBe("close");
    await stillAnswers();
    expectTfError(await post("/v1/models/no-such-model:predict", { instances: [[1]] }), 404);
    expectTfError(await post("/v1/models/fraud-detector/versions/9:predict", { instances: randomRows(1) }), 404, /Servable not found/);
    await stillAnswers();
    // A "model" whose model.json is not a model: its own endpoint fails, nothing else does.
    expectTfError(await post("/v1/models/broken:predict", { instances: [{ a: 1, b: 2 }] }), 400, /modelTopology|not a TensorFlow\.js/);
    await stillAnswers();
    const unsigned = json(await get("/v1/models/broken-unsigned"));
    expect(unsigned.model_version_status[0]).toMatchObject({ version: "1", state: "END" });
    expect(unsigned.model_version_status[0].status.error_code).not.toBe("OK");
    expectTfError(await post("/v1/models/broken-unsigned:predict", { instances: [[1]] }), 404);
    await stillAnswers();
  });

  it("another student cannot see or call Ana's model (404); the class's instructor can, by <ownerId>/<name>", async () => {
    expectTfError(await get("/v1/models/fraud-detector", "bob"), 404);
    const qualified = `/v1/models/${ana.id}%2Ffraud-detector`;
    expectTfError(await get(qualified, "bob"), 404);
    expectTfError(await post(`${qualified}/versions/1:predict`, { instances: randomRows(1) }, "bob"), 404);
    const rows = randomRows(2, 30, 15);
    const r = await post(`${qualified}/versions/1:predict`, { instances: rows }, "teacher");
    expect(r.status, r.body).toBe(200);
    expectClose(json(r).predictions, expected(rows));
  });

  it("no token → 401 {error}; a bad token → 401; a cookie prediction must come from the app's origin", async () => {
    expectTfError(await get("/v1/models/fraud-detector", null), 401);
    expectTfError(await post("/v1/models/fraud-detector:predict", { instances: [] }, null), 401);
    expectTfError(await send(port, "GET", "/v1/models/fraud-detector", { headers: { authorization: "Bearer nope" } }), 401);
    const rows = randomRows(1, 30, 16);
    const body = JSON.stringify({ instances: rows });
    const cross = await send(port, "POST", "/v1/models/fraud-detector/versions/1:predict", { headers: { cookie: "session=ana", "content-type": "application/json", origin: "https://evil.example" }, body });
    expectTfError(cross, 403);
    const same = await send(port, "POST", "/v1/models/fraud-detector/versions/1:predict", { headers: { cookie: "session=ana", "content-type": "application/json", origin: ORIGIN }, body });
    expect(same.status, same.body).toBe(200);
    expectClose(json(same).predictions, expected(rows));
  });
});
