// Quizzes as gradebook items: their keys, and the grade from a self-paced attempt or a live game.
import { describe, expect, it } from "vitest";
import { buildGradebook } from "@/lib/gradebook/build";
import { quizGrade } from "@/lib/gradebook/grades";
import { itemKey, parseItemKey, type QuizItem } from "@/lib/gradebook/items";

const now = new Date("2026-03-10T12:00:00Z");
const later = new Date("2026-03-11T12:00:00Z");
const earlier = new Date("2026-03-09T12:00:00Z");

describe("quiz items", () => {
  it("keys round-trip and malformed ones are refused", () => {
    expect(itemKey.quiz("assignment", "qa_1")).toBe("quiz:a/qa_1");
    expect(parseItemKey("quiz:a/qa_1")).toEqual({ kind: "quiz", source: "assignment", quizId: "qa_1" });
    expect(parseItemKey(itemKey.quiz("live", "g-9"))).toEqual({ kind: "quiz", source: "live", quizId: "g-9" });
    for (const bad of ["quiz:x/1", "quiz:a/", "quiz:a/a b", "quiz:g/../x", `quiz:a/${"x".repeat(65)}`]) expect(parseItemKey(bad)).toBeNull();
  });

  it("grades points over the most points, capped at 1 (streak bonuses), the best result counting", () => {
    expect(quizGrade([{ points: 1500, finished: true, createdAt: now }], { maxScore: 3000, deadline: later, now })).toMatchObject({ score: 0.5, provisional: false, attempts: 1 });
    expect(quizGrade([{ points: 3400, finished: true, createdAt: now }], { maxScore: 3000, deadline: later, now }).score).toBe(1);
    expect(quizGrade([{ points: 200, finished: true, createdAt: now }, { points: 900, finished: true, createdAt: later }], { maxScore: 1000, deadline: later, now })).toMatchObject({ score: 0.9, lastAt: later });
    // an attempt under way before the deadline is provisional; after it, what was earned stands
    expect(quizGrade([{ points: 800, finished: false, createdAt: now }], { maxScore: 3000, deadline: later, now }).provisional).toBe(true);
    expect(quizGrade([{ points: 800, finished: false, createdAt: earlier }], { maxScore: 3000, deadline: earlier, now }).provisional).toBe(false);
    expect(quizGrade([], { maxScore: 3000, deadline: later, now }).score).toBeNull();
    expect(quizGrade([{ points: 0, finished: true, createdAt: now }], { maxScore: 0, deadline: later, now }).score).toBeNull();
  });

  it("enter the gradebook after the challenges, per student, and count in totals", () => {
    const quiz: QuizItem = { kind: "quiz", key: itemKey.quiz("assignment", "a1"), source: "assignment", quizId: "a1", title: "Repaso", deadline: later, maxScore: 2000, inTotal: true };
    const book = buildGradebook({
      exercises: [], challenges: [], submissions: [], challengeEntries: [], overrides: [], deadlines: new Map(), lessonTitles: new Map(), now,
      students: [{ id: "ana", name: "Ana", email: "a@x" }, { id: "bru", name: "Bruno", email: "b@x" }],
      quizzes: [quiz],
      quizEntries: [{ userId: "ana", itemKey: quiz.key, points: 1500, finished: true, createdAt: now }],
    });
    expect(book.items.map((i) => i.key)).toEqual(["quiz:a/a1"]);
    expect(book.students[0].cells[quiz.key].score).toBe(0.75);
    expect(book.students[0].total).toEqual({ total: 0.75, items: 1, missing: 0 });
    expect(book.students[1].cells[quiz.key].score).toBeNull();
    expect(book.students[1].total.missing).toBe(1);
  });
});
