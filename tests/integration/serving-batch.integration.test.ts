// Batch prediction (issue 13 point 6) through the lean routes over a real node:http server, on
// SQLite and PostgreSQL, with a real tfjs model (30→16→1) registered as in
// serving-endpoints.integration.test.ts: a 5,000-row CSV gets the online endpoint's predictions;
// multipart uploads work with the session cookie; a missing column, text, NaN or an empty cell is a
// 400 naming the row and column; another user's job is 404.
import type { Server } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, insertUser, testProviders, type TestDb } from "./helpers/test-db";
import { listenLean, send, testSecurityHeaders, TEST_ORIGIN, type Reply } from "./helpers/lean-http";
import { randomRows, tinyModel } from "../unit/serving/tiny-model";
import { createCaller } from "@/lib/server/api/root";
import type { SessionUser } from "@/lib/server/auth";
import { mlflowRoutes } from "@/lib/server/http/mlflow-routes";
import { servingRoutes } from "@/lib/server/http/serving-routes";
import { logArtifact } from "@/lib/server/services/tracking/artifacts";
import { DiskArtifactStore } from "@/lib/server/services/tracking/artifacts/store";
import { processBatchJobs } from "@/lib/server/services/serving/batch";
import { createToken } from "@/lib/server/services/tokens";
import { createServingEngine, type ServingEngine } from "@/lib/serving/engine/engine";
import type { ModelBytes } from "@/lib/serving/engine/model-spec";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const FEATURES = Array.from({ length: 30 }, (_, i) => `f${i}`);
const MEAN = FEATURES.map((_, i) => i / 10);
const SCALE = FEATURES.map((_, i) => 1 + i / 20);
const ORIGIN = TEST_ORIGIN;

const csvOf = (rows: number[][], columns = FEATURES, ids = true) =>
  `${[...(ids ? ["id"] : []), ...columns, "label"].join(",")}\n${rows.map((r, i) => [...(ids ? [`tx-${i}`] : []), ...r.map(String), i % 2].join(",")).join("\n")}\n`;

let fraud: { model: tf.LayersModel; bytes: ModelBytes };
let engine: ServingEngine;

beforeAll(async () => {
  fraud = await tinyModel(3);
  engine = createServingEngine({ size: 1 });
  await engine.ready();
});
afterAll(() => engine?.close());

describe.each(testProviders)("batch prediction on %s", (provider) => {
  let t: TestDb;
  let server: Server;
  let port: number;
  let teacher: SessionUser, ana: SessionUser, bob: SessionUser;
  const tokens: Record<string, string> = {};
  let artifactDir: string;

  const auth = (who: string) => ({ authorization: `Bearer ${tokens[who]}` });
  const json = (r: Reply) => JSON.parse(r.body) as Json;
  const upload = (query: string, csv: string, who = "ana") => send(port, "POST", `/api/serving/batch?${query}`, { headers: { ...auth(who), "content-type": "text/csv" }, body: csv });
  const expect400 = async (query: string, csv: string, message: RegExp) => {
    const r = await upload(query, csv);
    expect(r.status, r.body).toBe(400);
    expect(Object.keys(json(r))).toEqual(["error"]);
    expect(json(r).error).toMatch(message);
  };
  const waitDone = async (id: string, who = "ana") => {
    for (let i = 0; i < 600; i++) {
      const r = await send(port, "GET", `/api/serving/batch/${id}`, { headers: auth(who) });
      expect(r.status, r.body).toBe(200);
      const j = json(r);
      expect(j.done).toBeLessThanOrEqual(j.total);
      if (j.state !== "running") return j;
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new Error("the batch job did not finish");
  };
  const predictionsCsv = (text: string) => {
    const [header, ...lines] = text.trim().split("\n");
    return { header, rows: lines.map((l) => l.split(",")) };
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
    artifactDir = mkdtempSync(join(tmpdir(), "cuaderno-batch-"));
    const store = new DiskArtifactStore(artifactDir);
    const securityHeaders = testSecurityHeaders();
    const sessionUser = async (h: Headers) => (h.get("cookie") === "session=ana" ? ana : null);
    ({ server, port } = await listenLean([
      ...mlflowRoutes({ db: t.db, store, sessionUser, origin: ORIGIN, securityHeaders }),
      ...servingRoutes({ db: t.db, storage: store, engine: () => engine, sessionUser, origin: ORIGIN, securityHeaders }),
    ]));

    const mlflow = async (path: string, body: unknown) => {
      const r = await send(port, "POST", `/api/2.0/mlflow/${path}`, { headers: { ...auth("ana"), "content-type": "application/json" }, body: JSON.stringify(body) });
      expect(r.status, r.body).toBe(200);
      return json(r);
    };
    const run = (await mlflow("runs/create", { start_time: 1, cuaderno: { lesson_slug: "metrics-baselines", class_id: c.id } })).run.info;
    const enc = new TextEncoder();
    await logArtifact({ db: t.db, user: ana }, { runId: run.run_id, path: "fraud/model.json", data: enc.encode(fraud.bytes.modelJson) }, store);
    await logArtifact({ db: t.db, user: ana }, { runId: run.run_id, path: "fraud/weights.bin", data: new Uint8Array(fraud.bytes.weights) }, store);
    await mlflow("registered-models/create", { name: "fraud-detector" });
    // v1: no signature (no feature names); v2: named features with a standard scaler.
    await mlflow("model-versions/create", { name: "fraud-detector", source: `runs:/${run.run_id}/fraud` });
    await mlflow("model-versions/create", {
      name: "fraud-detector",
      source: `runs:/${run.run_id}/fraud`,
      cuaderno: { signature: { inputs: FEATURES, outputs: ["fraud"], preprocessing: { type: "standard_scaler", mean: MEAN, scale: SCALE } } },
    });
  });
  afterAll(async () => {
    server?.close();
    await t?.drop();
    if (artifactDir) rmSync(artifactDir, { recursive: true, force: true });
  });

  it("5,000 rows: progress, then an id + prediction CSV equal to the online endpoint's answers", async () => {
    const rows = randomRows(5000, 30, 21);
    // columns in another order than the model's, plus an extra one: picked by name
    const shuffled = [...FEATURES].reverse();
    const csv = `id,${shuffled.join(",")},label\n${rows.map((r, i) => [`tx-${i}`, ...shuffled.map((f) => String(r[FEATURES.indexOf(f)])), i % 2].join(",")).join("\n")}\n`;
    const r = await upload("model=fraud-detector&version=2", csv);
    expect(r.status, r.body).toBe(202);
    const started = json(r);
    expect(started).toMatchObject({ model: "fraud-detector", version: 2, total: 5000 });
    expect(["running", "done"]).toContain(started.state);
    const finished = await waitDone(started.id);
    expect(finished).toMatchObject({ state: "done", done: 5000, total: 5000, error: null });
    const out = await send(port, "GET", `/api/serving/batch/${started.id}/predictions.csv`, { headers: auth("ana") });
    expect(out.status, out.body.slice(0, 200)).toBe(200);
    expect(out.headers["content-type"]).toMatch(/^text\/csv/);
    const got = predictionsCsv(out.body);
    expect(got.header).toBe("id,fraud");
    expect(got.rows).toHaveLength(5000);
    expect(got.rows.map((x) => x[0])).toEqual(rows.map((_, i) => `tx-${i}`));
    // the online endpoint, 1,000 rows a request
    const online: number[] = [];
    for (let s = 0; s < rows.length; s += 1000) {
      const instances = rows.slice(s, s + 1000).map((row) => Object.fromEntries(FEATURES.map((f, i) => [f, row[i]])));
      const p = await send(port, "POST", "/v1/models/fraud-detector/versions/2:predict", { headers: { ...auth("ana"), "content-type": "application/json" }, body: JSON.stringify({ instances }) });
      expect(p.status, p.body).toBe(200);
      online.push(...(json(p).predictions as number[]));
    }
    expect(online).toHaveLength(5000);
    for (let i = 0; i < 5000; i++) expect(Math.abs(Number(got.rows[i][1]) - online[i])).toBeLessThan(1e-6);
  });

  it("without a version: the endpoint's serving version; a multipart upload with the session cookie; no id column: row numbers", async () => {
    const rows = randomRows(10, 30, 4);
    const form = new FormData();
    form.append("file", new Blob([csvOf(rows, FEATURES, false)], { type: "text/csv" }), "rows.csv");
    const body = new Request("http://x", { method: "POST", body: form });
    const bytes = Buffer.from(await body.arrayBuffer());
    const headers = { cookie: "session=ana", origin: ORIGIN, "content-type": body.headers.get("content-type")! };
    const r = await send(port, "POST", "/api/serving/batch?model=fraud-detector", { headers, body: bytes });
    expect(r.status, r.body).toBe(202);
    expect(json(r).version).toBe(2);
    expect((await waitDone(json(r).id)).state).toBe("done");
    const out = await send(port, "GET", `/api/serving/batch/${json(r).id}/predictions.csv`, { headers: auth("ana") });
    expect(predictionsCsv(out.body).rows.map((x) => x[0])).toEqual(Array.from({ length: 10 }, (_, i) => String(i + 1)));
    // a cookie upload from another origin is refused
    const cross = await send(port, "POST", "/api/serving/batch?model=fraud-detector", { headers: { ...headers, origin: "https://evil.example" }, body: bytes });
    expect(cross.status).toBe(403);
  });

  it("bad uploads: 400 with the row and column named; unknown model 404; nothing kept", async () => {
    const rows = randomRows(5, 30, 9);
    const jobsBefore = processBatchJobs().jobs.size;
    await expect400("model=fraud-detector&version=2", csvOf(rows.map((r) => r.filter((_, i) => i !== 7)), FEATURES.filter((f) => f !== "f7")), /no column "f7"/);
    const text = csvOf(rows).replace(/\n(tx-2,[^,]+,[^,]+,)[^,]+,/, "\n$1abc,");
    await expect400("model=fraud-detector&version=2", text, /^Row 3, column "f2": "abc" is not a number/);
    const nan = csvOf(rows).replace(/\n(tx-1,)[^,]+,/, "\n$1NaN,");
    await expect400("model=fraud-detector&version=2", nan, /^Row 2, column "f0": is NaN/);
    const empty = csvOf(rows).replace(/\n(tx-4,[^,]+,)[^,]+,/, "\n$1,");
    await expect400("model=fraud-detector&version=2", empty, /^Row 5, column "f1": is empty/);
    await expect400("model=fraud-detector&version=2", "id,f0\n1,2,3\n", /record 1 has 3 fields/);
    await expect400("model=fraud-detector&version=2", `${["id", ...FEATURES].join(",")}\n`, /no rows/);
    await expect400("model=fraud-detector&version=1", csvOf(rows), /no feature names/);
    await expect400("version=2", csvOf(rows), /Name the model/);
    await expect400("model=fraud-detector&version=x", csvOf(rows), /positive integer/);
    const json415 = await send(port, "POST", "/api/serving/batch?model=fraud-detector", { headers: { ...auth("ana"), "content-type": "application/json" }, body: "{}" });
    expect(json415.status).toBe(400);
    const unknown = await upload("model=nope", csvOf(rows));
    expect(unknown.status).toBe(404);
    expect(json(unknown).error).toMatch(/Servable not found/);
    const noVersion = await upload("model=fraud-detector&version=9", csvOf(rows));
    expect(noVersion.status).toBe(404);
    const anon = await send(port, "POST", "/api/serving/batch?model=fraud-detector", { headers: { "content-type": "text/csv" }, body: csvOf(rows) });
    expect(anon.status).toBe(401);
    expect(processBatchJobs().jobs.size).toBe(jobsBefore);
  });

  it("only the job's owner reads it; bob's upload for ana's private model is 404; too large is 413", async () => {
    const rows = randomRows(20, 30, 12);
    const r = await upload("model=fraud-detector&version=2", csvOf(rows));
    expect(r.status, r.body).toBe(202);
    const id = json(r).id as string;
    await waitDone(id);
    for (const path of [`/api/serving/batch/${id}`, `/api/serving/batch/${id}/predictions.csv`]) {
      const other = await send(port, "GET", path, { headers: auth("bob") });
      expect(other.status, path).toBe(404);
      expect(json(other).error).toMatch(/not found/);
      const teacherRead = await send(port, "GET", path, { headers: auth("teacher") });
      expect(teacherRead.status, path).toBe(404);
    }
    expect((await send(port, "GET", `/api/serving/batch/00000000-0000-0000-0000-000000000000`, { headers: auth("ana") })).status).toBe(404);
    expect((await upload(`model=${ana.id}%2Ffraud-detector&version=2`, csvOf(rows), "bob")).status).toBe(404);
    const big = await send(port, "POST", "/api/serving/batch?model=fraud-detector&version=2", {
      headers: { ...auth("ana"), "content-type": "text/csv", "content-length": String(11 * 1024 * 1024) },
      body: "x",
    });
    expect(big.status).toBe(413);
    expect(json(big).error).toMatch(/larger than 10485760 bytes/);
  });
});
