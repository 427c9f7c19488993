// Drift over every instance's traffic (issue 13 point 8), on SQLite and PostgreSQL, against the
// real Redis at REDIS_TEST_URL (default redis://127.0.0.1:6379; keys under a prefix unique to this
// run, deleted at the end). Two instances in this process, A and B, each its own lean serving
// routes, traffic recorder and metrics sharing on one database. Drifting traffic (feature x0 moved
// up) is split between them: 150 rows each, under the 200 rows one instance needs to test drift,
// 300 together. Drift and its alert are seen on A and on B over all 300 rows, and the owner gets
// one notification although both instances raise the episode.
import type { Server } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisRun } from "./helpers/redis-run";
import { listenLean, send, TEST_ORIGIN, type Reply } from "./helpers/lean-http";
import { createTestDb, insertUser, testProviders, type TestDb } from "./helpers/test-db";
import { randomRows, tinyModel } from "../unit/serving/tiny-model";
import { createCaller } from "@/lib/server/api/root";
import type { SessionUser } from "@/lib/server/auth";
import { mlflowRoutes } from "@/lib/server/http/mlflow-routes";
import { servingRoutes } from "@/lib/server/http/serving-routes";
import { leanSecurityHeaders } from "@/lib/server/http/security-headers";
import { useProcessRedis, type RedisLink } from "@/lib/server/redis";
import { logArtifact } from "@/lib/server/services/tracking/artifacts";
import { DiskArtifactStore } from "@/lib/server/services/tracking/artifacts/store";
import { createToken } from "@/lib/server/services/tokens";
import { createPolicyInvalidations } from "@/lib/server/services/serving/invalidation";
import { endpointStats, monitorKey } from "@/lib/server/services/serving/monitoring";
import { notifyDriftAlerts } from "@/lib/server/services/serving/drift-notifications";
import { createSharedMetrics, type SharedMetrics } from "@/lib/server/services/serving/shared-metrics";
import { createServingEngine, type ServingEngine } from "@/lib/serving/engine/engine";
import type { ModelBytes } from "@/lib/serving/engine/model-spec";
import { TrafficRecorder } from "@/lib/serving/monitoring/recorder";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const redis = redisRun();
const PREFIX = redis.prefix;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let m1: { model: tf.LayersModel; bytes: ModelBytes };
let engine: ServingEngine;
let processLink: RedisLink;

beforeAll(async () => {
  processLink = await redis.liveLink();
  useProcessRedis(processLink);
  m1 = await tinyModel(5);
  engine = createServingEngine({ size: 1 });
  await engine.ready();
});

afterAll(async () => {
  await engine?.close();
  useProcessRedis(null);
  await redis.cleanUp();
});

describe.each(testProviders)("drift over every instance's traffic through Redis on %s", (provider) => {
  let t: TestDb;
  let store: DiskArtifactStore;
  let artifactDir: string;
  let ana: SessionUser;
  let token = "";
  const servers: Server[] = [];
  const stoppable: (SharedMetrics | { stop(): void })[] = [];
  const headers = () => ({ "content-type": "application/json", authorization: `Bearer ${token}` });
  const name = `drift-${provider}`;
  const written: (number | null)[] = [];

  interface Instance {
    port: number;
    recorder: TrafficRecorder;
    shared: SharedMetrics;
  }
  let A: Instance, B: Instance;

  async function instance(link: RedisLink): Promise<Instance> {
    const recorder = new TrafficRecorder();
    const shared = createSharedMetrics(link, recorder, { driftEveryMs: 0 });
    stoppable.push(shared);
    stoppable.push({ stop: notifyDriftAlerts(recorder, () => t.db, (id) => written.push(id), (key, alert) => shared.claimAlert(key, alert)) });
    const securityHeaders = leanSecurityHeaders([]);
    const { server, port } = await listenLean([
      ...mlflowRoutes({ db: t.db, store, origin: TEST_ORIGIN, securityHeaders }),
      ...servingRoutes({ db: t.db, storage: store, engine: () => engine, origin: TEST_ORIGIN, securityHeaders, invalidations: createPolicyInvalidations(link), monitor: recorder }),
    ]);
    servers.push(server);
    return { port, recorder, shared };
  }

  const json = (r: Reply) => JSON.parse(r.body) as Json;
  const predict = async (at: Instance, rows: number[][]) => {
    const r = await send(at.port, "POST", `/v1/models/${name}/versions/1:predict`, { headers: headers(), body: JSON.stringify({ instances: rows }) });
    expect(r.status, r.body).toBe(200);
  };
  const key = () => monitorKey(ana.id, name, 1);
  /** x0 moved up by 1.5 (of a range of 4), the other features as in training. */
  const drifting = (n: number, seed: number) => randomRows(n, 30, seed).map((r) => [r[0] + 1.5, ...r.slice(1)]);

  beforeAll(async () => {
    t = await createTestDb(provider);
    ana = await insertUser(t.db, "student", "Ana");
    token = (await createToken({ db: t.db, user: ana }, { name: "ana" })).token;
    artifactDir = mkdtempSync(join(tmpdir(), "cuaderno-serving-drift-"));
    store = new DiskArtifactStore(artifactDir);
    A = await instance(await redis.liveLink());
    B = await instance(await redis.liveLink());
    const mlflow = async (path: string, body: unknown) => {
      const r = await send(A.port, "POST", `/api/2.0/mlflow/${path}`, { headers: headers(), body: JSON.stringify(body) });
      expect(r.status, r.body).toBe(200);
      return json(r);
    };
    const run = (await mlflow("runs/create", { start_time: 1 })).run.info;
    const enc = new TextEncoder();
    await logArtifact({ db: t.db, user: ana }, { runId: run.run_id, path: "m1/model.json", data: enc.encode(m1.bytes.modelJson) }, store);
    await logArtifact({ db: t.db, user: ana }, { runId: run.run_id, path: "m1/weights.bin", data: new Uint8Array(m1.bytes.weights) }, store);
    await mlflow("registered-models/create", { name });
    await mlflow("model-versions/create", { name, source: `runs:/${run.run_id}/m1` });
    // the training reference: 1,000 rows from the training distribution
    const sample = randomRows(1000, 30, 99);
    const reference = { features: Array.from({ length: 30 }, (_, i) => ({ name: `x${i}`, sample: sample.map((r) => r[i]) })) };
    const r = await createCaller({ db: t.db, user: ana }).monitoring.setTrainingReference({ model: name, version: 1, reference });
    expect(r.features).toBe(30);
  });

  afterAll(async () => {
    for (const s of servers) s.close();
    for (const s of stoppable) s.stop();
    await t?.drop();
    if (artifactDir) rmSync(artifactDir, { recursive: true, force: true });
  });

  it("drifting traffic split between A and B raises drift and one alert seen on both, one notification", async () => {
    // a first request on each; a stats read gives each recorder the stored reference (a request
    // also reads it, at most once a minute per version and process: these instances share one)
    const ctx = { db: t.db, user: ana };
    for (const at of [A, B]) {
      await predict(at, drifting(1, 1));
      await endpointStats(ctx, { model: name, windowSeconds: 60 }, at.recorder, at.shared);
      expect(at.recorder.hasReference(key())).toBe(true);
    }
    const before = { A: A.recorder.stats(key(), 300_000).rows, B: B.recorder.stats(key(), 300_000).rows };
    // 150 drifting rows on each, 30 a request
    for (let i = 0; i < 5; i++) {
      await predict(A, drifting(30, 10 + i));
      await predict(B, drifting(30, 20 + i));
    }
    // alone, neither has the rows drift needs
    for (const at of [A, B]) expect(at.recorder.evaluateDrift(key())).toEqual([]);
    await A.shared.flush();
    await B.shared.flush();
    // each instance's evaluation period (what its timer runs every 10 s), over every instance's counts
    expect(await A.shared.evaluateDrift()).toBe(true);
    expect(await B.shared.evaluateDrift()).toBe(true);
    const shown: Json[] = [];
    for (const at of [A, B]) {
      const stats = await endpointStats(ctx, { model: name, windowSeconds: 60 }, at.recorder, at.shared);
      expect(stats.traffic).toBe("shared");
      const v = stats.versions.find((x) => x.version === 1)!.stats!;
      shown.push(v);
      // every instance's rows counted since the reference was loaded: the 300 and a few warm-up rows
      expect(v.drift.samples).toBeGreaterThanOrEqual(300);
      expect(v.drift.samples).toBeLessThanOrEqual(300 + before.A + before.B);
      const x0 = v.drift.features.find((f) => f.feature === "x0")!;
      expect(x0.level).toBe("alert");
      expect(x0.psi).toBeGreaterThan(0.2);
      expect(v.drift.features.filter((f) => f.level === "alert").map((f) => f.feature)).toEqual(["x0"]);
      expect(v.alerts.active.map((a) => a.feature)).toEqual(["x0"]);
      expect(stats.alerts.filter((a) => a.active).map((a) => a.feature)).toEqual(["x0"]);
    }
    // the same figures on both: every instance's counts
    expect(shown[0].drift.features).toEqual(shown[1].drift.features);
    // both raised the episode; one notification, from whichever claimed it first
    const started = Date.now();
    while (written.length < 2 && Date.now() - started < 3000) await sleep(20);
    expect(written).toHaveLength(2);
    expect(written.filter((id) => id !== null)).toHaveLength(1);
    const notes = await t.db.notification.findMany({ where: { userId: ana.id, kind: "driftAlert" } });
    expect(notes).toHaveLength(1);
    expect(notes[0].subject).toBe(`drift:${name}#1:x0`);
    // another read, more drifting traffic: the episode stays open, no second alert
    await predict(A, drifting(30, 40));
    await A.shared.flush();
    await B.shared.evaluateDrift([key()]);
    expect(B.recorder.stats(key(), 60_000).alerts.recent).toHaveLength(1);
  });
});
