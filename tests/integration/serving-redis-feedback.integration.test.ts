// Ground truth sent to another instance (issue 13 point 8), on SQLite and PostgreSQL, against the
// real Redis at REDIS_TEST_URL (default redis://127.0.0.1:6379; keys and channels under a prefix
// unique to this run, deleted at the end). Instances in this process, each its own lean serving
// routes, traffic recorder, metrics sharing and feedback relay on one database: predictions
// answered by A get feedback sent to B, which forwards it through Redis to A; accuracy, precision
// and recall read on A and on B include it. Unknown ids, labels already given, another user's
// request and a wrong number of labels get on B what one instance (C, no Redis) answers; an
// instance that stopped answering its relay (E) costs a 503 after the timeout.
import { randomUUID } from "node:crypto";
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
import { createFeedbackRelay, type FeedbackRelay } from "@/lib/server/services/serving/feedback-relay";
import { createSharedMetrics, type SharedMetrics } from "@/lib/server/services/serving/shared-metrics";
import { createServingEngine, type ServingEngine } from "@/lib/serving/engine/engine";
import type { ModelBytes } from "@/lib/serving/engine/model-spec";
import { TrafficRecorder } from "@/lib/serving/monitoring/recorder";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const redis = redisRun();
const PREFIX = redis.prefix;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

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

describe.each(testProviders)("feedback sent to another instance through Redis on %s", (provider) => {
  let t: TestDb;
  let store: DiskArtifactStore;
  let artifactDir: string;
  let ana: SessionUser;
  let bob: SessionUser;
  const tokens: Record<string, string> = {};
  const servers: Server[] = [];
  const stoppable: (SharedMetrics | FeedbackRelay)[] = [];
  const headers = (who: string) => ({ "content-type": "application/json", authorization: `Bearer ${tokens[who]}` });
  const name = `churn-${provider}`;

  interface Instance {
    port: number;
    recorder: TrafficRecorder;
    shared: SharedMetrics | null;
    relay: FeedbackRelay | null;
  }
  let A: Instance, B: Instance, C: Instance, E: Instance;

  async function instance(link: RedisLink | null): Promise<Instance> {
    const recorder = new TrafficRecorder();
    const shared = link ? createSharedMetrics(link, recorder) : null;
    const relay = link ? createFeedbackRelay(link, recorder) : null;
    if (shared) stoppable.push(shared);
    if (relay) stoppable.push(relay);
    const securityHeaders = leanSecurityHeaders([]);
    const { server, port } = await listenLean([
      ...mlflowRoutes({ db: t.db, store, origin: TEST_ORIGIN, securityHeaders }),
      ...servingRoutes({ db: t.db, storage: store, engine: () => engine, origin: TEST_ORIGIN, securityHeaders, invalidations: createPolicyInvalidations(link), monitor: recorder, feedbackRelay: relay }),
    ]);
    servers.push(server);
    return { port, recorder, shared, relay };
  }

  const json = (r: Reply) => JSON.parse(r.body) as Json;
  /** One row predicted by `at`: its request id and score. */
  const predict = async (at: Instance, seed: number) => {
    const r = await send(at.port, "POST", `/v1/models/${name}/versions/1:predict`, { headers: headers("ana"), body: JSON.stringify({ instances: randomRows(1, 30, seed) }) });
    expect(r.status, r.body).toBe(200);
    return { id: r.headers["x-request-id"] as string, score: (json(r).predictions as number[][]).flat()[0] };
  };
  const feedback = (at: Instance, body: unknown, who = "ana") => send(at.port, "POST", "/api/serving/feedback", { headers: headers(who), body: JSON.stringify(body) });
  const key = () => monitorKey(ana.id, name, 1);

  beforeAll(async () => {
    t = await createTestDb(provider);
    ana = await insertUser(t.db, "student", "Ana");
    bob = await insertUser(t.db, "student", "Bob");
    tokens.ana = (await createToken({ db: t.db, user: ana }, { name: "ana" })).token;
    tokens.bob = (await createToken({ db: t.db, user: bob }, { name: "bob" })).token;
    artifactDir = mkdtempSync(join(tmpdir(), "cuaderno-serving-feedback-"));
    store = new DiskArtifactStore(artifactDir);
    A = await instance(await redis.liveLink());
    B = await instance(await redis.liveLink());
    C = await instance(null);
    E = await instance(await redis.liveLink());
    const mlflow = async (path: string, body: unknown) => {
      const r = await send(A.port, "POST", `/api/2.0/mlflow/${path}`, { headers: headers("ana"), body: JSON.stringify(body) });
      expect(r.status, r.body).toBe(200);
      return json(r);
    };
    const run = (await mlflow("runs/create", { start_time: 1 })).run.info;
    const enc = new TextEncoder();
    await logArtifact({ db: t.db, user: ana }, { runId: run.run_id, path: "m1/model.json", data: enc.encode(m1.bytes.modelJson) }, store);
    await logArtifact({ db: t.db, user: ana }, { runId: run.run_id, path: "m1/weights.bin", data: new Uint8Array(m1.bytes.weights) }, store);
    await mlflow("registered-models/create", { name });
    await mlflow("model-versions/create", { name, source: `runs:/${run.run_id}/m1` });
    await sleep(100); // the relays' subscriptions are in place
  });

  afterAll(async () => {
    for (const s of servers) s.close();
    for (const s of stoppable) s.stop();
    await t?.drop();
    if (artifactDir) rmSync(artifactDir, { recursive: true, force: true });
  });

  it("feedback sent to B for predictions A answered counts, and accuracy/precision/recall on A and on B include it", async () => {
    const answers = [];
    for (let i = 0; i < 8; i++) answers.push(await predict(A, 100 + i));
    // the request id names the instance that answered it, and keeps a random part
    for (const a of answers) {
      expect(a.id.startsWith(`${A.relay!.instanceId}.`)).toBe(true);
      expect(a.id.slice(37)).toMatch(UUID);
    }
    expect(new Set(answers.map((a) => a.id)).size).toBe(8);
    const labels = [1, 0, 1, 1, 0, 1, 0, 1];
    // one item at a time, then a batch, all on B
    for (let i = 0; i < 4; i++) {
      const r = await feedback(B, { request_id: answers[i].id, label: labels[i] });
      expect(r.status, r.body).toBe(200);
      expect(json(r)).toEqual({});
    }
    const batch = await feedback(B, { feedback: answers.slice(4).map((a, j) => ({ request_id: a.id, labels: [labels[4 + j]] })) });
    expect(batch.status, batch.body).toBe(200);
    expect(json(batch)).toEqual({ accepted: 4, results: answers.slice(4).map((a) => ({ request_id: a.id })) });

    // the confusion matrix of these predictions against their labels (threshold 0.5: no signature)
    const m = { tp: 0, fp: 0, tn: 0, fn: 0 };
    answers.forEach((a, i) => {
      const predicted = a.score >= 0.5 ? 1 : 0;
      if (predicted && labels[i]) m.tp++;
      else if (predicted) m.fp++;
      else if (labels[i]) m.fn++;
      else m.tn++;
    });
    const expected = { count: 8, ...m, accuracy: (m.tp + m.tn) / 8, precision: m.tp + m.fp ? m.tp / (m.tp + m.fp) : null, recall: m.tp + m.fn ? m.tp / (m.tp + m.fn) : null };
    // applied where the predictions wait: A's recorder; B's own has none
    expect(A.recorder.stats(key(), 60_000).feedback).toEqual(expected);
    expect(B.recorder.stats(key(), 60_000).feedback.count).toBe(0);
    // every instance's view: A pushes its counts every second
    const ctx = { db: t.db, user: ana };
    const started = Date.now();
    let onB: Json | null = null;
    while (Date.now() - started < 3000) {
      const stats = await endpointStats(ctx, { model: name, windowSeconds: 60 }, B.recorder, B.shared);
      expect(stats.traffic).toBe("shared");
      onB = stats.versions.find((v) => v.version === 1)!.stats as Json;
      if (onB?.feedback.count >= 8) break;
      await sleep(100);
    }
    expect(onB!.feedback).toEqual(expected);
    expect(onB!.requests).toBe(8); // B answered none of them
    const onA = await endpointStats(ctx, { model: name, windowSeconds: 60 }, A.recorder, A.shared);
    expect(onA.versions.find((v) => v.version === 1)!.stats!.feedback).toEqual(expected);

    // a prediction takes one feedback: again on B (or on A) → 404, as on one instance
    const again = await feedback(B, { request_id: answers[0].id, label: 1 });
    expect(again.status).toBe(404);
    expect(json(again).error).toMatch(/No prediction awaiting feedback/);
    expect((await feedback(A, { request_id: answers[1].id, label: 1 })).status).toBe(404);
  });

  it("unknown ids, another user's request and a wrong number of labels get on B what one instance answers", async () => {
    const onC = await predict(C, 200);
    expect(onC.id).toMatch(UUID); // no Redis: a plain UUID, as before
    const onA = await predict(A, 201);
    const missing = (id: string) => ({ request_id: id, label: 1 });
    const single = await feedback(C, missing("nope"));
    expect(single.status).toBe(404);
    const message = (id: string) => json(single).error.replace('"nope"', JSON.stringify(id));
    // unknown everywhere: a plain id, one naming A (never issued), one naming an instance that is gone
    for (const id of ["nope", `${A.relay!.instanceId}.${randomUUID()}`, `${randomUUID()}.${randomUUID()}`]) {
      const r = await feedback(B, missing(id));
      expect(r.status, id).toBe(404);
      expect(json(r).error).toBe(message(id));
    }
    // another user's prediction: unknown to them, on C and on B alike
    const foreignOnC = await feedback(C, missing(onC.id), "bob");
    const foreignOnB = await feedback(B, missing(onA.id), "bob");
    expect([foreignOnC.status, foreignOnB.status]).toEqual([404, 404]);
    expect(json(foreignOnB).error).toBe(json(foreignOnC).error.replace(onC.id, onA.id));
    // one row, two labels: 400 with the same message
    const rowsOnC = await feedback(C, { request_id: onC.id, labels: [1, 0] });
    const rowsOnB = await feedback(B, { request_id: onA.id, labels: [1, 0] });
    expect([rowsOnC.status, rowsOnB.status]).toEqual([400, 400]);
    expect(json(rowsOnB).error).toBe(json(rowsOnC).error);
    // still waiting after those refusals: taken once
    expect((await feedback(B, { request_id: onA.id, label: 0 })).status).toBe(200);
    // a batch mixing A's, B's own and unknown ids
    const a2 = await predict(A, 202);
    const b1 = await predict(B, 203);
    const mixed = await feedback(B, { feedback: [missing(a2.id), missing("nope"), missing(b1.id), missing(a2.id)] });
    expect(mixed.status).toBe(200);
    expect(json(mixed).accepted).toBe(2);
    expect(json(mixed).results.map((r: Json) => !r.error)).toEqual([true, false, true, false]);
  });

  it("an instance that does not answer its relay: 503 after the timeout, and the prediction still takes its feedback on that instance", async () => {
    const onE = await predict(E, 300);
    E.relay!.stop(); // E's link still listens (Redis counts a receiver) but nothing answers
    const started = Date.now();
    const r = await feedback(B, { request_id: onE.id, label: 1 });
    expect(r.status).toBe(503);
    expect(json(r).error).toMatch(/did not answer in time/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    expect(Date.now() - started).toBeLessThan(3000);
    expect((await feedback(E, { request_id: onE.id, label: 1 })).status).toBe(200);
  });
});
