// Deployment modes of model endpoints (issue 13 point 4) on SQLite and PostgreSQL: the `endpoints`
// tRPC procedures change the stored policy with an audited event each, rollback restores the state
// before, and the real lean serving routes (a node:http server, real tfjs models in the engine's
// worker) route by it: a classmate calls a shared endpoint, a non-classmate gets 404, a canary
// splits 2,000 requests, shadow never changes an answer while the candidate gets copies, and
// promote/rollback under 8 concurrent callers fail no request.
import type { Server } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listenLean, send, TEST_ORIGIN } from "./helpers/lean-http";
import { createTestDb, insertUser, testProviders, type TestDb } from "./helpers/test-db";
import { predictInProcess, randomRows, tinyModel } from "../unit/serving/tiny-model";
import { createCaller } from "@/lib/server/api/root";
import type { SessionUser } from "@/lib/server/auth";
import { mlflowRoutes } from "@/lib/server/http/mlflow-routes";
import { servingRoutes } from "@/lib/server/http/serving-routes";
import { leanSecurityHeaders } from "@/lib/server/http/security-headers";
import { logArtifact } from "@/lib/server/services/tracking/artifacts";
import { DiskArtifactStore } from "@/lib/server/services/tracking/artifacts/store";
import { createToken } from "@/lib/server/services/tokens";
import { compareOutputs, resetShadowComparison, shadowComparison } from "@/lib/server/services/serving/shadow";
import { createServingEngine, type ServingEngine } from "@/lib/serving/engine/engine";
import { abBucket } from "@/lib/serving/traffic";
import type { ModelBytes } from "@/lib/serving/engine/model-spec";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** The serving view of the policy is reused this long (the production default is 1 s). */
const CACHE_MS = 200;
const settle = () => new Promise((r) => setTimeout(r, CACHE_MS + 60));

let m1: { model: tf.LayersModel; bytes: ModelBytes };
let m2: { model: tf.LayersModel; bytes: ModelBytes };
let engine: ServingEngine;

beforeAll(async () => {
  m1 = await tinyModel(3);
  m2 = await tinyModel(11);
  engine = createServingEngine({ size: 1 });
  await engine.ready();
});
afterAll(() => engine?.close());

describe.each(testProviders)("endpoint deployment modes on %s", (provider) => {
  let t: TestDb;
  let server: Server;
  let port: number;
  let store: DiskArtifactStore;
  const otherServers: Server[] = [];
  let teacher: SessionUser, ana: SessionUser, bob: SessionUser, carl: SessionUser;
  let classId: string;
  const tokens: Record<string, string> = {};
  let artifactDir: string;
  const ORIGIN = TEST_ORIGIN;
  const as = (user: SessionUser) => createCaller({ db: t.db, user });
  const headers = (who: string) => ({ "content-type": "application/json", authorization: `Bearer ${tokens[who]}` });
  const mlflow = async (who: string, path: string, body: unknown) => {
    const r = await send(port, "POST", `/api/2.0/mlflow/${path}`, { headers: headers(who), body: JSON.stringify(body) });
    expect(r.status, r.body).toBe(200);
    return JSON.parse(r.body) as Json;
  };
  const expected = (m: { model: tf.LayersModel }, rows: number[][]) => predictInProcess(m.model, rows).map((r) => r[0]);
  const close = (a: number[], b: number[]) => a.length === b.length && a.every((v, i) => Math.abs(v - b[i]) < 1e-5);
  /** OIP infer on the model (no version): which version answered, and its outputs. */
  const infer = async (rows: number[][], who = "ana", name = "fraud-detector", at = port) => {
    const r = await send(at, "POST", `/v2/models/${encodeURIComponent(name)}/infer`, { headers: headers(who), body: JSON.stringify({ inputs: [{ name: "inputs", shape: [rows.length, 30], datatype: "FP32", data: rows.flat() }] }) });
    return { status: r.status, body: r.body, version: r.status === 200 ? Number((JSON.parse(r.body) as Json).model_version) : null, data: r.status === 200 ? ((JSON.parse(r.body) as Json).outputs[0].data as number[]) : [] };
  };
  const predict = (rows: number[][], who = "ana", name = "fraud-detector") =>
    send(port, "POST", `/v1/models/${encodeURIComponent(name)}:predict`, { headers: headers(who), body: JSON.stringify({ instances: rows }) });

  beforeAll(async () => {
    t = await createTestDb(provider);
    teacher = await insertUser(t.db, "instructor", "Ada");
    const otherTeacher = await insertUser(t.db, "instructor", "Otto");
    ana = await insertUser(t.db, "student", "Ana");
    bob = await insertUser(t.db, "student", "Bob");
    carl = await insertUser(t.db, "student", "Carl");
    for (const [who, user] of [["teacher", teacher], ["ana", ana], ["bob", bob], ["carl", carl]] as const) tokens[who] = (await createToken({ db: t.db, user }, { name: who })).token;
    const c = await as(teacher).classes.create({ name: "MLOps" });
    classId = c.id;
    await as(ana).classes.join({ code: c.joinCode! });
    await as(bob).classes.join({ code: c.joinCode! });
    const other = await as(otherTeacher).classes.create({ name: "Other" });
    await as(carl).classes.join({ code: other.joinCode! });

    artifactDir = mkdtempSync(join(tmpdir(), "cuaderno-endpoints-"));
    store = new DiskArtifactStore(artifactDir);
    const securityHeaders = leanSecurityHeaders([]);
    const routes = [
      ...mlflowRoutes({ db: t.db, store, origin: ORIGIN, securityHeaders }),
      ...servingRoutes({ db: t.db, storage: store, engine: () => engine, origin: ORIGIN, securityHeaders, cacheMs: CACHE_MS, random: seeded(2026) }),
    ];
    ({ server, port } = await listenLean(routes));

    // Ana's run (not filed under the class: the instructor's access comes from her membership) holds two models.
    const run = (await mlflow("ana", "runs/create", { start_time: 1 })).run.info;
    const enc = new TextEncoder();
    for (const [dir, m] of [["m1", m1], ["m2", m2]] as const) {
      await logArtifact({ db: t.db, user: ana }, { runId: run.run_id, path: `${dir}/model.json`, data: enc.encode(m.bytes.modelJson) }, store);
      await logArtifact({ db: t.db, user: ana }, { runId: run.run_id, path: `${dir}/weights.bin`, data: new Uint8Array(m.bytes.weights) }, store);
    }
    for (const name of ["fraud-detector", "audit-demo"]) {
      await mlflow("ana", "registered-models/create", { name });
      await mlflow("ana", "model-versions/create", { name, source: `runs:/${run.run_id}/m1` }); // v1
      await mlflow("ana", "model-versions/create", { name, source: `runs:/${run.run_id}/m2` }); // v2
      await mlflow("ana", "model-versions/create", { name, source: `runs:/${run.run_id}/m1` }); // v3 (same files as v1)
    }
  });
  afterAll(async () => {
    server?.close();
    for (const s of otherServers) s.close();
    await t?.drop();
    if (artifactDir) rmSync(artifactDir, { recursive: true, force: true });
  });

  it("each action changes the endpoint and writes one audited event (who, when, from → to)", async () => {
    const api = as(ana).endpoints;
    const name = "audit-demo";
    const fresh = await api.get({ name });
    expect(fresh).toMatchObject({ name, ownerId: ana.id, visibility: "private", mode: "single", stableVersion: null, servingVersion: 3, versions: [1, 2, 3], updatedAt: null });

    expect(await api.deploy({ name, version: 1 })).toMatchObject({ mode: "single", stableVersion: 1, servingVersion: 1 });
    expect(await api.startCanary({ name, candidateVersion: 2, percent: 10 })).toMatchObject({ mode: "canary", stableVersion: 1, candidateVersion: 2, canaryPercent: 10 });
    expect(await api.setCanaryPercent({ name, percent: 40 })).toMatchObject({ mode: "canary", canaryPercent: 40 });
    expect(await api.promote({ name })).toMatchObject({ mode: "single", stableVersion: 2, candidateVersion: null, canaryPercent: 0 });
    expect(await api.startShadow({ name, candidateVersion: 3 })).toMatchObject({ mode: "shadow", stableVersion: 2, candidateVersion: 3 });
    expect(await api.startAb({ name, candidateVersion: 1, percent: 30 })).toMatchObject({ mode: "ab", stableVersion: 2, candidateVersion: 1, abPercent: 30 });
    expect(await api.switchBlueGreen({ name, version: 3 })).toMatchObject({ mode: "blue-green", stableVersion: 2, candidateVersion: 3, liveColor: "green", servingVersion: 3 });
    expect(await api.switchBlueGreen({ name })).toMatchObject({ mode: "blue-green", liveColor: "blue", servingVersion: 2 });
    expect(await api.setVisibility({ name, visibility: "class" })).toMatchObject({ visibility: "class", mode: "blue-green" });

    const events = await api.events({ name });
    expect(events.map((e) => e.action)).toEqual(["visibility", "blue-green-switch", "blue-green-switch", "ab", "shadow", "promote", "canary-percent", "canary", "deploy"]);
    for (const e of events) {
      expect(e.actorId).toBe(ana.id);
      expect(e.timestamp).toBeGreaterThan(Date.now() - 60_000);
    }
    // each event's from is the previous event's to
    for (let i = 0; i + 1 < events.length; i++) expect(events[i].from).toEqual(events[i + 1].to);
    expect(events.at(-1)!.from).toMatchObject({ mode: "single", stableVersion: null, visibility: "private" });
    expect(events[0].from.visibility).toBe("private");
    expect(events[0].to.visibility).toBe("class");
    expect(events[5]).toMatchObject({ action: "promote", from: { mode: "canary", stableVersion: 1, candidateVersion: 2, canaryPercent: 40 }, to: { mode: "single", stableVersion: 2 } });
    // the instructor reads the audit log and the class's endpoints; a classmate reads neither log
    expect((await as(teacher).endpoints.events({ name: `${ana.id}/${name}` })).length).toBe(9);
    await expect(as(bob).endpoints.events({ name: `${ana.id}/${name}` })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const listed = await as(teacher).endpoints.listClass({ classId });
    const anaRow = listed.find((s) => s.student.id === ana.id)!;
    expect(anaRow.student.name).toBe("Ana");
    expect(anaRow.endpoints.map((e) => [e.name, e.mode])).toEqual([
      [`${ana.id}/audit-demo`, "blue-green"],
      [`${ana.id}/fraud-detector`, "single"],
    ]);
    expect(listed.find((s) => s.student.id === bob.id)!.endpoints).toEqual([]);
    await expect(as(carl).endpoints.listClass({ classId })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await as(ana).endpoints.listMine()).map((e) => e.name)).toEqual(["audit-demo", "fraud-detector"]);
  });

  it("rollback restores the state before the last change; twice undoes two; visibility is not rolled back", async () => {
    const api = as(ana).endpoints;
    const name = "audit-demo";
    const before = await api.get({ name }); // blue-green, live blue (2), visibility class
    await api.startCanary({ name, candidateVersion: 1, percent: 25 });
    const afterCanary = await api.get({ name });
    await api.promote({ name });
    const back = await api.rollback({ name });
    expect(back).toMatchObject({ mode: "canary", stableVersion: afterCanary.stableVersion, candidateVersion: 1, canaryPercent: 25, visibility: "class" });
    const back2 = await api.rollback({ name });
    expect(back2).toMatchObject({ mode: before.mode, stableVersion: before.stableVersion, candidateVersion: before.candidateVersion, liveColor: before.liveColor, visibility: "class" });
    const events = await api.events({ name, limit: 3 });
    expect(events.map((e) => e.action)).toEqual(["rollback", "rollback", "promote"]);
    expect(events[0].to).toMatchObject({ mode: "blue-green" });
    expect(events[0].from).toMatchObject({ mode: "canary" });
  });

  it("writes are the owner's; bad versions and bounds are refused with a clear error and change nothing", async () => {
    const name = "audit-demo";
    const before = await as(ana).endpoints.get({ name });
    const count = (await as(ana).endpoints.events({ name, limit: 1000 })).length;
    // a classmate (the endpoint is shared with the class) can read it but not change it
    await expect(as(bob).endpoints.deploy({ name: `${ana.id}/${name}`, version: 1 })).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(/Only the owner/) });
    await expect(as(carl).endpoints.deploy({ name: `${ana.id}/${name}`, version: 1 })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(as(teacher).endpoints.promote({ name: `${ana.id}/${name}` })).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(/Only the owner/) });
    await expect(as(ana).endpoints.deploy({ name, version: 9 })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/Version 9 cannot be deployed/) });
    await expect(as(ana).endpoints.startCanary({ name, candidateVersion: 2, percent: 101 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(as(ana).endpoints.setCanaryPercent({ name, percent: 30 })).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/not running a canary/) });
    await expect(as(ana).endpoints.deploy({ name: "no-such-model", version: 1 })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await as(ana).endpoints.deploy({ name, version: 2 });
    await expect(as(ana).endpoints.startShadow({ name, candidateVersion: 2 })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/already the version serving/) });
    await expect(as(ana).endpoints.promote({ name })).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/Nothing to promote/) });
    await as(ana).endpoints.rollback({ name });
    expect(await as(ana).endpoints.get({ name })).toEqual({ ...before, updatedAt: expect.any(Number) });
    expect((await as(ana).endpoints.events({ name, limit: 1000 })).length).toBe(count + 2);
  });

  it("visibility: a classmate calls a shared endpoint through the serving routes, a non-classmate gets 404, private hides it again", async () => {
    const qualified = `${ana.id}/fraud-detector`;
    const rows = randomRows(3, 30, 21);
    expect((await predict(rows, "bob", qualified)).status).toBe(404);
    // the instructor of the owner's class always may
    const byTeacher = await predict(rows, "teacher", qualified);
    expect(byTeacher.status, byTeacher.body).toBe(200);
    await as(ana).endpoints.setVisibility({ name: "fraud-detector", visibility: "class" });
    await as(ana).endpoints.deploy({ name: "fraud-detector", version: 1 });
    await settle();
    const byBob = await predict(rows, "bob", qualified);
    expect(byBob.status, byBob.body).toBe(200);
    expect(close((JSON.parse(byBob.body) as Json).predictions, expected(m1, rows))).toBe(true);
    expect((await as(bob).endpoints.get({ name: qualified })).mode).toBe("single");
    const byCarl = await predict(rows, "carl", qualified);
    expect(byCarl.status).toBe(404);
    expect(Object.keys(JSON.parse(byCarl.body))).toEqual(["error"]);
    await expect(as(carl).endpoints.get({ name: qualified })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await as(ana).endpoints.setVisibility({ name: "fraud-detector", visibility: "private" });
    await settle();
    expect((await predict(rows, "bob", qualified)).status).toBe(404);
  });

  it("canary over HTTP: 2,000 requests, 20 % to the candidate within ±3 %, each answered by the version it names", async () => {
    await as(ana).endpoints.deploy({ name: "fraud-detector", version: 1 });
    await as(ana).endpoints.startCanary({ name: "fraud-detector", candidateVersion: 2, percent: 20 });
    await settle();
    const rows = randomRows(1, 30, 22);
    const want = { 1: expected(m1, rows), 2: expected(m2, rows) } as Record<number, number[]>;
    const counts: Record<number, number> = {};
    let next = 0;
    const worker = async () => {
      while (next < 2000) {
        next++;
        const r = await infer(rows);
        expect(r.status, r.body).toBe(200);
        counts[r.version!] = (counts[r.version!] ?? 0) + 1;
        expect(close(r.data, want[r.version!])).toBe(true);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect((counts[1] ?? 0) + (counts[2] ?? 0)).toBe(2000);
    expect(Math.abs(((counts[2] ?? 0) / 2000) * 100 - 20)).toBeLessThanOrEqual(3);
    // an explicit version bypasses the split
    const pinned = await send(port, "POST", "/v2/models/fraud-detector/versions/1/infer", { headers: headers("ana"), body: JSON.stringify({ inputs: [{ name: "inputs", shape: [1, 30], datatype: "FP32", data: rows.flat() }] }) });
    expect((JSON.parse(pinned.body) as Json).model_version).toBe("1");
  }, 120_000);

  it("A/B over HTTP: each caller keeps the arm its stable hash gives, request after request", async () => {
    await as(ana).endpoints.deploy({ name: "fraud-detector", version: 1 });
    await as(ana).endpoints.startAb({ name: "fraud-detector", candidateVersion: 2, percent: 50 });
    await settle();
    const endpointId = (await t.db.registeredModel.findFirstOrThrow({ where: { ownerId: ana.id, name: "fraud-detector" } })).id;
    const rows = randomRows(1, 30, 24);
    for (const [who, user, name] of [["ana", ana, "fraud-detector"], ["teacher", teacher, `${ana.id}/fraud-detector`]] as const) {
      const arm = abBucket(user.id, endpointId) < 50 ? 2 : 1;
      for (let i = 0; i < 20; i++) {
        const r = await infer(rows, who, name);
        expect(r.status, r.body).toBe(200);
        expect(r.version).toBe(arm);
      }
    }
  });

  it("two server instances on one database route alike: a change is served by both within 1 s (default cache), A/B arms agree", async () => {
    // a second instance with the production default (1 s view) and its own canary draws; same database, same engine pool
    const second = await listenLean(servingRoutes({ db: t.db, storage: store, engine: () => engine, origin: ORIGIN, securityHeaders: leanSecurityHeaders([]) }));
    otherServers.push(second.server);
    const rows = randomRows(1, 30, 25);
    await as(ana).endpoints.deploy({ name: "fraud-detector", version: 1 });
    await new Promise((r) => setTimeout(r, 1100));
    expect((await infer(rows, "ana", "fraud-detector", second.port)).version).toBe(1);
    expect((await infer(rows)).version).toBe(1);
    await as(ana).endpoints.switchBlueGreen({ name: "fraud-detector", version: 2 });
    const changedAt = Date.now(); // committed
    // every request sent 1 s or more after the change is answered by the new live version, on both instances
    const poll = async (at: number) => {
      const late: (number | null)[] = [];
      for (let sentAt = Date.now(); late.length === 0 || sentAt - changedAt < 1400; sentAt = Date.now()) {
        const v = (await infer(rows, "ana", "fraud-detector", at)).version;
        if (sentAt - changedAt >= 1000) late.push(v);
        await new Promise((r) => setTimeout(r, 10));
      }
      return late;
    };
    for (const late of await Promise.all([poll(port), poll(second.port)])) {
      expect(late.length).toBeGreaterThan(0);
      expect(late.every((v) => v === 2), JSON.stringify(late)).toBe(true);
    }
    await as(ana).endpoints.startAb({ name: "fraud-detector", candidateVersion: 1, percent: 50 });
    await new Promise((r) => setTimeout(r, 1100));
    for (const [who, name] of [["ana", "fraud-detector"], ["teacher", `${ana.id}/fraud-detector`]] as const) {
      expect((await infer(rows, who, name, second.port)).version).toBe((await infer(rows, who, name)).version);
    }
  });

  it("shadow: every answer is the stable version's; the candidate gets a copy of each request, compared and counted", async () => {
    await as(ana).endpoints.deploy({ name: "fraud-detector", version: 1 });
    await as(ana).endpoints.startShadow({ name: "fraud-detector", candidateVersion: 2 });
    await settle();
    const endpointId = (await t.db.registeredModel.findFirstOrThrow({ where: { ownerId: ana.id, name: "fraud-detector" } })).id;
    resetShadowComparison(endpointId);
    let rowsSent = 0;
    let disagreements = 0;
    for (let i = 0; i < 40; i++) {
      const rows = randomRows(1 + (i % 5), 30, 100 + i);
      const r = await predict(rows);
      expect(r.status, r.body).toBe(200);
      expect(close((JSON.parse(r.body) as Json).predictions, expected(m1, rows))).toBe(true);
      rowsSent += rows.length;
      disagreements += compareOutputs(predictInProcess(m1.model, rows), predictInProcess(m2.model, rows)).disagreeing;
    }
    // copies are fire-and-forget: wait for them to land
    for (let i = 0; i < 100 && (shadowComparison(endpointId)?.requests ?? 0) < 40; i++) await new Promise((r) => setTimeout(r, 20));
    const c = shadowComparison(endpointId)!;
    expect(c).toMatchObject({ stableVersion: 1, shadowVersion: 2, requests: 40, errors: 0, rows: rowsSent, disagreeingRows: disagreements });
    expect(c.maxAbsDiff).toBeGreaterThan(0); // two different models
    // a request naming a version sends no copy
    await send(port, "POST", "/v1/models/fraud-detector/versions/1:predict", { headers: headers("ana"), body: JSON.stringify({ instances: randomRows(1) }) });
    await new Promise((r) => setTimeout(r, 100));
    expect(shadowComparison(endpointId)!.requests).toBe(40);
  });

  it("the audit log outlives the model: deleting it keeps its events (model detached, name kept) and drops its endpoint", async () => {
    const m = await t.db.registeredModel.findFirstOrThrow({ where: { ownerId: ana.id, name: "audit-demo" }, select: { id: true } });
    const events = await t.db.deploymentEvent.count({ where: { modelId: m.id } });
    expect(events).toBeGreaterThan(5);
    const del = await send(port, "DELETE", "/api/2.0/mlflow/registered-models/delete", { headers: headers("ana"), body: JSON.stringify({ name: "audit-demo" }) });
    expect(`${del.status} ${del.body}`).toBe("200 {}");
    expect(await t.db.endpoint.count({ where: { modelId: m.id } })).toBe(0);
    expect(await t.db.deploymentEvent.count({ where: { modelId: null, modelName: "audit-demo", ownerId: ana.id } })).toBe(events);
    await expect(as(ana).endpoints.get({ name: "audit-demo" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("promote and rollback while 8 callers send requests: 0 failed requests, every answer one version's", async () => {
    await as(ana).endpoints.deploy({ name: "fraud-detector", version: 1 });
    await settle();
    const rows = randomRows(2, 30, 23);
    const valid = [expected(m1, rows), expected(m2, rows)];
    let stop = false;
    let ok = 0;
    const byVersion = [0, 0];
    const failures: string[] = [];
    const caller = async () => {
      while (!stop) {
        const r = await predict(rows);
        if (r.status !== 200) failures.push(`${r.status} ${r.body}`);
        else {
          const i = valid.findIndex((v) => close((JSON.parse(r.body) as Json).predictions, v));
          if (i < 0) failures.push(`unexpected ${r.body}`);
          else {
            ok++;
            byVersion[i]++;
          }
        }
      }
    };
    const callers = Array.from({ length: 8 }, caller);
    const api = as(ana).endpoints;
    const steps = [
      () => api.startCanary({ name: "fraud-detector", candidateVersion: 2, percent: 10 }),
      () => api.setCanaryPercent({ name: "fraud-detector", percent: 50 }),
      () => api.promote({ name: "fraud-detector" }),
      () => api.rollback({ name: "fraud-detector" }),
      () => api.rollback({ name: "fraud-detector" }),
      () => api.switchBlueGreen({ name: "fraud-detector", version: 2 }),
      () => api.switchBlueGreen({ name: "fraud-detector" }),
      () => api.rollback({ name: "fraud-detector" }),
    ];
    for (const step of steps) {
      await step();
      await new Promise((r) => setTimeout(r, CACHE_MS));
    }
    await settle();
    stop = true;
    await Promise.all(callers);
    expect(failures).toEqual([]);
    expect(ok).toBeGreaterThan(50);
    // the changes really moved traffic: both versions answered during the run
    expect(byVersion[0]).toBeGreaterThan(0);
    expect(byVersion[1]).toBeGreaterThan(0);
  }, 60_000);
});
