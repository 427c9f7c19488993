// What the MLflow REST API refuses before it reaches a service: cookie writes from another
// origin, bodies nested too deep, non-string params and tags, text PostgreSQL cannot store.
// Each refusal is a 4xx and changes nothing, on SQLite and PostgreSQL.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, insertUser, testProviders, type TestDb } from "./helpers/test-db";
import type { SessionUser } from "@/lib/server/auth";
import { handleMlflowRequest } from "@/lib/server/services/tracking/mlflow-rest";
import { handleMlflowArtifactsRequest } from "@/lib/server/services/tracking/mlflow-rest/artifacts-proxy";
import { DiskArtifactStore } from "@/lib/server/services/tracking/artifacts/store";
import { createToken } from "@/lib/server/services/tokens";

const APP = "https://cuaderno.example";
const SIBLING = "https://evil.cuaderno.example";
const deep = (depth: number) => JSON.parse("[".repeat(depth) + "]".repeat(depth)) as unknown;

describe.each(testProviders)("MLflow REST limits on %s", (provider) => {
  let t: TestDb;
  let ana: SessionUser;
  let token: string;
  let expId: string;
  let runId: string;
  let artifactDir: string;
  const sessionUser = async (h: Headers) => (h.get("cookie") === "session=ana" ? ana : null);

  async function call(method: string, path: string, opts: { body?: unknown; raw?: string; headers?: Record<string, string>; cookie?: boolean; prefix?: string } = {}) {
    const url = `http://localhost${opts.prefix ?? "/api/2.0/mlflow/"}${path}`;
    const auth: Record<string, string> = opts.cookie ? { cookie: "session=ana" } : { authorization: `Bearer ${token}` };
    const headers = { "content-type": "application/json", ...auth, ...(opts.headers ?? {}) };
    const body = opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
    const res = await handleMlflowRequest(new Request(url, { method, headers, body }), { db: t.db, sessionUser, appOrigin: APP });
    return { status: res.status, json: (await res.json()) as Record<string, any> };
  }
  const counts = async () => ({
    runs: await t.db.run.count(),
    experiments: await t.db.experiment.count(),
    params: await t.db.param.count(),
    tags: await t.db.runTag.count(),
    experimentTags: await t.db.experimentTag.count(),
  });

  beforeAll(async () => {
    t = await createTestDb(provider);
    ana = await insertUser(t.db, "student", "Ana");
    token = (await createToken({ db: t.db, user: ana }, { name: "laptop" })).token;
    const e = await call("POST", "experiments/create", { body: { name: "limits" } });
    expect(e.status).toBe(200);
    expId = e.json.experiment_id;
    const r = await call("POST", "runs/create", { body: { experiment_id: expId } });
    expect(r.status).toBe(200);
    runId = r.json.run.info.run_id;
    artifactDir = mkdtempSync(join(tmpdir(), "cuaderno-limits-artifacts-"));
  });
  afterAll(async () => {
    await t?.drop();
    if (artifactDir) rmSync(artifactDir, { recursive: true, force: true });
  });

  it("a sibling origin's cookie POST with Content-Type 'text/plain; x=application/json' cannot create a run", async () => {
    const before = await counts();
    const smuggled = await call("POST", "runs/create", { cookie: true, body: { experiment_id: expId }, headers: { origin: SIBLING, "content-type": "text/plain; x=application/json" } });
    expect(smuggled).toMatchObject({ status: 403, json: { error_code: "PERMISSION_DENIED", message: expect.stringMatching(/Content-Type: application\/json/) } });
    const json = await call("POST", "runs/create", { cookie: true, body: { experiment_id: expId }, headers: { origin: SIBLING, "sec-fetch-site": "same-site" } });
    expect(json).toMatchObject({ status: 403, json: { error_code: "PERMISSION_DENIED", message: expect.stringMatching(/must come from https:\/\/cuaderno\.example/) } });
    const noOrigin = await call("POST", "runs/create", { cookie: true, body: { experiment_id: expId } });
    expect(noOrigin.status).toBe(403);
    expect(await counts()).toEqual(before);

    // The app's own pages still write with their cookie; token clients are unaffected.
    expect((await call("POST", "runs/create", { cookie: true, body: { experiment_id: expId }, headers: { origin: APP } })).status).toBe(200);
    expect((await call("POST", "runs/create", { cookie: true, body: { experiment_id: expId }, headers: { "sec-fetch-site": "same-origin" } })).status).toBe(200);
    expect((await call("POST", "runs/create", { body: { experiment_id: expId }, headers: { origin: SIBLING } })).status).toBe(200);
    expect((await call("GET", "experiments/get", { cookie: true, headers: { origin: SIBLING } })).status).not.toBe(403); // reads are not writes
  });

  it("a cookie upload to the artifact proxy must come from the app's origin (any content type)", async () => {
    const store = new DiskArtifactStore(artifactDir);
    const put = (headers: Record<string, string>) =>
      handleMlflowArtifactsRequest(
        new Request(`http://localhost/api/2.0/mlflow-artifacts/artifacts/${runId}/model.bin`, { method: "PUT", headers: { cookie: "session=ana", "content-type": "application/octet-stream", ...headers }, body: new Uint8Array([1, 2, 3]) }),
        { db: t.db, sessionUser, appOrigin: APP, store },
      );
    const refused = await put({ origin: SIBLING });
    expect(refused.status).toBe(403);
    expect(await t.db.artifact.count({ where: { runId } })).toBe(0);
    expect((await put({ origin: APP })).status).toBe(200);
    expect(await t.db.artifact.count({ where: { runId } })).toBe(1);
  });

  it("an artifact path with a long run of slashes is refused in linear time (a RegExp trim was quadratic)", async () => {
    const store = new DiskArtifactStore(artifactDir);
    const path = `x${"/".repeat(40_000)}x`;
    const t0 = performance.now();
    const res = await handleMlflowArtifactsRequest(
      new Request(`http://localhost/api/2.0/mlflow-artifacts/artifacts/${runId}/${path}`, { method: "DELETE", headers: { authorization: `Bearer ${token}` } }),
      { db: t.db, appOrigin: APP, store },
    );
    expect(performance.now() - t0).toBeLessThan(300);
    expect(res.status).toBe(400);
  });

  it.each([
    ["runs/set-tag", (v: unknown) => ({ run_id: "RUN", key: "t", value: v })],
    ["runs/log-parameter", (v: unknown) => ({ run_id: "RUN", key: "p", value: v })],
    ["runs/log-batch", (v: unknown) => ({ run_id: "RUN", params: [{ key: "p", value: v }], tags: [{ key: "t", value: "x" }] })],
    ["runs/create", (v: unknown) => ({ experiment_id: "EXP", tags: [{ key: "t", value: v }] })],
    ["experiments/create", (v: unknown) => ({ name: "deep-exp", tags: [{ key: "t", value: v }] })],
  ])("%s: a value nested 20,000 deep is a 400, not a stack overflow", async (path, body) => {
    const before = await counts();
    const raw = JSON.stringify(body("__DEEP__")).replace('"__DEEP__"', "[".repeat(20_000) + "]".repeat(20_000)).replace("RUN", runId).replace("EXP", expId);
    const r = await call("POST", path, { raw });
    expect(r).toEqual({ status: 400, json: { error_code: "INVALID_PARAMETER_VALUE", message: "Request body is nested deeper than 32 levels" } });
    expect(await counts()).toEqual(before);
    // Bounded but still not a string: refused as MLflow refuses it.
    expect((await call("POST", path, { raw: JSON.stringify(body(deep(10))).replace("RUN", runId).replace("EXP", expId) })).status).toBe(400);
    expect(await counts()).toEqual(before);
  });

  it.each([
    ["an empty list", []],
    ["an object", { a: 1 }],
    ["a number", 0.01],
    ["a boolean", true],
  ])("param and tag values must be strings: %s is refused on every route", async (_what, value) => {
    const before = await counts();
    const refused = [
      await call("POST", "runs/set-tag", { body: { run_id: runId, key: "t", value } }),
      await call("POST", "runs/log-parameter", { body: { run_id: runId, key: "p", value } }),
      await call("POST", "runs/log-batch", { body: { run_id: runId, params: [{ key: "ok", value: "1" }, { key: "p", value }] } }),
      await call("POST", "runs/log-batch", { body: { run_id: runId, tags: [{ key: "t", value }] } }),
      await call("POST", "runs/create", { body: { experiment_id: expId, tags: [{ key: "t", value }] } }),
      await call("POST", "experiments/create", { body: { name: "typed", tags: [{ key: "t", value }] } }),
    ];
    for (const r of refused) expect(r).toMatchObject({ status: 400, json: { error_code: "INVALID_PARAMETER_VALUE", message: expect.stringMatching(/expected a string/) } });
    expect(await counts()).toEqual(before);
  });

  it("a missing tag value is still the empty string, and string values are stored as sent", async () => {
    expect((await call("POST", "runs/set-tag", { body: { run_id: runId, key: "empty" } })).status).toBe(200);
    expect((await call("POST", "runs/log-parameter", { body: { run_id: runId, key: "lr", value: "0.01" } })).status).toBe(200);
    const run = await call("GET", `runs/get?run_id=${runId}`);
    expect(run.json.run.data.tags).toEqual(expect.arrayContaining([{ key: "empty", value: "" }]));
    expect(run.json.run.data.params).toEqual([{ key: "lr", value: "0.01" }]);
  });

  it.each([
    ["a NUL character", "a\u0000b"],
    ["a lone high surrogate", "a\ud83d"],
    ["a lone low surrogate", "\ude00b"],
  ])("%s in any key, value or name is a 400 on both databases", async (_what, bad) => {
    const before = await counts();
    const bodies: [string, unknown][] = [
      ["runs/set-tag", { run_id: runId, key: "t", value: bad }],
      ["runs/set-tag", { run_id: runId, key: `k${bad}`, value: "v" }],
      ["runs/log-parameter", { run_id: runId, key: "p2", value: bad }],
      ["runs/log-batch", { run_id: runId, params: [{ key: "p3", value: "fine" }], tags: [{ key: "t", value: bad }] }],
      ["runs/create", { experiment_id: expId, run_name: bad }],
      ["runs/create", { experiment_id: expId, tags: [{ key: bad, value: "v" }] }],
      ["experiments/create", { name: `exp${bad}` }],
      ["experiments/create", { name: "fine-name", tags: [{ key: "t", value: bad }] }],
    ];
    for (const [path, body] of bodies) {
      const r = await call("POST", path, { body });
      expect(r, `${path} ${JSON.stringify(body)}`).toMatchObject({ status: 400, json: { error_code: "INVALID_PARAMETER_VALUE", message: expect.stringMatching(/NUL characters or unpaired UTF-16 surrogates/) } });
    }
    // A query string decodes to well-formed text (a lone surrogate's bytes become U+FFFD), but may hold NUL.
    if (bad.includes("\u0000")) expect((await call("GET", `experiments/get-by-name?experiment_name=${encodeURIComponent(`x${bad}`)}`)).status).toBe(400);
    expect(await counts()).toEqual(before);
  });

  it("serves the same routes under /ajax-api/2.0/mlflow/ for the MLflow web UI", async () => {
    const created = await call("POST", "runs/create", { prefix: "/ajax-api/2.0/mlflow/", body: { experiment_id: expId, run_name: "from-ui" } });
    expect(created.status).toBe(200);
    const got = await call("GET", `runs/get?run_id=${created.json.run.info.run_id}`, { prefix: "/ajax-api/2.0/mlflow/" });
    expect(got.json.run.info.run_name).toBe("from-ui");
    expect((await call("GET", "constructor", {})).json.error_code).toBe("ENDPOINT_NOT_FOUND");
  });
});
