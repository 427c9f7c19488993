import { describe, expect, it } from "vitest";
import { answerSchema, checkAnswer, normalizeTypedAnswer, publicQuestion, questionListSchema, questionSchema, revealedAnswer, type Question, type QuestionInput } from "@/lib/live/questions";

const q = (input: QuestionInput): Question => questionSchema.parse(input);

const single = q({ type: "single", prompt: "2+2?", options: ["3", "4", "5"], correct: 1, explanation: "arithmetic" });
const multi = q({ type: "multi", prompt: "primes", options: ["2", "3", "4", "5"], correct: [0, 1, 3] });
const tf = q({ type: "truefalse", prompt: "sky is blue", correct: true });
const numeric = q({ type: "numeric", prompt: "recall", answer: 0.75, tolerance: 0.01 });
const text = q({ type: "text", prompt: "capital of Spain", accepted: ["Madrid", "Villa y Corte"] });
const order = q({ type: "order", prompt: "sort", items: ["a", "b", "c", "d"] });
const poll = q({ type: "poll", prompt: "favourite", options: ["x", "y"] });

describe("question schemas", () => {
  it("applies defaults", () => {
    expect(single.timeLimitSec).toBe(20);
    expect(single.points).toBe(1000);
    expect(poll.points).toBe(0);
  });

  it("refuses a correct index outside the options, duplicate multi answers, other point values", () => {
    expect(questionSchema.safeParse({ type: "single", prompt: "x", options: ["a", "b"], correct: 2 }).success).toBe(false);
    expect(questionSchema.safeParse({ type: "multi", prompt: "x", options: ["a", "b"], correct: [0, 0] }).success).toBe(false);
    expect(questionSchema.safeParse({ type: "single", prompt: "x", options: ["a", "b"], correct: 0, points: 500 }).success).toBe(false);
    expect(questionSchema.safeParse({ type: "poll", prompt: "x", options: ["a", "b"], points: 1000 }).success).toBe(false);
    expect(questionSchema.safeParse({ type: "text", prompt: "x", accepted: ["  "] }).success).toBe(false);
    expect(questionSchema.safeParse({ type: "single", prompt: "x", options: ["a", "b"], correct: 0, image: { src: "javascript:alert(1)", alt: "a" } }).success).toBe(false);
    expect(questionSchema.safeParse({ type: "single", prompt: "x", options: ["a", "b"], correct: 0, image: { src: "//evil.example/x.png", alt: "a" } }).success).toBe(false);
    expect(questionSchema.safeParse({ type: "single", prompt: "x", options: ["a", "b"], correct: 0, timeLimitSec: 1 }).success).toBe(false);
    expect(questionListSchema.safeParse([]).success).toBe(false);
  });
});

describe("publicQuestion never holds the answer", () => {
  it.each([single, multi, tf, numeric, text, order, poll])("%#", (question) => {
    const view = publicQuestion(question, 7) as unknown as Record<string, unknown>;
    expect(view).not.toHaveProperty("correct");
    expect(view).not.toHaveProperty("answer");
    expect(view).not.toHaveProperty("tolerance");
    expect(view).not.toHaveProperty("accepted");
    expect(view).not.toHaveProperty("explanation");
    expect(JSON.stringify(view)).not.toContain("Madrid");
  });

  it("order items are shuffled, never in the correct order, the same for the same seed", () => {
    for (let seed = 0; seed < 50; seed++) {
      const view = publicQuestion(order, seed);
      if (view.type !== "order") throw new Error("type");
      expect(view.items.map((i) => i.index)).not.toEqual([0, 1, 2, 3]);
      expect([...view.items].sort((a, b) => a.index - b.index).map((i) => i.text)).toEqual(["a", "b", "c", "d"]);
      expect(publicQuestion(order, seed)).toEqual(view);
    }
    const two = q({ type: "order", prompt: "x", items: ["first", "second"] });
    const v = publicQuestion(two, 3);
    if (v.type !== "order") throw new Error("type");
    expect(v.items.map((i) => i.index)).toEqual([1, 0]);
  });

  it("multi says how many to choose", () => {
    expect(publicQuestion(multi)).toMatchObject({ correctCount: 3 });
  });

  it("the reveal gives the answer", () => {
    expect(revealedAnswer(single)).toEqual({ type: "single", correct: 1 });
    expect(revealedAnswer(order)).toEqual({ type: "order", items: ["a", "b", "c", "d"] });
  });
});

describe("checkAnswer", () => {
  it("single and poll", () => {
    expect(checkAnswer(single, { type: "single", choice: 1 })).toEqual({ correct: true, fraction: 1 });
    expect(checkAnswer(single, { type: "single", choice: 0 })).toEqual({ correct: false, fraction: 0 });
    expect(checkAnswer(single, { type: "single", choice: 5 }).invalid).toBe(true);
    expect(checkAnswer(single, { type: "truefalse", value: true }).invalid).toBe(true);
    expect(checkAnswer(poll, { type: "poll", choice: 1 })).toEqual({ correct: false, fraction: 0 });
    expect(checkAnswer(poll, { type: "poll", choice: 2 }).invalid).toBe(true);
  });

  it("multi: per correct option, wrong pick zeroes", () => {
    expect(checkAnswer(multi, { type: "multi", choices: [0, 1, 3] })).toEqual({ correct: true, fraction: 1 });
    expect(checkAnswer(multi, { type: "multi", choices: [3, 0] })).toEqual({ correct: false, fraction: 2 / 3 });
    expect(checkAnswer(multi, { type: "multi", choices: [0, 1, 2, 3] })).toEqual({ correct: false, fraction: 0 });
    expect(checkAnswer(multi, { type: "multi", choices: [] }).invalid).toBe(true);
    expect(checkAnswer(multi, { type: "multi", choices: [0, 0] }).invalid).toBe(true);
  });

  it("true/false", () => {
    expect(checkAnswer(tf, { type: "truefalse", value: true }).correct).toBe(true);
    expect(checkAnswer(tf, { type: "truefalse", value: false }).correct).toBe(false);
  });

  it("numeric with tolerance", () => {
    expect(checkAnswer(numeric, { type: "numeric", value: 0.76 }).correct).toBe(true);
    expect(checkAnswer(numeric, { type: "numeric", value: 0.74 }).correct).toBe(true);
    expect(checkAnswer(numeric, { type: "numeric", value: 0.7601 }).correct).toBe(false);
    const exact = q({ type: "numeric", prompt: "x", answer: 0.3 });
    expect(checkAnswer(exact, { type: "numeric", value: 0.1 + 0.2 }).correct).toBe(true);
    expect(answerSchema.safeParse({ type: "numeric", value: Infinity }).success).toBe(false);
  });

  it("typed answer: case, accents and whitespace do not matter", () => {
    for (const t of ["madrid", "  MADRID ", "Mádrid", "villa   y\tcorte"]) expect(checkAnswer(text, { type: "text", text: t }).correct).toBe(true);
    for (const t of ["Madri", "", "   ", "Barcelona"]) expect(checkAnswer(text, { type: "text", text: t }).correct).toBe(false);
    const accented = q({ type: "text", prompt: "x", accepted: ["Año"] });
    expect(checkAnswer(accented, { type: "text", text: "ano" }).correct).toBe(true);
  });

  it("normalising is linear: a long adversarial string is quick", () => {
    const s = " \t".repeat(50) + "a".repeat(50);
    const t0 = performance.now();
    for (let i = 0; i < 2000; i++) normalizeTypedAnswer(s);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(answerSchema.safeParse({ type: "text", text: "x".repeat(101) }).success).toBe(false);
  });

  it("order: all or nothing", () => {
    expect(checkAnswer(order, { type: "order", order: [0, 1, 2, 3] }).correct).toBe(true);
    expect(checkAnswer(order, { type: "order", order: [1, 0, 2, 3] })).toEqual({ correct: false, fraction: 0 });
    expect(checkAnswer(order, { type: "order", order: [0, 1, 2] }).invalid).toBe(true);
    expect(checkAnswer(order, { type: "order", order: [0, 0, 1, 2] }).invalid).toBe(true);
  });
});
