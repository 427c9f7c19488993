// Tracking services and the tRPC router: lesson experiments, the access matrix (own / shared /
// instructor), sharing, runs table with the MLflow filter grammar, compare, artifacts, tokens.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, insertUser, testProviders, type TestDb } from "./helpers/test-db";
import { createCaller } from "@/lib/server/api/root";
import type { SessionUser } from "@/lib/server/auth";
import { ensureLessonExperiment } from "@/lib/server/services/tracking/experiments";
import { createRun, getRun, searchRuns } from "@/lib/server/services/tracking/runs";
import { logBatch, logMetric, logParam } from "@/lib/server/services/tracking/logging";
import { listArtifacts, logArtifact, readArtifact } from "@/lib/server/services/tracking/artifacts";
import { DiskArtifactStore } from "@/lib/server/services/tracking/artifacts/store";
import { authenticateToken } from "@/lib/server/services/tokens";

describe.each(testProviders)("tracking services on %s", (provider) => {
  let t: TestDb;
  let teacher: SessionUser, otherTeacher: SessionUser, ana: SessionUser, bob: SessionUser, eve: SessionUser;
  let classId: string;
  const as = (user: SessionUser) => createCaller({ db: t.db, user });
  const ctx = (user: SessionUser) => ({ db: t.db, user });

  beforeAll(async () => {
    t = await createTestDb(provider);
    teacher = await insertUser(t.db, "instructor", "Ada");
    otherTeacher = await insertUser(t.db, "instructor", "Grace");
    ana = await insertUser(t.db, "student", "Ana");
    bob = await insertUser(t.db, "student", "Bob");
    eve = await insertUser(t.db, "student", "Eve"); // not in the class
    const c = await as(teacher).classes.create({ name: "MLOps" });
    classId = c.id;
    await as(ana).classes.join({ code: c.joinCode! });
    await as(bob).classes.join({ code: c.joinCode! });
  });
  afterAll(async () => t?.drop());

  it("keeps one experiment per class and lesson, owned by the instructor", async () => {
    const a = await ensureLessonExperiment(ctx(ana), { classId, lessonSlug: "mlops-intro" });
    const b = await ensureLessonExperiment(ctx(bob), { classId, lessonSlug: "mlops-intro" });
    const [c1, c2] = await Promise.all([
      ensureLessonExperiment(ctx(teacher), { classId, lessonSlug: "splits-leakage" }),
      ensureLessonExperiment(ctx(ana), { classId, lessonSlug: "splits-leakage" }),
    ]);
    expect(a.id).toBe(b.id);
    expect(c1.id).toBe(c2.id);
    expect(a).toMatchObject({ ownerId: teacher.id, classId, lessonSlug: "mlops-intro" });
    const solo = await ensureLessonExperiment(ctx(eve), { lessonSlug: "mlops-intro" });
    expect(solo).toMatchObject({ ownerId: eve.id, classId: null });
    await expect(ensureLessonExperiment(ctx(eve), { classId, lessonSlug: "mlops-intro" })).rejects.toMatchObject({ code: "notFound" });
  });

  it("enforces the access matrix: own, shared with class, instructor of the class, nobody else", async () => {
    const exp = await ensureLessonExperiment(ctx(ana), { classId, lessonSlug: "imbalance" });
    const anaRun = await createRun(ctx(ana), { experimentId: exp.id, runName: "ana-private", backend: "webgl", seed: 7 });
    const bobRun = await createRun(ctx(bob), { experimentId: exp.id, runName: "bob-run" });
    expect(anaRun.info).toMatchObject({ classId, lessonSlug: "imbalance", backend: "webgl", seed: 7, sharedWithClass: false });
    await logMetric(ctx(ana), { runId: anaRun.info.runId, key: "acc", value: 0.9, timestamp: 1, step: 0 });

    const visible = async (u: SessionUser) => (await searchRuns(ctx(u), { experimentIds: [exp.id] })).runs.map((r) => r.info.runName).sort();
    expect(await visible(ana)).toEqual(["ana-private"]);
    expect(await visible(bob)).toEqual(["bob-run"]);
    expect(await visible(teacher)).toEqual(["ana-private", "bob-run"]);
    expect(await visible(otherTeacher)).toEqual([]);
    expect(await visible(eve)).toEqual([]);
    await expect(getRun(ctx(bob), anaRun.info.runId)).rejects.toMatchObject({ code: "notFound" });
    await expect(as(bob).tracking.run({ runId: anaRun.info.runId })).rejects.toMatchObject({ code: "NOT_FOUND" });

    // sharing opens it to classmates (read-only), never to outsiders
    await expect(as(bob).tracking.share({ runId: anaRun.info.runId, shared: true })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await as(ana).tracking.share({ runId: anaRun.info.runId, shared: true });
    expect(await visible(bob)).toEqual(["ana-private", "bob-run"]);
    expect(await visible(eve)).toEqual([]);
    const seen = await as(bob).tracking.run({ runId: anaRun.info.runId });
    expect(seen).toMatchObject({ mine: false, histories: { acc: [{ value: 0.9, step: 0 }] } });
    await expect(logMetric(ctx(bob), { runId: anaRun.info.runId, key: "acc", value: 0, timestamp: 1, step: 1 })).rejects.toMatchObject({ code: "forbidden" });
    await expect(as(bob).tracking.deleteRun({ runId: anaRun.info.runId })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(logParam(ctx(teacher), { runId: anaRun.info.runId, key: "lr", value: "1" })).rejects.toMatchObject({ code: "forbidden" });

    // a student who leaves the class loses the shared view
    await as(bob).classes.leave({ classId });
    expect(await visible(bob)).toEqual(["bob-run"]);
    const c = await as(teacher).classes.get({ classId });
    await as(bob).classes.join({ code: c.joinCode! });

    await as(ana).tracking.share({ runId: anaRun.info.runId, shared: false });
    expect(await visible(bob)).toEqual(["bob-run"]);

    // only runs of a class can be shared
    const own = await createRun(ctx(ana), {});
    await expect(as(ana).tracking.share({ runId: own.info.runId, shared: true })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("gives the instructor the class view of a lesson and keeps it from students and other instructors", async () => {
    const exp = await ensureLessonExperiment(ctx(ana), { classId, lessonSlug: "metrics-baselines" });
    for (const [u, acc] of [[ana, 0.8], [bob, 0.9]] as const) {
      const r = await createRun(ctx(u), { experimentId: exp.id });
      await logBatch(ctx(u), { runId: r.info.runId, metrics: [{ key: "acc", value: acc, timestamp: 1 }], params: [{ key: "lr", value: "0.01" }] });
    }
    const view = await as(teacher).tracking.classRuns({ classId, lessonSlug: "metrics-baselines", orderBy: ["metrics.acc DESC"] });
    expect(view.rows.map((r) => [r.info.userName, r.metrics.acc])).toEqual([["Bob", 0.9], ["Ana", 0.8]]);
    expect(view).toMatchObject({ paramKeys: ["lr"], metricKeys: ["acc"] });
    await expect(as(ana).tracking.classRuns({ classId, lessonSlug: "metrics-baselines" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(as(otherTeacher).tracking.classRuns({ classId, lessonSlug: "metrics-baselines" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("serves the runs table with the filter grammar, compares runs, and lists experiments", async () => {
    const exp = await ensureLessonExperiment(ctx(ana), { classId, lessonSlug: "model-development" });
    const ids: string[] = [];
    for (const [lr, acc] of [["0.1", 0.7], ["0.01", 0.95], ["0.001", 0.85]] as const) {
      const r = await createRun(ctx(ana), { experimentId: exp.id, runName: `lr=${lr}` });
      await logBatch(ctx(ana), { runId: r.info.runId, metrics: [0, 1, 2].map((s) => ({ key: "acc", value: (acc * (s + 1)) / 3, timestamp: s, step: s })), params: [{ key: "lr", value: lr }] });
      ids.push(r.info.runId);
    }
    const tbl = await as(ana).tracking.runs({ experimentIds: [exp.id], filter: "metrics.acc > 0.8", orderBy: ["metrics.acc ASC"] });
    expect(tbl.rows.map((r) => r.params.lr)).toEqual(["0.001", "0.01"]);
    await expect(as(ana).tracking.runs({ experimentIds: [exp.id], filter: "metrics.acc ~ 1" })).rejects.toMatchObject({ code: "BAD_REQUEST" });

    const cmp = await as(ana).tracking.compare({ runIds: ids.slice(0, 2) });
    expect(cmp.rows).toHaveLength(2);
    expect(cmp.histories[ids[0]].acc.map((p) => p.step)).toEqual([0, 1, 2]);
    await expect(as(bob).tracking.compare({ runIds: ids.slice(0, 2) })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(as(ana).tracking.compare({ runIds: [ids[0]] })).rejects.toMatchObject({ code: "BAD_REQUEST" });

    const list = await as(ana).tracking.experiments({ classId });
    expect(list.find((e) => e.id === exp.id)).toMatchObject({ lessonSlug: "model-development", runCount: 3, mine: false });
    const bobList = await as(bob).tracking.experiments({ classId });
    expect(bobList.find((e) => e.id === exp.id)?.runCount).toBe(0);
  });

  it("stores artifacts on disk under the run, readable only by those who see the run", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cuaderno-artifacts-"));
    try {
      const store = new DiskArtifactStore(dir);
      const r = await createRun(ctx(ana), {});
      const bytes = new TextEncoder().encode('{"loss":[1,0.5]}');
      await logArtifact(ctx(ana), { runId: r.info.runId, path: "plots/loss.json", data: bytes, contentType: "application/json" }, store);
      expect(await listArtifacts(ctx(ana), { runId: r.info.runId })).toMatchObject([{ path: "plots/loss.json", size: bytes.length, contentType: "application/json" }]);
      const back = await readArtifact(ctx(ana), { runId: r.info.runId, path: "plots/loss.json" }, store);
      expect(new TextDecoder().decode(back.data)).toBe('{"loss":[1,0.5]}');
      await expect(readArtifact(ctx(bob), { runId: r.info.runId, path: "plots/loss.json" }, store)).rejects.toMatchObject({ code: "notFound" });
      await expect(logArtifact(ctx(ana), { runId: r.info.runId, path: "../../etc/passwd", data: bytes }, store)).rejects.toMatchObject({ code: "invalidInput" });
      await expect(logArtifact(ctx(bob), { runId: r.info.runId, path: "x", data: bytes }, store)).rejects.toMatchObject({ code: "notFound" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("creates tokens shown once, lists them without secrets, revokes them", async () => {
    const created = await as(ana).tracking.tokens.create({ name: "notebook" });
    expect(created.token).toMatch(/^cdn_[\w-]{43}$/);
    expect((await authenticateToken(t.db, created.token))?.id).toBe(ana.id);
    const list = await as(ana).tracking.tokens.list();
    expect(list.find((x) => x.id === created.id)).toMatchObject({ name: "notebook", prefix: created.prefix });
    expect(JSON.stringify(list)).not.toContain(created.token);
    expect(await as(bob).tracking.tokens.list()).toEqual([]);
    await expect(as(bob).tracking.tokens.revoke({ id: created.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await as(ana).tracking.tokens.revoke({ id: created.id });
    expect(await authenticateToken(t.db, created.token)).toBeNull();
  });
});
