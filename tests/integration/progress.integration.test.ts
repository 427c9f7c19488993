import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "@/lib/server/api/root";
import type { SessionUser } from "@/lib/server/auth";
import { createTestDb, insertUser, testProviders, type TestDb } from "./helpers/test-db";

describe.each(testProviders)("lesson progress on %s", (provider) => {
  let t: TestDb;
  let ana: SessionUser, bruno: SessionUser;
  const as = (user: SessionUser | null) => createCaller({ db: t.db, user });
  beforeAll(async () => {
    t = await createTestDb(provider);
    ana = await insertUser(t.db, "student");
    bruno = await insertUser(t.db, "student");
  });
  afterAll(async () => t?.drop());

  it("records cells run, passed exercises, reveals and the best quiz score, per student", async () => {
    await as(ana).progress.recordCellsRun({ lessonSlug: "imbalance", cellsRun: 5, cellsTotal: 20 });
    await as(ana).progress.recordCellsRun({ lessonSlug: "imbalance", cellsRun: 2, cellsTotal: 20 });
    await as(ana).progress.recordExerciseEvent({ lessonSlug: "imbalance", exerciseId: "pick-threshold", kind: "fail" });
    await as(ana).progress.recordExerciseEvent({ lessonSlug: "imbalance", exerciseId: "pick-threshold", kind: "reveal" });
    await as(ana).progress.recordExerciseEvent({ lessonSlug: "imbalance", exerciseId: "pick-threshold", kind: "pass" });
    await as(ana).progress.recordQuizScore({ lessonSlug: "imbalance", score: 0.8 });
    await as(ana).progress.recordQuizScore({ lessonSlug: "imbalance", score: 0.4 });
    expect(await as(ana).progress.mine()).toEqual([
      { lessonSlug: "imbalance", cellsRun: 5, cellsTotal: 20, exercisesPassed: ["pick-threshold"], quizScore: 0.8 },
    ]);
    expect((await as(ana).progress.exerciseEvents({ lessonSlug: "imbalance" })).map((e) => e.kind)).toEqual(["fail", "reveal", "pass"]);
    expect(await as(bruno).progress.mine()).toEqual([]);
    expect(await as(bruno).progress.exerciseEvents({ lessonSlug: "imbalance" })).toEqual([]);
  });

  it("rejects bad input and guests", async () => {
    await expect(as(ana).progress.recordQuizScore({ lessonSlug: "imbalance", score: 7 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(as(ana).progress.recordExerciseEvent({ lessonSlug: "../x", exerciseId: "a", kind: "pass" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(as(null).progress.mine()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});
