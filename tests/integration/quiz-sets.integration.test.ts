// Quiz sets and self-paced assignments through the tRPC caller on a real database: assembling a
// set from lesson quizzes and authored questions (all seven types), refusals that change nothing,
// owner-only access, and a class playing an assignment on the server's clock (the injected one):
// points from the recorded times by the scoring formula, streaks, timeouts, late and repeated
// answers, the deadline, the class leaderboard and the instructor's results.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { QuestionInput } from "@/lib/live/questions";
import { createCaller } from "@/lib/server/api/root";
import type { SessionUser } from "@/lib/server/auth";
import { createTestDb, insertUser, testProviders, type TestDb } from "./helpers/test-db";

const authored: QuestionInput[] = [
  { type: "single", prompt: "¿Qué métrica ignora los verdaderos negativos?", options: ["Accuracy", "F1", "Especificidad"], correct: 1, timeLimitSec: 10, explanation: "F1 usa TP, FP y FN." },
  { type: "multi", prompt: "¿Cuáles evitan la fuga?", options: ["Partir antes de escalar", "Escalar con todo el dataset", "Agrupar por paciente"], correct: [0, 2], timeLimitSec: 10 },
  { type: "truefalse", prompt: "El test se usa una sola vez.", correct: true, timeLimitSec: 10, points: 2000 },
  { type: "numeric", prompt: "Recall de TP=8, FN=2", answer: 0.8, tolerance: 0.01, timeLimitSec: 10, code: { language: "ts", source: "const tp = 8, fn = 2;" } },
  { type: "text", prompt: "¿Cómo se llama la curva precision-recall abreviada?", accepted: ["PR", "curva PR"], timeLimitSec: 10 },
  { type: "order", prompt: "Ordená el flujo", items: ["Partir", "Ajustar en train", "Evaluar en test"], timeLimitSec: 10 },
  { type: "poll", prompt: "¿Te gustó la clase?", options: ["Sí", "No"], timeLimitSec: 10, image: { src: "/icon.svg", alt: "logo" } },
];

describe.each(testProviders)("quiz sets and self-paced quizzes on %s", (provider) => {
  let t: TestDb;
  let teacher: SessionUser, other: SessionUser, ana: SessionUser, bruno: SessionUser, outsider: SessionUser;
  let classId: string;
  let clock = new Date("2026-03-10T15:00:00Z");
  const now = () => clock;
  const tick = (ms: number) => (clock = new Date(clock.getTime() + ms));
  const as = (user: SessionUser) => createCaller({ db: t.db, user, now });

  beforeAll(async () => {
    t = await createTestDb(provider);
    teacher = await insertUser(t.db, "instructor", "Ada");
    other = await insertUser(t.db, "instructor", "Grace");
    ana = await insertUser(t.db, "student", "Ana");
    bruno = await insertUser(t.db, "student", "Bruno");
    outsider = await insertUser(t.db, "student", "Eve");
    const cls = await as(teacher).classes.create({ name: "MLOps" });
    classId = cls.id;
    for (const s of [ana, bruno]) await as(s).classes.join({ code: cls.joinCode! });
  });
  afterAll(async () => t?.drop());

  let setId: string;

  it("assembles a set from two lessons' quizzes and authored questions of all seven types", async () => {
    const bank = await as(teacher).quizzes.lessonBank({ locale: "es" });
    expect(bank.length).toBeGreaterThanOrEqual(7);
    const set = await as(teacher).quizzes.create({ title: "Repaso", locale: "es" });
    setId = set.id;
    expect(set.items).toEqual([]);
    const imbalance = bank.find((q) => q.lessonSlug === "imbalance")!;
    await as(teacher).quizzes.addLessonQuestions({ id: setId, lessonSlug: "imbalance", quizId: "self-check", indexes: [0, 1] });
    const withLessons = await as(teacher).quizzes.addLessonQuestions({ id: setId, lessonSlug: "metrics-baselines", quizId: "self-check", indexes: [0] });
    expect(withLessons.items.map((i) => i.origin?.lessonSlug)).toEqual(["imbalance", "imbalance", "metrics-baselines"]);
    expect(withLessons.items[1].question).toEqual(imbalance.questions[1]);
    expect(withLessons.items[1].question.type).toBe("multi");

    const saved = await as(teacher).quizzes.update({ id: setId, items: [...withLessons.items, ...authored.map((question) => ({ question }))] });
    expect(saved.questionCount).toBe(10);
    expect(saved.items.slice(3).map((i) => i.question.type)).toEqual(["single", "multi", "truefalse", "numeric", "text", "order", "poll"]);
    expect(saved.items[9].question.points).toBe(0); // a poll never scores
    expect((await as(teacher).quizzes.list()).map((s) => [s.title, s.questionCount])).toEqual([["Repaso", 10]]);
  });

  it("refuses a bad question naming it, and changes nothing", async () => {
    const before = await as(teacher).quizzes.get({ id: setId });
    const bad = [...before.items, { question: { type: "single", prompt: "x", options: ["a", "b"], correct: 5 } }];
    await expect(as(teacher).quizzes.update({ id: setId, title: "Otro", items: bad })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      cause: { detail: { key: "quiz.errors.invalidQuestion", params: { n: 11, field: "correct" } } },
    });
    await expect(as(teacher).quizzes.update({ id: setId, items: [{ question: { type: "numeric", prompt: "", answer: 1 } }] })).rejects.toMatchObject({ cause: { detail: { key: "quiz.errors.invalidQuestion", params: { n: 1 } } } });
    await expect(as(teacher).quizzes.update({ id: setId, items: [{ question: { type: "essay", prompt: "p" } }] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(as(teacher).quizzes.addLessonQuestions({ id: setId, lessonSlug: "no-such-lesson", quizId: "self-check" })).rejects.toMatchObject({ code: "NOT_FOUND", cause: { detail: { key: "quiz.errors.unknownLessonQuiz" } } });
    const after = await as(teacher).quizzes.get({ id: setId });
    expect(after.title).toBe("Repaso");
    expect(after.items).toEqual(before.items);
  });

  it("a set is its owner's: other instructors get notFound, students forbidden", async () => {
    await expect(as(other).quizzes.get({ id: setId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(as(other).quizzes.update({ id: setId, title: "mío" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(as(other).quizzes.delete({ id: setId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(as(ana).quizzes.list()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(as(ana).quizzes.lessonBank({ locale: "es" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await as(other).quizzes.list()).toEqual([]);
  });

  let assignmentId: string;
  let shortSetId: string;

  it("assigns a set to a class with a deadline (only its instructor, only in the future)", async () => {
    // A short set: single (10 s), truefalse (2,000 points), poll.
    const s = await as(teacher).quizzes.create({ title: "Corto", locale: "es", items: [authored[0], authored[2], authored[6]].map((question) => ({ question })) });
    shortSetId = s.id;
    const deadline = new Date(clock.getTime() + 3600_000);
    await expect(as(other).quizzes.assign({ classId, quizSetId: shortSetId, deadline })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(as(teacher).quizzes.assign({ classId, quizSetId: shortSetId, deadline: new Date(clock.getTime() - 1000) })).rejects.toMatchObject({ cause: { detail: { key: "quiz.errors.deadlinePast" } } });
    const a = await as(teacher).quizzes.assign({ classId, quizSetId: shortSetId, deadline });
    assignmentId = a.id;
    expect(a).toMatchObject({ title: "Corto", questionCount: 3, maxScore: 3000, closed: false, mine: null, attempts: 0 });
    expect((await as(ana).quizzes.assignments({ classId })).map((x) => x.id)).toEqual([assignmentId]);
    await expect(as(outsider).quizzes.assignments({ classId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(as(outsider).quizzes.selfPacedState({ assignmentId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(as(teacher).quizzes.serveNext({ assignmentId })).rejects.toMatchObject({ cause: { detail: { key: "quiz.errors.instructorCannotPlay" } } });
    // editing the set afterwards does not change the assignment
    await as(teacher).quizzes.update({ id: shortSetId, items: [{ question: authored[0] }] });
    expect((await as(ana).quizzes.selfPacedState({ assignmentId }))).toMatchObject({ status: "notStarted", count: 3 });
  });

  it("serves questions on the server's clock and scores by the formula; reloads keep the timer", async () => {
    expect(await as(ana).quizzes.selfPacedState({ assignmentId })).toMatchObject({ status: "notStarted" });
    const first = await as(ana).quizzes.serveNext({ assignmentId });
    if (first.status !== "question") throw new Error(first.status);
    expect(first.q).toBe(0);
    expect(first.question).toEqual({ type: "single", prompt: authored[0].prompt, options: ["Accuracy", "F1", "Especificidad"], timeLimitSec: 10, points: 1000 });
    expect(JSON.stringify(first)).not.toContain("F1 usa"); // no explanation before answering
    expect(first.opensAt - clock.getTime()).toBe(3000); // the intro, as live
    expect(first.deadline - first.opensAt).toBe(10_000);

    // answering during the intro is refused
    await expect(as(ana).quizzes.answer({ assignmentId, q: 0, answer: { type: "single", choice: 1 } })).rejects.toMatchObject({ cause: { detail: { key: "quiz.errors.notOpen" } } });
    tick(3000 + 4000); // 4 s into the answers
    // a reload (or a second tab) does not restart the timer or serve another question
    const again = await as(ana).quizzes.serveNext({ assignmentId });
    expect(again).toMatchObject({ status: "question", q: 0, opensAt: first.opensAt, deadline: first.deadline });
    await expect(as(ana).quizzes.answer({ assignmentId, q: 1, answer: { type: "truefalse", value: true } })).rejects.toMatchObject({ cause: { detail: { key: "quiz.errors.notAsked" } } });
    await expect(as(ana).quizzes.answer({ assignmentId, q: 0, answer: { type: "truefalse", value: true } })).rejects.toMatchObject({ cause: { detail: { key: "quiz.errors.invalidAnswer" } } });
    await expect(as(ana).quizzes.answer({ assignmentId, q: 0, answer: { type: "single", choice: 7 } })).rejects.toMatchObject({ cause: { detail: { key: "quiz.errors.invalidAnswer" } } });

    const r = await as(ana).quizzes.answer({ assignmentId, q: 0, answer: { type: "single", choice: 1 } });
    expect(r.result).toMatchObject({ correct: true, points: Math.round(1000 * (1 - 4000 / 10_000 / 2)), streak: 1, bonus: 0, answer: { type: "single", correct: 1 }, explanation: "F1 usa TP, FP y FN." });
    expect(r.result.points).toBe(800);
    // a second answer is ignored: the first stands
    await expect(as(ana).quizzes.answer({ assignmentId, q: 0, answer: { type: "single", choice: 0 } })).rejects.toMatchObject({ code: "CONFLICT", cause: { detail: { key: "quiz.errors.alreadyAnswered" } } });
    expect(await as(ana).quizzes.selfPacedState({ assignmentId })).toMatchObject({ status: "answered", q: 0, result: { points: 800, score: 800 } });

    // question 2: true/false worth 2,000, answered in 0.3 s → full points, streak 2 → +100
    const second = await as(ana).quizzes.serveNext({ assignmentId });
    expect(second).toMatchObject({ status: "question", q: 1 });
    tick(3000 + 300);
    const r2 = await as(ana).quizzes.answer({ assignmentId, q: 1, answer: { type: "truefalse", value: true } });
    expect(r2.result).toMatchObject({ correct: true, points: 2100, bonus: 100, streak: 2, score: 2900 });

    // question 3: a poll — no points, streak kept
    await as(ana).quizzes.serveNext({ assignmentId });
    tick(3000 + 1000);
    const r3 = await as(ana).quizzes.answer({ assignmentId, q: 2, answer: { type: "poll", choice: 0 } });
    expect(r3.result).toMatchObject({ correct: false, points: 0, streak: 2, score: 2900 });
    // the last question's result shows first; the next step is the end
    expect(await as(ana).quizzes.selfPacedState({ assignmentId })).toMatchObject({ status: "answered", q: 2 });
    expect(await as(ana).quizzes.serveNext({ assignmentId })).toMatchObject({ status: "finished", score: 2900, correct: 2, maxScore: 3000, rank: 1, players: 1 });
  });

  it("a question left unanswered counts as a miss; an answer past the deadline is refused and told", async () => {
    await as(bruno).quizzes.serveNext({ assignmentId });
    tick(3000 + 10_000 + 301); // past the time (and its 300 ms grace)
    await expect(as(bruno).quizzes.answer({ assignmentId, q: 0, answer: { type: "single", choice: 1 } })).rejects.toMatchObject({ cause: { detail: { key: "quiz.errors.late" } } });
    expect(await as(bruno).quizzes.selfPacedState({ assignmentId })).toMatchObject({ status: "answered", q: 0, result: { timedOut: true, points: 0, streak: 0 } });
    await as(bruno).quizzes.serveNext({ assignmentId });
    tick(3000 + 9000); // 9 s of 10: round(2000 × (1 − 0.45)) = 1100, first correct: no bonus
    expect((await as(bruno).quizzes.answer({ assignmentId, q: 1, answer: { type: "truefalse", value: true } })).result).toMatchObject({ points: 1100, streak: 1, score: 1100 });
    await as(bruno).quizzes.serveNext({ assignmentId });
    tick(3000 + 20_000); // never answers the poll: a miss of a poll earns nothing
    expect(await as(bruno).quizzes.serveNext({ assignmentId })).toMatchObject({ status: "finished", score: 1100, rank: 2, players: 2 });
  });

  it("builds the class leaderboard and the instructor's results; nothing is served after the deadline", async () => {
    const board = await as(bruno).quizzes.selfPacedLeaderboard({ assignmentId });
    expect(board.rows.map((r) => [r.rank, r.name, r.score, r.you])).toEqual([[1, "Ana", 2900, false], [2, "Bruno", 1100, true]]);
    await expect(as(ana).quizzes.selfPacedResults({ assignmentId })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const res = await as(teacher).quizzes.selfPacedResults({ assignmentId });
    expect(res.questions.map((q) => [q.answered, q.correctShare])).toEqual([[2, 0.5], [2, 1], [2, 0]]);
    expect(res.students[0]).toMatchObject({ name: "Ana", score: 2900, answers: [{ correct: true, points: 800, ms: 4000 }, { points: 2100, ms: 300 }, { answer: { type: "poll", choice: 0 } }] });
    expect(res.students[1].answers[0]).toMatchObject({ answer: null, points: 0, ms: 10_000 });

    const late = await insertUser(t.db, "student", "Carla");
    const cls = await as(teacher).classes.get({ classId });
    await as(late).classes.join({ code: cls.joinCode! });
    tick(3600_000);
    expect(await as(late).quizzes.selfPacedState({ assignmentId })).toMatchObject({ status: "notStarted", closed: true });
    await expect(as(late).quizzes.serveNext({ assignmentId })).rejects.toMatchObject({ cause: { detail: { key: "quiz.errors.assignmentClosed" } } });
    expect((await as(ana).quizzes.assignments({ classId }))[0]).toMatchObject({ closed: true, mine: { score: 2900, finished: true, answered: 3 } });
  });

  it("reaches the class gradebook as a quiz column (points over the most points), overridable like any item", async () => {
    const book = await as(teacher).gradebook.forClass({ classId, locale: "es" });
    const key = `quiz:a/${assignmentId}`;
    expect(book.items.find((i) => i.key === key)).toMatchObject({ kind: "quiz", title: "Corto", maxScore: 3000, inTotal: true });
    const cell = (name: string) => book.students.find((s) => s.name === name)!.cells[key];
    expect(cell("Ana").score).toBeCloseTo(2900 / 3000, 9);
    expect(cell("Bruno").score).toBeCloseTo(1100 / 3000, 9);
    expect(cell("Carla").score).toBeNull();
    await as(teacher).gradebook.override({ classId, studentId: bruno.id, item: key, score: 0.5, comment: "Se le cortó la luz" });
    const again = await as(teacher).gradebook.forClass({ classId, locale: "es" });
    expect(again.students.find((s) => s.name === "Bruno")!.cells[key]).toMatchObject({ score: 0.5, computed: { score: 1100 / 3000 } });
    await expect(as(teacher).gradebook.override({ classId, studentId: bruno.id, item: "quiz:a/no-such", score: 0.5, comment: "x" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const mine = await as(ana).gradebook.mine({ locale: "es" });
    expect(JSON.stringify(mine)).toContain(key);
  });
});
