import { describe, expect, it } from "vitest";
import { challengeGrade, exerciseGrade, finalEntries, gradeCell, latestOverride, studentTotal, type ChallengeEntry, type ExerciseAttempt } from "@/lib/gradebook/grades";
import type { GradeItem } from "@/lib/gradebook/items";

const at = (iso: string) => new Date(iso);
const attempt = (score: number, createdAt: string, extra: Partial<ExerciseAttempt> = {}): ExerciseAttempt => ({
  status: "graded", score, hintsUsed: 0, revealed: false, createdAt: at(createdAt), ...extra,
});

describe("exerciseGrade", () => {
  it("takes the best counted attempt, counts attempts, and keeps the most hints and any reveal", () => {
    const g = exerciseGrade(
      [attempt(0.5, "2026-05-01T10:00Z", { hintsUsed: 1 }), attempt(1, "2026-05-01T11:00Z", { hintsUsed: 2 }), attempt(0, "2026-05-01T12:00Z", { revealed: true, hintsUsed: 2 })],
      null,
    );
    expect(g).toMatchObject({ score: 1, attempts: 3, hintsUsed: 2, revealed: true, late: false, provisional: false });
    expect(g.lastAt).toEqual(at("2026-05-01T12:00Z"));
  });

  it("does not count attempts the server was too busy to grade", () => {
    const g = exerciseGrade([attempt(0, "2026-05-01T10:00Z", { status: "busy" }), attempt(0.25, "2026-05-01T10:01Z", { status: "error" })], null);
    expect(g).toMatchObject({ score: 0.25, attempts: 1 });
    expect(exerciseGrade([attempt(0, "2026-05-01T10:00Z", { status: "busy" })], null)).toMatchObject({ score: null, attempts: 0 });
  });

  it("is late when any counted attempt came after the deadline as it is now", () => {
    const attempts = [attempt(1, "2026-05-01T10:00Z"), attempt(0.5, "2026-05-03T10:00Z")];
    expect(exerciseGrade(attempts, at("2026-05-02T00:00Z")).late).toBe(true);
    expect(exerciseGrade(attempts, at("2026-05-04T00:00Z")).late).toBe(false);
    expect(exerciseGrade([attempt(1, "2026-05-03T10:00Z", { status: "busy" })], at("2026-05-02T00:00Z")).late).toBe(false);
  });

  it("is empty with no attempts", () => {
    expect(exerciseGrade([], null)).toMatchObject({ score: null, attempts: 0, hintsUsed: 0, revealed: false, late: false });
  });
});

describe("challengeGrade", () => {
  const deadline = at("2026-06-01T00:00Z");
  const entry = (publicScore: number, privateScore: number | undefined, selected = false, createdAt = "2026-05-20T00:00Z"): ChallengeEntry => ({
    publicScore, privateScore, selected, createdAt: at(createdAt),
  });

  it("shows the best public score, provisional, before the deadline and never needs private scores", () => {
    const g = challengeGrade([entry(0.6, undefined), entry(0.8, undefined)], { deadline, now: at("2026-05-25T00:00Z"), higherIsBetter: true });
    expect(g).toMatchObject({ score: 0.8, provisional: true, attempts: 2, hintsUsed: null, revealed: null });
  });

  it("after the deadline grades the best private score among the selected finals", () => {
    const entries = [entry(0.9, 0.5, false), entry(0.6, 0.7, true), entry(0.7, 0.65, true)];
    expect(challengeGrade(entries, { deadline, now: at("2026-06-02T00:00Z"), higherIsBetter: true })).toMatchObject({ score: 0.7, provisional: false });
  });

  it("defaults the final to the best public submission, and lower-is-better metrics pick the lowest", () => {
    const entries = [entry(0.9, 0.5), entry(0.6, 0.7)];
    expect(challengeGrade(entries, { deadline, now: at("2026-06-02T00:00Z"), higherIsBetter: true }).score).toBe(0.5);
    expect(challengeGrade(entries, { deadline, now: at("2026-06-02T00:00Z"), higherIsBetter: false }).score).toBe(0.7);
    expect(finalEntries(entries, false)).toHaveLength(1);
  });

  it("refuses to give a final grade without private scores", () => {
    expect(() => challengeGrade([entry(0.9, undefined)], { deadline, now: at("2026-06-02T00:00Z"), higherIsBetter: true })).toThrow(/private/);
  });

  it("marks a submission after the deadline late", () => {
    const g = challengeGrade([entry(0.9, 0.8, false, "2026-06-01T00:00:01Z")], { deadline, now: at("2026-06-02T00:00Z"), higherIsBetter: true });
    expect(g.late).toBe(true);
  });
});

describe("overrides and totals", () => {
  const computed = exerciseGrade([attempt(0.4, "2026-05-01T10:00Z")], null);
  it("the latest override counts and the computed grade stays beside it", () => {
    const o1 = { score: 0.9, comment: "first", createdAt: at("2026-05-02T00:00Z"), createdByName: "Ada" };
    const o2 = { score: 0.7, comment: "second", createdAt: at("2026-05-03T00:00Z"), createdByName: "Ada" };
    const cell = gradeCell(computed, [o2, o1]);
    expect(cell.score).toBe(0.7);
    expect(cell.override?.comment).toBe("second");
    expect(cell.computed.score).toBe(0.4);
    expect(latestOverride([])).toBeNull();
    expect(gradeCell(computed, []).score).toBe(0.4);
  });

  it("totals are the mean over items in totals, a missing grade counting as 0", () => {
    const items = [
      { kind: "exercise", key: "a", inTotal: true },
      { kind: "exercise", key: "b", inTotal: true },
      { kind: "challenge", key: "c", inTotal: false },
    ] as unknown as GradeItem[];
    const t = studentTotal(items, { a: gradeCell(computed, []), c: { computed, override: null, score: 12 } });
    expect(t).toEqual({ total: 0.2, items: 2, missing: 1 });
    expect(studentTotal([], {})).toEqual({ total: 0, items: 0, missing: 0 });
  });
});
