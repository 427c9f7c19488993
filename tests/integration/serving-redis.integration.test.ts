// Several server instances sharing serving state through Redis (issue 13 point 8), on SQLite and
// PostgreSQL, against the real Redis at REDIS_TEST_URL (default redis://127.0.0.1:6379; every key
// and channel under a prefix unique to this run, deleted at the end). Four "instances" in this
// process, each its own lean serving routes, traffic recorder, policy bus and Redis link on one
// database: A and B share through Redis, C has no Redis (its 1 s view), D's Redis is down (a
// closed port). A and B keep a caller's view of a model for a minute, so a change they serve
// within the test came through Redis, not from their view expiring. A canary started through
// the `endpoints` API is served by B within 1 s (issue 13's bound; a few ms here), and so are
// registry changes made through A's MLflow REST routes (a new version, an alias) (C keeps its
// view up to 1 s); requests on A and B are all in the stats read on B; D answers every
// prediction and its stats fall back to its own traffic, the outage logged once.
import type { Server } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisRun } from "./helpers/redis-run";
import { listenLean, send, TEST_ORIGIN } from "./helpers/lean-http";
import { createTestDb, insertUser, testProviders, type TestDb } from "./helpers/test-db";
import { randomRows, tinyModel } from "../unit/serving/tiny-model";
import { createCaller } from "@/lib/server/api/root";
import type { SessionUser } from "@/lib/server/auth";
import { mlflowRoutes } from "@/lib/server/http/mlflow-routes";
import { servingRoutes } from "@/lib/server/http/serving-routes";
import { leanSecurityHeaders } from "@/lib/server/http/security-headers";
import { createRedisLink, useProcessRedis, type RedisLink } from "@/lib/server/redis";
import { logArtifact } from "@/lib/server/services/tracking/artifacts";
import { DiskArtifactStore } from "@/lib/server/services/tracking/artifacts/store";
import { createToken } from "@/lib/server/services/tokens";
import { createPolicyInvalidations } from "@/lib/server/services/serving/invalidation";
import { endpointStats, monitorKey } from "@/lib/server/services/serving/monitoring";
import { createSharedMetrics, type SharedMetrics } from "@/lib/server/services/serving/shared-metrics";
import { resetShadowComparison, shadowComparison } from "@/lib/server/services/serving/shadow";
import { createServingEngine, type ServingEngine } from "@/lib/serving/engine/engine";
import type { ModelBytes } from "@/lib/serving/engine/model-spec";
import { TrafficRecorder } from "@/lib/serving/monitoring/recorder";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const redis = redisRun();
const PREFIX = redis.prefix;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A and B's view of a model (ms): longer than the test, so a change they serve came through Redis. */
const LONG_VIEW_MS = 60_000;

let m1: { model: tf.LayersModel; bytes: ModelBytes };
let m2: { model: tf.LayersModel; bytes: ModelBytes };
let engine: ServingEngine;
/** The process's link: the `endpoints` actions publish through it. */
let processLink: RedisLink;

beforeAll(async () => {
  processLink = await redis.liveLink();
  useProcessRedis(processLink);
  m1 = await tinyModel(3);
  m2 = await tinyModel(11);
  engine = createServingEngine({ size: 1 });
  await engine.ready();
});

afterAll(async () => {
  await engine?.close();
  useProcessRedis(null);
  await redis.cleanUp();
});

describe.each(testProviders)("serving instances sharing through Redis on %s", (provider) => {
  let t: TestDb;
  let store: DiskArtifactStore;
  let artifactDir: string;
  let ana: SessionUser;
  const tokens: Record<string, string> = {};
  const servers: Server[] = [];
  const shared: SharedMetrics[] = [];
  const ORIGIN = TEST_ORIGIN;
  const headers = (who: string) => ({ "content-type": "application/json", authorization: `Bearer ${tokens[who]}` });
  const as = (user: SessionUser) => createCaller({ db: t.db, user });
  const name = `fraud-${provider}`;

  interface Instance {
    port: number;
    recorder: TrafficRecorder;
    shared: SharedMetrics | null;
  }
  let A: Instance, B: Instance, C: Instance, D: Instance;
  const downLog: string[] = [];

  /**
   * `shadow`: this instance pushes the process's shadow comparisons (one per process, as in production).
   * `cacheMs`: how long it reuses a caller's view of a model (the production default, 1 s, unless given).
   */
  async function instance(link: RedisLink | null, { shadow = false, cacheMs }: { shadow?: boolean; cacheMs?: number } = {}): Promise<Instance> {
    const recorder = new TrafficRecorder();
    const metrics = link ? createSharedMetrics(link, recorder, { shadow }) : null;
    if (metrics) shared.push(metrics);
    const securityHeaders = leanSecurityHeaders([]);
    const { server, port } = await listenLean([
      ...mlflowRoutes({ db: t.db, store, origin: ORIGIN, securityHeaders }),
      // each its own view lifetime, policy bus and recorder
      ...servingRoutes({ db: t.db, storage: store, engine: () => engine, origin: ORIGIN, securityHeaders, invalidations: createPolicyInvalidations(link), monitor: recorder, cacheMs }),
    ]);
    servers.push(server);
    return { port, recorder, shared: metrics };
  }

  /** OIP infer naming no version: which version answered. */
  const infer = async (at: Instance, rows = randomRows(1, 30, 5)) => {
    const r = await send(at.port, "POST", `/v2/models/${name}/infer`, { headers: headers("ana"), body: JSON.stringify({ inputs: [{ name: "inputs", shape: [rows.length, 30], datatype: "FP32", data: rows.flat() }] }) });
    expect(r.status, r.body).toBe(200);
    return Number((JSON.parse(r.body) as Json).model_version);
  };
  const predictV1 = (at: Instance, rows: number[][]) => send(at.port, "POST", `/v1/models/${name}/versions/1:predict`, { headers: headers("ana"), body: JSON.stringify({ instances: rows }) });

  beforeAll(async () => {
    t = await createTestDb(provider);
    ana = await insertUser(t.db, "student", "Ana");
    tokens.ana = (await createToken({ db: t.db, user: ana }, { name: "ana" })).token;
    artifactDir = mkdtempSync(join(tmpdir(), "cuaderno-serving-redis-"));
    store = new DiskArtifactStore(artifactDir);
    // A view that outlives the test: only Redis can bring A and B a change.
    A = await instance(await redis.liveLink(), { shadow: true, cacheMs: LONG_VIEW_MS });
    B = await instance(await redis.liveLink(), { cacheMs: LONG_VIEW_MS });
    C = await instance(null);
    const down = createRedisLink({ url: "redis://127.0.0.1:1", prefix: PREFIX, connectTimeoutMs: 300, maxBackoffMs: 200, log: (m) => downLog.push(m) });
    redis.track(down);
    D = await instance(down);

    const mlflow = async (path: string, body: unknown) => {
      const r = await send(A.port, "POST", `/api/2.0/mlflow/${path}`, { headers: headers("ana"), body: JSON.stringify(body) });
      expect(r.status, r.body).toBe(200);
      return JSON.parse(r.body) as Json;
    };
    const run = (await mlflow("runs/create", { start_time: 1 })).run.info;
    const enc = new TextEncoder();
    for (const [dir, m] of [["m1", m1], ["m2", m2]] as const) {
      await logArtifact({ db: t.db, user: ana }, { runId: run.run_id, path: `${dir}/model.json`, data: enc.encode(m.bytes.modelJson) }, store);
      await logArtifact({ db: t.db, user: ana }, { runId: run.run_id, path: `${dir}/weights.bin`, data: new Uint8Array(m.bytes.weights) }, store);
    }
    await mlflow("registered-models/create", { name });
    await mlflow("model-versions/create", { name, source: `runs:/${run.run_id}/m1` }); // v1
    await mlflow("model-versions/create", { name, source: `runs:/${run.run_id}/m2` }); // v2
  });

  afterAll(async () => {
    for (const s of servers) s.close();
    for (const s of shared) s.stop();
    await t?.drop();
    if (artifactDir) rmSync(artifactDir, { recursive: true, force: true });
  });

  it("a canary started through the API is served by the other instance within 1 s through Redis (its own view would last a minute); without Redis the 1 s view holds", async () => {
    await as(ana).endpoints.deploy({ name, version: 1 });
    await sleep(1100);
    // every instance now holds a fresh view (v1) that would live for another second
    // one after the other: the instances share this process's engine, and an instance's first use of a version registers it anew
    expect([await infer(A), await infer(B), await infer(C)]).toEqual([1, 1, 1]);
    const viewsAt = Date.now();
    await as(ana).endpoints.startCanary({ name, candidateVersion: 2, percent: 100 });
    const changedAt = Date.now();
    let servedAt = 0;
    while (Date.now() - changedAt < 1000) {
      if ((await infer(B)) === 2) {
        servedAt = Date.now();
        break;
      }
      await sleep(5);
    }
    expect(servedAt, "instance B never served the canary").toBeGreaterThan(0);
    expect(servedAt - changedAt).toBeLessThan(1000);
    console.log(`[serving-redis ${provider}] canary served by B ${servedAt - changedAt} ms after the change`);
    expect(await infer(A)).toBe(2);
    // C (no Redis) keeps the view it read before the change until it is 1 s old, then reads the new policy
    if (Date.now() - viewsAt < 800) expect(await infer(C)).toBe(1);
    await sleep(Math.max(0, viewsAt + 1100 - Date.now()));
    expect(await infer(C)).toBe(2);
  });

  it("requests on A and B all appear in the stats read on B (and on A); a second's counts expire after 15 minutes", async () => {
    const ctx = { db: t.db, user: ana };
    const rowsA = randomRows(2, 30, 41);
    const rowsB = randomRows(3, 30, 42);
    for (let i = 0; i < 5; i++) expect((await predictV1(A, rowsA)).status).toBe(200);
    for (let i = 0; i < 7; i++) expect((await predictV1(B, rowsB)).status).toBe(200);
    const key = monitorKey(ana.id, name, 1);
    expect(A.recorder.stats(key, 60_000).requests).toBeGreaterThanOrEqual(5); // each recorder has only its own
    const local = (r: TrafficRecorder) => r.stats(key, 60_000);
    // A's and B's requests to v1 (these and the earlier ones before the canary) — not C's or D's
    const expected = local(A.recorder).requests + local(B.recorder).requests;
    expect(local(C.recorder).requests).toBeGreaterThan(0); // C served v1 too, alone
    // B reads at once: its own counts are flushed with the read, A's arrive with A's next push (every second)
    let v1: Json | null = null;
    const started = Date.now();
    while (Date.now() - started < 3000) {
      const stats = await endpointStats(ctx, { model: name, windowSeconds: 60 }, B.recorder, B.shared);
      expect(stats.traffic).toBe("shared");
      v1 = stats.versions.find((v) => v.version === 1)!.stats as Json;
      if (v1?.requests >= expected) break;
      await sleep(100);
    }
    expect(v1).not.toBeNull();
    expect(v1!.requests).toBe(expected);
    expect(v1!.rows).toBe(local(A.recorder).rows + local(B.recorder).rows);
    expect(v1!.predictions.count).toBe(local(A.recorder).predictions.count + local(B.recorder).predictions.count);
    expect((v1!.predictions.histogram as number[]).reduce((a, b) => a + b, 0) + v1!.predictions.outsideUnit).toBe(v1!.predictions.count);
    expect(v1!.latencyMs.p50).not.toBeNull();
    expect(v1!.latencyMs.p99).toBeGreaterThanOrEqual(v1!.latencyMs.p50);
    expect(v1!.errors).toBe(0);
    const onA = await endpointStats(ctx, { model: name, windowSeconds: 60 }, A.recorder, A.shared);
    expect(onA.versions.find((v) => v.version === 1)!.stats!.requests).toBe(expected);
    // the stored seconds expire
    const [second] = await processLink.client.zrange(`${PREFIX}serving:mi:${key}`, 0, 0);
    const ttl = await processLink.client.ttl(`${PREFIX}serving:m:${key}:${second}`);
    expect(ttl).toBeGreaterThan(800);
    expect(ttl).toBeLessThanOrEqual(900);
  });

  it("Redis down: predictions still answer, stats fall back to the instance's own traffic, the outage is logged once", async () => {
    const ctx = { db: t.db, user: ana };
    for (let i = 0; i < 6; i++) expect((await predictV1(D, randomRows(1, 30, 60 + i))).status).toBe(200);
    expect(await infer(D)).toBe(2); // the canary, read from the database
    await sleep(1200); // pushes and reconnection attempts fail meanwhile
    const stats = await endpointStats(ctx, { model: name, windowSeconds: 60 }, D.recorder, D.shared);
    expect(stats.traffic).toBe("local");
    expect(stats.versions.find((v) => v.version === 1)!.stats!.requests).toBe(6);
    expect(stats.versions.find((v) => v.version === 2)!.stats!.requests).toBe(1);
    expect(downLog.length).toBe(1);
    expect(downLog[0]).toMatch(/redis:\/\/127\.0\.0\.1:1 unavailable/);
  });

  it("registry changes (a new version, an alias set or removed) reach the other instance within 1 s through Redis (its own view would last a minute)", async () => {
    const reg = `${name}-registry`;
    const mlflowOn = async (at: Instance, path: string, body: unknown, method = "POST") => {
      const r = await send(at.port, method, `/api/2.0/mlflow/${path}`, { headers: headers("ana"), body: JSON.stringify(body) });
      expect(r.status, r.body).toBe(200);
      return JSON.parse(r.body) as Json;
    };
    const inferOn = async (at: Instance, path: string) => {
      const rows = randomRows(1, 30, 7);
      return send(at.port, "POST", `/v2/models/${path}/infer`, { headers: headers("ana"), body: JSON.stringify({ inputs: [{ name: "inputs", shape: [1, 30], datatype: "FP32", data: rows.flat() }] }) });
    };
    const servedBy = async (at: Instance) => Number((JSON.parse((await inferOn(at, reg)).body) as Json).model_version);
    /** How long B takes to see `changed` hold after a write made through A (ms); fails past 1 s. */
    const seenWithin = async (changed: () => Promise<boolean>, write: () => Promise<unknown>) => {
      await write();
      const at = Date.now();
      while (Date.now() - at < 1000) {
        if (await changed()) return Date.now() - at;
        await sleep(5);
      }
      throw new Error("instance B never saw the registry change");
    };
    const runId = (await t.db.modelVersion.findFirstOrThrow({ where: { model: { ownerId: ana.id, name } }, select: { runId: true } })).runId!;
    await mlflowOn(A, "registered-models/create", { name: reg });
    await mlflowOn(A, "model-versions/create", { name: reg, source: `runs:/${runId}/m1` });
    await sleep(1100);
    expect(await servedBy(B)).toBe(1); // B's view of the model: v1 alone, kept for a minute
    // Timed on B's view (TF Serving's status routes), not on loading a model into the engine.
    const versionsOnB = async () => ((JSON.parse((await send(B.port, "GET", `/v1/models/${reg}`, { headers: headers("ana") })).body) as Json).model_version_status as { version: string }[]).map((v) => v.version);
    expect(await versionsOnB()).toEqual(["1"]);
    // a new version (no endpoint row: the newest serves)
    const seen: number[] = [];
    seen.push(await seenWithin(async () => (await versionsOnB()).includes("2"), () => mlflowOn(A, "model-versions/create", { name: reg, source: `runs:/${runId}/m2` })));
    expect(await servedBy(B)).toBe(2);
    // an alias: unknown label (404) on B until it is set, then known at once, and gone at once when removed
    const labelled = async () => (await send(B.port, "GET", `/v1/models/${reg}/labels/champion`, { headers: headers("ana") })).status === 200;
    expect(await labelled()).toBe(false);
    seen.push(await seenWithin(labelled, () => mlflowOn(A, "registered-models/alias", { name: reg, alias: "champion", version: "1" })));
    expect((await send(B.port, "POST", `/v1/models/${reg}/labels/champion:predict`, { headers: headers("ana"), body: JSON.stringify({ instances: randomRows(1, 30, 8) }) })).status).toBe(200);
    seen.push(await seenWithin(async () => !(await labelled()), () => mlflowOn(A, "registered-models/alias", { name: reg, alias: "champion" }, "DELETE")));
    console.log(`[serving-redis ${provider}] seen by B after the write: new version ${seen[0]} ms, alias set ${seen[1]} ms, alias removed ${seen[2]} ms`);
  });

  it("shadow: the comparison's counts are pushed to Redis and read back by another instance's stats", async () => {
    const ctx = { db: t.db, user: ana };
    await as(ana).endpoints.deploy({ name, version: 1 });
    await as(ana).endpoints.startShadow({ name, candidateVersion: 2 }); // A and B drop their views at once
    const endpointId = (await t.db.registeredModel.findFirstOrThrow({ where: { ownerId: ana.id, name } })).id;
    resetShadowComparison(endpointId);
    for (let i = 0; i < 4; i++) expect(await infer(A, randomRows(2, 30, 80 + i))).toBe(1);
    for (let i = 0; i < 3; i++) expect(await infer(B, randomRows(2, 30, 90 + i))).toBe(1);
    const started = Date.now();
    while ((shadowComparison(endpointId)?.requests ?? 0) < 7 && Date.now() - started < 3000) await sleep(20); // copies are fire and forget
    const here = shadowComparison(endpointId)!;
    expect(here).toMatchObject({ stableVersion: 1, shadowVersion: 2, requests: 7, rows: 14, errors: 0 });
    // A pushes the process's comparison with its next push (every second)
    const stored = async () => Number((await processLink.client.hgetall(`${PREFIX}serving:sh:${endpointId}:1:2`)).requests ?? 0);
    while ((await stored()) < 7 && Date.now() - started < 4000) await sleep(100);
    expect(await stored()).toBe(7);
    // an instance that compared nothing itself (this process's counts forgotten) shows every instance's, for the endpoint's current pair
    resetShadowComparison(endpointId);
    const stats = await endpointStats(ctx, { model: name, windowSeconds: 60 }, B.recorder, B.shared);
    expect(stats.shadow).toMatchObject({ endpointId, stableVersion: 1, shadowVersion: 2, requests: 7, rows: 14, errors: 0, disagreeingRows: here.disagreeingRows });
    expect(stats.shadow!.maxAbsDiff).toBeCloseTo(here.maxAbsDiff, 6);
    expect(stats.shadow!.disagreementRate).toBeCloseTo(here.disagreeingRows / 14, 9);
    // without Redis only this instance's (none now)
    expect((await endpointStats(ctx, { model: name, windowSeconds: 60 }, C.recorder, C.shared)).shadow).toBeNull();
  });
});
