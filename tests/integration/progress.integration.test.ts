import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "@/lib/server/api/root";
import type { SessionUser } from "@/lib/server/auth";
import { createTestDb, insertUser, testProviders, type TestDb } from "./helpers/test-db";

describe.each(testProviders)("lesson progress on %s", (provider) => {
  let t: TestDb;
  let ana: SessionUser, bruno: SessionUser;
  const as = (user: SessionUser | null) => createCaller({ db: t.db, user });
  /** A graded submission as the grading service stores it (tests/integration/grading-exercises covers how it gets there). */
  const graded = (user: SessionUser, lessonSlug: string, exerciseId: string, attempt: number, score: number) =>
    t.db.submission.create({
      data: { userId: user.id, lessonSlug, exerciseId, attempt, kind: "function", code: "", status: "graded", passed: 0, total: 1, rawScore: score, score, cases: "[]", message: "" },
    });
  beforeAll(async () => {
    t = await createTestDb(provider);
    ana = await insertUser(t.db, "student");
    bruno = await insertUser(t.db, "student");
  });
  afterAll(async () => t?.drop());

  it("records cells run and the best self-check quiz score; exercises passed come from graded submissions with a full score", async () => {
    await as(ana).progress.recordCellsRun({ lessonSlug: "imbalance", cellsRun: 5, cellsTotal: 20 });
    await as(ana).progress.recordCellsRun({ lessonSlug: "imbalance", cellsRun: 2, cellsTotal: 20 });
    await as(ana).progress.recordQuizScore({ lessonSlug: "imbalance", score: 0.8 });
    await as(ana).progress.recordQuizScore({ lessonSlug: "imbalance", score: 0.4 });
    expect(await as(ana).progress.mine()).toEqual([{ lessonSlug: "imbalance", cellsRun: 5, cellsTotal: 20, exercisesPassed: [], quizScore: 0.8 }]);

    await graded(ana, "imbalance", "pick-threshold", 1, 0.5);
    await graded(ana, "imbalance", "pick-threshold", 2, 1);
    await graded(ana, "imbalance", "pick-threshold", 3, 1);
    await graded(ana, "imbalance", "weights", 1, 0.75);
    await graded(ana, "metrics-baselines", "f1-from-counts", 1, 1);
    await graded(bruno, "imbalance", "weights", 1, 1);
    const mine = await as(ana).progress.mine();
    expect(mine.find((p) => p.lessonSlug === "imbalance")).toEqual({ lessonSlug: "imbalance", cellsRun: 5, cellsTotal: 20, exercisesPassed: ["pick-threshold"], quizScore: 0.8 });
    // A lesson with a graded pass but no cells run yet still shows it.
    expect(mine.find((p) => p.lessonSlug === "metrics-baselines")).toEqual({ lessonSlug: "metrics-baselines", cellsRun: 0, cellsTotal: 0, exercisesPassed: ["f1-from-counts"], quizScore: null });
    expect(await as(bruno).progress.mine()).toEqual([{ lessonSlug: "imbalance", cellsRun: 0, cellsTotal: 0, exercisesPassed: ["weights"], quizScore: null }]);
  });

  it("no longer lets a student grade themselves: recordExerciseEvent({ kind: 'pass' }) is refused and passes nothing", async () => {
    const carla = await insertUser(t.db, "student");
    const caller = as(carla).progress as unknown as { recordExerciseEvent: (input: unknown) => Promise<unknown> };
    for (const kind of ["pass", "fail", "hint", "reveal"]) {
      await expect(caller.recordExerciseEvent({ lessonSlug: "imbalance", exerciseId: "pick-threshold", kind })).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    expect(await as(carla).progress.mine()).toEqual([]);
    expect(await t.db.exerciseEvent.count({ where: { userId: carla.id } })).toBe(0);
    expect(await t.db.submission.count({ where: { userId: carla.id } })).toBe(0);
  });

  it("rejects bad input and guests", async () => {
    await expect(as(ana).progress.recordQuizScore({ lessonSlug: "imbalance", score: 7 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(as(ana).progress.recordCellsRun({ lessonSlug: "../x", cellsRun: 1, cellsTotal: 2 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(as(null).progress.mine()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});
