// Instructors' CSV datasets (issue 15 points 7 and 10) and lesson images (point 2) on each database: an upload is checked
// whole (a ragged row, a 51 MB file, a course dataset's name are refused naming the problem, and
// nothing is stored), listed and previewed by its owner only, known to the lesson check, and served
// to a lesson's readers only when the published lesson lists it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "@/lib/server/api/root";
import type { SessionUser } from "@/lib/server/auth";
import { datasetForLesson, uploadDataset } from "@/lib/server/services/teach/datasets";
import { exportZip } from "@/lib/server/services/teach/drafts";
import { lessonImage, uploadImage } from "@/lib/server/services/teach/files";
import { readLessonZip } from "@/lib/teach/zip";
import { datasetNamesFor } from "@/lib/server/services/teach/publishing";
import type { LessonBundle } from "@/lib/teach/bundle";
import { MAX_DATASET_BYTES } from "@/lib/teach/dataset-csv";
import { createTestDb, insertUser, testProviders, type TestDb } from "./helpers/test-db";

const CSV = new TextEncoder().encode("x,y,label\n1,2,true\n3,4,false\n");

async function refusal(p: Promise<unknown>): Promise<{ code: string; key?: string; params?: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    const err = e as { code: string; detail?: { key: string; params: Record<string, unknown> } };
    return { code: err.code, key: err.detail?.key, params: err.detail?.params };
  }
  throw new Error("not refused");
}

describe.each(testProviders)("instructors' datasets on %s", (provider) => {
  let t: TestDb;
  let ada: SessionUser, grace: SessionUser, ana: SessionUser, eve: SessionUser;
  const ctx = (user: SessionUser) => ({ db: t.db, user });
  beforeAll(async () => {
    t = await createTestDb(provider);
    ada = await insertUser(t.db, "instructor", "Ada");
    grace = await insertUser(t.db, "instructor", "Grace");
    ana = await insertUser(t.db, "student", "Ana");
    eve = await insertUser(t.db, "student", "Eve");
  });
  afterAll(async () => t?.drop());

  it("refuses bad uploads naming the problem and stores nothing", async () => {
    expect(await refusal(uploadDataset(ctx(ada), { name: "ventas", origin: "", licence: "", bytes: new TextEncoder().encode("a,b\n1,2\n3\n") }))).toMatchObject({ code: "invalidInput", key: "teach.errors.csvRagged", params: { row: 2, found: 1, expected: 2 } });
    expect(await refusal(uploadDataset(ctx(ada), { name: "ventas", origin: "", licence: "", bytes: new Uint8Array(MAX_DATASET_BYTES + 1024 * 1024) }))).toMatchObject({ key: "teach.errors.csvTooLarge" });
    expect(await refusal(uploadDataset(ctx(ada), { name: "fraud", origin: "", licence: "", bytes: CSV }))).toMatchObject({ key: "teach.errors.datasetName" });
    expect(await refusal(uploadDataset(ctx(ana), { name: "mio", origin: "", licence: "", bytes: CSV }))).toMatchObject({ code: "forbidden" });
    expect(await t.db.teachDataset.count()).toBe(0);
  });

  it("uploads, lists, previews for the owner only, and the lesson check knows the name", async () => {
    const view = await uploadDataset(ctx(ada), { name: "ventas", origin: "Kiosco del barrio", licence: "CC-BY-4.0", bytes: CSV });
    expect(view).toMatchObject({ name: "ventas", rowCount: 2, columns: [{ name: "x", type: "number" }, { name: "y", type: "number" }, { name: "label", type: "boolean" }] });
    expect(view.preview).toEqual([["1", "2", "true"], ["3", "4", "false"]]);
    expect(await refusal(uploadDataset(ctx(ada), { name: "ventas", origin: "", licence: "", bytes: CSV }))).toMatchObject({ code: "conflict" });
    expect((await createCaller({ db: t.db, user: ada }).teach.datasets()).map((d) => d.name)).toEqual(["ventas"]);
    expect(await createCaller({ db: t.db, user: grace }).teach.datasets()).toEqual([]);
    expect(await refusal(createCaller({ db: t.db, user: grace }).teach.previewDataset({ name: "ventas" }))).toMatchObject({ code: "NOT_FOUND" });
    expect((await datasetNamesFor(ctx(ada), ada.id)).has("ventas")).toBe(true);
    expect((await datasetNamesFor(ctx(grace), grace.id)).has("ventas")).toBe(false);
  });

  it("serves the CSV to readers of a published lesson that lists it, and to nobody else", async () => {
    const as = (u: SessionUser) => createCaller({ db: t.db, user: u });
    const { slug } = await as(ada).teach.createBlank({ title: "Ventas", locale: "es" });
    const draft = await as(ada).teach.draft({ slug });
    const bundle: LessonBundle = { ...draft.bundle, meta: { ...draft.bundle.meta, datasets: ["ventas"] } };
    await as(ada).teach.saveDraft({ slug, baseRevision: draft.revision, bundle });
    expect(await datasetForLesson(ctx(ada), { lessonSlug: slug, name: "ventas" })).not.toBeNull();
    expect(await datasetForLesson(ctx(ana), { lessonSlug: slug, name: "ventas" })).toBeNull();
    expect(await as(ada).teach.publish({ slug, revision: draft.revision + 1 })).toEqual({ status: "published", version: 1 });
    const cls = await as(ada).classes.create({ name: "Datos" });
    await as(ana).classes.join({ code: cls.joinCode! });
    expect(await datasetForLesson(ctx(ana), { lessonSlug: slug, name: "ventas" })).toBeNull();
    await as(ada).teach.assign({ lessonSlug: slug, classId: cls.id, opensAt: new Date(Date.now() - 1000), dueAt: null });
    const served = await datasetForLesson(ctx(ana), { lessonSlug: slug, name: "ventas" });
    expect(new TextDecoder().decode(served!.csv)).toBe(new TextDecoder().decode(CSV));
    expect(await datasetForLesson(ctx(eve), { lessonSlug: slug, name: "ventas" })).toBeNull();
    expect(await datasetForLesson(ctx(grace), { lessonSlug: slug, name: "ventas" })).toBeNull();
    expect(await datasetForLesson({ db: t.db, user: null }, { lessonSlug: slug, name: "ventas" })).toBeNull();
  });
});

describe.each(testProviders)("images stored with a lesson on %s", (provider) => {
  let t: TestDb;
  let ada: SessionUser, ana: SessionUser, eve: SessionUser;
  const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
  beforeAll(async () => {
    t = await createTestDb(provider);
    ada = await insertUser(t.db, "instructor", "Ada");
    ana = await insertUser(t.db, "student", "Ana");
    eve = await insertUser(t.db, "student", "Eve");
  });
  afterAll(async () => t?.drop());

  it("stores images checked by their bytes, serves them to the lesson's readers only, and carries them through a zip", async () => {
    const as = (u: SessionUser) => createCaller({ db: t.db, user: u });
    const { slug } = await as(ada).teach.createBlank({ title: "Con imagen", locale: "es" });
    expect(await refusal(uploadImage({ db: t.db, user: ada }, { slug, name: "chart.png", bytes: new TextEncoder().encode("<svg onload=alert(1)>") }))).toMatchObject({ key: "teach.errors.imageInvalid" });
    expect(await refusal(uploadImage({ db: t.db, user: ana }, { slug, name: "chart.png", bytes: PNG }))).toMatchObject({ code: "notFound" });
    const up = await uploadImage({ db: t.db, user: ada }, { slug, name: "chart.png", bytes: PNG });
    expect(up.path).toBe(`/api/teach/lessons/${slug}/files/chart.png`);
    const draft = await as(ada).teach.draft({ slug });
    expect(draft.files).toEqual([{ name: "chart.png", size: PNG.length, contentType: "image/png" }]);
    const bundle: LessonBundle = structuredClone(draft.bundle);
    bundle.docs.es!.cells[0] = { ...bundle.docs.es!.cells[0]!, source: `# Con imagen\n\n![curva](${up.path})` } as never;
    await as(ada).teach.saveDraft({ slug, baseRevision: draft.revision, bundle });
    await as(ada).teach.publish({ slug, revision: draft.revision + 1 });
    expect(await lessonImage({ db: t.db, user: ana }, { slug, name: "chart.png" })).toBeNull();
    const cls = await as(ada).classes.create({ name: "Img" });
    await as(ana).classes.join({ code: cls.joinCode! });
    await as(ada).teach.assign({ lessonSlug: slug, classId: cls.id, opensAt: new Date(Date.now() - 1000), dueAt: null });
    expect((await lessonImage({ db: t.db, user: ana }, { slug, name: "chart.png" }))?.contentType).toBe("image/png");
    expect(await lessonImage({ db: t.db, user: eve }, { slug, name: "chart.png" })).toBeNull();
    // The zip holds images/chart.png and the markdown says images/chart.png; imported, it points at the new lesson.
    const zip = await exportZip({ db: t.db, user: ada }, { slug });
    const archive = readLessonZip(zip.bytes);
    expect(archive.images.map((i) => i.name)).toEqual(["chart.png"]);
    expect(archive.files["es.md"]).toContain("![curva](images/chart.png)");
    const copy = await as(ada).teach.importZip({ base64: Buffer.from(zip.bytes).toString("base64") });
    const copied = await as(ada).teach.draft({ slug: copy.slug });
    expect(copied.bundle.docs.es!.cells[0]!.source).toContain(`![curva](/api/teach/lessons/${copy.slug}/files/chart.png)`);
    expect(copied.files.map((f) => f.name)).toEqual(["chart.png"]);
  });
});
