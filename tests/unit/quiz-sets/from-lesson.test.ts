// The lesson quiz → live question converter, on hand-made questions and on every quiz block of
// every built-in lesson in both languages (each must be playable live as written).
import { describe, expect, it } from "vitest";
import { listLessons, readLessonSource } from "@/lib/content/lessons";
import { checkAnswer, publicQuestion } from "@/lib/live/questions";
import { parseLessonMarkdown } from "@/lib/notebook/lesson-markdown";
import type { QuizCell, QuizQuestion } from "@/lib/notebook/types";
import { LessonQuestionProblem, lessonQuestionToLive } from "@/lib/quiz-sets/from-lesson";
import { lessonQuiz, lessonQuizzes } from "@/lib/quiz-sets/lesson-quizzes";

const opt = (text: string, correct = false) => ({ text, correct });

describe("lessonQuestionToLive", () => {
  it("one correct option is a single choice with its index, explanation kept, 20 s and 1,000 points", () => {
    const q = lessonQuestionToLive({ prompt: "¿Qué hace SMOTE?", options: [opt("Duplica"), opt("Interpola", true), opt("Borra")], explanation: "Interpola entre vecinos." });
    expect(q).toEqual({ type: "single", prompt: "¿Qué hace SMOTE?", options: ["Duplica", "Interpola", "Borra"], correct: 1, timeLimitSec: 20, points: 1000, explanation: "Interpola entre vecinos." });
    expect(checkAnswer(q, { type: "single", choice: 1 }).correct).toBe(true);
    expect(checkAnswer(q, { type: "single", choice: 0 }).correct).toBe(false);
  });

  it("several correct options are a multiple select scored per correct option", () => {
    const q = lessonQuestionToLive({ prompt: "Marcar todo da…", options: [opt("recall 1", true), opt("precision 1"), opt("precision = prevalencia", true)] });
    expect(q).toMatchObject({ type: "multi", correct: [0, 2] });
    expect(checkAnswer(q, { type: "multi", choices: [0] })).toEqual({ correct: false, fraction: 0.5 });
    expect(checkAnswer(q, { type: "multi", choices: [2, 0] })).toEqual({ correct: true, fraction: 1 });
    expect(publicQuestion(q)).toMatchObject({ type: "multi", correctCount: 2 });
  });

  it("exactly a true and a false option (es or en, either order) is a true/false question", () => {
    expect(lessonQuestionToLive({ prompt: "El test se usa una vez.", options: [opt("Verdadero", true), opt("Falso")] })).toMatchObject({ type: "truefalse", correct: true });
    expect(lessonQuestionToLive({ prompt: "Accuracy is enough.", options: [opt("False", true), opt("True")] })).toMatchObject({ type: "truefalse", correct: false });
    // two options that are not true/false stay a single choice
    expect(lessonQuestionToLive({ prompt: "¿Cuál?", options: [opt("Sombra", true), opt("Canary")] })).toMatchObject({ type: "single", correct: 0 });
  });

  it("takes the time limit and points given", () => {
    expect(lessonQuestionToLive({ prompt: "p", options: [opt("a", true), opt("b")] }, { timeLimitSec: 30, points: 2000 })).toMatchObject({ timeLimitSec: 30, points: 2000 });
  });

  it("refuses what the live model cannot hold, with a reason (never truncates)", () => {
    const many: QuizQuestion = { prompt: "p", options: Array.from({ length: 7 }, (_, i) => opt(`o${i}`, i === 0)) };
    expect(() => lessonQuestionToLive(many)).toThrow(LessonQuestionProblem);
    expect(() => lessonQuestionToLive(many)).toThrow(/at most 6 options/);
    const manyMulti: QuizQuestion = { prompt: "p", options: Array.from({ length: 9 }, (_, i) => opt(`o${i}`, i < 2)) };
    expect(() => lessonQuestionToLive(manyMulti)).toThrow(/at most 8 options/);
    expect(() => lessonQuestionToLive({ prompt: "x".repeat(501), options: [opt("a", true), opt("b")] })).toThrow(expect.objectContaining({ code: "tooLong" }));
    expect(() => lessonQuestionToLive({ prompt: "p", options: [opt("a".repeat(201), true), opt("b")] })).toThrow(expect.objectContaining({ code: "tooLong" }));
  });
});

describe.each(["es", "en"] as const)("every built-in lesson's quiz in %s", (locale) => {
  const lessons = listLessons();

  it("there are seven lessons and each has a self-check quiz block", () => {
    expect(lessons).toHaveLength(7);
    const quizzes = lessonQuizzes(locale);
    expect(new Set(quizzes.map((q) => q.lessonSlug))).toEqual(new Set(lessons.map((l) => l.slug)));
    for (const l of lessons) expect(lessonQuiz(locale, l.slug, "self-check")?.lessonTitle).toBe(l.title[locale]);
  });

  it.each(listLessons().map((l) => l.slug))("%s converts question by question, same prompts, options and right answers", (slug) => {
    const doc = parseLessonMarkdown(readLessonSource(slug, locale)!, { locale, lessonSlug: slug });
    const cells = doc.cells.filter((c): c is QuizCell => c.kind === "quiz");
    expect(cells.length).toBeGreaterThan(0);
    for (const cell of cells) {
      const live = lessonQuiz(locale, slug, cell.id)!.questions;
      expect(live).toHaveLength(cell.questions.length);
      cell.questions.forEach((src, i) => {
        const q = live[i];
        expect(q.prompt).toBe(src.prompt);
        expect(q.explanation).toBe(src.explanation);
        const rightTexts = src.options.filter((o) => o.correct).map((o) => o.text);
        if (q.type === "single") {
          expect(q.options).toEqual(src.options.map((o) => o.text));
          expect([q.options[q.correct]]).toEqual(rightTexts);
          // the answer the lesson marks right scores; every other option does not
          q.options.forEach((_, k) => expect(checkAnswer(q, { type: "single", choice: k }).correct).toBe(k === q.correct));
        } else if (q.type === "multi") {
          expect(q.correct.map((k) => q.options[k])).toEqual(rightTexts);
          expect(checkAnswer(q, { type: "multi", choices: q.correct }).correct).toBe(true);
        } else if (q.type === "truefalse") {
          expect(src.options).toHaveLength(2);
        } else throw new Error(`unexpected type ${q.type}`);
        // what a player is sent holds no answer and no explanation
        const shown = JSON.stringify(publicQuestion(q));
        expect(shown).not.toContain("correct\":");
        expect(shown).not.toContain("explanation");
      });
    }
  });
});
