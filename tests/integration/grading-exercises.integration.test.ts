// Server-graded exercises through the tRPC caller (issue 12, points 2 and 8): submissions are
// graded in the real sandbox pool against hidden tests, attempts counted, hints and reveals
// recorded by the server and capping the score, each student seeing only their own work, and bad
// input refused with nothing stored. Most tests use a fixture lesson (tests/fixtures/lessons:
// a function exercise, a value exercise, one without hidden tests, a lenient grading policy); one
// grades a real course lesson under the default policy.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createSandboxPool, type SandboxPool } from "@/lib/grading/sandbox/pool";
import { parseLessonMarkdown } from "@/lib/notebook/lesson-markdown";
import type { ExerciseCell } from "@/lib/notebook/types";
import { createCaller } from "@/lib/server/api/root";
import type { SessionUser } from "@/lib/server/auth";
import { closeGrading, setGradingPool, setLessonsDir } from "@/lib/server/services/grading/lessons";
import { createTestDb, insertUser, testProviders, type TestDb } from "./helpers/test-db";

const root = fileURLToPath(new URL("../..", import.meta.url));
const fixtures = join(root, "tests", "fixtures", "lessons");
const lesson = "grading-sample";
const fixture = (locale: "es" | "en") => parseLessonMarkdown(readFileSync(join(fixtures, lesson, `${locale}.md`), "utf8"));
const exerciseOf = (locale: "es" | "en", id: string) => fixture(locale).cells.find((c): c is ExerciseCell => c.kind === "exercise" && c.id === id)!;

const WRONG_MEAN = "function mean(xs: number[]): number {\n  return xs.length + 1;\n}\n";
const RIGHT_MEAN = exerciseOf("es", "mean-fn").solution;
/** What only the hidden tests hold: a case's arguments and its expected value (mean of 7919.5 and 10.25). */
const HIDDEN = ["7919.5", "10.25", "3964.875", "0.9182", "scores"];

let pool: SandboxPool;
beforeAll(() => {
  // The real limits, except a wall-clock backstop that tolerates a loaded 2-core machine.
  pool = createSandboxPool({ size: 2, root, limits: { wallMs: 15_000 } });
  setGradingPool(pool);
});
afterAll(async () => {
  setGradingPool(null);
  setLessonsDir();
  await closeGrading();
  await pool.close();
});

describe.each(testProviders)("graded exercises on %s", (provider) => {
  let t: TestDb;
  let ana: SessionUser, bruno: SessionUser, teacher: SessionUser;
  const as = (user: SessionUser | null) => createCaller({ db: t.db, user });
  const ref = (exerciseId: string, locale: "es" | "en" = "es") => ({ lessonSlug: lesson, locale, exerciseId });
  const stored = async () => ({ submissions: await t.db.submission.count(), events: await t.db.exerciseEvent.count() });
  beforeAll(async () => {
    t = await createTestDb(provider);
    ana = await insertUser(t.db, "student", "Ana");
    bruno = await insertUser(t.db, "student", "Bruno");
    teacher = await insertUser(t.db, "instructor", "Teacher");
  });
  afterAll(async () => t?.drop());
  beforeEach(() => setLessonsDir(fixtures));

  it("grades a wrong function, then a right one: named cases, attempts 1 and 2, nothing hidden in the reply", async () => {
    const wrong = await as(ana).grading.submit({ ...ref("mean-fn"), code: WRONG_MEAN });
    expect(wrong).toMatchObject({ attempt: 1, status: "graded", passed: 0, total: 3, score: 0, rawScore: 0, capped: null, late: false });
    if (wrong.attempt === null) throw new Error("not graded");
    expect(wrong.cases).toEqual([
      { name: "lista vacía", passed: false, verdict: "wrong" },
      { name: "un solo valor", passed: false, verdict: "wrong" },
      { name: "valor oculto grande", passed: false, verdict: "wrong" },
    ]);
    const starter = await as(ana).grading.submit({ ...ref("mean-fn"), code: exerciseOf("es", "mean-fn").starter });
    expect(starter).toMatchObject({ attempt: 2, passed: 1, total: 3 });
    expect(starter.attempt !== null && starter.cases.map((c) => c.passed)).toEqual([true, false, false]);
    expect(starter.attempt !== null && starter.score).toBeCloseTo(1 / 3, 12);

    const right = await as(ana).grading.submit({ ...ref("mean-fn"), code: RIGHT_MEAN });
    expect(right).toMatchObject({ attempt: 3, status: "graded", passed: 3, total: 3, score: 1, rawScore: 1, capped: null });
    for (const reply of [wrong, starter, right]) {
      const text = JSON.stringify(reply);
      for (const h of HIDDEN) expect(text, `a grade quotes "${h}"`).not.toContain(h);
      expect(text).not.toContain("detail");
    }
    // The raw sandbox result is kept for the instructor, never returned.
    const row = await t.db.submission.findFirstOrThrow({ where: { userId: ana.id, exerciseId: "mean-fn", attempt: 3 } });
    expect(row).toMatchObject({ kind: "function", code: RIGHT_MEAN, status: "graded", passed: 3, hintsUsed: 0, revealed: false, classId: null });
    expect(JSON.parse(row.detail!)).toMatchObject({ status: "ok" });
    expect(row.durationMs).toBeGreaterThanOrEqual(0);

    // Server truth for progress: the full score counts as passed.
    expect((await as(ana).progress.mine()).find((p) => p.lessonSlug === lesson)?.exercisesPassed).toEqual(["mean-fn"]);
  });

  it("grades a value exercise on the hidden setup, in the locale submitted from, and counts attempts across locales", async () => {
    const wrong = await as(ana).grading.submit({ ...ref("best-score", "en"), code: "const best = 0.5;" });
    expect(wrong).toMatchObject({ attempt: 1, status: "graded", passed: 0, total: 1, cases: [{ name: "best", passed: false, verdict: "wrong" }] });
    const right = await as(ana).grading.submit({ ...ref("best-score", "es"), code: "const best = Math.max(...scores);" });
    expect(right).toMatchObject({ attempt: 2, score: 1, cases: [{ name: "best", passed: true, verdict: "passed" }] });
    // English case names for an English submission.
    const en = await as(ana).grading.submit({ ...ref("mean-fn", "en"), code: WRONG_MEAN });
    expect(en.attempt !== null && en.cases.map((c) => c.name)).toEqual(["empty list", "a single value", "a large hidden value"]);
    expect(en.attempt).toBe(4);
  });

  it("reports a syntax error with the student's line, and an endless loop as a limit, each as an attempt", async () => {
    const syntax = await as(bruno).grading.submit({ ...ref("mean-fn"), code: "function mean(xs) {\n  return (;\n}" });
    expect(syntax).toMatchObject({ attempt: 1, status: "error", score: 0, passed: 0 });
    expect(syntax.attempt !== null && syntax.message).toMatch(/SyntaxError.*line 2/);
    const loop = await as(bruno).grading.submit({ ...ref("mean-fn"), code: "function mean(xs) { while (true) {} }" });
    expect(loop).toMatchObject({ attempt: 2, score: 0 });
    expect(loop.attempt !== null && loop.cases.every((c) => !c.passed && (c.verdict === "limit" || c.verdict === "not-run"))).toBe(true);
  });

  it("hands out hints and the solution, records each once, and caps the score by the lesson's policy", async () => {
    const carla = await insertUser(t.db, "student", "Carla");
    const h0 = await as(carla).grading.hint({ ...ref("mean-fn"), index: 0 });
    expect(h0).toMatchObject({ index: 0, total: 2, text: exerciseOf("es", "mean-fn").hints[0], hintsUsed: 1, cost: { hintCost: 0.25, revealedCap: 0.3, maxScore: 0.75 } });
    // The same hint again is not a second hint.
    expect(await as(carla).grading.hint({ ...ref("mean-fn"), index: 0 })).toMatchObject({ hintsUsed: 1 });
    // A hint in English is the same hint.
    expect(await as(carla).grading.hint({ ...ref("mean-fn", "en"), index: 0 })).toMatchObject({ text: exerciseOf("en", "mean-fn").hints[0], hintsUsed: 1 });
    expect(await t.db.exerciseEvent.count({ where: { userId: carla.id, kind: "hint" } })).toBe(1);

    const afterHint = await as(carla).grading.submit({ ...ref("mean-fn"), code: RIGHT_MEAN });
    expect(afterHint).toMatchObject({ attempt: 1, rawScore: 1, score: 0.75, capped: "hints", hintsUsed: 1, revealed: false });

    await as(carla).grading.hint({ ...ref("mean-fn"), index: 1 });
    const reveal = await as(carla).grading.reveal(ref("mean-fn"));
    expect(reveal).toEqual({ solution: RIGHT_MEAN, cost: { hintCost: 0.25, revealedCap: 0.3, maxScore: 0.3 } });
    await as(carla).grading.reveal(ref("mean-fn"));
    expect(await t.db.exerciseEvent.count({ where: { userId: carla.id, kind: "reveal" } })).toBe(1);
    const afterReveal = await as(carla).grading.submit({ ...ref("mean-fn"), code: RIGHT_MEAN });
    expect(afterReveal).toMatchObject({ attempt: 2, rawScore: 1, score: 0.3, capped: "reveal", hintsUsed: 2, revealed: true });
    // A capped score is not a pass.
    expect((await as(carla).progress.mine()).find((p) => p.lessonSlug === lesson)?.exercisesPassed ?? []).toEqual([]);

    // mine: her own attempts, hints (with their text in the locale asked for) and the revealed solution.
    const mine = await as(carla).grading.mine({ lessonSlug: lesson, locale: "en" });
    expect(mine.policy).toEqual({ hintCost: 0.25, revealedCap: 0.3 });
    expect(mine.exercises).toHaveLength(1);
    expect(mine.exercises[0]).toMatchObject({
      exerciseId: "mean-fn",
      hints: [{ index: 0, text: exerciseOf("en", "mean-fn").hints[0] }, { index: 1, text: exerciseOf("en", "mean-fn").hints[1] }],
      revealed: true,
      solution: exerciseOf("en", "mean-fn").solution,
      maxScore: 0.3,
    });
    expect(mine.exercises[0]!.submissions.map((s) => [s.attempt, s.score, s.capped])).toEqual([
      [1, 0.75, "hints"],
      [2, 0.3, "reveal"],
    ]);
    // Hints and solutions are served for an exercise checked only in the browser too (they are hidden from the page).
    expect(await as(carla).grading.hint({ ...ref("browser-only"), index: 0 })).toMatchObject({ text: "Poné 1." });
  });

  it("shows a student only their own submissions", async () => {
    const dana = await insertUser(t.db, "student", "Dana");
    expect(await as(dana).grading.mine({ lessonSlug: lesson })).toEqual({ policy: { hintCost: 0.25, revealedCap: 0.3 }, exercises: [] });
    const anaMine = await as(ana).grading.mine({ lessonSlug: lesson });
    expect(anaMine.exercises.map((e) => e.exerciseId)).toEqual(["best-score", "mean-fn"]);
    expect(anaMine.exercises.find((e) => e.exerciseId === "mean-fn")!.submissions.map((s) => s.attempt)).toEqual([1, 2, 3, 4]);
    // Bruno's list holds his two attempts, none of Ana's; the procedure takes no user to ask about.
    const brunoMine = await as(bruno).grading.mine({ lessonSlug: lesson });
    expect(brunoMine.exercises.map((e) => [e.exerciseId, e.submissions.length])).toEqual([["mean-fn", 2]]);
    expect(JSON.stringify(brunoMine)).not.toContain(RIGHT_MEAN.split("\n")[2]!.trim());
    // Without a locale, hint texts are not sent.
    expect((await as(ana).grading.mine({ lessonSlug: lesson })).exercises.every((e) => e.hints.every((h) => h.text === null))).toBe(true);
  });

  it("role matrix: no procedure a student can call returns hidden tests, or another student's code or grades", async () => {
    const marker = "// ana's own approach 4f7c";
    await as(ana).grading.submit({ ...ref("mean-fn"), code: `${marker}\n${WRONG_MEAN}` });
    await as(ana).grading.hint({ ...ref("mean-fn"), index: 0 });
    const tests = exerciseOf("es", "mean-fn").tests!;
    const caseLines = tests.split("\n").filter((l) => l.startsWith("case "));
    const key = { kind: "lesson" as const, slug: lesson, locale: "es" as const };
    for (const [who, user] of [["Ana", ana], ["Bruno", bruno]] as const) {
      const replies = await Promise.all([
        as(user).grading.mine({ lessonSlug: lesson, locale: "es" }),
        as(user).grading.mine({ lessonSlug: lesson }),
        as(user).grading.hint({ ...ref("mean-fn"), index: 1 }),
        as(user).progress.mine(),
        as(user).progress.exerciseEvents({ lessonSlug: lesson }),
        as(user).notebooks.get(key),
      ]);
      const text = JSON.stringify(replies);
      for (const h of [...HIDDEN, ...caseLines, "function mean\ntolerance"]) expect(text, `${who} reads "${h}"`).not.toContain(h);
      // Nobody gets code back, not even their own; nor another student's grades.
      expect(text).not.toContain(marker);
      if (user === bruno) expect(text).not.toContain('"attempt":4');
    }
  });

  it("files a submission under the student's class and marks it late after the class's deadline", async () => {
    const cls = await t.db.class.create({ data: { name: "MLOps", joinCode: `G${Date.now().toString(36).toUpperCase()}${provider.length}`, instructorId: teacher.id } });
    const eva = await insertUser(t.db, "student", "Eva");
    await t.db.membership.create({ data: { classId: cls.id, userId: eva.id } });
    const onTime = await as(eva).grading.submit({ ...ref("mean-fn"), code: RIGHT_MEAN });
    expect(onTime).toMatchObject({ attempt: 1, late: false });
    await t.db.lessonDeadline.create({ data: { classId: cls.id, lessonSlug: lesson, dueAt: new Date(Date.now() - 60_000) } });
    const late = await as(eva).grading.submit({ ...ref("mean-fn"), code: RIGHT_MEAN, classId: cls.id });
    expect(late).toMatchObject({ attempt: 2, late: true, score: 1 });
    const rows = await t.db.submission.findMany({ where: { userId: eva.id }, orderBy: { attempt: "asc" }, select: { classId: true, late: true } });
    expect(rows).toEqual([{ classId: cls.id, late: false }, { classId: cls.id, late: true }]);
    // A class the student does not belong to is not used (the instructor's own tries stay out of the gradebook).
    const own = await as(teacher).grading.submit({ ...ref("mean-fn"), code: RIGHT_MEAN, classId: cls.id });
    expect(own).toMatchObject({ attempt: 1, late: false });
    expect((await t.db.submission.findFirstOrThrow({ where: { userId: teacher.id } })).classId).toBeNull();
  });

  it("numbers concurrent submissions one after another", async () => {
    const fran = await insertUser(t.db, "student", "Fran");
    const replies = await Promise.all([WRONG_MEAN, RIGHT_MEAN, WRONG_MEAN].map((code) => as(fran).grading.submit({ ...ref("mean-fn"), code })));
    expect(replies.map((r) => r.attempt).sort()).toEqual([1, 2, 3]);
  });

  it("runs a student's submissions one at a time and refuses more than 64 waiting, storing none of the refused", async () => {
    const ivo = await insertUser(t.db, "student", "Ivo");
    const syntaxError = "function mean(xs) { return ( }"; // judged on the host: fast, and still an attempt
    const settled = await Promise.allSettled(Array.from({ length: 66 }, () => as(ivo).grading.submit({ ...ref("mean-fn"), code: syntaxError })));
    const refused = settled.filter((r) => r.status === "rejected");
    expect(refused).toHaveLength(2);
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toMatchObject({ code: "TOO_MANY_REQUESTS" });
    const attempts = settled.flatMap((r) => (r.status === "fulfilled" && r.value.attempt !== null ? [r.value.attempt] : []));
    expect(attempts).toEqual(Array.from({ length: 64 }, (_, i) => i + 1)); // in the order they were sent
    expect(await t.db.submission.count({ where: { userId: ivo.id } })).toBe(64);
  });

  it("refuses guests", async () => {
    const before = await stored();
    await expect(as(null).grading.submit({ ...ref("mean-fn"), code: RIGHT_MEAN })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(as(null).grading.hint({ ...ref("mean-fn"), index: 0 })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(as(null).grading.reveal(ref("mean-fn"))).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(as(null).grading.mine({ lessonSlug: lesson })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect(await stored()).toEqual(before);
  });

  it("refuses bad input with a clear error and stores nothing", async () => {
    const before = await stored();
    const caller = as(bruno).grading;
    await expect(caller.submit({ lessonSlug: "no-such-lesson", locale: "es", exerciseId: "mean-fn", code: RIGHT_MEAN })).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: 'There is no lesson "no-such-lesson"',
    });
    await expect(caller.submit({ ...ref("no-such-exercise"), code: RIGHT_MEAN })).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: 'Lesson "grading-sample" has no exercise "no-such-exercise"',
    });
    await expect(caller.submit({ ...ref("mean-fn"), code: "x".repeat(100 * 1024) })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const ungraded = caller.submit({ ...ref("browser-only"), code: "const x = 1;" });
    await expect(ungraded).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/no hidden tests/) });
    // The UI translates it by its detail key (the tRPC error shape passes the domain error's detail on).
    await ungraded.catch((e: { cause?: { detail?: unknown } }) => expect(e.cause?.detail).toEqual({ key: "exercises.errors.notGraded" }));
    await expect(caller.submit({ ...ref("mean-fn"), locale: "fr" as "es", code: RIGHT_MEAN })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(caller.submit({ lessonSlug: "../etc", locale: "es", exerciseId: "mean-fn", code: RIGHT_MEAN })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(caller.hint({ ...ref("mean-fn"), index: 2 })).rejects.toMatchObject({ code: "BAD_REQUEST", message: "This exercise has hints 1 to 2" });
    await expect(caller.hint({ ...ref("best-score"), index: 0 })).rejects.toMatchObject({ code: "BAD_REQUEST", message: "This exercise has no hints" });
    await expect(caller.hint({ ...ref("nope"), index: 0 })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(caller.reveal(ref("nope"))).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(caller.mine({ lessonSlug: "no-such-lesson" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await stored()).toEqual(before);
  });

  it("does not use an attempt when the grader is busy or cannot prepare the exercise", async () => {
    const gus = await insertUser(t.db, "student", "Gus");
    // Expectations prepared with the working pool...
    expect(await as(gus).grading.submit({ ...ref("mean-fn"), code: RIGHT_MEAN })).toMatchObject({ attempt: 1 });
    // ...then a pool whose queue is always full: the submission is answered "busy" and not stored.
    const full = createSandboxPool({ size: 1, root, maxQueue: 0 });
    try {
      setGradingPool(full);
      const busy = await as(gus).grading.submit({ ...ref("mean-fn"), code: RIGHT_MEAN });
      expect(busy).toMatchObject({ attempt: null, status: "busy" });
      // A fresh lesson (nothing prepared) cannot be prepared either: "unavailable", nothing stored.
      setLessonsDir(fixtures);
      expect(await as(gus).grading.submit({ ...ref("mean-fn"), code: RIGHT_MEAN })).toMatchObject({ attempt: null, status: "unavailable" });
    } finally {
      setGradingPool(pool);
      await full.close();
    }
    expect(await t.db.submission.count({ where: { userId: gus.id } })).toBe(1);
    // The next real submission is attempt 2.
    expect(await as(gus).grading.submit({ ...ref("mean-fn"), code: RIGHT_MEAN })).toMatchObject({ attempt: 2 });
  });

  it("grades a real course lesson under the default policy: a revealed solution scores 0", async () => {
    setLessonsDir();
    const doc = parseLessonMarkdown(readFileSync(join(root, "content", "lessons", "metrics-baselines", "es.md"), "utf8"));
    const ex = doc.cells.find((c): c is ExerciseCell => c.kind === "exercise" && c.tests !== undefined && /^\s*function\s/m.test(c.tests));
    if (!ex) throw new Error("metrics-baselines has no graded function exercise");
    const real = { lessonSlug: "metrics-baselines", locale: "es" as const, exerciseId: ex.id };
    const hugo = await insertUser(t.db, "student", "Hugo");
    expect(await as(hugo).grading.submit({ ...real, code: ex.starter })).toMatchObject({ attempt: 1, status: "graded" });
    expect(await as(hugo).grading.submit({ ...real, code: ex.starter }).then((r) => r.attempt !== null && r.score < 1)).toBe(true);
    expect(await as(hugo).grading.submit({ ...real, code: ex.solution })).toMatchObject({ attempt: 3, score: 1 });
    expect((await as(hugo).grading.reveal(real)).cost).toEqual({ hintCost: 0, revealedCap: 0, maxScore: 0 });
    expect(await as(hugo).grading.submit({ ...real, code: ex.solution })).toMatchObject({ attempt: 4, rawScore: 1, score: 0, capped: "reveal" });
  });
});
