// The notebook's tracking client (lib/tracking-client) against the real MLflow REST handler and a
// real database, through an injected fetch: batching, the IndexedDB outbox (fake-indexeddb),
// dropped networks, lost answers and server restarts, guest runs uploaded after sign-in, models
// as artifacts, and the kernel's `track` global end to end.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
// idb checks values against the global IDB classes: install fake-indexeddb's, then give each test its own factory.
import "fake-indexeddb/auto";
import { IDBFactory } from "fake-indexeddb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, insertUser, testProviders, type TestDb } from "./helpers/test-db";
import type { SessionUser } from "@/lib/server/auth";
import { configureSqlite, createDb, type Db } from "@/lib/server/db";
import { handleMlflowRequest } from "@/lib/server/services/tracking/mlflow-rest";
import { handleMlflowArtifactsRequest } from "@/lib/server/services/tracking/mlflow-rest/artifacts-proxy";
import { DiskArtifactStore } from "@/lib/server/services/tracking/artifacts/store";
import { getRun, searchRuns } from "@/lib/server/services/tracking/runs";
import { getMetricHistory } from "@/lib/server/services/tracking/metrics";
import { TrackingClient, type TrackingClientOptions } from "@/lib/tracking-client/client";
import { createTrackApi } from "@/lib/tracking-client/notebook-api";
import type { NotebookContext } from "@/lib/tracking-client/types";
import { KernelRuntime, type TfLike } from "@/lib/kernel/runtime";
import type { KernelEvent } from "@/lib/kernel/protocol";

type Fetch = NonNullable<TrackingClientOptions["fetch"]>;

describe.each(testProviders)("tracking client against the REST handler on %s", (provider) => {
  let t: TestDb;
  let ana: SessionUser, bob: SessionUser;
  let artifactDir: string;
  let store: DiskArtifactStore;
  /** The database the "server" uses; a restart swaps in a new client. */
  let serverDb: Db;

  beforeAll(async () => {
    t = await createTestDb(provider);
    serverDb = t.db;
    ana = await insertUser(t.db, "student", "Ana");
    bob = await insertUser(t.db, "student", "Bob");
    artifactDir = mkdtempSync(join(tmpdir(), "cuaderno-track-art-"));
    store = new DiskArtifactStore(artifactDir);
  });
  afterAll(async () => {
    if (serverDb !== t.db) await serverDb.$disconnect();
    await t?.drop();
    rmSync(artifactDir, { recursive: true, force: true });
  });

  const users: Record<string, SessionUser> = {};
  beforeAll(() => {
    users.ana = ana;
    users.bob = bob;
  });
  const sessionUser = async (h: Headers) => users[/session=(\w+)/.exec(h.get("cookie") ?? "")?.[1] ?? ""] ?? null;

  /** fetch as the worker's would be: same origin, the session cookie of `who` (null: guest). */
  function serverFetch(who: () => string | null, counter?: { n: number; paths: string[] }): Fetch {
    return async (url, init = {}) => {
      const headers = new Headers(init.headers);
      const user = who();
      if (user) headers.set("cookie", `session=${user}`);
      headers.set("origin", "http://localhost"); // a browser sends its page's origin with every write
      const req = new Request(`http://localhost${url}`, { method: init.method, headers, body: init.body });
      if (counter) {
        counter.n++;
        counter.paths.push(new URL(req.url).pathname);
      }
      if (url.startsWith("/api/2.0/mlflow-artifacts/")) return handleMlflowArtifactsRequest(req, { db: serverDb, sessionUser, store, appOrigin: "http://localhost" });
      return handleMlflowRequest(req, { db: serverDb, sessionUser, appOrigin: "http://localhost" });
    };
  }

  const ctxOf = (u: SessionUser) => ({ db: t.db, user: u });
  const fast = { flushMs: 20, retryBaseMs: 5, retryMaxMs: 40 };

  async function history(u: SessionUser, runId: string, key: string) {
    return (await getMetricHistory(ctxOf(u), { runId, key, maxResults: 25_000 })).metrics;
  }
  const runsNamed = async (u: SessionUser, name: string) =>
    (await searchRuns(ctxOf(u), { filter: `attributes.run_name = '${name}'`, viewType: "ALL" })).runs;

  it("logs a run through batches: params, metrics per epoch, provenance, lesson experiment, FINISHED", async () => {
    const context: NotebookContext = { signedIn: true, userId: ana.id, lessonSlug: "mlops-intro" };
    const calls = { n: 0, paths: [] as string[] };
    const client = new TrackingClient({ fetch: serverFetch(() => "ana", calls), indexedDB: new IDBFactory(), context, ...fast, flushMs: 200 });
    const track = createTrackApi(client, { provenance: () => ({ source: "await track.run('basic', ...)", backend: "cpu", device: "cpu (JavaScript)", datasetName: "fraud", datasetHash: "abc123" }) });
    let localId = "";
    const t0 = Date.now();
    await track.run("basic", { lr: 0.01, layers: [8, 4], seed: 7 }, async (run) => {
      localId = run.id;
      const cb = run.fitCallback();
      for (let epoch = 0; epoch < 5; epoch++) await cb.onEpochEnd(epoch, { loss: 1 / (epoch + 1), acc: epoch / 5 });
      run.logMetric("auc", 0.9);
      run.logMetric("auc", 0.91);
      run.setTag("note", "hello");
      expect(() => run.logParams({ lr: 0.02 })).toThrow(/already logged/);
      expect(() => run.logMetric("bad key!", 1)).toThrow(/invalid metric name/);
    });
    // Logging returned at once: one flush window, not one request per point.
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(await client.flush(10_000)).toEqual({ pending: 0, uploaded: true });
    const runId = (await client.serverRunId(localId))!;
    expect(runId).toMatch(/^[0-9a-f]{32}$/);
    expect(calls.paths.filter((p) => p.endsWith("runs/log-batch")).length).toBeLessThanOrEqual(2);

    const run = await getRun(ctxOf(ana), runId);
    expect(run.info).toMatchObject({ runName: "basic", status: "FINISHED", lessonSlug: "mlops-intro", backend: "cpu", datasetName: "fraud", datasetHash: "abc123", seed: 7 });
    expect(run.info.source).toContain("track.run");
    expect(run.info.endTime).not.toBeNull();
    expect(run.params).toEqual([
      { key: "layers", value: "[8,4]" },
      { key: "lr", value: "0.01" },
      { key: "seed", value: "7" },
    ]);
    expect(run.tags).toContainEqual({ key: "note", value: "hello" });
    expect((await history(ana, runId, "loss")).map((m) => [m.step, m.value])).toEqual([0, 1, 2, 3, 4].map((s) => [s, 1 / (s + 1)]));
    expect((await history(ana, runId, "auc")).map((m) => [m.step, m.value])).toEqual([
      [0, 0.9],
      [1, 0.91],
    ]);
    // The outbox forgot the finished run.
    expect(await (await client.outbox).runs()).toEqual([]);
    await client.close();
  });

  it("a dropped network mid-logging loses nothing and duplicates nothing", async () => {
    let down = false;
    let failedWhileDown = 0;
    const real = serverFetch(() => "ana");
    const flaky: Fetch = async (url, init) => {
      if (down) {
        failedWhileDown++;
        throw new TypeError("Failed to fetch");
      }
      return real(url, init);
    };
    const client = new TrackingClient({ fetch: flaky, indexedDB: new IDBFactory(), context: { signedIn: true, userId: ana.id }, ...fast, maxBatchPoints: 50 });
    const track = createTrackApi(client);
    const run = await track.start("offline-middle", { n: 1000 });
    for (let i = 0; i < 300; i++) run.logMetric("x", i, i);
    await client.flushBuffers();
    await new Promise((r) => setTimeout(r, 50));
    down = true;
    for (let i = 300; i < 1000; i++) {
      run.logMetric("x", i, i);
      if (i % 100 === 0) await new Promise((r) => setTimeout(r, 15));
    }
    await run.end();
    // While offline everything waits in IndexedDB.
    const stuck = await client.flush(300);
    expect(stuck.uploaded).toBe(false);
    expect(stuck.pending).toBeGreaterThan(0);
    expect(failedWhileDown).toBeGreaterThan(0);
    down = false;
    expect(await client.flush(20_000)).toEqual({ pending: 0, uploaded: true });
    const runId = (await client.serverRunId(run.id))!;
    const pts = await history(ana, runId, "x");
    expect(pts).toHaveLength(1000);
    expect(pts.map((p) => p.step).sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(pts.every((p) => p.value === p.step)).toBe(true);
    expect((await getRun(ctxOf(ana), runId)).info.status).toBe("FINISHED");
    await client.close();
  });

  it("answers lost after the server committed, a closed tab and a server restart: nothing lost, nothing twice", async () => {
    const idb = new IDBFactory();
    const real = serverFetch(() => "ana");
    let n = 0;
    let lostAnswers = 0;
    // Every other request reaches the server and commits, but its answer never arrives.
    const lossy: Fetch = async (url, init) => {
      const res = await real(url, init);
      if (++n % 2 === 1) {
        lostAnswers++;
        throw new TypeError("network connection lost");
      }
      return res;
    };
    const first = new TrackingClient({ fetch: lossy, indexedDB: idb, context: { signedIn: true, userId: ana.id }, ...fast, maxBatchPoints: 40 });
    const track = createTrackApi(first);
    const run = await track.start("lossy", { lr: 0.1 });
    for (let i = 0; i < 200; i++) run.logMetrics({ a: i, b: -i }, i);
    await first.flushBuffers();
    // The tab closes while batches are still owed.
    await first.close();
    const owed = await (await new TrackingClient({ indexedDB: idb, context: { signedIn: false } }).outbox).countOps();
    expect(owed).toBeGreaterThan(0);

    // The server restarts: a new database client (fresh caches) behind the same handler code.
    if (provider === "sqlite") {
      serverDb = createDb(t.url);
      await configureSqlite(serverDb);
    }
    // The notebook opens again: a new client on the same outbox resumes, still over a lossy network.
    const second = new TrackingClient({ fetch: lossy, indexedDB: idb, context: { signedIn: true, userId: ana.id }, ...fast });
    second.kick();
    await new Promise((r) => setTimeout(r, 20));
    const track2 = createTrackApi(second);
    const more = await track2.start("lossy-2");
    more.logMetric("c", 1, 0);
    await more.end();
    // The first run is ended by the new session (its tab is gone): end is just another op.
    await second.endRun(run.id, "KILLED");
    expect(await second.flush(30_000)).toEqual({ pending: 0, uploaded: true });
    expect(lostAnswers).toBeGreaterThan(3);

    const runs = await runsNamed(ana, "lossy");
    expect(runs).toHaveLength(1); // the lost runs/create answer did not create a second run
    const runId = runs[0].info.runId;
    for (const [key, sign] of [["a", 1], ["b", -1]] as const) {
      const pts = await history(ana, runId, key);
      expect(pts).toHaveLength(200);
      expect(new Set(pts.map((p) => p.step)).size).toBe(200);
      expect(pts.every((p) => p.value === sign * p.step || (p.step === 0 && p.value === 0))).toBe(true);
    }
    expect(runs[0].info.status).toBe("KILLED");
    expect(await runsNamed(ana, "lossy-2")).toHaveLength(1);
    await second.close();
  });

  it("a guest's run stays in the browser and uploads after sign-in", async () => {
    const idb = new IDBFactory();
    let who: string | null = null;
    const calls = { n: 0, paths: [] as string[] };
    const guest = new TrackingClient({ fetch: serverFetch(() => who, calls), indexedDB: idb, context: { signedIn: false, lessonSlug: "model-development" }, ...fast });
    const track = createTrackApi(guest, { provenance: () => ({ source: "guest cell", seed: 3 }) });
    await track.run("as-guest", { epochs: 3 }, async (run) => {
      for (let e = 0; e < 3; e++) run.logMetrics({ loss: 3 - e }, e);
    });
    expect(await guest.flush(200)).toMatchObject({ uploaded: false });
    expect(calls.n).toBe(0); // nothing left the browser
    expect(await runsNamed(ana, "as-guest")).toHaveLength(0);
    await guest.close();

    // Next notebook open, signed in.
    who = "ana";
    const signedIn = new TrackingClient({ fetch: serverFetch(() => who, calls), indexedDB: idb, context: { signedIn: true, userId: ana.id, lessonSlug: "imbalance" }, ...fast });
    expect(await signedIn.flush(10_000)).toEqual({ pending: 0, uploaded: true });
    const runs = await runsNamed(ana, "as-guest");
    expect(runs).toHaveLength(1);
    const info = runs[0].info;
    // Filed under the lesson it was made in, with its own provenance.
    expect(info).toMatchObject({ userId: ana.id, status: "FINISHED", lessonSlug: "model-development", source: "guest cell", seed: 3 });
    expect(runs[0].params).toEqual([{ key: "epochs", value: "3" }]);
    expect((await history(ana, info.runId, "loss")).map((m) => m.value)).toEqual([3, 2, 1]);
    await signedIn.close();
  });

  it("runs of another account on this browser are not uploaded as someone else", async () => {
    const idb = new IDBFactory();
    const asAna = new TrackingClient({ fetch: async () => Promise.reject(new TypeError("offline")), indexedDB: idb, context: { signedIn: true, userId: ana.id }, ...fast });
    await createTrackApi(asAna).run("ana-offline", {}, (run) => run.logMetric("m", 1, 0));
    await asAna.close();
    const asBob = new TrackingClient({ fetch: serverFetch(() => "bob"), indexedDB: idb, context: { signedIn: true, userId: bob.id }, ...fast });
    expect((await asBob.flush(300)).pending).toBeGreaterThan(0);
    expect(await runsNamed(bob, "ana-offline")).toHaveLength(0);
    await asBob.close();
    const anaAgain = new TrackingClient({ fetch: serverFetch(() => "ana"), indexedDB: idb, context: { signedIn: true, userId: ana.id }, ...fast });
    expect(await anaAgain.flush(10_000)).toEqual({ pending: 0, uploaded: true });
    expect(await runsNamed(ana, "ana-offline")).toHaveLength(1);
    await anaAgain.close();
  });

  it("run.logModel uploads model.json + weights.bin that tfjs loads back; artifacts/list and access rules", async () => {
    const tf = await import("@tensorflow/tfjs");
    await tf.setBackend("cpu");
    const client = new TrackingClient({ fetch: serverFetch(() => "ana"), indexedDB: new IDBFactory(), context: { signedIn: true, userId: ana.id }, ...fast });
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4], activation: "relu" }), tf.layers.dense({ units: 1 })] });
    let localId = "";
    await createTrackApi(client).run("with-model", {}, async (run) => {
      localId = run.id;
      const r = await run.logModel(model, "clf");
      expect(r.weightBytes).toBe((4 * 3 + 3 + 3 * 1 + 1) * 4);
    });
    expect(await client.flush(10_000)).toEqual({ pending: 0, uploaded: true });
    const runId = (await client.serverRunId(localId))!;
    const call = (who: string, method: string, path: string, body?: BodyInit) =>
      serverFetch(() => who)(path, { method, body, headers: method === "PUT" ? { "content-type": "text/plain" } : {} });

    const root = await (await call("ana", "GET", `/api/2.0/mlflow/artifacts/list?run_id=${runId}`)).json();
    expect(root.files).toEqual([{ path: "clf", is_dir: true }]);
    expect(root.root_uri).toMatch(new RegExp(`/${runId}/artifacts$`));
    const dir = await (await call("ana", "GET", `/api/2.0/mlflow/artifacts/list?run_id=${runId}&path=clf`)).json();
    expect(dir.files.map((f: { path: string }) => f.path)).toEqual(["clf/model.json", "clf/weights.bin"]);

    const jsonRes = await call("ana", "GET", `/api/2.0/mlflow-artifacts/artifacts/${runId}/clf/model.json`);
    expect(jsonRes.status).toBe(200);
    expect(jsonRes.headers.get("x-content-type-options")).toBe("nosniff");
    const modelJson = await jsonRes.json();
    // MLflow clients' path shape reaches the same file.
    const expId = (await getRun(ctxOf(ana), runId)).info.experimentId;
    const weightsRes = await call("ana", "GET", `/api/2.0/mlflow-artifacts/artifacts/${expId}/${runId}/artifacts/clf/weights.bin`);
    const weights = await weightsRes.arrayBuffer();
    expect(modelJson.weightsManifest[0].paths).toEqual(["weights.bin"]);
    const loaded = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: modelJson.weightsManifest[0].weights, weightData: weights }));
    const x = tf.tensor2d([[1, 2, 3, 4]]);
    expect(Array.from((loaded.predict(x) as import("@tensorflow/tfjs").Tensor).dataSync())).toEqual(Array.from((model.predict(x) as import("@tensorflow/tfjs").Tensor).dataSync()));

    // Bob can neither read nor write Ana's artifacts; bad paths are refused.
    expect((await call("bob", "GET", `/api/2.0/mlflow-artifacts/artifacts/${runId}/clf/model.json`)).status).toBe(404);
    expect((await call("bob", "PUT", `/api/2.0/mlflow-artifacts/artifacts/${runId}/evil.txt`, "x")).status).toBe(404);
    expect((await call("bob", "GET", `/api/2.0/mlflow/artifacts/list?run_id=${runId}`)).status).toBe(404);
    expect((await call("ana", "PUT", `/api/2.0/mlflow-artifacts/artifacts/${runId}/a/%2E%2E/%2E%2E/x.txt`, "x")).status).toBe(400);
    const guest = await handleMlflowArtifactsRequest(new Request(`http://localhost/api/2.0/mlflow-artifacts/artifacts/${runId}/clf/model.json`), { db: serverDb, sessionUser, store });
    expect(guest.status).toBe(401);
    // Ana's own PUT of an HTML file is stored, but served as a download, never rendered.
    expect((await serverFetch(() => "ana")(`/api/2.0/mlflow-artifacts/artifacts/${runId}/page.html`, { method: "PUT", body: "<script>alert(1)</script>", headers: { "content-type": "text/html" } })).status).toBe(200);
    const html = await call("ana", "GET", `/api/2.0/mlflow-artifacts/artifacts/${runId}/page.html`);
    expect(html.headers.get("content-type")).toBe("application/octet-stream");
    expect(html.headers.get("content-disposition")).toMatch(/^attachment/);
    await client.close();
  });

  it("the kernel's track global: a cell trains with run.fitCallback(); the run records the cell's source and backend", async () => {
    const events: KernelEvent[] = [];
    const rt = new KernelRuntime({
      emit: (e) => events.push(e),
      loadTf: async () => {
        const tf = await import("@tensorflow/tfjs");
        await tf.setBackend("cpu");
        await tf.ready();
        return tf as unknown as TfLike;
      },
      loadShow: () => import("@/lib/show"),
      tracking: {
        fetch: serverFetch(() => "ana") as typeof fetch,
        indexedDB: new IDBFactory(),
        backendInfo: async () => ({ name: "cpu", device: "cpu (JavaScript)" }),
        clientOptions: fast,
      },
    });
    rt.setContext({ signedIn: true, userId: ana.id, lessonSlug: "splits-leakage" });
    const source = [
      "const xs = tf.tensor2d([[0], [1], [2], [3]]);",
      "const ys = tf.tensor2d([[1], [3], [5], [7]]);",
      "const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });",
      "model.compile({ optimizer: tf.train.sgd(0.05), loss: 'meanSquaredError' });",
      "const runName = await track.run('kernel-fit', { lr: 0.05, seed: 11 }, async (run) => {",
      "  await model.fit(xs, ys, { epochs: 5, verbose: 0, callbacks: [run.fitCallback()] });",
      "  return run.name;",
      "});",
      "await track.flush(10000)",
    ].join("\n");
    const done = await rt.run({ runId: "k1", cellId: "train", source, kind: "code" });
    const errors = events.filter((e) => e.type === "error");
    expect(errors).toEqual([]);
    expect(done.status).toBe("ok");
    const runs = await runsNamed(ana, "kernel-fit");
    expect(runs).toHaveLength(1);
    expect(runs[0].info).toMatchObject({ source, backend: "cpu", device: "cpu (JavaScript)", seed: 11, lessonSlug: "splits-leakage", status: "FINISHED" });
    const loss = await history(ana, runs[0].info.runId, "loss");
    expect(loss.map((m) => m.step)).toEqual([0, 1, 2, 3, 4]);
    expect(loss.every((m) => Number.isFinite(m.value))).toBe(true);

    // A failing body marks the run FAILED and the cell shows the error.
    const bad = await rt.run({ runId: "k2", cellId: "boom", source: "await track.run('kernel-fail', {}, async () => { throw new Error('boom') })", kind: "code" });
    expect(bad.status).toBe("error");
    const { api, client } = await rt.getTracker();
    expect(await api.flush(10_000)).toMatchObject({ uploaded: true });
    expect((await runsNamed(ana, "kernel-fail"))[0].info.status).toBe("FAILED");
    await client.close();
  });
});
