// Live monitoring of model endpoints (issue 13, point 5) over the real lean routes and a real tfjs
// model, on SQLite and PostgreSQL: predictions through /v1/models/ show up in
// monitoring.endpointStats (requests, latency, prediction histogram, errors), each response carries
// an x-request-id and an unchanged TF Serving body, ground truth sent to /api/serving/feedback gives
// accuracy, precision and recall, a drifting stream against the version's training reference
// raises the drift alert and a stable one does not, and only the owner and the instructors who
// oversee the model read the stats.
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
import type { TrainingReference } from "@/lib/serving/monitoring/reference";
import { createRng } from "@/lib/ml/random";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const FEATURES = Array.from({ length: 30 }, (_, i) => `f${i}`);
/** Rows like the training data: features uniform on [-2, 2), as randomRows (from a better generator than its LCG). */
const uniformRows = (n: number, seed: number) => {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => Array.from({ length: 30 }, () => rng.next() * 4 - 2));
};
/** The training reference: 2,000 of its rows. */
const REFERENCE: TrainingReference = (() => {
  const rows = uniformRows(2000, 12345);
  return { features: FEATURES.map((name, i) => ({ name, sample: rows.map((r) => r[i]) })) };
})();

let fraud: { model: tf.LayersModel; bytes: ModelBytes };
let engine: ServingEngine;

beforeAll(async () => {
  fraud = await tinyModel(3);
  engine = createServingEngine({ size: 1 });
  await engine.ready();
});
afterAll(() => engine?.close());

describe.each(testProviders)("serving monitoring (stats, feedback, drift) on %s", (provider) => {
  let t: TestDb;
  let server: Server;
  let port: number;
  let teacher: SessionUser, ana: SessionUser, bob: SessionUser;
  const tokens: Record<string, string> = {};
  let artifactDir: string;
  const ORIGIN = TEST_ORIGIN;

  const headers = (who: string) => ({ "content-type": "application/json", authorization: `Bearer ${tokens[who]}` });
  const mlflow = async (who: string, path: string, body: unknown) => {
    const r = await send(port, "POST", `/api/2.0/mlflow/${path}`, { headers: headers(who), body: JSON.stringify(body) });
    expect(r.status, r.body).toBe(200);
    return JSON.parse(r.body) as Json;
  };
  const post = (path: string, body: unknown, who = "ana") => send(port, "POST", path, { headers: headers(who), body: typeof body === "string" ? body : JSON.stringify(body) });
  const json = (r: Reply) => JSON.parse(r.body) as Json;
  const stats = (user: SessionUser, model = "fraud-detector", windowSeconds = 600) => createCaller({ db: t.db, user }).monitoring.endpointStats({ model, windowSeconds });
  const versionStats = async (version: number, user = ana) => (await stats(user)).versions.find((v) => v.version === version)!.stats!;
  const predictV1 = async (rows: number[][]) => {
    const r = await post("/v1/models/fraud-detector/versions/1:predict", { instances: rows });
    expect(r.status, r.body).toBe(200);
    return { id: r.headers["x-request-id"] as string, predictions: json(r).predictions as number[], body: json(r) };
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
    artifactDir = mkdtempSync(join(tmpdir(), "cuaderno-monitoring-"));
    const store = new DiskArtifactStore(artifactDir);
    const securityHeaders = testSecurityHeaders();
    const routes = [
      ...mlflowRoutes({ db: t.db, store, origin: ORIGIN, securityHeaders }),
      ...servingRoutes({ db: t.db, storage: store, engine: () => engine, origin: ORIGIN, securityHeaders }),
    ];
    ({ server, port } = await listenLean(routes));

    const run = (await mlflow("ana", "runs/create", { start_time: 1, cuaderno: { lesson_slug: "metrics-baselines", class_id: c.id } })).run.info;
    const log = (path: string, data: Uint8Array) => logArtifact({ db: t.db, user: ana }, { runId: run.run_id, path, data }, store);
    await log("fraud/model.json", new TextEncoder().encode(fraud.bytes.modelJson));
    await log("fraud/weights.bin", new Uint8Array(fraud.bytes.weights));
    await log("broken/model.json", new TextEncoder().encode('{"format":"layers-model","note":"not a model"}'));
    await log("broken/weights.bin", new Uint8Array([1, 2, 3, 4]));
    await mlflow("ana", "registered-models/create", { name: "fraud-detector" });
    await mlflow("ana", "model-versions/create", { name: "fraud-detector", source: `runs:/${run.run_id}/fraud` });
    await mlflow("ana", "model-versions/create", { name: "fraud-detector", source: `runs:/${run.run_id}/fraud`, cuaderno: { signature: { inputs: FEATURES, outputs: ["fraud"] } } });
    await mlflow("ana", "registered-models/create", { name: "broken" });
    await mlflow("ana", "model-versions/create", { name: "broken", source: `runs:/${run.run_id}/broken`, cuaderno: { signature: { inputs: ["a", "b"], outputs: ["y"] } } });
    // The drift reference stored with both versions of fraud-detector by their owner.
    for (const version of [1, 2]) {
      const r = await createCaller({ db: t.db, user: ana }).monitoring.setTrainingReference({ model: "fraud-detector", version, reference: REFERENCE });
      expect(r).toEqual({ version, features: 30 });
    }
  });
  afterAll(async () => {
    server?.close();
    await t?.drop();
    if (artifactDir) rmSync(artifactDir, { recursive: true, force: true });
  });

  it("predictions show up in endpointStats: requests, latency, prediction histogram; the body is TF Serving's, the id a header", async () => {
    const rows = randomRows(20, 30, 101);
    const scores: number[] = [];
    const ids = new Set<string>();
    for (const row of rows) {
      const r = await predictV1([row]);
      expect(Object.keys(r.body)).toEqual(["predictions"]); // the id does not change the body
      expect(r.id).toMatch(/^[0-9a-f-]{36}$/);
      ids.add(r.id);
      scores.push(r.predictions[0]);
    }
    expect(ids.size).toBe(20);
    const expected = predictInProcess(fraud.model, rows).map((r) => r[0]);
    scores.forEach((s, i) => expect(Math.abs(s - expected[i])).toBeLessThan(1e-5));

    const v1 = await versionStats(1);
    expect(v1.requests).toBe(20);
    expect(v1.rows).toBe(20);
    expect(v1.errors).toBe(0);
    expect(v1.errorRate).toBe(0);
    expect(v1.series.reduce((a, p) => a + p.requests, 0)).toBe(20);
    expect(v1.latencyMs.p50).toBeGreaterThan(0);
    expect(v1.latencyMs.p99!).toBeGreaterThanOrEqual(v1.latencyMs.p50!);
    expect(v1.predictions.count).toBe(20);
    expect(v1.predictions.histogram.reduce((a, b) => a + b, 0)).toBe(20);
    expect(v1.predictions.min).toBeCloseTo(Math.min(...expected), 5);
    expect(v1.predictions.max).toBeCloseTo(Math.max(...expected), 5);
    // bins as the scores say
    const bins = new Array(20).fill(0);
    for (const s of expected) bins[Math.min(19, Math.floor(s * 20))]++;
    expect(v1.predictions.histogram).toEqual(bins);
    // v2 got nothing; GETs get no id
    expect((await stats(ana)).versions.find((v) => v.version === 2)!.stats).toBeNull();
    const status = await send(port, "GET", "/v1/models/fraud-detector", { headers: headers("ana") });
    expect(status.headers["x-request-id"]).toBeUndefined();
  });

  it("a version that fails at the model counts errors", async () => {
    const r = await post("/v1/models/broken:predict", { instances: [{ a: 1, b: 2 }] });
    expect(r.status).toBe(400);
    expect(Object.keys(json(r))).toEqual(["error"]);
    const broken = (await stats(ana, "broken")).versions[0].stats!;
    expect([broken.requests, broken.errors, broken.errorRate]).toEqual([1, 1, 1]);
  });

  it("a request refused before the model (bad body) counts as an error of its version, untimed; one for an unknown version counts nowhere", async () => {
    const before = await versionStats(1);
    expect((await post("/v1/models/fraud-detector/versions/1:predict", { instances: "not rows" })).status).toBe(400);
    expect((await post("/v1/models/fraud-detector/versions/1:predict", { instances: [[1, 2]] })).status).toBe(400); // 2 features for 30
    expect((await post("/v1/models/fraud-detector/versions/9:predict", { instances: [[1]] })).status).toBe(404);
    expect((await post("/v2/models/fraud-detector/versions/1/infer", "{")).status).toBe(400);
    const after = await versionStats(1);
    expect(after.requests - before.requests).toBe(3);
    expect(after.errors - before.errors).toBe(3);
    expect(after.latencyMs.mean).toBeCloseTo(before.latencyMs.mean!, 9); // untimed
    expect(after.predictions.count).toBe(before.predictions.count);
    expect((await stats(ana)).versions.map((v) => v.version)).toEqual([2, 1]);
  });

  it("feedback by request id gives accuracy, precision and recall; only the caller or the owner sends it, once", async () => {
    const rows = randomRows(10, 30, 202);
    const answers = [];
    for (const row of rows) answers.push(await predictV1([row]));
    // ground truth: alternate 1, 0
    const labels = answers.map((_, i) => (i % 2 === 0 ? 1 : 0));
    const c = { tp: 0, fp: 0, tn: 0, fn: 0 };
    answers.forEach((a, i) => {
      const p = a.predictions[0] >= 0.5 ? 1 : 0;
      if (p && labels[i]) c.tp++;
      else if (p) c.fp++;
      else if (labels[i]) c.fn++;
      else c.tn++;
    });
    // Bob may not label Ana's request: answered as unknown
    const foreign = await post("/api/serving/feedback", { request_id: answers[0].id, label: 1 }, "bob");
    expect(foreign.status).toBe(404);
    expect(Object.keys(json(foreign))).toEqual(["error"]);
    // one by one for the first four, a batch for the rest (with one unknown id in it)
    for (let i = 0; i < 4; i++) {
      const r = await post("/api/serving/feedback", { request_id: answers[i].id, label: labels[i] });
      expect(r.status, r.body).toBe(200);
      expect(json(r)).toEqual({});
    }
    const batch = await post("/api/serving/feedback", { feedback: [...answers.slice(4).map((a, j) => ({ request_id: a.id, labels: [labels[j + 4]] })), { request_id: "nope", label: 1 }] });
    expect(batch.status, batch.body).toBe(200);
    expect(json(batch).accepted).toBe(6);
    expect(json(batch).results.at(-1)).toMatchObject({ request_id: "nope", error: expect.stringMatching(/No prediction/) });
    // twice: unknown; bad bodies: 400 and nothing counted
    expect((await post("/api/serving/feedback", { request_id: answers[0].id, label: 1 })).status).toBe(404);
    expect((await post("/api/serving/feedback", { request_id: answers[0].id, label: 2 })).status).toBe(400);
    expect((await post("/api/serving/feedback", "{not json")).status).toBe(400);
    expect((await post("/api/serving/feedback", { label: 1 })).status).toBe(400);
    expect((await send(port, "GET", "/api/serving/feedback", { headers: headers("ana") })).status).toBe(405);

    const f = (await versionStats(1)).feedback;
    expect(f).toMatchObject({ count: 10, ...c });
    expect(f.accuracy).toBeCloseTo((c.tp + c.tn) / 10, 12);
    expect(f.recall).toBeCloseTo(c.tp / (c.tp + c.fn), 12);
    if (c.tp + c.fp > 0) expect(f.precision).toBeCloseTo(c.tp / (c.tp + c.fp), 12);
  });

  it("a stable stream from the training distribution raises no drift alert; a drifting one raises one for the shifted features", async () => {
    // v1: 200 more rows like the training data (230 in all)
    for (let k = 0; k < 2; k++) await predictV1(uniformRows(100, 300 + k));
    // v2: 250 rows whose first three features are shifted by +1.5 (columnar inputs, named features)
    for (let k = 0; k < 5; k++) {
      const rows = uniformRows(50, 400 + k).map((r) => r.map((v, i) => (i < 3 ? v + 1.5 : v)));
      const r = await post("/v1/models/fraud-detector:predict", { inputs: Object.fromEntries(FEATURES.map((f, i) => [f, rows.map((row) => row[i])])) });
      expect(r.status, r.body).toBe(200);
      expect(Object.keys(json(r))).toEqual(["outputs"]);
    }
    const s = await stats(ana);
    const v1 = s.versions.find((v) => v.version === 1)!.stats!;
    const v2 = s.versions.find((v) => v.version === 2)!.stats!;
    expect(v1.drift.hasReference).toBe(true);
    expect(v1.drift.samples).toBeGreaterThanOrEqual(200);
    expect(v1.drift.features).toHaveLength(30);
    // ~230 rows against 2,000: sampling noise alone may reach a warning (PSI 0.1–0.2) on one of 30 features, never an alert
    for (const f of v1.drift.features) expect(f.level).not.toBe("alert");
    expect(Math.max(...v1.drift.features.map((f) => f.psi))).toBeLessThan(0.2);
    expect(v1.alerts.recent).toEqual([]);

    expect(v2.drift.features).toHaveLength(30);
    const alerting = v2.drift.features.filter((f) => f.level === "alert").map((f) => f.feature);
    expect(alerting).toEqual(["f0", "f1", "f2"]);
    for (const f of v2.drift.features.slice(0, 3)) {
      expect(f.psi).toBeGreaterThan(0.2);
      expect(f.ksPValue).toBeLessThan(0.01);
    }
    expect(v2.alerts.active.map((a) => a.feature).sort()).toEqual(["f0", "f1", "f2"]);
    expect(s.alerts.filter((a) => a.active).map((a) => [a.version, a.feature]).sort()).toEqual([[2, "f0"], [2, "f1"], [2, "f2"]]);
    // read again: the same episode, no new alert
    const again = await stats(ana);
    expect(again.alerts).toHaveLength(3);

    // Each raised alert reached the owner's notifications, once per episode (written after the raise: polled).
    const mine = () => createCaller({ db: t.db, user: ana }).monitoring.notifications({ limit: 50 });
    await expect.poll(async () => (await mine()).items.length, { timeout: 5000 }).toBe(3);
    const n = await mine();
    expect(n.unread).toBe(3);
    expect(n.items.map((i) => [i.kind, i.data.model, i.data.version, i.data.feature, i.href, i.read]).sort()).toEqual([
      ["driftAlert", "fraud-detector", 2, "f0", "/models/fraud-detector", false],
      ["driftAlert", "fraud-detector", 2, "f1", "/models/fraud-detector", false],
      ["driftAlert", "fraud-detector", 2, "f2", "/models/fraud-detector", false],
    ]);
    for (const i of n.items) expect(i.data.psi).toBeGreaterThan(0.2);
    // More drifting traffic in the same episode adds none; nobody else is notified.
    for (let k = 0; k < 2; k++) {
      const rows = uniformRows(50, 500 + k).map((r) => r.map((v, i) => (i < 3 ? v + 1.5 : v)));
      expect((await post("/v1/models/fraud-detector/versions/2:predict", { instances: rows.map((r) => Object.fromEntries(FEATURES.map((f, i) => [f, r[i]]))) })).status).toBe(200);
    }
    await stats(ana);
    await new Promise((r) => setTimeout(r, 300));
    expect((await mine()).items).toHaveLength(3);
    expect(await t.db.notification.count({ where: { userId: { not: ana.id } } })).toBe(0);
    // Marked read: one, then the rest.
    const ids = n.items.map((i) => i.id);
    expect(await createCaller({ db: t.db, user: ana }).monitoring.markNotificationsRead({ ids: [ids[0]] })).toEqual({ marked: 1 });
    expect((await mine()).unread).toBe(2);
    expect(await createCaller({ db: t.db, user: bob }).monitoring.markNotificationsRead({ ids })).toEqual({ marked: 0 }); // not his
    expect(await createCaller({ db: t.db, user: ana }).monitoring.markNotificationsRead({ all: true })).toEqual({ marked: 2 });
    expect((await mine()).unread).toBe(0);
  });

  it("only the owner stores a training reference, and only a valid one; the stored one is what drift uses", async () => {
    const set = (user: SessionUser, model: string, reference: unknown, version = 1) => createCaller({ db: t.db, user }).monitoring.setTrainingReference({ model, version, reference });
    await expect(set(ana, "fraud-detector", { features: [{ name: "a", sample: [1, 2, 3] }] })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/sample/) });
    await expect(set(ana, "fraud-detector", "{")).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(set(ana, "fraud-detector", REFERENCE, 9)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(set(teacher, `${ana.id}/fraud-detector`, REFERENCE)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(set(bob, `${ana.id}/fraud-detector`, null)).rejects.toMatchObject({ code: "NOT_FOUND" });
    const stored = await t.db.modelVersion.findMany({ where: { model: { ownerId: ana.id, name: "fraud-detector" } }, select: { trainingReference: true } });
    for (const v of stored) expect(JSON.parse(v.trainingReference!)).toEqual(REFERENCE);
    // removed: no drift measured for the version any more
    expect((await versionStats(1)).drift.features).toHaveLength(30);
    expect(await set(ana, "fraud-detector", null)).toEqual({ version: 1, features: 0 });
    expect((await versionStats(1)).drift).toMatchObject({ hasReference: false, features: [] });
    expect((await t.db.modelVersion.findFirst({ where: { model: { ownerId: ana.id, name: "fraud-detector" }, version: 1 }, select: { trainingReference: true } }))!.trainingReference).toBeNull();
  });

  it("the class's instructor reads the stats by qualified name; a classmate (student) or an unrelated instructor cannot", async () => {
    const byTeacher = await stats(teacher, `${ana.id}/fraud-detector`);
    expect(byTeacher.versions.find((v) => v.version === 1)!.stats!.requests).toBeGreaterThanOrEqual(32);
    await expect(stats(bob, `${ana.id}/fraud-detector`)).rejects.toMatchObject({ code: "NOT_FOUND" });
    // the instructor of another class Ana is a student of oversees her endpoints too; an unrelated instructor does not
    const other = await insertUser(t.db, "instructor", "Grace");
    const stranger = await insertUser(t.db, "instructor", "Linus");
    const c2 = await createCaller({ db: t.db, user: other }).classes.create({ name: "Deploy" });
    await createCaller({ db: t.db, user: ana }).classes.join({ code: c2.joinCode! });
    expect((await stats(other, `${ana.id}/fraud-detector`)).versions.map((v) => v.version)).toEqual([2, 1]);
    await expect(stats(stranger, `${ana.id}/fraud-detector`)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(stats(bob, "fraud-detector")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
  it("in shadow mode the stats show the candidate's disagreement with the live version (last: it changes the routing)", async () => {
    const api = createCaller({ db: t.db, user: ana }).endpoints;
    await api.deploy({ name: "fraud-detector", version: 1 });
    await api.startShadow({ name: "fraud-detector", candidateVersion: 2 });
    await new Promise((r) => setTimeout(r, 1100)); // the serving cache (1 s) sees the new policy
    const before = (await versionStats(1)).requests;
    for (let k = 0; k < 5; k++) {
      const r = await post("/v1/models/fraud-detector:predict", { instances: uniformRows(4, 500 + k) });
      expect(r.status, r.body).toBe(200);
    }
    // copies are sent after the answers: wait for the five comparisons
    let s = await stats(ana);
    for (let i = 0; i < 50 && (s.shadow?.requests ?? 0) < 5; i++) {
      await new Promise((r) => setTimeout(r, 20));
      s = await stats(ana);
    }
    // v2 is v1's model with named inputs and no scaler: the same answers, no disagreement
    expect(s.shadow).toMatchObject({ stableVersion: 1, shadowVersion: 2, requests: 5, errors: 0, rows: 20, disagreeingRows: 0, disagreementRate: 0 });
    // the live answers are v1's, recorded under v1
    expect(s.versions.find((v) => v.version === 1)!.stats!.requests).toBe(before + 5);
  });
});
