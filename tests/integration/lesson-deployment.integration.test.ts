// The deployment-monitoring lesson's server cells (content/lessons/deployment-monitoring, "On the
// class server") against a real server, on SQLite and PostgreSQL, in both languages: the kernel
// core (KernelRuntime, as the browser worker runs it) on tfjs cpu, the real fraud dataset, the
// tracking client uploading the run's model, and a node:http server with the MLflow REST routes,
// the lean serving routes (a real engine) and tRPC. A signed-in student's cells train v1 and v2,
// register them with their signature and training reference, deploy v1, send the drifting stream
// with its labels, take v2 through shadow and canary and roll back; a signed-out page's cells say
// "sign in" and change nothing. tests/e2e/lesson-deployment.e2e.ts runs the same in Chromium.
import type { Server } from "node:http";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import "fake-indexeddb/auto";
import { IDBFactory } from "fake-indexeddb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listenLean, TEST_ORIGIN, testSecurityHeaders } from "./helpers/lean-http";
import { createTestDb, insertUser, testProviders, type TestDb } from "./helpers/test-db";
import { createCaller } from "@/lib/server/api/root";
import type { SessionUser } from "@/lib/server/auth";
import { mlflowRoutes } from "@/lib/server/http/mlflow-routes";
import { servingRoutes } from "@/lib/server/http/serving-routes";
import { trpcRoutes } from "@/lib/server/http/trpc-routes";
import { DiskArtifactStore } from "@/lib/server/services/tracking/artifacts/store";
import { KernelRuntime, type TfLike } from "@/lib/kernel/runtime";
import type { KernelEvent } from "@/lib/kernel/protocol";
import { loadDataset, type FetchFn } from "@/lib/datasets/load";
import { parseLessonMarkdown } from "@/lib/notebook/lesson-markdown";
import { createServingEngine, type ServingEngine } from "@/lib/serving/engine/engine";

const root = fileURLToPath(new URL("../..", import.meta.url));
const diskFetch: FetchFn = async (input) => new Response(readFileSync(join(root, "content", "datasets", basename(input.split("?")[0]!))));
/** The cells the server part needs (the model, the stream, v2), then the server part itself. */
const NEEDED = ["train-v1", "stream", "train-v2"];
const SERVER_CELLS = ["server-v1", "server-stream", "server-shadow", "server-canary", "server-rollback"];

function lessonCells(lang: "es" | "en") {
  const doc = parseLessonMarkdown(readFileSync(join(root, "content", "lessons", "deployment-monitoring", `${lang}.md`), "utf8"));
  const code = new Map<string, string>(doc.cells.flatMap((c) => (c.kind === "code" ? [[String(c.id), c.source] as [string, string]] : [])));
  return [...NEEDED, ...SERVER_CELLS].map((id) => {
    const source = code.get(id);
    if (source === undefined) throw new Error(`the lesson has no code cell ${id}`);
    return { id, source };
  });
}

let engine: ServingEngine;
beforeAll(async () => {
  engine = createServingEngine({ size: 1 });
  await engine.ready();
});
afterAll(() => engine?.close());

describe.each(testProviders)("deployment-monitoring lesson's server cells on %s", (provider) => {
  let t: TestDb;
  let server: Server;
  let port: number;
  let artifactDir: string;
  const users = new Map<string, SessionUser>();
  const userOf = (h: Headers) => users.get(/session=(\w+)/.exec(h.get("cookie") ?? "")?.[1] ?? "") ?? null;
  const fetchAs = (who: string | null) =>
    (async (input: RequestInfo | URL, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      if (who) headers.set("cookie", `session=${who}`);
      if (init.method && init.method !== "GET" && init.method !== "HEAD") headers.set("origin", TEST_ORIGIN);
      return fetch(`http://127.0.0.1:${port}${String(input)}`, { ...init, headers });
    }) as typeof fetch;

  function kernel(who: string | null, userId?: string) {
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
      loadMl: () => import("@/lib/ml"),
      datasetLoader: (name) => loadDataset(name, diskFetch),
      fetch: fetchAs(who),
      tracking: { fetch: fetchAs(who), indexedDB: new IDBFactory(), clientOptions: { flushMs: 20, retryBaseMs: 5, retryMaxMs: 40 } },
    });
    rt.setContext({ signedIn: who !== null, userId: userId ?? null, lessonSlug: "deployment-monitoring" });
    return async (id: string, source: string) => {
      events.length = 0;
      const done = await rt.run({ runId: id, cellId: id, source, kind: "code" });
      const errors = events.filter((e) => e.type === "error").map((e) => String((e as { message?: unknown }).message));
      return { status: done.status, errors, outputs: JSON.stringify(events.filter((e) => e.type === "display" || e.type === "result")) };
    };
  }

  beforeAll(async () => {
    t = await createTestDb(provider);
    artifactDir = mkdtempSync(join(tmpdir(), "cuaderno-lesson-deploy-"));
    const store = new DiskArtifactStore(artifactDir);
    const securityHeaders = testSecurityHeaders();
    const sessionUser = async (h: Headers) => userOf(h);
    const routes = [
      ...mlflowRoutes({ db: t.db, store, sessionUser, origin: TEST_ORIGIN, securityHeaders }),
      ...servingRoutes({ db: t.db, storage: store, engine: () => engine, sessionUser, origin: TEST_ORIGIN, securityHeaders }),
      ...trpcRoutes({ origin: TEST_ORIGIN, securityHeaders, createContext: async (headers) => ({ db: t.db, user: userOf(headers) }) }),
    ];
    ({ server, port } = await listenLean(routes));
  });
  afterAll(async () => {
    server?.close();
    await t?.drop();
    if (artifactDir) rmSync(artifactDir, { recursive: true, force: true });
  });

  it.each(["es", "en"] as const)("%s: a signed-in student registers v1 and v2, deploys, streams with labels, runs shadow then canary, and rolls back", async (lang) => {
    const student = await insertUser(t.db, "student", `Eva ${lang}`);
    users.set(`eva${lang}`, student);
    const run = kernel(`eva${lang}`, student.id);
    const outputs: Record<string, string> = {};
    for (const cell of lessonCells(lang)) {
      const r = await run(cell.id, cell.source);
      expect(r.errors, `${lang} ${cell.id}`).toEqual([]);
      expect(r.status, `${lang} ${cell.id}`).toBe("ok");
      outputs[cell.id] = r.outputs;
    }
    // Two versions with the serving signature (the dataset's 10 features, the scaler, the threshold) and a drift reference.
    const versions = await t.db.modelVersion.findMany({ where: { model: { ownerId: student.id, name: "fraud-detector" } }, orderBy: { version: "asc" } });
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    for (const v of versions) {
      const sig = JSON.parse(v.signature!) as { inputs: string[]; preprocessing: { mean: number[]; scale: number[] }; threshold: number };
      expect(sig.inputs).toHaveLength(10);
      expect(sig.inputs[0]).toBe("amount");
      expect(sig.preprocessing.mean).toHaveLength(10);
      expect(sig.threshold).toBe(0.5);
      expect(JSON.parse(v.trainingReference!).features).toHaveLength(10);
    }
    // The audit log: deploy v1, shadow v2, canary v2 at 25 %, rollback to the shadow.
    const events = await t.db.deploymentEvent.findMany({ where: { ownerId: student.id }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.action)).toEqual(["deploy", "shadow", "canary", "rollback"]);
    expect(JSON.parse(events[2].toState)).toMatchObject({ mode: "canary", stableVersion: 1, candidateVersion: 2, canaryPercent: 25 });
    expect(JSON.parse(events[3].toState)).toMatchObject({ mode: "shadow", stableVersion: 1, candidateVersion: 2 });
    // The server's monitoring saw the traffic and the labels: 16 windows of 500 rows in requests of 100.
    const stats = await createCaller({ db: t.db, user: student }).monitoring.endpointStats({ model: "fraud-detector", windowSeconds: 600 });
    const byVersion = new Map(stats.versions.map((v) => [v.version, v.stats]));
    const v1 = byVersion.get(1)!, v2 = byVersion.get(2)!;
    expect(v1.requests + v2.requests).toBe(82); // and one warm-up row each, naming its version
    expect(v1.rows + v2.rows).toBe(8002);
    expect(v1.feedback.count + v2.feedback.count).toBe(8000);
    expect(v2.requests).toBeGreaterThan(0); // 25 % of 20 canary requests
    expect(v1.drift.hasReference).toBe(true);
    expect(stats.shadow?.requests).toBe(20); // every request of windows 16–19 copied to v2
    // The cells showed the server's answers next to the notebook's (a tiny gap) and the history.
    const shown = /(?:diferenciaMáximaConElNotebook|maxDifferenceFromNotebook)"\],"rows":\[\[(\d+),(\d+),([-\d.e]+)\]\]/.exec(outputs["server-stream"]);
    expect(shown?.slice(1, 3)).toEqual(["40", "40"]); // requests sent, labels accepted
    const gap = Number(shown?.[3]);
    expect(gap).toBeLessThan(1e-4);
    expect(outputs["server-rollback"]).toContain("rollback");
    expect(outputs["server-rollback"]).toContain(lang === "es" ? "/es/models/fraud-detector" : "/en/models/fraud-detector");
  }, 300_000);

  it("a signed-out page: every server cell says to sign in, fails nothing and changes nothing", async () => {
    const run = kernel(null);
    const before = { models: await t.db.registeredModel.count(), versions: await t.db.modelVersion.count(), events: await t.db.deploymentEvent.count() };
    for (const cell of lessonCells("en")) {
      const r = await run(cell.id, cell.source);
      expect(r.errors, cell.id).toEqual([]);
      if (cell.id.startsWith("server-")) expect(r.outputs, cell.id).toContain("Sign in");
    }
    expect({ models: await t.db.registeredModel.count(), versions: await t.db.modelVersion.count(), events: await t.db.deploymentEvent.count() }).toEqual(before);
  }, 300_000);
});
