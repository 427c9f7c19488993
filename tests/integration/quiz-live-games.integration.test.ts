// Live games opened from a lesson's quiz block and from a quiz set (issue 14 points 1, 2, 7):
// the questions reach lib/server/live as converted, the game is tied to its class, and after a
// real game over WebSockets the host's results (answers in words, times, points, share correct),
// the CSV and the class's records (signed-in members only; students see their own) agree.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "@/lib/server/api/root";
import type { SessionUser } from "@/lib/server/auth";
import { lessonQuiz } from "@/lib/quiz-sets/lesson-quizzes";
import { gameResultsCsv } from "@/lib/server/services/quiz-sets/live-games";
import { Client, cookieSessions, LIVE_ORIGIN, startLiveServer, type LiveServer } from "./helpers/live-ws";
import { createTestDb, insertUser, testProviders, type TestDb } from "./helpers/test-db";

describe.each(testProviders)("live games from lessons and quiz sets on %s", (provider) => {
  let t: TestDb;
  let srv: LiveServer;
  let teacher: SessionUser, other: SessionUser, ana: SessionUser, bruno: SessionUser;
  let classId: string;
  const as = (u: SessionUser) => createCaller({ db: t.db, user: u });

  beforeAll(async () => {
    t = await createTestDb(provider);
    teacher = await insertUser(t.db, "instructor", "Ada");
    other = await insertUser(t.db, "instructor", "Grace");
    ana = await insertUser(t.db, "student", "Ana");
    bruno = await insertUser(t.db, "student", "Bruno");
    const cls = await as(teacher).classes.create({ name: "MLOps" });
    classId = cls.id;
    for (const s of [ana, bruno]) await as(s).classes.join({ code: cls.joinCode! });
    srv = await startLiveServer({ db: t.db, sessionUser: cookieSessions([teacher.id, ana.id, bruno.id]), origin: LIVE_ORIGIN, trustedProxies: "127.0.0.1/32" });
  });
  afterAll(async () => {
    await srv?.stop();
    await t?.drop();
  });

  it("hosts a lesson's quiz block as it is written, in the class, with the podium places asked for", async () => {
    const quiz = lessonQuiz("en", "imbalance", "self-check")!;
    const game = await as(teacher).quizzes.host({ source: { lessonSlug: "imbalance", quizId: "self-check", locale: "en" }, classId, settings: { podiumPlaces: 5, streaks: false } });
    expect(game.pin).toMatch(/^\d{6}$/);
    const row = await t.db.liveGame.findUniqueOrThrow({ where: { id: game.gameId }, select: { questions: true, settings: true, classId: true, lessonSlug: true, title: true } });
    expect(JSON.parse(row.questions)).toEqual(quiz.questions);
    expect(JSON.parse(row.settings)).toMatchObject({ podiumPlaces: 5, scoring: { streaks: false, speedBonus: true } });
    expect(row).toMatchObject({ classId, lessonSlug: "imbalance", title: quiz.lessonTitle });
    expect(await t.db.quizHostedGame.findUnique({ where: { gameId: game.gameId } })).toMatchObject({ classId, lessonSlug: "imbalance", maxScore: 1000 * quiz.questions.length });
  });

  it("refuses a class that is not the host's, a set that is not theirs, an empty set, and students", async () => {
    await expect(as(other).quizzes.host({ source: { lessonSlug: "imbalance", locale: "es" }, classId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const set = await as(teacher).quizzes.create({ title: "Vacío", locale: "es" });
    await expect(as(other).quizzes.host({ source: { quizSetId: set.id } })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(as(teacher).quizzes.host({ source: { quizSetId: set.id } })).rejects.toMatchObject({ cause: { detail: { key: "quiz.errors.emptySet" } } });
    await expect(as(ana).quizzes.host({ source: { lessonSlug: "imbalance", locale: "es" } })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(as(teacher).quizzes.host({ source: { lessonSlug: "no-such", locale: "es" } })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await t.db.quizHostedGame.count({ where: { hostId: other.id } })).toBe(0);
  });

  it("after a game over WebSockets: results with answers in words, the CSV, and the class's records", async () => {
    const set = await as(teacher).quizzes.create({
      title: "Corto",
      locale: "es",
      items: [
        { question: { type: "single", prompt: "¿Cuál ignora los VN?", options: ["Accuracy", "F1"], correct: 1, timeLimitSec: 20 } },
        { question: { type: "order", prompt: "Ordená", items: ["Partir", "Ajustar", "Evaluar"], timeLimitSec: 20 } },
      ],
    });
    const { gameId, pin } = await as(teacher).quizzes.host({ source: { quizSetId: set.id }, classId, settings: { introMs: 0 } });
    const host = new Client(srv.port, { cookie: `session=${teacher.id}`, origin: LIVE_ORIGIN });
    await host.ask({ t: "host", gameId }, "welcome");
    // Ana signed in (linked to her account), Bruno signed in, and a guest.
    const join = async (nickname: string, user: SessionUser | null, ip: string) => {
      const c = new Client(srv.port, { forwardedFor: ip, ...(user ? { cookie: `session=${user.id}`, origin: LIVE_ORIGIN } : {}) });
      await c.ask({ t: "join", pin, nickname }, "welcome");
      return c;
    };
    const a = await join("Anita", ana, "10.1.0.1");
    const b = await join("Bru", bruno, "10.1.0.2");
    const g = await join("Invitado", null, "10.1.0.3");
    await host.send({ t: "start" });
    const q0 = await a.next("state", (m) => m.game.phase === "answering" && m.game.q === 0);
    if (q0.game.phase !== "answering") throw new Error("phase");
    await a.ask({ t: "answer", q: 0, answer: { type: "single", choice: 1 } }, "ack");
    await b.ask({ t: "answer", q: 0, answer: { type: "single", choice: 0 } }, "ack");
    await g.ask({ t: "answer", q: 0, answer: { type: "single", choice: 1 } }, "ack");
    await host.next("state", (m) => m.game.phase === "reveal");
    await host.send({ t: "next" });
    await host.next("state", (m) => m.game.phase === "leaderboard");
    await host.send({ t: "next" });
    const q1 = await a.next("state", (m) => m.game.phase === "answering" && m.game.q === 1);
    if (q1.game.phase !== "answering" || q1.game.question.type !== "order") throw new Error("phase");
    const shown = q1.game.question.items;
    const right = [...shown].sort((x, y) => x.index - y.index).map((x) => x.index);
    await a.ask({ t: "answer", q: 1, answer: { type: "order", order: right } }, "ack");
    await b.ask({ t: "answer", q: 1, answer: { type: "order", order: [...right].reverse() } }, "ack");
    await host.send({ t: "close" }); // the guest did not answer: the host closes the question
    await host.next("state", (m) => m.game.phase === "reveal" && m.game.q === 1);
    for (const c of [host, a, b, g]) c.ws.close();

    const r = await as(teacher).quizzes.gameResults({ gameId, locale: "es" });
    expect(r.questions.map((q) => q.answered)).toEqual([3, 2]);
    const anita = r.players.find((p) => p.nickname === "Anita")!;
    expect(r.accounts[anita.userId!]).toEqual({ name: "Ana", email: ana.email });
    expect(r.described[anita.playerId]).toEqual({ 0: "B. F1", 1: "Partir → Ajustar → Evaluar" });
    expect(anita.answers.every((x) => x.correct)).toBe(true);
    const guest = r.players.find((p) => p.nickname === "Invitado")!;
    expect(guest.userId).toBeNull();
    await expect(as(other).quizzes.gameResults({ gameId, locale: "es" })).rejects.toMatchObject({ code: "NOT_FOUND" });

    const csv = await gameResultsCsv({ db: t.db, user: teacher }, gameId, "en");
    const lines = csv.text.replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines[0]).toBe("player,account,rank,total score,question,prompt,answer,correct,time (s),points");
    expect(lines).toHaveLength(1 + 3 * 2);
    expect(lines).toContain(`Invitado,,${guest.rank},${guest.score},2,Ordená,(no answer),,,0`);
    expect(lines.some((l) => l.startsWith(`Anita,Ana <${ana.email}>,${anita.rank},${anita.score},1,¿Cuál ignora los VN?,B. F1,yes,`))).toBe(true);
    expect(csv.fileName).toMatch(new RegExp(`^Corto \\d{4}-\\d\\d-\\d\\d ${pin}\\.csv$`));

    // The class's records: signed-in members with their scores; a student sees only their own.
    const games = await as(teacher).quizzes.classGames({ classId });
    const rec = games.find((x) => x.gameId === gameId)!;
    expect(rec).toMatchObject({ title: "Corto", players: 3, maxScore: 2000 });
    expect(rec.scores.map((s) => [s.name, s.nickname, s.score])).toEqual([
      ["Ana", "Anita", anita.score],
      ["Bruno", "Bru", r.players.find((p) => p.nickname === "Bru")!.score],
    ]);
    const mine = (await as(bruno).quizzes.classGames({ classId })).find((x) => x.gameId === gameId)!;
    expect(mine.scores.map((s) => s.name)).toEqual(["Bruno"]);
    await expect(as(other).quizzes.classGames({ classId })).rejects.toMatchObject({ code: "NOT_FOUND" });

    // …and the gradebook's column for the game: signed-in members' points over the game's most points.
    const book = await as(teacher).gradebook.forClass({ classId, locale: "es" });
    const key = `quiz:g/${gameId}`;
    expect(book.items.find((i) => i.key === key)).toMatchObject({ kind: "quiz", maxScore: 2000 });
    expect(book.students.find((s) => s.name === "Ana")!.cells[key].score).toBeCloseTo(Math.min(1, anita.score / 2000), 9);
  });
});
