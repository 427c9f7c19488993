// The parts of MLflow's REST protocol an existing client needs beyond runs and metrics:
// experiments/update, delete, restore, set/delete-experiment-tag, the Default experiment "0",
// runs/log-inputs with datasets.* search, the mlflow-artifacts listing and DELETE, a client's
// mlflow.user, the /ajax-api/ prefix, and lesson experiments only for the course's lessons.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, insertUser, testProviders, type TestDb } from "./helpers/test-db";
import { createCaller } from "@/lib/server/api/root";
import type { SessionUser } from "@/lib/server/auth";
import { handleMlflowRequest } from "@/lib/server/services/tracking/mlflow-rest";
import { handleMlflowArtifactsRequest } from "@/lib/server/services/tracking/mlflow-rest/artifacts-proxy";
import { DiskArtifactStore } from "@/lib/server/services/tracking/artifacts/store";
import { ensureLessonExperiment } from "@/lib/server/services/tracking/experiments";
import { createToken } from "@/lib/server/services/tokens";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.each(testProviders)("MLflow protocol on %s", (provider) => {
  let t: TestDb;
  let teacher: SessionUser, ana: SessionUser, bob: SessionUser;
  let teacherToken: string, anaToken: string, bobToken: string;
  let classId: string;
  let artifactDir: string;
  let store: DiskArtifactStore;
  const LESSON = "metrics-baselines"; // a real lesson under content/lessons

  async function call(method: "GET" | "POST", path: string, opts: { token?: string | null; body?: unknown; query?: Record<string, string | string[]>; prefix?: string } = {}) {
    const url = new URL(`http://localhost${opts.prefix ?? "/api/2.0/mlflow/"}${path}`);
    for (const [k, v] of Object.entries(opts.query ?? {})) for (const one of [v].flat()) url.searchParams.append(k, one);
    const token = opts.token === undefined ? anaToken : opts.token;
    const headers: Record<string, string> = { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) };
    const res = await handleMlflowRequest(new Request(url, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) }), { db: t.db });
    return { status: res.status, json: (await res.json()) as Json };
  }
  async function artifacts(method: "GET" | "PUT" | "DELETE", pathAndQuery: string, opts: { token?: string | null; body?: string; prefix?: string } = {}) {
    const token = opts.token === undefined ? anaToken : opts.token;
    const req = new Request(`http://localhost${opts.prefix ?? "/api/2.0/"}mlflow-artifacts/artifacts${pathAndQuery}`, {
      method,
      body: opts.body,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(opts.body !== undefined ? { "content-type": "text/plain" } : {}) },
    });
    const res = await handleMlflowArtifactsRequest(req, { db: t.db, store });
    const text = await res.text();
    return { status: res.status, text, json: (res.headers.get("content-type") ?? "").includes("json") ? (JSON.parse(text) as Json) : null };
  }
  const ok = async (p: Promise<{ status: number; json: Json }>) => {
    const r = await p;
    expect(r, JSON.stringify(r.json)).toMatchObject({ status: 200 });
    return r.json;
  };
  const newExperiment = async (name: string, token = anaToken) => (await ok(call("POST", "experiments/create", { token, body: { name } }))).experiment_id as string;
  const newRun = async (experimentId: string | undefined, token = anaToken, extra: Json = {}) =>
    (await ok(call("POST", "runs/create", { token, body: { ...(experimentId === undefined ? {} : { experiment_id: experimentId }), start_time: 1000, ...extra } }))).run.info as Json;
  const getExperiment = async (id: string, token = anaToken) => (await ok(call("GET", "experiments/get", { token, query: { experiment_id: id } }))).experiment as Json;
  /** Ana's run filed under the class lesson: the experiment belongs to the teacher. */
  const classLessonRun = async () => newRun(undefined, anaToken, { cuaderno: { lesson_slug: LESSON, class_id: classId } });

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
    artifactDir = mkdtempSync(join(tmpdir(), "cuaderno-mlflow-protocol-"));
    store = new DiskArtifactStore(artifactDir);
  });
  afterAll(async () => {
    await t?.drop();
    if (artifactDir) rmSync(artifactDir, { recursive: true, force: true });
  });

  it("experiments/update renames an active experiment its caller owns, with MLflow's errors", async () => {
    const id = await newExperiment("draft");
    const before = await getExperiment(id);
    expect(await call("POST", "experiments/update", { body: { experiment_id: id, new_name: "final" } })).toEqual({ status: 200, json: {} });
    const after = await getExperiment(id);
    expect(after).toMatchObject({ experiment_id: id, name: "final" });
    expect(after.last_update_time).toBeGreaterThanOrEqual(before.last_update_time);
    expect((await ok(call("GET", "experiments/get-by-name", { query: { experiment_name: "final" } }))).experiment.experiment_id).toBe(id);

    await newExperiment("taken");
    expect(await call("POST", "experiments/update", { body: { experiment_id: id, new_name: "taken" } })).toMatchObject({ status: 400, json: { error_code: "RESOURCE_ALREADY_EXISTS" } });
    expect(await call("POST", "experiments/update", { body: { experiment_id: id } })).toMatchObject({ status: 400, json: { error_code: "INVALID_PARAMETER_VALUE", message: expect.stringContaining("new_name") } });
    expect(await call("POST", "experiments/update", { body: { experiment_id: id, new_name: "   " } })).toMatchObject({ status: 400, json: { error_code: "INVALID_PARAMETER_VALUE" } });
    expect(await call("POST", "experiments/update", { body: { experiment_id: id, new_name: "x".repeat(501) } })).toMatchObject({
      status: 400,
      json: { error_code: "INVALID_PARAMETER_VALUE", message: expect.stringContaining("500") },
    });
    expect(await call("POST", "experiments/update", { body: { experiment_id: id, new_name: 7 } })).toMatchObject({ status: 400, json: { error_code: "INVALID_PARAMETER_VALUE" } });
    expect(await call("POST", "experiments/update", { body: { new_name: "y" } })).toMatchObject({ status: 400, json: { error_code: "INVALID_PARAMETER_VALUE" } });
    expect(await call("POST", "experiments/update", { body: { experiment_id: "999999", new_name: "y" } })).toMatchObject({ status: 404, json: { error_code: "RESOURCE_DOES_NOT_EXIST" } });
    // Another student cannot see it (404); a class member cannot rename the instructor's (403).
    expect(await call("POST", "experiments/update", { token: bobToken, body: { experiment_id: id, new_name: "mine" } })).toMatchObject({ status: 404 });
    expect((await getExperiment(id)).name).toBe("final");
    const lessonExp = (await classLessonRun()).experiment_id as string;
    expect(await call("POST", "experiments/update", { body: { experiment_id: lessonExp, new_name: "hijacked" } })).toMatchObject({ status: 403, json: { error_code: "PERMISSION_DENIED" } });
    // A lesson's experiment is found by its name whenever a run is filed: its owner cannot rename it either.
    expect(await call("POST", "experiments/update", { token: teacherToken, body: { experiment_id: lessonExp, new_name: "renamed" } })).toMatchObject({ status: 400 });
  });

  it("experiments/delete and restore: lifecycle, view_type searches, and the experiment's runs as MLflow's SQL store", async () => {
    const id = await newExperiment("doomed");
    const keep = await newExperiment("kept");
    const r1 = (await newRun(id)).run_id as string;
    const r2 = (await newRun(id)).run_id as string;
    await ok(call("POST", "runs/delete", { body: { run_id: r2 } }));
    await ok(call("POST", "runs/log-metric", { body: { run_id: r1, key: "acc", value: 0.5, timestamp: 1 } }));

    expect(await call("POST", "experiments/delete", { token: bobToken, body: { experiment_id: id } })).toMatchObject({ status: 404 });
    expect(await call("POST", "experiments/delete", { body: {} })).toMatchObject({ status: 400, json: { error_code: "INVALID_PARAMETER_VALUE" } });
    expect(await call("POST", "experiments/delete", { body: { experiment_id: "999999" } })).toMatchObject({ status: 404 });
    expect(await call("POST", "experiments/delete", { body: { experiment_id: id } })).toEqual({ status: 200, json: {} });
    expect((await getExperiment(id)).lifecycle_stage).toBe("deleted");

    const names = async (view?: string) =>
      ((await ok(call("POST", "experiments/search", { body: { max_results: 1000, ...(view ? { view_type: view } : {}) } }))).experiments ?? []).map((e: Json) => e.experiment_id);
    expect(await names()).toContain(keep);
    expect(await names()).not.toContain(id);
    expect(await names("DELETED_ONLY")).toEqual([id]);
    expect(await names("ALL")).toEqual(expect.arrayContaining([id, keep]));

    // Its runs are deleted with it: found only with DELETED_ONLY / ALL, and closed to logging.
    const runIds = async (view: string) => ((await ok(call("POST", "runs/search", { body: { experiment_ids: [id], run_view_type: view } }))).runs ?? []).map((r: Json) => r.info.run_id).sort();
    expect(await runIds("ACTIVE_ONLY")).toEqual([]);
    expect(await runIds("DELETED_ONLY")).toEqual([r1, r2].sort());
    expect((await ok(call("GET", "runs/get", { query: { run_id: r1 } }))).run.info.lifecycle_stage).toBe("deleted");
    expect(await call("POST", "runs/log-metric", { body: { run_id: r1, key: "acc", value: 0.6, timestamp: 2 } })).toMatchObject({
      status: 400,
      json: { message: `The run ${r1} must be in the 'active' state. Current state is deleted.` },
    });
    expect(await call("POST", "runs/create", { body: { experiment_id: id } })).toMatchObject({ status: 400, json: { message: expect.stringContaining("must be in the 'active' state") } });
    expect(await call("POST", "experiments/update", { body: { experiment_id: id, new_name: "zombie" } })).toMatchObject({ status: 400, json: { message: "Cannot rename a non-active experiment." } });
    expect(await call("POST", "experiments/set-experiment-tag", { body: { experiment_id: id, key: "k", value: "v" } })).toMatchObject({
      status: 400,
      json: { message: `The experiment ${id} must be in the 'active' state. Current state is deleted.` },
    });
    // As MLflow: deleting a deleted experiment, or restoring an active one, finds nothing.
    expect(await call("POST", "experiments/delete", { body: { experiment_id: id } })).toMatchObject({ status: 404, json: { error_code: "RESOURCE_DOES_NOT_EXIST" } });
    expect(await call("POST", "experiments/restore", { body: { experiment_id: keep } })).toMatchObject({ status: 404, json: { error_code: "RESOURCE_DOES_NOT_EXIST" } });
    // The app's experiment list hides it too.
    expect((await createCaller({ db: t.db, user: ana }).tracking.experiments()).map((e) => String(e.id))).not.toContain(id);

    expect(await call("POST", "experiments/restore", { token: bobToken, body: { experiment_id: id } })).toMatchObject({ status: 404 });
    expect(await call("POST", "experiments/restore", { body: { experiment_id: id } })).toEqual({ status: 200, json: {} });
    expect((await getExperiment(id)).lifecycle_stage).toBe("active");
    // Restoring brings back every run of the experiment, as MLflow does (r2 was deleted on its own before).
    expect(await runIds("ACTIVE_ONLY")).toEqual([r1, r2].sort());
    await ok(call("POST", "runs/log-metric", { body: { run_id: r1, key: "acc", value: 0.7, timestamp: 3 } }));
    expect((await createCaller({ db: t.db, user: ana }).tracking.experiments()).map((e) => String(e.id))).toContain(id);

    // A class member cannot delete the instructor's lesson experiment.
    const lessonExp = (await classLessonRun()).experiment_id as string;
    expect(await call("POST", "experiments/delete", { body: { experiment_id: lessonExp } })).toMatchObject({ status: 403, json: { error_code: "PERMISSION_DENIED" } });
    expect((await getExperiment(lessonExp)).lifecycle_stage).toBe("active");
  });

  it("experiments/set-experiment-tag and delete-experiment-tag: owner only, MLflow's limits", async () => {
    const id = await newExperiment("tagged");
    const tags = async () => (await getExperiment(id)).tags ?? [];
    expect(await call("POST", "experiments/set-experiment-tag", { body: { experiment_id: id, key: "mlflow.note.content", value: "first" } })).toEqual({ status: 200, json: {} });
    await ok(call("POST", "experiments/set-experiment-tag", { body: { experiment_id: id, key: "mlflow.note.content", value: "# Notes" } }));
    await ok(call("POST", "experiments/set-experiment-tag", { body: { experiment_id: id, key: "empty" } }));
    expect(await tags()).toEqual(expect.arrayContaining([{ key: "mlflow.note.content", value: "# Notes" }, { key: "empty", value: "" }]));
    expect((await tags()).length).toBe(2);

    expect(await call("POST", "experiments/set-experiment-tag", { body: { experiment_id: id, value: "v" } })).toMatchObject({ status: 400, json: { error_code: "INVALID_PARAMETER_VALUE" } });
    expect(await call("POST", "experiments/set-experiment-tag", { body: { experiment_id: id, key: "k".repeat(251), value: "v" } })).toMatchObject({ status: 400 });
    expect(await call("POST", "experiments/set-experiment-tag", { body: { experiment_id: id, key: "long", value: "v".repeat(5001) } })).toMatchObject({
      status: 400,
      json: { message: expect.stringContaining("5000") },
    });
    expect(await call("POST", "experiments/set-experiment-tag", { body: { experiment_id: "999999", key: "k", value: "v" } })).toMatchObject({ status: 404 });
    expect(await call("POST", "experiments/set-experiment-tag", { token: bobToken, body: { experiment_id: id, key: "k", value: "v" } })).toMatchObject({ status: 404 });
    expect(await call("POST", "experiments/delete-experiment-tag", { token: bobToken, body: { experiment_id: id, key: "empty" } })).toMatchObject({ status: 404 });

    expect(await call("POST", "experiments/delete-experiment-tag", { body: { experiment_id: id, key: "empty" } })).toEqual({ status: 200, json: {} });
    expect(await tags()).toEqual([{ key: "mlflow.note.content", value: "# Notes" }]);
    expect(await call("POST", "experiments/delete-experiment-tag", { body: { experiment_id: id, key: "empty" } })).toMatchObject({
      status: 404,
      json: { error_code: "RESOURCE_DOES_NOT_EXIST", message: `No tag with name: empty in experiment with id ${id}` },
    });
    expect(await call("POST", "experiments/delete-experiment-tag", { body: { experiment_id: id } })).toMatchObject({ status: 400, json: { error_code: "INVALID_PARAMETER_VALUE" } });

    // The instructor tags the class's lesson experiment; a student may read but not tag it.
    const lessonExp = (await classLessonRun()).experiment_id as string;
    expect(await call("POST", "experiments/set-experiment-tag", { body: { experiment_id: lessonExp, key: "k", value: "v" } })).toMatchObject({ status: 403, json: { error_code: "PERMISSION_DENIED" } });
    expect(await call("POST", "experiments/delete-experiment-tag", { body: { experiment_id: lessonExp, key: "cuaderno.lesson" } })).toMatchObject({ status: 403 });
    await ok(call("POST", "experiments/set-experiment-tag", { token: teacherToken, body: { experiment_id: lessonExp, key: "mlflow.note.content", value: "Week 3" } }));
    expect((await getExperiment(lessonExp)).tags).toEqual(expect.arrayContaining([{ key: "mlflow.note.content", value: "Week 3" }]));
  });

  it('is the Default experiment "0" to each user: runs without an experiment, experiments/get, searches', async () => {
    const run = await newRun(undefined);
    expect(run.experiment_id).toBe("0");
    const dflt = await getExperiment("0");
    expect(dflt).toMatchObject({ experiment_id: "0", name: "Default", lifecycle_stage: "active" });
    expect((await ok(call("GET", "experiments/get-by-name", { query: { experiment_name: "Default" } }))).experiment.experiment_id).toBe("0");
    expect((await ok(call("GET", "runs/get", { query: { run_id: run.run_id } }))).run.info.experiment_id).toBe("0");
    const search = await ok(call("POST", "runs/search", { body: { experiment_ids: ["0"] } }));
    expect(search.runs.map((r: Json) => r.info.run_id)).toContain(run.run_id);
    expect(search.runs.every((r: Json) => r.info.experiment_id === "0")).toBe(true);
    expect((await ok(call("POST", "experiments/search", { body: { filter: "name = 'Default'" } }))).experiments.map((e: Json) => e.experiment_id)).toEqual(["0"]);
    expect((await newRun("0")).experiment_id).toBe("0");

    // Bob's "0" is his own: Ana's runs are not in it.
    expect(await getExperiment("0", bobToken)).toMatchObject({ experiment_id: "0", name: "Default" });
    expect((await ok(call("POST", "runs/search", { token: bobToken, body: { experiment_ids: ["0"] } }))).runs ?? []).toEqual([]);

    // Renamed, it stays "0" and keeps receiving runs without an experiment.
    await ok(call("POST", "experiments/update", { body: { experiment_id: "0", new_name: "Scratch" } }));
    expect(await getExperiment("0")).toMatchObject({ experiment_id: "0", name: "Scratch" });
    expect((await newRun(undefined)).experiment_id).toBe("0");
    const plain = await newExperiment("Default");
    expect(plain).not.toBe("0");
    expect((await getExperiment("0")).name).toBe("Scratch");
  });

  it("keeps a client's mlflow.user tag and sets the account's name otherwise", async () => {
    const exp = await newExperiment("users");
    const userTag = (tags: Json[]) => tags.find((t) => t.key === "mlflow.user")?.value;
    const own = await ok(call("POST", "runs/create", { body: { experiment_id: exp, tags: [{ key: "mlflow.user", value: "jovyan" }] } }));
    expect(userTag(own.run.data.tags)).toBe("jovyan");
    expect(own.run.info.user_id).toBe(ana.id);
    const got = await ok(call("GET", "runs/get", { query: { run_id: own.run.info.run_id } }));
    expect(userTag(got.run.data.tags)).toBe("jovyan");
    const plain = await ok(call("POST", "runs/create", { body: { experiment_id: exp } }));
    expect(userTag(plain.run.data.tags)).toBe("Ana");
  });

  it("runs/log-inputs records datasets shown in run.inputs and searched with datasets.*", async () => {
    const exp = await newExperiment("datasets");
    const run = (await newRun(exp)).run_id as string;
    const other = (await newRun(exp)).run_id as string;
    const train = { name: "mnist", digest: "a1b2c3", source_type: "local", source: '{"uri": "/data/mnist"}', schema: '{"mlflow_colspec": []}', profile: '{"num_rows": 60000}' };
    const evalSet = { name: "mnist-test", digest: "d4e5f6", source_type: "http", source: '{"url": "https://example.test/t.csv"}' };
    const body = { run_id: run, datasets: [{ tags: [{ key: "mlflow.data.context", value: "training" }], dataset: train }, { dataset: evalSet, tags: [{ key: "mlflow.data.context", value: "eval" }] }] };
    expect(await call("POST", "runs/log-inputs", { body })).toEqual({ status: 200, json: {} });
    // The same name and digest again is kept once, with its first tags (MLflow dedups).
    await ok(call("POST", "runs/log-inputs", { body: { run_id: run, datasets: [{ dataset: train, tags: [{ key: "mlflow.data.context", value: "other" }] }] } }));
    await ok(call("POST", "runs/log-inputs", { body: { run_id: other, datasets: [{ dataset: { ...evalSet, digest: "ffff" } }] } }));

    const inputs = (await ok(call("GET", "runs/get", { query: { run_id: run } }))).run.inputs;
    expect(inputs).toEqual({
      dataset_inputs: [
        { tags: [{ key: "mlflow.data.context", value: "training" }], dataset: train },
        { tags: [{ key: "mlflow.data.context", value: "eval" }], dataset: evalSet },
      ],
    });
    const otherInputs = (await ok(call("GET", "runs/get", { query: { run_id: other } }))).run.inputs;
    expect(otherInputs).toEqual({ dataset_inputs: [{ dataset: { ...evalSet, digest: "ffff" } }] });
    expect((await ok(call("POST", "runs/create", { body: { experiment_id: exp } }))).run.inputs).toEqual({});

    const found = async (filter: string) =>
      ((await ok(call("POST", "runs/search", { body: { experiment_ids: [exp], filter } }))).runs ?? []).map((r: Json) => r.info.run_id).sort();
    expect(await found("datasets.name = 'mnist'")).toEqual([run]);
    expect(await found("datasets.name = 'mnist-test'")).toEqual([run, other].sort());
    expect(await found("datasets.digest IN ('ffff', 'zzz')")).toEqual([other]);
    expect(await found("datasets.context = 'eval'")).toEqual([run]);
    expect(await found("datasets.context = 'other'")).toEqual([]);
    expect(await found("dataset.name LIKE 'mnist%' AND datasets.digest = 'a1b2c3'")).toEqual([run]);
    expect(await found("datasets.name = 'cifar'")).toEqual([]);
    const searched = await ok(call("POST", "runs/search", { body: { experiment_ids: [exp], filter: "datasets.digest = 'ffff'" } }));
    expect(searched.runs[0].inputs).toEqual(otherInputs);
    const page = await ok(call("POST", "runs/search", { body: { experiment_ids: [exp], filter: `attributes.run_id = '${run}'` } }));
    expect(page.runs[0].inputs).toEqual(inputs);
    expect(await call("POST", "runs/search", { body: { experiment_ids: [exp], filter: "datasets.size = '1'" } })).toMatchObject({ status: 400 });
    expect(await call("POST", "runs/search", { body: { experiment_ids: [exp], order_by: ["datasets.name"] } })).toMatchObject({ status: 400 });

    const bad = (datasets: unknown, token = anaToken, runId: string | null = run) => call("POST", "runs/log-inputs", { token, body: { ...(runId ? { run_id: runId } : {}), datasets } });
    expect(await bad([{ dataset: { ...train, name: undefined } }])).toMatchObject({ status: 400, json: { message: "Dataset name cannot be None" } });
    expect(await bad([{ dataset: { ...train, digest: "d".repeat(37) } }])).toMatchObject({ status: 400, json: { message: expect.stringContaining("digest exceeds the maximum length of 36") } });
    expect(await bad([{ dataset: { ...train, name: "n".repeat(501) } }])).toMatchObject({ status: 400 });
    expect(await bad([{ dataset: { ...train, source: 7 } }])).toMatchObject({ status: 400 });
    expect(await bad([{ dataset: train, tags: [{ key: "mlflow.data.context", value: "v".repeat(501) }] }])).toMatchObject({ status: 400 });
    expect(await bad([{ tags: [] }])).toMatchObject({ status: 400, json: { message: "Dataset cannot be None" } });
    expect(await bad({ dataset: train })).toMatchObject({ status: 400 });
    expect(await bad([{ dataset: train }], anaToken, null)).toMatchObject({ status: 400, json: { error_code: "INVALID_PARAMETER_VALUE" } });
    expect(await bad([{ dataset: train }], anaToken, "0".repeat(32))).toMatchObject({ status: 404 });
    expect(await bad([{ dataset: { ...train, name: "bob's" } }], bobToken)).toMatchObject({ status: 404 });
    expect(await call("POST", "runs/log-inputs", { body: { run_id: run, models: [{ model_id: "m-1" }] } })).toMatchObject({ status: 400 });
    // Nothing of the refused requests was stored.
    expect((await ok(call("GET", "runs/get", { query: { run_id: run } }))).run.inputs).toEqual(inputs);
    // A deleted run takes no inputs, as it takes no metrics.
    await ok(call("POST", "runs/delete", { body: { run_id: other } }));
    expect(await bad([{ dataset: { ...train, digest: "new" } }], anaToken, other)).toMatchObject({ status: 400, json: { message: expect.stringContaining("'active' state") } });
  });

  it("lists a run's artifact folders and deletes files and folders through mlflow-artifacts", async () => {
    const info = await classLessonRun(); // visible to the class's instructor too
    const root = `${info.experiment_id}/${info.run_id}/artifacts`;
    for (const [path, body] of [["model/weights.bin", "0123456789"], ["model/config.json", "{}"], ["plots/loss.png", "png"], ["README.txt", "hello"], ["Model.txt", "case"]] as const)
      expect((await artifacts("PUT", `/${root}/${path}`, { body })).status).toBe(200);

    const list = async (path: string, token?: string | null) => artifacts("GET", `?path=${encodeURIComponent(path)}`, { token });
    expect(await list(root)).toMatchObject({
      status: 200,
      json: {
        files: expect.arrayContaining([
          { path: "model", is_dir: true },
          { path: "plots", is_dir: true },
          { path: "README.txt", is_dir: false, file_size: 5 },
          { path: "Model.txt", is_dir: false, file_size: 4 },
        ]),
      },
    });
    expect((await list(root)).json!.files).toHaveLength(4);
    expect((await list(`${root}/model`)).json).toEqual({
      files: expect.arrayContaining([
        { path: "weights.bin", is_dir: false, file_size: 10 },
        { path: "config.json", is_dir: false, file_size: 2 },
      ]),
    });
    expect((await list(`${root}/model/`)).json!.files).toHaveLength(2);
    expect((await list(`${info.run_id}/plots`)).json).toEqual({ files: [{ path: "loss.png", is_dir: false, file_size: 3 }] });
    expect((await list(`${root}/nothing-here`)).json).toEqual({});
    expect((await list(root, teacherToken)).status).toBe(200); // the instructor reads class runs
    expect((await list(root, bobToken)).status).toBe(404); // not shared with the class
    expect((await list(root, null)).status).toBe(401);
    expect((await list(`${root}/../x`)).status).toBe(400);
    expect((await list("")).status).toBe(400);

    // DELETE a file: gone from the listing, the download and the disk.
    expect(await artifacts("DELETE", `/${root}/model/config.json`, { token: bobToken })).toMatchObject({ status: 404 });
    expect(await artifacts("DELETE", `/${root}/model/config.json`, { token: teacherToken })).toMatchObject({ status: 403 });
    expect(await artifacts("DELETE", `/${root}/model/config.json`, { token: null })).toMatchObject({ status: 401 });
    expect(await artifacts("DELETE", `/${root}/model%5C..%5C..%5Cx`)).toMatchObject({ status: 400 }); // backslashes read as slashes
    expect(existsSync(join(artifactDir, info.run_id, "model", "config.json"))).toBe(true);
    expect(await artifacts("DELETE", `/${root}/model/config.json`)).toMatchObject({ status: 200, json: {} });
    expect(existsSync(join(artifactDir, info.run_id, "model", "config.json"))).toBe(false);
    expect((await artifacts("GET", `/${root}/model/config.json`)).status).toBe(404);
    expect((await list(`${root}/model`)).json).toEqual({ files: [{ path: "weights.bin", is_dir: false, file_size: 10 }] });
    // Nothing there is not an error (MLflow); a folder goes with everything under it, and only that folder.
    expect(await artifacts("DELETE", `/${root}/model/config.json`)).toMatchObject({ status: 200 });
    expect(await artifacts("DELETE", `/${root}/model`)).toMatchObject({ status: 200 });
    expect((await list(root)).json!.files.map((f: Json) => f.path).sort()).toEqual(["Model.txt", "README.txt", "plots"]);
    expect((await artifacts("GET", `/${root}/Model.txt`)).text).toBe("case");
    // The run's whole artifact folder.
    expect(await artifacts("DELETE", `/${root}`)).toMatchObject({ status: 200 });
    expect((await list(root)).json).toEqual({});
    expect(existsSync(join(artifactDir, info.run_id, "README.txt"))).toBe(false);
  });

  it("serves the same routes under /ajax-api/2.0/mlflow/ for the MLflow web UI", async () => {
    const ajax = "/ajax-api/2.0/mlflow/";
    const id = (await ok(call("POST", "experiments/create", { prefix: ajax, body: { name: "from-ui" } }))).experiment_id as string;
    await ok(call("POST", "experiments/set-experiment-tag", { prefix: ajax, body: { experiment_id: id, key: "mlflow.note.content", value: "ui" } }));
    expect((await ok(call("GET", "experiments/get", { prefix: ajax, query: { experiment_id: "0" } }))).experiment.experiment_id).toBe("0");
    await ok(call("POST", "experiments/delete", { prefix: ajax, body: { experiment_id: id } }));
    expect((await ok(call("POST", "experiments/search", { prefix: ajax, body: { view_type: "DELETED_ONLY" } }))).experiments.map((e: Json) => e.experiment_id)).toContain(id);
    expect(await call("GET", "experiments/search", { prefix: ajax, token: null })).toMatchObject({ status: 401 });
    // The artifact proxy too.
    const run = await newRun(undefined);
    const root = `${run.experiment_id}/${run.run_id}/artifacts`;
    expect((await artifacts("PUT", `/${root}/notes.txt`, { prefix: "/ajax-api/2.0/", body: "hi" })).status).toBe(200);
    expect((await artifacts("GET", `?path=${root}`, { prefix: "/ajax-api/2.0/" })).json).toEqual({ files: [{ path: "notes.txt", is_dir: false, file_size: 2 }] });
    expect((await artifacts("GET", `/${root}/notes.txt`, { prefix: "/ajax-api/2.0/" })).text).toBe("hi");
  });

  it("creates lesson experiments only for the course's lessons", async () => {
    const ctx = (user: SessionUser) => ({ db: t.db, user });
    await expect(ensureLessonExperiment(ctx(ana), { classId, lessonSlug: "made-up-lesson" })).rejects.toMatchObject({ code: "invalidInput", message: expect.stringContaining("made-up-lesson") });
    await expect(ensureLessonExperiment(ctx(ana), { lessonSlug: "made-up-lesson" })).rejects.toMatchObject({ code: "invalidInput" });
    await expect(createCaller(ctx(ana)).tracking.lessonExperiment({ classId, lessonSlug: "made-up-lesson" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await call("POST", "runs/create", { body: { cuaderno: { lesson_slug: "made-up-lesson", class_id: classId } } })).toMatchObject({
      status: 400,
      json: { error_code: "INVALID_PARAMETER_VALUE", message: expect.stringContaining("lesson") },
    });
    expect(await t.db.experiment.count({ where: { lessonSlug: "made-up-lesson" } })).toBe(0);
    const real = await ensureLessonExperiment(ctx(ana), { classId, lessonSlug: LESSON });
    expect(real).toMatchObject({ ownerId: teacher.id, classId, lessonSlug: LESSON });
  });
});
