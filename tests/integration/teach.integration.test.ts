// Instructors' lessons through the tRPC caller (issue 15 points 1, 4–6, 8–10), on each database:
// a lesson folder zip imported, edited as a draft, refused at publish with the problem linked to
// its cell, published, assigned with a due date, read and graded server-side for a student of the
// class (late after the due date), updated by a second publish ("lesson updated" with public
// documents only), versions compared and restored; and the role matrix: only editors see drafts,
// only assigned students read, nobody else learns the lesson exists, no hidden part reaches a student.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { strToU8, zipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandboxPool, type SandboxPool } from "@/lib/grading/sandbox/pool";
import type { ExerciseCell, NotebookDocument, QuizCell } from "@/lib/notebook/types";
import { appRouter, createCaller } from "@/lib/server/api/root";
import type { SessionUser } from "@/lib/server/auth";
import { closeGrading, setGradingPool } from "@/lib/server/services/grading/lessons";
import type { LessonBundle } from "@/lib/teach/bundle";
import { readLessonZip } from "@/lib/teach/zip";
import { exportZip } from "@/lib/server/services/teach/drafts";
import { createTestDb, insertUser, testProviders, type TestDb } from "./helpers/test-db";

const root = fileURLToPath(new URL("../..", import.meta.url));
const fixture = join(root, "tests", "fixtures", "lessons", "grading-sample");
const fixtureZip = () =>
  Buffer.from(zipSync({ "grading-sample/meta.json": strToU8(readFileSync(join(fixture, "meta.json"), "utf8")), "grading-sample/es.md": strToU8(readFileSync(join(fixture, "es.md"), "utf8")), "grading-sample/en.md": strToU8(readFileSync(join(fixture, "en.md"), "utf8")) })).toString("base64");
const SOLUTION = "function mean(xs: number[]): number {\n  if (xs.length === 0) return 0;\n  let total = 0;\n  for (const x of xs) total += x;\n  return total / xs.length;\n}";
/** Text only the hidden parts hold (a case's arguments, a hint, the solution's loop). */
const HIDDEN = ["7919.5", "Sumá todos los valores", "for (const x of xs) total += x"];

let pool: SandboxPool;
beforeAll(() => {
  pool = createSandboxPool({ size: 2, root, limits: { wallMs: 15_000 } });
  setGradingPool(pool);
});
afterAll(async () => {
  setGradingPool(null);
  await closeGrading();
  await pool.close();
});

function keysOf(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) keysOf(v, out);
  else if (value && typeof value === "object" && !(value instanceof Date)) {
    for (const [k, v] of Object.entries(value)) {
      out.add(k);
      keysOf(v, out);
    }
  }
  return out;
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
  return "ok";
}

describe.each(testProviders)("authored lessons on %s", (provider) => {
  let t: TestDb;
  let ada: SessionUser, grace: SessionUser, linus: SessionUser, ana: SessionUser, eve: SessionUser;
  let classId: string, otherClassId: string, slug: string;
  const as = (user: SessionUser | null) => createCaller({ db: t.db, user });

  beforeAll(async () => {
    t = await createTestDb(provider);
    ada = await insertUser(t.db, "instructor", "Ada");
    grace = await insertUser(t.db, "instructor", "Grace");
    linus = await insertUser(t.db, "instructor", "Linus");
    ana = await insertUser(t.db, "student", "Ana");
    eve = await insertUser(t.db, "student", "Eve");
    const cls = await as(ada).classes.create({ name: "MLOps" });
    classId = cls.id;
    await as(ana).classes.join({ code: cls.joinCode! });
    const other = await as(linus).classes.create({ name: "Otra" });
    otherClassId = other.id;
    await as(eve).classes.join({ code: other.joinCode! });
  });
  afterAll(async () => t?.drop());

  it("refuses a malformed zip and a lesson with a duplicate id, naming the problem, and creates nothing", async () => {
    const bad = await as(ada).teach.importZip({ base64: Buffer.from("not a zip").toString("base64") }).catch((e) => e);
    expect(bad.shape?.data?.detail?.key ?? bad.cause?.detail?.key).toBe("teach.errors.zipMalformed");
    const dup = zipSync({ "meta.json": strToU8(JSON.stringify({ title: { es: "x" }, summary: { es: "" } })), "es.md": strToU8("```ts id=a\n1\n```\n\n```ts id=a\n2\n```\n") });
    const err = await as(ada).teach.importZip({ base64: Buffer.from(dup).toString("base64") }).catch((e) => e);
    expect(err.cause.detail).toEqual({ key: "teach.errors.duplicateId", params: { file: "es.md", line: 5, id: "a" } });
    expect(await as(ada).teach.library()).toEqual([]);
    expect(await codeOf(as(ana).teach.importZip({ base64: fixtureZip() }))).toBe("FORBIDDEN");
  });

  it("imports a lesson folder zip with its hidden tests, for the author only", async () => {
    ({ slug } = await as(ada).teach.importZip({ base64: fixtureZip() }));
    expect(slug).toMatch(/^u-[a-z0-9]{10}$/);
    const draft = await as(ada).teach.draft({ slug });
    expect(draft.bundle.meta.title.es).toBe("Lección de prueba para calificar");
    expect((draft.bundle.docs.es!.cells.find((c) => c.id === "mean-fn") as ExerciseCell).tests).toContain("function mean");
    expect((await as(ada).teach.library()).map((l) => [l.slug, l.origin, l.publishedVersion])).toEqual([[slug, "zip", 0]]);
    for (const user of [grace, ana, eve]) expect(await codeOf(as(user).teach.draft({ slug }))).toBe("NOT_FOUND");
  });

  it("saves drafts optimistically and refuses publishing with each problem linked to its cell", async () => {
    const draft = await as(ada).teach.draft({ slug });
    const bundle: LessonBundle = structuredClone(draft.bundle);
    const quiz: QuizCell = { id: "c-0123456789ab" as QuizCell["id"], kind: "quiz", source: "", questions: [{ prompt: "¿?", options: [{ text: "a", correct: false }, { text: "b", correct: false }] }] };
    for (const l of ["es", "en"] as const) bundle.docs[l]!.cells.push({ ...quiz });
    const saved = await as(ada).teach.saveDraft({ slug, baseRevision: draft.revision, bundle });
    expect(saved).toEqual({ status: "saved", revision: draft.revision + 1 });
    const stale = await as(ada).teach.saveDraft({ slug, baseRevision: draft.revision, bundle: draft.bundle });
    expect(stale.status).toBe("conflict");
    const refused = await as(ada).teach.publish({ slug, revision: draft.revision + 1 });
    expect(refused.status).toBe("refused");
    if (refused.status !== "refused") return;
    expect(refused.problems.map((p) => [p.key, p.cellId, p.locale])).toEqual([
      ["quizNoCorrect", "c-0123456789ab", "es"],
      ["quizNoCorrect", "c-0123456789ab", "en"],
    ]);
    expect(await as(ada).teach.versions({ slug })).toEqual([]);
    // Fixed, the check runs the hidden tests in the sandbox: the solution passes, the starter does not.
    for (const l of ["es", "en"] as const) (bundle.docs[l]!.cells.at(-1) as QuizCell).questions[0]!.options[1]!.correct = true;
    const fixed = await as(ada).teach.saveDraft({ slug, baseRevision: draft.revision + 1, bundle });
    expect(fixed.status).toBe("saved");
    expect((await as(ada).teach.check({ slug })).problems).toEqual([]);
    const published = await as(ada).teach.publish({ slug, revision: draft.revision + 2 });
    expect(published).toEqual({ status: "published", version: 1 });
  }, 120_000);

  it("a starter that passes its hidden tests is refused", async () => {
    const draft = await as(ada).teach.draft({ slug });
    const bundle: LessonBundle = structuredClone(draft.bundle);
    const ex = bundle.docs.es!.cells.find((c) => c.id === "mean-fn") as ExerciseCell;
    ex.starter = SOLUTION;
    await as(ada).teach.saveDraft({ slug, baseRevision: draft.revision, bundle });
    const refused = await as(ada).teach.publish({ slug, revision: draft.revision + 1 });
    expect(refused.status === "refused" && refused.problems.map((p) => [p.key, p.cellId, p.locale])).toEqual([["starterPassesTests", "mean-fn", "es"]]);
    await as(ada).teach.saveDraft({ slug, baseRevision: draft.revision + 1, bundle: draft.bundle });
  }, 120_000);

  it("assigns to the instructor's own class only, with the due date marking late submissions", async () => {
    expect(await codeOf(as(ada).teach.assign({ lessonSlug: slug, classId: otherClassId, opensAt: new Date(), dueAt: null }))).toBe("NOT_FOUND");
    expect(await codeOf(as(linus).teach.assign({ lessonSlug: slug, classId: otherClassId, opensAt: new Date(), dueAt: null }))).toBe("NOT_FOUND");
    const past = new Date(Date.now() - 3_600_000);
    expect(await codeOf(as(ada).teach.assign({ lessonSlug: slug, classId, opensAt: new Date(), dueAt: past }))).toBe("BAD_REQUEST");
    // Not open yet: the student does not see it.
    await as(ada).teach.assign({ lessonSlug: slug, classId, opensAt: new Date(Date.now() + 86_400_000), dueAt: null });
    expect(await as(ana).teach.myAssignments({ locale: "es" })).toEqual([]);
    expect(await codeOf(as(ana).grading.submit({ lessonSlug: slug, locale: "es", exerciseId: "mean-fn", code: SOLUTION }))).toBe("NOT_FOUND");
    await as(ada).teach.assign({ lessonSlug: slug, classId, opensAt: new Date(Date.now() - 7_200_000), dueAt: past });
    const mine = await as(ana).teach.myAssignments({ locale: "es" });
    expect(mine).toMatchObject([{ lessonSlug: slug, title: "Lección de prueba para calificar", className: "MLOps", status: "notStarted", overdue: true, late: false }]);
    expect(await as(eve).teach.myAssignments({ locale: "es" })).toEqual([]);
  });

  it("grades a student's submission on the server like a built-in lesson's, late after the due date; others cannot submit", async () => {
    const r = await as(ana).grading.submit({ lessonSlug: slug, locale: "es", exerciseId: "mean-fn", code: SOLUTION, classId });
    expect(r).toMatchObject({ attempt: 1, status: "graded", score: 1, late: true });
    expect(keysOf(r).has("tests")).toBe(false);
    const wrong = await as(ana).grading.submit({ lessonSlug: slug, locale: "es", exerciseId: "mean-fn", code: "function mean(xs: number[]) { return 1; }", classId });
    expect(wrong).toMatchObject({ attempt: 2, status: "graded" });
    expect((wrong as { score: number }).score).toBeLessThan(1);
    for (const user of [eve, grace]) expect(await codeOf(as(user).grading.submit({ lessonSlug: slug, locale: "es", exerciseId: "mean-fn", code: SOLUTION }))).toBe("NOT_FOUND");
    const hint = await as(ana).grading.hint({ lessonSlug: slug, locale: "es", exerciseId: "mean-fn", index: 0 });
    expect(hint.text).toContain("Sumá");
    expect(await codeOf(as(eve).grading.hint({ lessonSlug: slug, locale: "es", exerciseId: "mean-fn", index: 0 }))).toBe("NOT_FOUND");
    const progress = await as(ada).teach.classAssignments({ classId, locale: "es" });
    expect(progress[0]!.students).toMatchObject([{ name: "Ana", exercisesGraded: 1, exercisesPassed: 1, late: true }]);
    expect(await codeOf(as(ana).teach.classAssignments({ classId, locale: "es" }))).toBe("NOT_FOUND");
    expect((await as(ana).teach.myAssignments({ locale: "es" }))[0]).toMatchObject({ status: "inProgress", late: true });
  }, 120_000);

  it("a second publish offers the student 'lesson updated' with public documents only", async () => {
    expect(await as(ana).teach.pendingUpdate({ slug, locale: "es" })).toBeNull(); // records version 1 as the copy's base
    const draft = await as(ada).teach.draft({ slug });
    const bundle: LessonBundle = structuredClone(draft.bundle);
    (bundle.docs.es!.cells.find((c) => c.id === "mean-fn") as ExerciseCell).check = 'check(mean([2, 4]) === 3, "mean([2, 4]) tiene que dar 3");';
    await as(ada).teach.saveDraft({ slug, baseRevision: draft.revision, bundle });
    const diff = await as(ada).teach.compare({ slug, version: 1, locale: "es" });
    expect(diff.changes.filter((c) => c.status !== "unchanged")).toEqual([{ id: "mean-fn", status: "changed", kind: "exercise", fields: ["check"], moved: false }]);
    expect(await as(ada).teach.publish({ slug, revision: draft.revision + 1 })).toEqual({ status: "published", version: 2 });
    const update = await as(ana).teach.pendingUpdate({ slug, locale: "es" });
    expect(update).toMatchObject({ version: 2, baseVersion: 1 });
    const text = JSON.stringify(update);
    for (const h of HIDDEN) expect(text).not.toContain(h);
    expect(keysOf(update).has("tests")).toBe(false);
    expect(((update!.next as NotebookDocument).cells.find((c) => c.id === "mean-fn") as ExerciseCell).check).toContain("tiene que dar 3");
    await as(ana).teach.acceptUpdate({ slug, locale: "es", version: 2 });
    expect(await as(ana).teach.pendingUpdate({ slug, locale: "es" })).toBeNull();
    expect(await codeOf(as(eve).teach.pendingUpdate({ slug, locale: "es" }))).toBe("NOT_FOUND");
  }, 120_000);

  it("lists versions, restores one into the draft, exports the same lesson as a zip", async () => {
    expect((await as(ada).teach.versions({ slug })).map((v) => [v.version, v.publishedBy])).toEqual([
      [2, "Ada"],
      [1, "Ada"],
    ]);
    const { revision } = await as(ada).teach.restore({ slug, version: 1 });
    const draft = await as(ada).teach.draft({ slug });
    expect(draft.revision).toBe(revision);
    expect((draft.bundle.docs.es!.cells.find((c) => c.id === "mean-fn") as ExerciseCell).check).toContain("debería dar 3");
    const zip = await exportZip({ db: t.db, user: ada }, { slug, version: 1 });
    const back = readLessonZip(zip.bytes);
    expect(back.files["es.md"]).toContain("~~~exercise id=mean-fn");
    expect(back.files["es.md"]).toContain("--- tests");
    expect(await codeOf(exportZip({ db: t.db, user: ana }, { slug }))).toBe("notFound");
  });

  it("role matrix: co-authors edit after an invitation; students and strangers see no draft, version or library entry", async () => {
    expect(await codeOf(as(grace).teach.versions({ slug }))).toBe("NOT_FOUND");
    expect(await codeOf(as(ana).teach.inviteCoauthor({ slug, email: "nobody@example.com" }))).toBe("NOT_FOUND");
    const anaEmail = (await t.db.user.findUniqueOrThrow({ where: { id: ana.id }, select: { email: true } })).email;
    expect(await codeOf(as(ada).teach.inviteCoauthor({ slug, email: anaEmail }))).toBe("BAD_REQUEST");
    const graceEmail = (await t.db.user.findUniqueOrThrow({ where: { id: grace.id }, select: { email: true } })).email;
    await as(ada).teach.inviteCoauthor({ slug, email: graceEmail });
    const asGrace = await as(grace).teach.draft({ slug });
    expect(asGrace.mine).toBe(false);
    expect(await codeOf(as(grace).teach.remove({ slug }))).toBe("FORBIDDEN");
    expect(await codeOf(as(grace).teach.inviteCoauthor({ slug, email: anaEmail }))).toBe("FORBIDDEN");
    for (const user of [ana, eve, linus]) {
      const c = as(user).teach;
      expect(await c.library()).toEqual([]);
      for (const call of [() => c.draft({ slug }), () => c.versions({ slug }), () => c.compare({ slug, version: 1, locale: "es" }), () => c.restore({ slug, version: 1 }), () => c.check({ slug }), () => c.publish({ slug, revision: 1 }), () => c.saveDraft({ slug, baseRevision: 1, bundle: {} })]) {
        expect(["NOT_FOUND", "BAD_REQUEST"]).toContain(await codeOf(call()));
      }
    }
    // Whatever a student may call about the lesson holds no hidden part.
    const answers = [await as(ana).teach.myAssignments({ locale: "es" }), await as(ana).grading.mine({ lessonSlug: slug, locale: "es" })];
    for (const h of HIDDEN.slice(0, 1)) expect(JSON.stringify(answers)).not.toContain(h);
    expect(keysOf(answers).has("tests")).toBe(false);
    // Unassigned, the lesson is gone for the student.
    await as(ada).teach.unassign({ lessonSlug: slug, classId });
    expect(await as(ana).teach.myAssignments({ locale: "es" })).toEqual([]);
    expect(await codeOf(as(ana).grading.submit({ lessonSlug: slug, locale: "es", exerciseId: "mean-fn", code: SOLUTION }))).toBe("NOT_FOUND");
  });

  it("role matrix over every teach procedure: a student and an unrelated instructor edit nothing and read nothing hidden", async () => {
    await as(ada).teach.assign({ lessonSlug: slug, classId, opensAt: new Date(Date.now() - 1000), dueAt: null });
    const zip = fixtureZip();
    const outcomes: [string, string, unknown][] = [];
    for (const [who, user] of [["student", ana], ["stranger", linus]] as const) {
      const c = as(user).teach;
      const calls: Record<string, () => Promise<unknown>> = {
        library: () => c.library(),
        createBlank: () => c.createBlank({ title: "x", locale: "es" }),
        copyBuiltin: () => c.copyBuiltin({ builtinSlug: "mlops-intro" }),
        importIpynb: () => c.importIpynb({ text: "{}", locale: "es" }),
        importZip: () => c.importZip({ base64: zip }),
        remove: () => c.remove({ slug }),
        coauthors: () => c.coauthors({ slug }),
        inviteCoauthor: () => c.inviteCoauthor({ slug, email: "x@example.com" }),
        removeCoauthor: () => c.removeCoauthor({ slug, userId: grace.id }),
        draft: () => c.draft({ slug }),
        saveDraft: () => c.saveDraft({ slug, baseRevision: 1, bundle: {} }),
        check: () => c.check({ slug }),
        publish: () => c.publish({ slug, revision: 1 }),
        versions: () => c.versions({ slug }),
        compare: () => c.compare({ slug, version: 1, locale: "es" }),
        restore: () => c.restore({ slug, version: 1 }),
        assign: () => c.assign({ lessonSlug: slug, classId, opensAt: new Date(), dueAt: null }),
        unassign: () => c.unassign({ lessonSlug: slug, classId }),
        assignmentsOf: () => c.assignmentsOf({ lessonSlug: slug }),
        myAssignments: () => c.myAssignments({ locale: "es" }),
        classAssignments: () => c.classAssignments({ classId, locale: "es" }),
        datasets: () => c.datasets(),
        previewDataset: () => c.previewDataset({ name: "ventas" }),
        removeDataset: () => c.removeDataset({ name: "ventas" }),
        pendingUpdate: () => c.pendingUpdate({ slug, locale: "es" }),
        acceptUpdate: () => c.acceptUpdate({ slug, locale: "es", version: 2 }),
      };
      // Every procedure of the router is in this list: a new one fails here until it is checked too.
      expect(Object.keys(appRouter._def.procedures).filter((k) => k.startsWith("teach.")).map((k) => k.slice(6)).filter((k) => !(k in calls))).toEqual([]);
      for (const [name, call] of Object.entries(calls)) {
        try {
          outcomes.push([who, name, await call()]);
        } catch (e) {
          outcomes.push([who, name, (e as { code?: string }).code]);
        }
      }
    }
    const outcome = (who: string, name: string) => outcomes.find(([w, n]) => w === who && n === name)![2];
    // Creating is for instructors; editing and reading drafts for editors only.
    for (const name of ["createBlank", "copyBuiltin", "importIpynb", "importZip"]) expect(outcome("student", name), name).toBe("FORBIDDEN");
    for (const name of ["remove", "coauthors", "inviteCoauthor", "removeCoauthor", "draft", "saveDraft", "check", "publish", "versions", "compare", "restore", "assign", "unassign", "classAssignments", "previewDataset", "removeDataset"]) {
      for (const who of ["student", "stranger"]) expect(["NOT_FOUND", "BAD_REQUEST"], `${who} ${name}`).toContain(outcome(who, name));
    }
    expect(outcome("stranger", "pendingUpdate")).toBe("NOT_FOUND");
    expect(outcome("student", "library")).toEqual([]);
    expect(outcome("student", "assignmentsOf")).toEqual([]);
    expect(outcome("stranger", "myAssignments")).toEqual([]);
    // The lesson is unchanged and nothing the student got holds a hidden part.
    expect((await as(ada).teach.versions({ slug })).length).toBe(2);
    expect(await t.db.lessonAssignment.count({ where: { lessonSlug: slug } })).toBe(1);
    const text = JSON.stringify(outcomes.filter(([w]) => w === "student"));
    for (const h of HIDDEN) expect(text).not.toContain(h);
    expect(keysOf(outcomes.map(([, , v]) => v)).has("tests")).toBe(false);
  }, 120_000);
});
