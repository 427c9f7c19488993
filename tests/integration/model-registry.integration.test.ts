// The MLflow Model Registry REST API (lib/server/services/registry) through handleMlflowRequest,
// in MLflow's shapes, on SQLite and PostgreSQL: registered models, versions from a run's logged
// tfjs model, aliases with their history, search, access across users and classes, bad input.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, insertUser, testProviders, type TestDb } from "./helpers/test-db";
import { createCaller } from "@/lib/server/api/root";
import type { SessionUser } from "@/lib/server/auth";
import { handleMlflowRequest } from "@/lib/server/services/tracking/mlflow-rest";
import { logArtifact } from "@/lib/server/services/tracking/artifacts";
import { DiskArtifactStore } from "@/lib/server/services/tracking/artifacts/store";
import { createToken } from "@/lib/server/services/tokens";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Method = "GET" | "POST" | "PATCH" | "DELETE";

describe.each(testProviders)("MLflow Model Registry REST API on %s", (provider) => {
  let t: TestDb;
  let teacher: SessionUser, ana: SessionUser, bob: SessionUser;
  let teacherToken: string, anaToken: string, bobToken: string;
  let classId: string;
  let artifactDir: string;
  let store: DiskArtifactStore;
  /** Ana's run filed under the class (its instructor reads it), with a model logged under "fraud". */
  let classRun: Json;
  /** Ana's private run with a model logged under "models/mlp". */
  let privateRun: Json;
  /** Ana's run with no model. */
  let emptyRun: Json;
  let bobRun: Json;
  const LESSON = "metrics-baselines"; // a real lesson under content/lessons

  async function call(method: Method, path: string, opts: { token?: string | null; body?: unknown; query?: Record<string, string | string[]>; prefix?: string; raw?: string } = {}) {
    const url = new URL(`http://localhost${opts.prefix ?? "/api/2.0/mlflow/"}${path}`);
    for (const [k, v] of Object.entries(opts.query ?? {})) for (const one of [v].flat()) url.searchParams.append(k, one);
    const token = opts.token === undefined ? anaToken : opts.token;
    const headers: Record<string, string> = { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) };
    const body = opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
    const res = await handleMlflowRequest(new Request(url, { method, headers, body }), { db: t.db });
    return { status: res.status, json: (await res.json()) as Json };
  }
  const ok = async (p: Promise<{ status: number; json: Json }>) => {
    const r = await p;
    expect(r, JSON.stringify(r.json)).toMatchObject({ status: 200 });
    return r.json;
  };
  const err = (status: number, error_code: string) => ({ status, json: { error_code } });
  const newRun = async (token: string, extra: Json = {}) => (await ok(call("POST", "runs/create", { token, body: { start_time: 1000, ...extra } }))).run.info as Json;
  const logModelFiles = async (user: SessionUser, runId: string, dir: string) => {
    const enc = new TextEncoder();
    await logArtifact({ db: t.db, user }, { runId, path: `${dir}/model.json`, data: enc.encode('{"format":"layers-model"}'), contentType: "application/json" }, store);
    await logArtifact({ db: t.db, user }, { runId, path: `${dir}/weights.bin`, data: new Uint8Array([1, 2, 3, 4]) }, store);
  };
  const createModel = async (name: string, token = anaToken, extra: Json = {}) =>
    (await ok(call("POST", "registered-models/create", { token, body: { name, ...extra } }))).registered_model as Json;
  const createVersion = async (name: string, body: Json, token = anaToken) =>
    (await ok(call("POST", "model-versions/create", { token, body: { name, ...body } }))).model_version as Json;
  const signature = { inputs: ["amount", "hour", "distance"], outputs: ["fraud"], preprocessing: { type: "standard_scaler", mean: [50, 12, 3], scale: [20, 6, 1.5] }, threshold: 0.35 };

  beforeAll(async () => {
    t = await createTestDb(provider);
    teacher = await insertUser(t.db, "instructor", "Ada");
    ana = await insertUser(t.db, "student", "Ana");
    bob = await insertUser(t.db, "student", "Bob");
    teacherToken = (await createToken({ db: t.db, user: teacher }, { name: "t" })).token;
    anaToken = (await createToken({ db: t.db, user: ana }, { name: "a" })).token;
    bobToken = (await createToken({ db: t.db, user: bob }, { name: "b" })).token;
    const c = await createCaller({ db: t.db, user: teacher }).classes.create({ name: "MLOps" });
    classId = c.id;
    await createCaller({ db: t.db, user: ana }).classes.join({ code: c.joinCode! });
    await createCaller({ db: t.db, user: bob }).classes.join({ code: c.joinCode! });
    artifactDir = mkdtempSync(join(tmpdir(), "cuaderno-model-registry-"));
    store = new DiskArtifactStore(artifactDir);
    classRun = await newRun(anaToken, { cuaderno: { lesson_slug: LESSON, class_id: classId } });
    privateRun = await newRun(anaToken);
    emptyRun = await newRun(anaToken);
    bobRun = await newRun(bobToken);
    await logModelFiles(ana, classRun.run_id, "fraud");
    await logModelFiles(ana, privateRun.run_id, "models/mlp");
    await logModelFiles(bob, bobRun.run_id, "model");
  });
  afterAll(async () => {
    await t?.drop();
    if (artifactDir) rmSync(artifactDir, { recursive: true, force: true });
  });

  it("creates and reads a registered model in MLflow's shape, with MLflow's errors for bad names", async () => {
    const m = await createModel("fraud-detector", anaToken, { description: "MLP on the fraud data", tags: [{ key: "lesson", value: LESSON }] });
    expect(m).toMatchObject({ name: "fraud-detector", user_id: ana.id, description: "MLP on the fraud data", tags: [{ key: "lesson", value: LESSON }] });
    expect(typeof m.creation_timestamp).toBe("number");
    expect(m.last_updated_timestamp).toBe(m.creation_timestamp);
    expect(m).not.toHaveProperty("latest_versions"); // empty lists are left out, as protobuf's JSON
    expect((await ok(call("GET", "registered-models/get", { query: { name: "fraud-detector" } }))).registered_model).toEqual(m);

    expect(await call("POST", "registered-models/create", { body: { name: "fraud-detector" } })).toMatchObject(err(400, "RESOURCE_ALREADY_EXISTS"));
    // Names are per owner: Bob may use the same one.
    expect((await createModel("fraud-detector", bobToken)).user_id).toBe(bob.id);

    for (const body of [{}, { name: "" }, { name: 7 }, { name: ["a"] }, { name: { nested: { deeper: true } } }, { name: "x".repeat(10_000) }, { name: "a/b" }, { name: "   " }])
      expect(await call("POST", "registered-models/create", { body }), JSON.stringify(body).slice(0, 80)).toMatchObject(err(400, "INVALID_PARAMETER_VALUE"));
    expect(await call("POST", "registered-models/create", { body: { name: "tagged", tags: [{ key: "k", value: "v".repeat(5001) }] } })).toMatchObject(err(400, "INVALID_PARAMETER_VALUE"));
    expect(await call("POST", "registered-models/create", { body: { name: "tagged", tags: "k=v" } })).toMatchObject(err(400, "INVALID_PARAMETER_VALUE"));
    expect(await call("POST", "registered-models/create", { raw: `{"name": ${"[".repeat(100)}${"]".repeat(100)}}` })).toMatchObject(err(400, "INVALID_PARAMETER_VALUE"));
    expect(await call("GET", "registered-models/get", { query: { name: "tagged" } })).toMatchObject(err(404, "RESOURCE_DOES_NOT_EXIST"));
    expect(await call("GET", "registered-models/get", { query: { name: "no-such-model" } })).toMatchObject({ status: 404, json: { error_code: "RESOURCE_DOES_NOT_EXIST", message: "Registered Model with name=no-such-model not found" } });
    expect(await call("GET", "registered-models/get", { query: { name: "y".repeat(10_000) } })).toMatchObject(err(404, "RESOURCE_DOES_NOT_EXIST"));
    expect(await call("GET", "registered-models/get", { query: {} })).toMatchObject(err(400, "INVALID_PARAMETER_VALUE"));
  });

  it("creates versions from runs with a logged model: numbered 1, 2, …, signature kept, source checked", async () => {
    await createModel("scorer");
    const v1 = await createVersion("scorer", { source: `runs:/${classRun.run_id}/fraud`, run_id: classRun.run_id, description: "first", cuaderno: { signature } });
    expect(v1).toMatchObject({
      name: "scorer",
      version: "1",
      user_id: ana.id,
      current_stage: "None",
      description: "first",
      source: `runs:/${classRun.run_id}/fraud`,
      run_id: classRun.run_id,
      status: "READY",
      cuaderno: { artifact_path: "fraud", signature },
    });
    // MLflow's client resolves runs:/ to the run's artifact URI and sends run_id with it.
    const v2 = await createVersion("scorer", { source: `${privateRun.artifact_uri}/models/mlp/`, run_id: privateRun.run_id, tags: [{ key: "framework", value: "tfjs" }] });
    expect(v2).toMatchObject({ version: "2", run_id: privateRun.run_id, tags: [{ key: "framework", value: "tfjs" }], cuaderno: { artifact_path: "models/mlp" } });
    expect(v2.cuaderno).not.toHaveProperty("signature");
    // A path naming model.json itself means its folder.
    expect((await createVersion("scorer", { source: `runs:/${classRun.run_id}/fraud/model.json` })).cuaderno.artifact_path).toBe("fraud");

    const got = (await ok(call("GET", "model-versions/get", { query: { name: "scorer", version: "1" } }))).model_version;
    expect(got).toEqual(v1);
    const model = (await ok(call("GET", "registered-models/get", { query: { name: "scorer" } }))).registered_model;
    expect(model.latest_versions.map((v: Json) => v.version)).toEqual(["3"]);
    expect((await ok(call("GET", "model-versions/get-download-uri", { query: { name: "scorer", version: "2" } }))).artifact_uri).toBe(`${privateRun.artifact_uri}/models/mlp`);

    const bad = async (body: Json, code = "INVALID_PARAMETER_VALUE", status = 400) =>
      expect(await call("POST", "model-versions/create", { body: { name: "scorer", ...body } }), JSON.stringify(body).slice(0, 120)).toMatchObject(err(status, code));
    await bad({ source: `runs:/${emptyRun.run_id}/model` }); // no model.json there
    await bad({ source: `runs:/${classRun.run_id}/other` });
    await bad({ source: `runs:/${classRun.run_id}/../${privateRun.run_id}/fraud` });
    await bad({ source: `runs:/${classRun.run_id}/fraud`, run_id: privateRun.run_id });
    await bad({ source: "/etc/passwd" });
    await bad({ source: "s3://bucket/elsewhere", run_id: classRun.run_id });
    await bad({});
    await bad({ source: `runs:/${classRun.run_id}/fraud`, cuaderno: { signature: { ...signature, preprocessing: { type: "standard_scaler", mean: [1], scale: [1] } } } });
    await bad({ source: `runs:/${classRun.run_id}/fraud`, cuaderno: { signature: { ...signature, inputs: ["a", "a", "b"] } } });
    await bad({ source: `runs:/${classRun.run_id}/fraud`, cuaderno: { signature: { ...signature, threshold: "high" } } });
    await bad({ source: `runs:/${classRun.run_id}/fraud`, cuaderno: { signature: { ...signature, extra: 1 } } });
    await bad({ source: `runs:/${classRun.run_id}/fraud`, cuaderno: { signature: { inputs: Array.from({ length: 2000 }, (_, i) => `f${i}`), outputs: ["y"] } } });
    await bad({ source: `runs:/${classRun.run_id}/fraud`, cuaderno: "sig" });
    await bad({ source: `runs:/${bobRun.run_id}/model` }, "RESOURCE_DOES_NOT_EXIST", 404); // not a run Ana can read
    await bad({ source: "runs:/0123456789abcdef0123456789abcdef/model" }, "RESOURCE_DOES_NOT_EXIST", 404);
    expect(await call("POST", "model-versions/create", { body: { name: "nope", source: `runs:/${classRun.run_id}/fraud` } })).toMatchObject(err(404, "RESOURCE_DOES_NOT_EXIST"));
    // Nothing of the refused requests was stored.
    expect((await ok(call("GET", "model-versions/search", { query: { filter: "name = 'scorer'" } }))).model_versions).toHaveLength(3);

    for (const version of ["abc", "1.5", "-1", "0", "1e3", "9".repeat(40), ""])
      expect(await call("GET", "model-versions/get", { query: { name: "scorer", version } }), version).toMatchObject(err(400, "INVALID_PARAMETER_VALUE"));
    expect(await call("GET", "model-versions/get", { query: { name: "scorer", version: "99" } })).toMatchObject({
      status: 404,
      json: { error_code: "RESOURCE_DOES_NOT_EXIST", message: "Model Version (name=scorer, version=99) not found" },
    });
  });

  it("sets, moves and deletes aliases, keeps their history (from → to, who, when), and finds a version by alias", async () => {
    await createModel("churn");
    for (let i = 0; i < 3; i++) await createVersion("churn", { source: `runs:/${classRun.run_id}/fraud` });
    const before = Date.now();
    const set = (alias: string, version: string | number, token = anaToken) => call("POST", "registered-models/alias", { token, body: { name: "churn", alias, version } });
    expect(await set("champion", "1")).toEqual({ status: 200, json: {} });
    expect(await set("challenger", 2)).toEqual({ status: 200, json: {} });
    await ok(set("champion", "2")); // moved
    await ok(set("champion", "2")); // no move, no event
    const byAlias = (await ok(call("GET", "registered-models/alias", { query: { name: "churn", alias: "champion" } }))).model_version;
    expect(byAlias).toMatchObject({ name: "churn", version: "2", aliases: ["challenger", "champion"] });
    const model = (await ok(call("GET", "registered-models/get", { query: { name: "churn" } }))).registered_model;
    expect(model.aliases).toEqual([
      { alias: "challenger", version: "2" },
      { alias: "champion", version: "2" },
    ]);

    expect(await call("DELETE", "registered-models/alias", { body: { name: "churn", alias: "challenger" } })).toEqual({ status: 200, json: {} });
    expect(await call("GET", "registered-models/alias", { query: { name: "churn", alias: "challenger" } })).toMatchObject({
      status: 404,
      json: { error_code: "RESOURCE_DOES_NOT_EXIST", message: "Registered model alias challenger not found." },
    });
    await ok(call("DELETE", "registered-models/alias", { body: { name: "churn", alias: "challenger" } })); // already gone: nothing changes

    for (const alias of ["latest", "Latest", "v1", "V12", "has space", "a/b", "x".repeat(256), ""])
      expect(await set(alias, "1"), alias).toMatchObject(err(400, "INVALID_PARAMETER_VALUE"));
    expect(await set("staging", "9")).toMatchObject(err(404, "RESOURCE_DOES_NOT_EXIST"));
    expect(await set("staging", "two")).toMatchObject(err(400, "INVALID_PARAMETER_VALUE"));
    expect(await set("staging", "1", bobToken)).toMatchObject(err(404, "RESOURCE_DOES_NOT_EXIST")); // Bob has no 'churn'

    // Deleting the champion's version removes the alias, and the history says so.
    await ok(call("DELETE", "model-versions/delete", { body: { name: "churn", version: "2" } }));
    expect(await call("GET", "registered-models/alias", { query: { name: "churn", alias: "champion" } })).toMatchObject(err(404, "RESOURCE_DOES_NOT_EXIST"));
    expect(await call("GET", "model-versions/get", { query: { name: "churn", version: "2" } })).toMatchObject(err(404, "RESOURCE_DOES_NOT_EXIST"));
    // Version numbers are never reused.
    expect((await createVersion("churn", { source: `runs:/${classRun.run_id}/fraud` })).version).toBe("4");

    const history = (await ok(call("GET", "registered-models/alias-history", { query: { name: "churn" } }))).events as Json[];
    expect(history.map(({ alias, from_version, to_version, user_id }) => ({ alias, from_version, to_version, user_id }))).toEqual([
      { alias: "champion", from_version: undefined, to_version: "1", user_id: ana.id },
      { alias: "challenger", from_version: undefined, to_version: "2", user_id: ana.id },
      { alias: "champion", from_version: "1", to_version: "2", user_id: ana.id },
      { alias: "challenger", from_version: "2", to_version: undefined, user_id: ana.id },
      { alias: "champion", from_version: "2", to_version: undefined, user_id: ana.id },
    ]);
    for (const e of history) expect(e.timestamp).toBeGreaterThanOrEqual(before);
    const champion = (await ok(call("GET", "registered-models/alias-history", { query: { name: "churn", alias: "champion" } }))).events as Json[];
    expect(champion.map((e) => [e.from_version ?? null, e.to_version ?? null])).toEqual([
      [null, "1"],
      ["1", "2"],
      ["2", null],
    ]);
  });

  it("searches models with name LIKE (linear matcher), tags and order_by, and versions by run and number", async () => {
    await createModel("search-alpha", anaToken, { tags: [{ key: "team", value: "red" }] });
    await createModel("search-beta", anaToken, { tags: [{ key: "team", value: "blue" }] });
    await createModel("Search-Gamma");
    const names = async (query: Record<string, string | string[]>, token = anaToken) =>
      ((await ok(call("GET", "registered-models/search", { token, query }))).registered_models ?? []).map((m: Json) => m.name);
    expect(await names({ filter: "name LIKE '%earch-%'" })).toEqual(["Search-Gamma", "search-alpha", "search-beta"]);
    expect(await names({ filter: "name LIKE 'search-%'" })).toEqual(["search-alpha", "search-beta"]);
    expect(await names({ filter: "name ILIKE 'search-%'" })).toEqual(["Search-Gamma", "search-alpha", "search-beta"]);
    expect(await names({ filter: "name LIKE 'search-_eta'" })).toEqual(["search-beta"]);
    expect(await names({ filter: "name = 'search-alpha'" })).toEqual(["search-alpha"]);
    expect(await names({ filter: "tags.team = 'blue'" })).toEqual(["search-beta"]);
    expect(await names({ filter: "name LIKE 'search%' AND tags.team != 'blue'" })).toEqual(["search-alpha"]);
    expect(await names({ filter: "name ILIKE 'search-%'", order_by: "name DESC" })).toEqual(["search-beta", "search-alpha", "Search-Gamma"]);
    // A pattern that backtracks a regular expression for seconds answers at once.
    const slow = Date.now();
    expect(await names({ filter: `name LIKE '${"%a".repeat(19)}%b'` })).toEqual([]);
    expect(Date.now() - slow).toBeLessThan(2000);

    const page1 = await ok(call("GET", "registered-models/search", { query: { filter: "name ILIKE 'search-%'", max_results: "2" } }));
    expect(page1.registered_models).toHaveLength(2);
    const page2 = await ok(call("GET", "registered-models/search", { query: { filter: "name ILIKE 'search-%'", max_results: "2", page_token: page1.next_page_token } }));
    expect(page2.registered_models.map((m: Json) => m.name)).toEqual(["search-beta"]);
    expect(page2).not.toHaveProperty("next_page_token");
    // Bob sees none of Ana's models.
    expect(await names({ filter: "name LIKE '%search%'" }, bobToken)).toEqual([]);

    const badQueries: Record<string, string>[] = [
      { filter: "name LIKE" },
      { filter: "metrics.acc > 1" },
      { filter: "owner = 'x'" },
      { filter: `name LIKE '${"x".repeat(300)}'` },
      { max_results: "5000" },
      { max_results: "0" },
      { page_token: "garbage" },
      { order_by: "tags.team" },
    ];
    for (const query of badQueries)
      expect(await call("GET", "registered-models/search", { query }), JSON.stringify(query).slice(0, 80)).toMatchObject(err(400, "INVALID_PARAMETER_VALUE"));

    await createModel("versions-search");
    await createVersion("versions-search", { source: `runs:/${classRun.run_id}/fraud` });
    await createVersion("versions-search", { source: `runs:/${privateRun.run_id}/models/mlp` });
    const versions = async (filter: string) =>
      ((await ok(call("GET", "model-versions/search", { query: { filter } }))).model_versions ?? []).map((v: Json) => `${v.name}:${v.version}`);
    expect(await versions("name = 'versions-search'")).toEqual(["versions-search:2", "versions-search:1"]);
    expect(await versions(`name = 'versions-search' AND run_id = '${privateRun.run_id}'`)).toEqual(["versions-search:2"]);
    expect(await versions(`name = 'versions-search' AND run_id IN ('${classRun.run_id}', 'zzz')`)).toEqual(["versions-search:1"]);
    expect(await versions("name = 'versions-search' AND version_number > 1")).toEqual(["versions-search:2"]);
    expect(await versions("name LIKE 'versions-%' AND source LIKE '%models/mlp'")).toEqual(["versions-search:2"]);
    expect(await call("GET", "model-versions/search", { query: { filter: "version_number > 'x'" } })).toMatchObject(err(400, "INVALID_PARAMETER_VALUE"));
  });

  it("updates descriptions, renames, tags, stages and deletes, each write the owner's alone", async () => {
    await createModel("editable");
    await createVersion("editable", { source: `runs:/${classRun.run_id}/fraud`, description: "v1" });
    const updated = (await ok(call("PATCH", "registered-models/update", { body: { name: "editable", description: "Better words" } }))).registered_model;
    expect(updated).toMatchObject({ name: "editable", description: "Better words" });
    expect(updated.last_updated_timestamp).toBeGreaterThanOrEqual(updated.creation_timestamp);
    const v = (await ok(call("PATCH", "model-versions/update", { body: { name: "editable", version: "1", description: "retrained", cuaderno: { signature } } }))).model_version;
    expect(v).toMatchObject({ version: "1", description: "retrained", cuaderno: { signature } });
    expect(
      (await ok(call("PATCH", "model-versions/update", { body: { name: "editable", version: "1", cuaderno: { signature: null } } }))).model_version.cuaderno,
    ).toEqual({ artifact_path: "fraud" });
    expect(await call("PATCH", "registered-models/update", { body: { name: "editable", description: "d".repeat(5001) } })).toMatchObject(err(400, "INVALID_PARAMETER_VALUE"));
    expect(await call("PATCH", "model-versions/update", { body: { name: "editable", version: "x", description: "d" } })).toMatchObject(err(400, "INVALID_PARAMETER_VALUE"));

    await ok(call("POST", "registered-models/set-tag", { body: { name: "editable", key: "owner", value: "ana" } }));
    await ok(call("POST", "model-versions/set-tag", { body: { name: "editable", version: "1", key: "validated", value: "yes" } }));
    expect((await ok(call("GET", "registered-models/get", { query: { name: "editable" } }))).registered_model.tags).toEqual([{ key: "owner", value: "ana" }]);
    expect((await ok(call("GET", "model-versions/get", { query: { name: "editable", version: "1" } }))).model_version.tags).toEqual([{ key: "validated", value: "yes" }]);
    // DELETE with the fields in the query string, as MLflow's server also reads them.
    await ok(call("DELETE", "registered-models/delete-tag", { query: { name: "editable", key: "owner" } }));
    await ok(call("DELETE", "model-versions/delete-tag", { body: { name: "editable", version: "1", key: "validated" } }));
    expect((await ok(call("GET", "registered-models/get", { query: { name: "editable" } }))).registered_model).not.toHaveProperty("tags");
    expect(await call("POST", "registered-models/set-tag", { body: { name: "editable", key: "../x", value: "v" } })).toMatchObject(err(400, "INVALID_PARAMETER_VALUE"));

    const staged = (await ok(call("POST", "model-versions/transition-stage", { body: { name: "editable", version: "1", stage: "production", archive_existing_versions: true } }))).model_version;
    expect(staged.current_stage).toBe("Production");
    expect((await ok(call("POST", "registered-models/get-latest-versions", { body: { name: "editable", stages: ["Production"] } }))).model_versions.map((x: Json) => x.version)).toEqual(["1"]);
    expect(await ok(call("GET", "registered-models/get-latest-versions", { query: { name: "editable", stages: "Staging" } }))).toEqual({});
    expect(await call("POST", "registered-models/get-latest-versions", { body: { name: "editable", stages: ["Live"] } })).toMatchObject(err(400, "INVALID_PARAMETER_VALUE"));

    await createModel("taken-name");
    expect(await call("POST", "registered-models/rename", { body: { name: "editable", new_name: "taken-name" } })).toMatchObject(err(400, "RESOURCE_ALREADY_EXISTS"));
    expect((await ok(call("POST", "registered-models/rename", { body: { name: "editable", new_name: "edited" } }))).registered_model.name).toBe("edited");
    expect(await call("GET", "registered-models/get", { query: { name: "editable" } })).toMatchObject(err(404, "RESOURCE_DOES_NOT_EXIST"));
    expect((await ok(call("GET", "model-versions/get", { query: { name: "edited", version: "1" } }))).model_version.name).toBe("edited");

    // Another student: every read and write of Ana's model is a missing model.
    for (const [method, path, body] of [
      ["GET", "registered-models/get", { name: "edited" }],
      ["PATCH", "registered-models/update", { name: "edited", description: "mine" }],
      ["DELETE", "registered-models/delete", { name: "edited" }],
      ["POST", "model-versions/create", { name: "edited", source: `runs:/${bobRun.run_id}/model` }],
      ["GET", "model-versions/get", { name: "edited", version: "1" }],
      ["POST", "registered-models/alias", { name: "edited", alias: "champion", version: "1" }],
      ["GET", "registered-models/get", { name: `${ana.id}/edited` }],
    ] as [Method, string, Json][])
      expect(await call(method, path, { token: bobToken, ...(method === "GET" ? { query: body } : { body }) }), `${method} ${path}`).toMatchObject(err(404, "RESOURCE_DOES_NOT_EXIST"));
    expect((await ok(call("GET", "registered-models/get", { query: { name: "edited" } }))).registered_model.description).toBe("Better words");
  });

  it("lets the instructor of the run's class read a student's model by its qualified name, never change it", async () => {
    await createModel("class-model");
    await createVersion("class-model", { source: `runs:/${classRun.run_id}/fraud` });
    await ok(call("POST", "registered-models/alias", { body: { name: "class-model", alias: "champion", version: "1" } }));
    await createModel("private-model");
    await createVersion("private-model", { source: `runs:/${privateRun.run_id}/models/mlp` });

    const qualified = `${ana.id}/class-model`;
    const seen = (await ok(call("GET", "registered-models/search", { token: teacherToken, query: { filter: "name LIKE '%model%'" } }))).registered_models.map((m: Json) => m.name);
    expect(seen).toContain(qualified);
    expect(seen).not.toContain(`${ana.id}/private-model`);
    expect((await ok(call("GET", "registered-models/get", { token: teacherToken, query: { name: qualified } }))).registered_model).toMatchObject({ name: qualified, user_id: ana.id });
    expect((await ok(call("GET", "registered-models/alias", { token: teacherToken, query: { name: qualified, alias: "champion" } }))).model_version).toMatchObject({ name: qualified, version: "1" });
    expect((await ok(call("GET", "registered-models/alias-history", { token: teacherToken, query: { name: qualified } }))).events).toHaveLength(1);
    expect(await call("GET", "registered-models/get", { token: teacherToken, query: { name: `${ana.id}/private-model` } })).toMatchObject(err(404, "RESOURCE_DOES_NOT_EXIST"));
    expect(await call("GET", "registered-models/get", { token: teacherToken, query: { name: "class-model" } })).toMatchObject(err(404, "RESOURCE_DOES_NOT_EXIST"));
    expect(await call("PATCH", "registered-models/update", { token: teacherToken, body: { name: qualified, description: "x" } })).toMatchObject(err(403, "PERMISSION_DENIED"));
    expect(await call("POST", "registered-models/alias", { token: teacherToken, body: { name: qualified, alias: "champion", version: "1" } })).toMatchObject(err(403, "PERMISSION_DENIED"));
    expect(await call("DELETE", "model-versions/delete", { token: teacherToken, body: { name: qualified, version: "1" } })).toMatchObject(err(403, "PERMISSION_DENIED"));
    // A classmate is not the instructor.
    expect(await call("GET", "registered-models/get", { token: bobToken, query: { name: qualified } })).toMatchObject(err(404, "RESOURCE_DOES_NOT_EXIST"));
  });

  it("deletes a model with its versions and aliases; the alias history stays", async () => {
    await createModel("doomed");
    await createVersion("doomed", { source: `runs:/${classRun.run_id}/fraud` });
    await ok(call("POST", "registered-models/alias", { body: { name: "doomed", alias: "champion", version: "1" } }));
    const modelId = (await t.db.registeredModel.findFirstOrThrow({ where: { ownerId: ana.id, name: "doomed" }, select: { id: true } })).id;
    expect(await call("DELETE", "registered-models/delete", { body: { name: "doomed" } })).toEqual({ status: 200, json: {} });
    expect(await call("GET", "registered-models/get", { query: { name: "doomed" } })).toMatchObject(err(404, "RESOURCE_DOES_NOT_EXIST"));
    expect(await t.db.modelVersion.count({ where: { modelId } })).toBe(0);
    const kept = await t.db.modelAliasEvent.findMany({ where: { ownerId: ana.id, modelName: "doomed" }, orderBy: { id: "asc" }, select: { modelId: true, alias: true, fromVersion: true, toVersion: true, actorId: true } });
    expect(kept).toEqual([
      { modelId: null, alias: "champion", fromVersion: null, toVersion: 1, actorId: ana.id },
      { modelId: null, alias: "champion", fromVersion: 1, toVersion: null, actorId: ana.id },
    ]);
    // The name is free again, with a fresh history and numbering.
    await createModel("doomed");
    expect((await createVersion("doomed", { source: `runs:/${classRun.run_id}/fraud` })).version).toBe("1");
    expect((await ok(call("GET", "registered-models/alias-history", { query: { name: "doomed" } }))).events).toEqual([]);
  });

  it("answers under /ajax-api/ too, with MLflow's errors for unknown routes, wrong methods and no token", async () => {
    await createModel("ajax-model");
    expect((await ok(call("GET", "registered-models/get", { prefix: "/ajax-api/2.0/mlflow/", query: { name: "ajax-model" } }))).registered_model.name).toBe("ajax-model");
    expect(await call("GET", "registered-models/teleport")).toMatchObject(err(404, "ENDPOINT_NOT_FOUND"));
    expect((await call("POST", "registered-models/update", { body: { name: "ajax-model" } })).status).toBe(405);
    expect((await call("GET", "registered-models/delete", { query: { name: "ajax-model" } })).status).toBe(405);
    expect((await call("DELETE", "runs/create", { body: {} })).status).toBe(405);
    expect(await call("GET", "registered-models/get", { token: null, query: { name: "ajax-model" } })).toMatchObject(err(401, "UNAUTHENTICATED"));
    expect(await call("POST", "registered-models/create", { raw: "{not json" })).toMatchObject(err(400, "INVALID_PARAMETER_VALUE"));
    expect(await call("POST", "registered-models/create", { raw: '"a string"' })).toMatchObject(err(400, "INVALID_PARAMETER_VALUE"));
  });
});
